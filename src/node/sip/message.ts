import jssipParser, { type ParsedMessage, type ParsedNameAddr, type ParsedUri } from 'jssip/lib/Parser.js';
import jssipGrammar from 'jssip/lib/Grammar.js';

/**
 * A SIP message as the proxy handles it. Parsing is JsSIP's (its RFC 3261
 * grammar, maintained and already our dependency); this class keeps the
 * header lines in order so the message can be changed and forwarded.
 */
export class SipMessage {
  /** Header lines in order; Contact and Record-Route are one value per line. */
  readonly headers: Array<[string, string]>;

  private constructor(
    readonly parsed: ParsedMessage,
    private startLine: string,
    readonly body: string,
    /** The Contact header values as written (one may hold several entries), unparsed. */
    private readonly contactValues: readonly string[],
  ) {
    this.headers = [];
    for (const [name, values] of Object.entries(parsed.headers)) {
      for (const value of values) this.headers.push([name, value.raw]);
    }
    for (const value of contactValues) this.headers.push(['Contact', value]);
  }

  /**
   * Parses a message; null when it is not valid SIP. Contact headers are taken
   * out first and parsed only when asked for (`contacts()`): the proxy forwards
   * them as they are, a REGISTER with many is refused on the count alone, and
   * `Contact: *` (which JsSIP's grammar cannot read) reaches the registrar.
   */
  static parse(data: string): SipMessage | null {
    const { rest, values } = takeContacts(data);
    let parsed: ParsedMessage | undefined;
    try {
      parsed = jssipParser.parseMessage(rest, null);
    } catch {
      return null;
    }
    if (!parsed || !parsed.call_id || !parsed.cseq || !parsed.from || !parsed.to || !parsed.getHeader('via')) return null;
    return new SipMessage(parsed, rest.slice(0, rest.indexOf('\r\n')), parsed.body ?? '', values);
  }

  get isRequest(): boolean {
    return this.parsed.status_code === undefined;
  }
  get method(): string {
    return this.parsed.method;
  }
  get status(): number {
    return this.parsed.status_code ?? 0;
  }
  get ruri(): ParsedUri | undefined {
    return this.parsed.ruri;
  }
  get callId(): string {
    return this.parsed.call_id;
  }
  get cseq(): number {
    return this.parsed.cseq;
  }
  get from(): ParsedNameAddr {
    return this.parsed.from;
  }
  get to(): ParsedNameAddr {
    return this.parsed.to;
  }
  get toTag(): string | undefined {
    return this.parsed.to_tag;
  }
  get branch(): string | undefined {
    return this.parsed.via_branch;
  }

  /** Whether the only Contact is `*` (RFC 3261 §10.2.2: remove every binding). */
  get wildcardContact(): boolean {
    const entries = this.contactEntries(2);
    return entries.length === 1 && entries[0] === '*';
  }

  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
  }

  getAll(name: string): string[] {
    const lower = name.toLowerCase();
    return this.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  }

  /** The Contact entries (commas split), unparsed; at most `limit` of them, the scan stopping there. */
  contactEntries(limit = Infinity): string[] {
    const entries: string[] = [];
    for (const value of this.contactValues) {
      if (entries.length >= limit) break;
      entries.push(...splitEntries(value, limit - entries.length));
    }
    return entries;
  }

  /** Contact URIs with their parameters (expires), parsed with JsSIP's grammar; null if one is not valid; none for `*`. */
  contacts(): Array<{ raw: string; addr: ParsedNameAddr }> | null {
    if (this.wildcardContact) return [];
    const out: Array<{ raw: string; addr: ParsedNameAddr }> = [];
    for (const raw of this.contactEntries()) {
      let parsed: unknown;
      try {
        parsed = jssipGrammar.parse(raw, 'Contact');
      } catch {
        return null; // the grammar throws on some inputs (`*` among others)
      }
      if (!Array.isArray(parsed) || parsed.length !== 1) return null;
      out.push({ raw, addr: (parsed[0] as { parsed: ParsedNameAddr }).parsed });
    }
    return out;
  }

  remove(name: string): void {
    const lower = name.toLowerCase();
    for (let i = this.headers.length - 1; i >= 0; i--) if (this.headers[i][0].toLowerCase() === lower) this.headers.splice(i, 1);
  }

  /** Inserts a header before the first one of the same name (or, for a new name, after the Vias). */
  prepend(name: string, value: string): void {
    const lower = name.toLowerCase();
    const i = this.headers.findIndex(([n]) => n.toLowerCase() === lower);
    if (i >= 0) return void this.headers.splice(i, 0, [name, value]);
    let afterVias = 0;
    while (afterVias < this.headers.length && this.headers[afterVias][0].toLowerCase() === 'via') afterVias++;
    this.headers.splice(afterVias, 0, [name, value]);
  }

  /** Removes the first header of a name; for Route, only its first entry when several share a line. */
  shift(name: string): string | undefined {
    const lower = name.toLowerCase();
    const i = this.headers.findIndex(([n]) => n.toLowerCase() === lower);
    if (i < 0) return undefined;
    const value = this.headers[i][1];
    const entries = splitRoute(value);
    if (entries.length > 1) {
      this.headers[i] = [this.headers[i][0], entries.slice(1).join(', ')];
      return entries[0];
    }
    this.headers.splice(i, 1);
    return value;
  }

  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    const i = this.headers.findIndex(([n]) => n.toLowerCase() === lower);
    if (i < 0) this.headers.push([name, value]);
    else this.headers[i] = [this.headers[i][0], value];
  }

  setRequestUri(uri: string): void {
    this.startLine = `${this.method} ${uri} SIP/2.0`;
  }

  toString(): string {
    const lines = [this.startLine];
    for (const [name, value] of this.headers) if (name.toLowerCase() !== 'content-length') lines.push(`${name}: ${value}`);
    lines.push(`Content-Length: ${Buffer.byteLength(this.body)}`);
    return `${lines.join('\r\n')}\r\n\r\n${this.body}`;
  }

  /** A response to this request (Via, From, To, Call-ID and CSeq copied, RFC 3261 §8.2.6). */
  response(status: number, reason: string, extra: Array<[string, string]> = [], toTag?: string): string {
    const lines = [`SIP/2.0 ${status} ${reason}`];
    for (const via of this.getAll('Via')) lines.push(`Via: ${via}`);
    for (const rr of status < 300 && status > 100 && this.method !== 'REGISTER' ? this.getAll('Record-Route') : []) lines.push(`Record-Route: ${rr}`);
    lines.push(`From: ${this.get('From')}`);
    let to = this.get('To')!;
    if (status > 100 && !this.toTag && toTag) to += `;tag=${toTag}`;
    lines.push(`To: ${to}`);
    lines.push(`Call-ID: ${this.callId}`);
    lines.push(`CSeq: ${this.cseq} ${this.method}`);
    for (const [name, value] of extra) lines.push(`${name}: ${value}`);
    lines.push('Server: voice-widget-dev', 'Content-Length: 0');
    return `${lines.join('\r\n')}\r\n\r\n`;
  }
}

const CONTACT_LINE = /^(?:contact|m)[ \t]*:/i;

/**
 * Takes the Contact header lines (and their folded continuations) out of a
 * message's header section, in one linear pass, leaving their values unparsed.
 */
function takeContacts(data: string): { rest: string; values: string[] } {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0 || !/\r\n(?:contact|m)[ \t]*:/i.test(data.slice(0, end + 2))) return { rest: data, values: [] };
  const lines = data.slice(0, end).split('\r\n');
  const kept: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i === 0 || !CONTACT_LINE.test(lines[i])) {
      kept.push(lines[i]);
      continue;
    }
    let value = lines[i].slice(lines[i].indexOf(':') + 1);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) value += ` ${lines[++i].trim()}`;
    values.push(value.trim());
  }
  return { rest: `${kept.join('\r\n')}${data.slice(end)}`, values };
}

/** At most `limit` entries of a Contact value, split at the commas outside quotes and <>. */
function splitEntries(value: string, limit: number): string[] {
  const entries: string[] = [];
  let quoted = false;
  let angled = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') angled = true;
    else if (c === '>') angled = false;
    else if (c === ',' && !angled) {
      entries.push(value.slice(start, i).trim());
      if (entries.length >= limit) return entries.filter((e) => e !== '');
      start = i + 1;
    }
  }
  entries.push(value.slice(start).trim());
  return entries.filter((e) => e !== '');
}

/** Splits a Route/Record-Route value into its comma-separated entries, with JsSIP's grammar. */
export function splitRoute(value: string): string[] {
  const parsed = jssipGrammar.parse(value, 'Record_Route');
  if (!Array.isArray(parsed)) return [value];
  return parsed.map((p: { possition: number; offset: number }) => value.substring(p.possition, p.offset).trim());
}

/** The URI inside a name-addr (`<sip:…;lr>` → `sip:…;lr`), with JsSIP's grammar. */
export function parseNameAddr(value: string): ParsedNameAddr | null {
  const parsed = jssipGrammar.parse(value, 'Name_Addr_Header');
  return parsed === -1 ? null : (parsed as ParsedNameAddr);
}

/** `user@host` of a URI: how the proxy keys contacts. */
export function contactKey(uri: ParsedUri): string {
  return `${uri.user ?? ''}@${uri.host}`.toLowerCase();
}
