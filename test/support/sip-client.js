// A raw SIP-over-WebSocket client for protocol-level tests: send text, await
// the next message. Registers with the token exactly as given.
import WebSocket from 'ws';

export async function sipClient(url, origin = 'http://127.0.0.1:8080') {
  const ws = new WebSocket(url, 'sip', { origin });
  const inbox = [];
  const waiters = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const w = waiters.shift();
    if (w) w(text);
    else inbox.push(text);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    send: (text) => ws.send(text),
    next: (ms = 3000) =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no SIP message')), ms);
            waiters.push((t) => {
              clearTimeout(timer);
              resolve(t);
            });
          }),
    close: () => ws.close(),
  };
}

let seq = 0;
/** A REGISTER whose token header line is `X-Voice-Widget-Token:` followed by `tokenHeader` verbatim. */
export function registerRequest(user, domain, tokenHeader) {
  seq++;
  return [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKtok${seq}`,
    'Max-Forwards: 69',
    `To: <sip:${user}@${domain}>`,
    `From: <sip:${user}@${domain}>;tag=t${seq}`,
    `Call-ID: tok-${user}-${seq}`,
    `CSeq: ${seq} REGISTER`,
    `Contact: <sip:${user}x@h.invalid;transport=ws>;expires=600`,
    `X-Voice-Widget-Token:${tokenHeader}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** The answer's status code and reason phrase. */
export function statusLine(msg) {
  const m = /^SIP\/2\.0 (\d{3}) (.*)\r\n/.exec(msg);
  return m ? `${m[1]} ${m[2]}` : msg.slice(0, 40);
}
