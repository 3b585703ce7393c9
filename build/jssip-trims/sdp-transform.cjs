'use strict';
// Replaces `sdp-transform` for JsSIP in the script-tag build. JsSIP reads only
// `media[].type`, `media[].direction` and the session-level `direction`
// (SIPMessage.parseSDP on incoming bodies; RTCSession's answer and in-dialog
// offer checks), and writes SDP back only after changing `media[].direction`
// (RTCSession._mangleOffer, on hold). So this parses just those fields, keeps
// every line as it came, and writes the lines back with the direction
// attribute set: the rest of the SDP goes out byte for byte (sdp-transform
// would re-serialise it from its grammar). Any text parses (a non-SDP body
// gives no media), as with sdp-transform.
// Guarded by test/node/jssip-trims.test.js (the fields JsSIP uses; parse and
// write compared with sdp-transform on browser SDPs).
const DIRECTION = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/;

function section(lines) {
  const line = lines.find((l) => DIRECTION.test(l));
  return { lines, direction: line ? DIRECTION.exec(line)[1] : undefined };
}

function parse(sdp) {
  const lines = String(sdp)
    .split(/\r?\n/)
    .filter((l) => /^[a-z]=/.test(l));
  const starts = [];
  lines.forEach((l, i) => l.startsWith('m=') && starts.push(i));
  const session = section(lines.slice(0, starts.length ? starts[0] : lines.length));
  const out = { direction: session.direction, media: [] };
  Object.defineProperty(out, '_lines', { value: session.lines });
  starts.forEach((start, k) => {
    const m = section(lines.slice(start, starts[k + 1] ?? lines.length));
    // sdp-transform's m-line pattern: a line it cannot read gives no type.
    const media = { type: /^m=(\w*) (\d*)(?:\/(\d*))? ([\w/]*)/.exec(m.lines[0])?.[1], direction: m.direction };
    Object.defineProperty(media, '_lines', { value: m.lines });
    out.media.push(media);
  });
  return out;
}

/** The lines with their direction attribute set in place (appended if there was none; removed if unset). */
function withDirection(lines, direction) {
  const at = lines.findIndex((l) => DIRECTION.test(l));
  if (at < 0) return direction ? [...lines, `a=${direction}`] : lines;
  return direction ? lines.map((l, i) => (i === at ? `a=${direction}` : l)) : lines.filter((_, i) => i !== at);
}

function write(session) {
  const lines = [...withDirection(session._lines, session.direction)];
  for (const m of session.media) lines.push(...withDirection(m._lines, m.direction));
  return `${lines.join('\r\n')}\r\n`;
}

module.exports = { parse, write };
