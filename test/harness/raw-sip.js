// A bare SIP-over-WebSocket client for tests that need to send what no
// browser would: REGISTER with any token and credential, requests with
// forged headers. Digest per RFC 2617 (MD5, qop=auth), as JsSIP does.
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const md5 = (s) => createHash('md5').update(s).digest('hex');
const rnd = (n = 6) => randomBytes(n).toString('hex');

/** First line, e.g. "SIP/2.0 403 Token Revoked" → { status: 403, reason: 'Token Revoked' }. */
export function statusOf(text) {
  const m = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(text);
  return m ? { status: Number(m[1]), reason: m[2] } : null;
}

export function header(text, name) {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text.split('\r\n\r\n')[0]);
  return m ? m[1].trim() : null;
}

/**
 * Opens a WebSocket ("sip" subprotocol) to `url`; `origin` is the page origin a browser would send,
 * `localAddress` the loopback address to connect from (127.0.0.2: another client).
 * @returns {Promise<RawSip>}
 */
export async function connectRaw(url, { origin = 'http://127.0.0.1:8000', localAddress } = {}) {
  const ws = new WebSocket(url, 'sip', { ...(origin ? { origin } : {}), ...(localAddress ? { localAddress } : {}) });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake answered ${res.statusCode}`)));
  });
  return new RawSip(ws);
}

export class RawSip {
  constructor(ws) {
    this.ws = ws;
    this.inbox = [];
    this.waiters = [];
    this.contact = `sip:${rnd(4)}@${rnd(4)}.invalid;transport=ws`;
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason), at: performance.now() })));
    ws.on('message', (data) => {
      const text = String(data);
      const i = this.waiters.findIndex((w) => w.match(text));
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(text);
      else this.inbox.push(text);
    });
  }

  /** The next message that `match` accepts (already received ones first). */
  next(match, timeoutMs = 5000) {
    const i = this.inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { match, resolve };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error('no matching SIP message in time'));
      }, timeoutMs);
      w.resolve = (text) => {
        clearTimeout(timer);
        resolve(text);
      };
      this.waiters.push(w);
    });
  }

  /** Whether a message `match` accepts arrives within `ms`. */
  async receives(match, ms) {
    try {
      await this.next(match, ms);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends a request and resolves with its final response (provisional ones are skipped). */
  async request(method, ruri, headers, body = '') {
    const branch = `z9hG4bK${rnd()}`;
    const lines = [
      `${method} ${ruri} SIP/2.0`,
      `Via: SIP/2.0/WS ${rnd(4)}.invalid;branch=${branch}`,
      'Max-Forwards: 70',
      ...headers,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    this.ws.send(lines.join('\r\n'));
    return this.next((t) => t.includes(`branch=${branch}`) && /^SIP\/2\.0 [2-6]/.test(t));
  }

  /**
   * REGISTER as `user`, answering the digest challenge with `authUser`/`password`.
   * @returns {Promise<string>} the final response
   */
  async register({ user, domain, token, authUser, password, expires = 600, callId = rnd(8), extra = [] }) {
    const tag = rnd(4);
    const base = (cseq, auth) => [
      `To: <sip:${user}@${domain}>`,
      `From: <sip:${user}@${domain}>;tag=${tag}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <${this.contact}>;expires=${expires}`,
      `Expires: ${expires}`,
      ...(token ? [`X-Voice-Widget-Token: ${token}`] : []),
      ...(auth ? [`Authorization: ${auth}`] : []),
      ...extra,
    ];
    let reply = await this.request('REGISTER', `sip:${domain}`, base(1));
    if (statusOf(reply).status !== 401) return reply;
    const challenge = /WWW-Authenticate:\s*Digest (.*)/i.exec(reply)[1];
    const param = (name) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1];
    const [realm, nonce, qop] = [param('realm'), param('nonce'), param('qop')];
    const uri = `sip:${domain}`;
    const ha1 = md5(`${authUser}:${realm}:${password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const cnonce = rnd(8);
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const auth =
      `Digest username="${authUser}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5` +
      (qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : '');
    reply = await this.request('REGISTER', `sip:${domain}`, base(2, auth));
    return reply;
  }

  close() {
    this.ws.close();
  }
}
