// Asks a SIP registrar over WebSocket which bindings a user has: a REGISTER
// without Contact (RFC 3261 §10.2.3), answered with every current Contact.
// The widget token and its digest credential, as the widget sends them.
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';

import { decodeToken, mintToken } from '../../dist/node/index.js';

const md5 = (s) => createHash('md5').update(s).digest('hex');

function request({ user, domain, callId, cseq, authorization, token }) {
  const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
  return [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/WS query.invalid;branch=${branch}`,
    'Max-Forwards: 70',
    `To: <sip:${user}@${domain}>`,
    `From: <sip:${user}@${domain}>;tag=${randomBytes(4).toString('hex')}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} REGISTER`,
    `X-Voice-Widget-Token: ${token}`,
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/**
 * @param {{ wsUrl: string, user: string, domain: string, secret: string }} opts
 * @returns {Promise<string[]>} the Contact URIs bound to the user.
 */
export async function queryBindings({ wsUrl, user, domain, secret }) {
  const ws = new WebSocket(wsUrl, 'sip');
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = () => new Promise((resolve) => ws.once('message', (data) => resolve(String(data))));
  try {
    const callId = randomBytes(8).toString('hex');
    // kamailio.cfg wants the widget token on every REGISTER.
    const token = mintToken({ secret, user, domain, ttl: 60 });
    ws.send(request({ user, domain, callId, cseq: 1, token }));
    let reply = await next();
    if (/^SIP\/2\.0 401/.test(reply)) {
      const challenge = /WWW-Authenticate:\s*Digest (.*)/i.exec(reply)[1];
      const param = (name) => new RegExp(`${name}="?([^",]+)"?`, 'i').exec(challenge)?.[1];
      const realm = param('realm');
      const nonce = param('nonce');
      const qop = param('qop');
      const { sip_auth_user: username, sip_auth_password: password } = decodeToken(token);
      const uri = `sip:${domain}`;
      const ha1 = md5(`${username}:${realm}:${password}`);
      const ha2 = md5(`REGISTER:${uri}`);
      const cnonce = randomBytes(8).toString('hex');
      const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
      const authorization =
        `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5` +
        (qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : '');
      ws.send(request({ user, domain, callId, cseq: 2, authorization, token }));
      reply = await next();
    }
    if (!/^SIP\/2\.0 200/.test(reply)) throw new Error(`registrar answered: ${reply.split('\r\n')[0]}`);
    return [...reply.matchAll(/^(?:Contact|m):\s*(.*)$/gim)].flatMap((m) => m[1].split(/,(?=\s*<)/)).map((c) => c.trim());
  } finally {
    ws.close();
  }
}
