// A raw SIP-over-WebSocket client for protocol-level tests of the SIP servers,
// the one copy for test/node, test/e2e and the bench: it sends what no browser
// would (any token and credential, forged headers, floods). Two shapes over one
// connection: `sipClient` (send text, await the next message in order) and
// `connectRaw` (requests matched to their responses by branch, REGISTER through
// the digest challenge). Digest per RFC 2617 (MD5, qop=auth), as JsSIP does.
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

const md5 = (s) => createHash('md5').update(s).digest('hex');
const rnd = (n = 6) => randomBytes(n).toString('hex');
export const status = (msg) => Number(/^SIP\/2\.0 (\d{3})/.exec(msg)?.[1]);
export const reason = (msg) => /^SIP\/2\.0 \d{3} (.*)\r\n/.exec(msg)?.[1];
export const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

/** First line, e.g. "SIP/2.0 403 Token Revoked" → { status: 403, reason: 'Token Revoked' }. */
export function statusOf(text) {
  const m = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)/.exec(text);
  return m ? { status: Number(m[1]), reason: m[2] } : null;
}

/** The value of header `name` in the message's head, or null. */
export function header(text, name) {
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text.split('\r\n\r\n')[0]);
  return m ? m[1].trim() : null;
}

/**
 * Opens a WebSocket ("sip" subprotocol) to `url`. `origin` is the page origin a
 * browser would send (null sends none), `localAddress` the loopback address to
 * connect from (127.0.0.2: another client). Rejects with `err.status` when the
 * handshake is refused. Messages wait in an inbox until `next` takes them.
 */
async function connect(url, { origin, localAddress }) {
  const ws = new WebSocket(url, 'sip', { ...(origin ? { origin } : {}), ...(localAddress ? { localAddress } : {}) });
  const inbox = [];
  const waiters = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const i = waiters.findIndex((w) => w.match(text));
    if (i >= 0) waiters.splice(i, 1)[0].resolve(text);
    else inbox.push(text);
  });
  const closed = new Promise((resolve) => ws.once('close', (code, why) => resolve({ code, reason: String(why), at: performance.now() })));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => {
      ws.removeAllListeners('error');
      ws.on('error', () => {});
      reject(Object.assign(new Error(`handshake answered ${res.statusCode}`), { status: res.statusCode }));
      res.resume();
    });
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  /** The next message `match` accepts (those already received first); rejects after `ms`. */
  const next = (match, ms) => {
    const i = inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const w = { match };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`no message in ${ms} ms`));
      }, ms);
      w.resolve = (text) => {
        clearTimeout(timer);
        resolve(text);
      };
      waiters.push(w);
    });
  };
  return { ws, closed, next };
}

/**
 * A client that reads messages in order: `next(ms)` is the next one.
 * `closed` resolves with the close code.
 * @param {string} url
 * @param {{ origin?: string | null, localAddress?: string }} [opts]
 */
export async function sipClient(url, { origin = 'http://127.0.0.1:8080', localAddress } = {}) {
  const { ws, closed, next } = await connect(url, { origin, localAddress });
  return {
    ws,
    closed: closed.then((c) => c.code),
    send: (text) => ws.send(text),
    next: (ms = 2000) => next(() => true, ms),
    close: () => ws.close(),
  };
}

/**
 * A client that matches responses to its requests. `closed` resolves with
 * `{code, reason, at}`.
 * @param {string} url
 * @param {{ origin?: string | null, localAddress?: string }} [opts]
 */
export async function connectRaw(url, { origin = 'http://127.0.0.1:8000', localAddress } = {}) {
  const { ws, closed, next } = await connect(url, { origin, localAddress });
  const contact = `sip:${rnd(4)}@${rnd(4)}.invalid;transport=ws`;
  /** Sends a request and resolves with its final response (provisional ones are skipped). */
  const request = (method, ruri, headers, body = '') => {
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
    ws.send(lines.join('\r\n'));
    return next((t) => t.includes(`branch=${branch}`) && /^SIP\/2\.0 [2-6]/.test(t), 5000);
  };
  return {
    ws,
    closed,
    contact,
    request,
    /** The next message that `match` accepts (already received ones first). */
    next: (match, timeoutMs = 5000) => next(match, timeoutMs),
    /** Whether a message `match` accepts arrives within `ms`. */
    receives: (match, ms) =>
      next(match, ms).then(
        () => true,
        () => false,
      ),
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
        `Contact: <${contact}>;expires=${expires}`,
        `Expires: ${expires}`,
        ...(token ? [`X-Voice-Widget-Token: ${token}`] : []),
        ...(auth ? [`Authorization: ${auth}`] : []),
        ...extra,
      ];
      const reply = await request('REGISTER', `sip:${domain}`, base(1));
      if (statusOf(reply).status !== 401) return reply;
      return request('REGISTER', `sip:${domain}`, base(2, authorization(reply, domain, { username: authUser, password, cnonce: rnd(8) })));
    },
    close: () => ws.close(),
  };
}

/**
 * The Authorization header answering a REGISTER's 401 (the whole message) with
 * `username`/`password`: qop=auth when the challenge offers it.
 */
function authorization(challengeMessage, domain, { username, password, cnonce = 'abc' }) {
  const challenge = /WWW-Authenticate:\s*Digest (.*)/i.exec(challengeMessage)[1];
  const param = (name) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1];
  const [realm, nonce, qop] = [param('realm'), param('nonce'), param('qop')];
  const uri = `sip:${domain}`;
  const ha1 = md5(`${username}:${realm}:${password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  return (
    `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"` +
    (qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : '') +
    ', algorithm=MD5'
  );
}

let seq = 0;
/** The answer's status code and reason phrase, `"403 Token Revoked"`. */
export const statusLine = (msg) => {
  const m = /^SIP\/2\.0 (\d{3}) (.*)\r\n/.exec(msg);
  return m ? `${m[1]} ${m[2]}` : msg.slice(0, 40);
};

/**
 * A REGISTER; `contacts` is the list of Contact values (default one). `token`
 * goes in `X-Voice-Widget-Token: <token>`; `tokenHeader` instead puts its text
 * verbatim after the colon (for spellings of a token: spaces, tabs, NBSP…).
 */
export function registerRequest(
  user,
  domain,
  { token, tokenHeader, authorization, contacts = [`<sip:${user}x@h${user}.invalid;transport=ws>;expires=600`], extra = [] } = {},
) {
  seq++;
  return [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKreg${seq}`,
    'Max-Forwards: 69',
    `To: <sip:${user}@${domain}>`,
    `From: <sip:${user}@${domain}>;tag=f${seq}`,
    `Call-ID: reg-${user}-${seq}`,
    `CSeq: ${seq} REGISTER`,
    ...contacts.map((c) => `Contact: ${c}`),
    ...extra,
    ...(token ? [`X-Voice-Widget-Token: ${token}`] : []),
    ...(tokenHeader !== undefined ? [`X-Voice-Widget-Token:${tokenHeader}`] : []),
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/**
 * The Authorization header answering a REGISTER challenge (the whole 401
 * message) with the token's credential; `username`/`password` override it.
 */
export function digest(challengeMessage, token, domain, { username = claimsOf(token).sip_auth_user, password = claimsOf(token).sip_auth_password } = {}) {
  return authorization(challengeMessage, domain, { username, password });
}

/**
 * REGISTER through the challenge on client `c`; resolves with the final answer
 * (a 200 or a refusal). `opts` as registerRequest's, plus the token.
 */
export async function registerThrough(c, user, domain, opts) {
  c.send(registerRequest(user, domain, opts));
  const first = await c.next();
  if (status(first) !== 401) return first;
  c.send(registerRequest(user, domain, { ...opts, authorization: digest(first, opts.token, domain) }));
  return c.next();
}

/** An INVITE from `from` to `to`, with `extra` header lines and an optional body. */
export function inviteRequest(from, to, domain, { callId = `inv-${++seq}`, extra = [], body = '' } = {}) {
  return [
    `INVITE sip:${to}@${domain} SIP/2.0`,
    `Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKinv${++seq}`,
    'Max-Forwards: 69',
    `To: <sip:${to}@${domain}>`,
    `From: <sip:${from}@${domain}>;tag=a${seq}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:${from}x@h${from}.invalid;transport=ws>`,
    ...extra,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
