/**
 * Revocations for Kamailio nodes (kamailio/kamailio.cfg): each DELETE is
 * pushed to every node's control listener, and a node that starts (or
 * resyncs) fetches the whole list with GET /v1/kamailio/revocations.
 *
 * Both directions are signed with the shared Kamailio secret, in the one
 * form the config can check with crypto_hmac_sha256:
 *   X-Voice-Widget-Signature: <unix-seconds>.<base64url HMAC-SHA256(secret, "<unix-seconds>.<body>")>
 * and refused when more than 60 s off.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';

export const SIGNATURE_HEADER = 'X-Voice-Widget-Signature';
export const REVOCATIONS_PATH = '/v1/kamailio/revocations';
const MAX_SKEW_S = 60;
/** A push that fails is retried after 1, 2, 4 … up to 30 s, until the token expires. */
const RETRY_MAX_MS = 30_000;
const PUSH_TIMEOUT_MS = 2_000;

export interface KamailioOptions {
  /** Control URLs of the nodes (`http://10.0.0.5:8089`), from VOICE_WIDGET_KAMAILIO_NODES. */
  nodes: string[];
  /** From VOICE_WIDGET_KAMAILIO_SECRET; the nodes' CONTROL_SECRET. */
  secret: string;
}

export interface Revocation {
  jti: string;
  /** Unix seconds: the token's expiry, after which the entry means nothing. */
  exp: number;
}

/** Reads VOICE_WIDGET_KAMAILIO_NODES (comma or space separated) and VOICE_WIDGET_KAMAILIO_SECRET; undefined when no nodes are set. */
export function kamailioFromEnv(env: NodeJS.ProcessEnv): KamailioOptions | undefined {
  const nodes = (env.VOICE_WIDGET_KAMAILIO_NODES ?? '').split(/[\s,]+/).filter(Boolean);
  if (nodes.length === 0) return undefined;
  const secret = env.VOICE_WIDGET_KAMAILIO_SECRET ?? '';
  checkKamailioOptions({ nodes, secret });
  return { nodes, secret };
}

export function checkKamailioOptions(o: KamailioOptions): void {
  if (!Array.isArray(o.nodes) || o.nodes.length === 0) throw new TypeError('kamailio.nodes must list at least one control URL');
  for (const node of o.nodes) {
    let url: URL;
    try {
      url = new URL(node);
    } catch {
      throw new TypeError(`Kamailio node "${node}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Kamailio node "${node}" must be http(s)://`);
  }
  // Printable ASCII without quotes: the config receives it as a #!define string.
  if (typeof o.secret !== 'string' || o.secret.length < 16 || !/^[\x21-\x7e]+$/.test(o.secret) || /["\\]/.test(o.secret)) {
    throw new TypeError('VOICE_WIDGET_KAMAILIO_SECRET must be at least 16 printable ASCII characters, without spaces, quotes or backslashes');
  }
}

export function sign(secret: string, body: string, now: number = Date.now()): string {
  const ts = Math.floor(now / 1000);
  return `${ts}.${createHmac('sha256', secret).update(`${ts}.${body}`).digest('base64url')}`;
}

export function signatureValid(secret: string, header: string | undefined, body: string, now: number = Date.now()): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(Math.floor(now / 1000) - Number(m[1])) > MAX_SKEW_S) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('base64url'));
  const given = Buffer.from(m[2]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class KamailioPush {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(
    private readonly options: KamailioOptions,
    /** The current deny-list (revoked, not yet expired). */
    private readonly revocations: () => Revocation[],
    private readonly now: () => number = Date.now,
  ) {
    checkKamailioOptions(options);
  }

  /** Sends the revocation to every node; each node that fails is retried on its own. Resolves when every node answered once. */
  async push(revocation: Revocation): Promise<void> {
    await Promise.all(this.options.nodes.map((node) => this.#pushTo(node, revocation, 1000)));
  }

  /** GET /v1/kamailio/revocations for the nodes; resolves false for any other path. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if ((req.url ?? '').split('?', 1)[0] !== REVOCATIONS_PATH) return false;
    if (req.method !== 'GET') {
      res.writeHead(405, { Allow: 'GET' }).end();
      return true;
    }
    const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
    if (!signatureValid(this.options.secret, Array.isArray(header) ? header[0] : header, '', this.now())) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
      return true;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ revoked: this.revocations() }));
    return true;
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  async #pushTo(node: string, revocation: Revocation, retryMs: number): Promise<void> {
    if (this.#closed || revocation.exp * 1000 <= this.now()) return;
    const body = JSON.stringify(revocation);
    try {
      const status = await post(new URL('/revoke', node), body, sign(this.options.secret, body, this.now()));
      if (status >= 200 && status < 300) return;
      throw new Error(`HTTP ${status}`);
    } catch (e) {
      // The node also reloads the list when it starts and every minute; this only makes it sooner.
      process.emitWarning(`token service: revocation push to ${node} failed (${(e as Error).message}); retrying`, 'TokenServiceWarning');
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#pushTo(node, revocation, Math.min(retryMs * 2, RETRY_MAX_MS));
      }, retryMs);
      timer.unref?.();
      this.#timers.add(timer);
    }
  }
}

/** One POST on a fresh connection: the node closes each one after its reply, so a kept-alive socket would fail the next push. */
function post(url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: PUSH_TIMEOUT_MS,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), [SIGNATURE_HEADER]: signature },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
