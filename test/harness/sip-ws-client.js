// A raw SIP-over-WebSocket client for protocol-level tests of the SIP servers:
// send text, await the next message, register through the digest challenge
// with a widget token. The one copy for test/node and test/e2e.
import { createHash } from 'node:crypto';
import WebSocket from 'ws';

const md5 = (s) => createHash('md5').update(s).digest('hex');
export const status = (msg) => Number(/^SIP\/2\.0 (\d{3})/.exec(msg)?.[1]);
export const reason = (msg) => /^SIP\/2\.0 \d{3} (.*)\r\n/.exec(msg)?.[1];
export const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

/**
 * Opens a connection. Resolves when open; rejects with the HTTP status
 * (`err.status`) when the handshake is refused.
 * @param {string} url
 * @param {{ origin?: string | null, localAddress?: string }} [opts] origin null sends none
 */
export async function sipClient(url, { origin = 'http://127.0.0.1:8080', localAddress } = {}) {
  const ws = new WebSocket(url, 'sip', { ...(origin ? { origin } : {}), ...(localAddress ? { localAddress } : {}) });
  const inbox = [];
  const waiters = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const w = waiters.shift();
    if (w) w(text);
    else inbox.push(text);
  });
  const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => {
      ws.removeAllListeners('error');
      ws.on('error', () => {});
      reject(Object.assign(new Error(`handshake refused: ${res.statusCode} ${res.statusMessage}`), { status: res.statusCode }));
      res.resume();
    });
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  return {
    ws,
    closed,
    send: (text) => ws.send(text),
    next: (ms = 2000) =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no message')), ms);
            waiters.push((t) => {
              clearTimeout(timer);
              resolve(t);
            });
          }),
    close: () => ws.close(),
  };
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
  const challenge = /WWW-Authenticate: (.*)\r\n/.exec(challengeMessage)[1];
  const realm = /realm="([^"]+)"/.exec(challenge)[1];
  const nonce = /nonce="([^"]+)"/.exec(challenge)[1];
  const uri = `sip:${domain}`;
  const response = md5(`${md5(`${username}:${realm}:${password}`)}:${nonce}:00000001:abc:auth:${md5(`REGISTER:${uri}`)}`);
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", qop=auth, nc=00000001, cnonce="abc", algorithm=MD5`;
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
