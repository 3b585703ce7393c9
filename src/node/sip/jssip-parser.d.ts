// JsSIP ships no types for its parser modules; these are the parts we use.
declare module 'jssip/lib/Parser.js' {
  export interface ParsedUri {
    user?: string | null;
    host: string;
    port?: number | null;
    scheme: string;
    toString(): string;
    getParam(name: string): unknown;
  }
  export interface ParsedNameAddr {
    uri: ParsedUri;
    display_name?: string | null;
    getParam(name: string): unknown;
  }
  export interface ParsedMessage {
    method: string;
    ruri?: ParsedUri;
    status_code?: number;
    reason_phrase?: string;
    headers: Record<string, Array<{ raw: string; parsed?: unknown }>>;
    body?: string;
    /** The message as received. */
    data?: string;
    call_id: string;
    cseq: number;
    from: ParsedNameAddr;
    to: ParsedNameAddr;
    from_tag?: string;
    to_tag?: string;
    via_branch?: string;
    getHeader(name: string): string | undefined;
    getHeaders(name: string): string[];
    parseHeader(name: string, idx?: number): unknown;
  }
  export function parseMessage(data: string, ua: unknown): ParsedMessage | undefined;
  const parser: { parseMessage: typeof parseMessage };
  export default parser;
}

declare module 'jssip/lib/Grammar.js' {
  const grammar: { parse(input: string, rule: string): unknown };
  export default grammar;
}
