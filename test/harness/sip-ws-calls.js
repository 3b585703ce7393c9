// Calls between raw SIP-over-WebSocket clients (sip-ws-client.js) for the
// cluster tests and the load bench: a WebRTC-shaped SDP offer, the callee's
// side of an INVITE (ringing, answering, refusing), header lookups.
import { randomBytes } from 'node:crypto';

/** One header's value (the first), or undefined. */
export const headerOf = (msg, name) => new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(msg)?.[1]?.trim();

/** A browser-like audio offer (ICE, DTLS-SRTP, rtcp-mux, Opus): what rtpengine's browser flags expect. */
export function webrtcOffer(address = '127.0.0.1', port = 40_000) {
  const fp = [...randomBytes(32)].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  return [
    'v=0',
    `o=- ${Date.now()} 1 IN IP4 ${address}`,
    's=-',
    't=0 0',
    `m=audio ${port} UDP/TLS/RTP/SAVPF 111`,
    `c=IN IP4 ${address}`,
    'a=rtcp-mux',
    `a=ice-ufrag:${randomBytes(4).toString('hex')}`,
    `a=ice-pwd:${randomBytes(12).toString('hex')}`,
    `a=fingerprint:sha-256 ${fp}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=rtpmap:111 opus/48000/2',
    'a=sendrecv',
    `a=candidate:1 1 udp 2122260223 ${address} ${port} typ host`,
    '',
  ].join('\r\n');
}

/** A reply from the callee to `request` (an INVITE it received), with its To tag and an optional SDP body. */
export function replyTo(request, code, phrase, { tag = 'callee', body = '', contact } = {}) {
  const copy = (name) => request.match(new RegExp(`^${name}:.*$`, 'gmi')) ?? [];
  const to = copy('To').map((l) => (/;tag=/.test(l) ? l : `${l};tag=${tag}`));
  return [
    `SIP/2.0 ${code} ${phrase}`,
    ...copy('Via'),
    ...copy('Record-Route'),
    ...copy('From'),
    ...to,
    ...copy('Call-ID'),
    ...copy('CSeq'),
    ...(contact ? [`Contact: ${contact}`] : []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** The next message on client `c` that satisfies `pred` (others are dropped), within `ms`. */
export async function nextMatching(c, pred, ms = 5000) {
  const deadline = Date.now() + ms;
  const dropped = [];
  for (;;) {
    const left = deadline - Date.now();
    const msg = left > 0 ? await c.next(left).catch(() => null) : null;
    if (msg === null) throw new Error(`no matching message in ${ms} ms; other messages: ${dropped.map((m) => m.split('\r\n')[0]).join(' | ')}`);
    if (pred(msg)) return msg;
    dropped.push(msg);
  }
}
