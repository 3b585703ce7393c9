// Guards for build/jssip-trims (the script-tag build's JsSIP trims): each test
// fails if a JsSIP upgrade (or our own code) starts needing what a trim removed.
// They read node_modules/jssip/lib as installed; see build/jssip-trims/README.md.
import assert from 'node:assert/strict';
import { EventEmitter as NodeEventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { dropDebugLogs } from '../../build/jssip-trims/debug-logs.mjs';
import { statusCodesInSource, trimReasonPhrases } from '../../build/jssip-trims/reason-phrases.mjs';
import { KEPT_GRAMMAR_RULES, REPLACED_PACKAGES, STUBBED_MODULES, trimGrammar } from '../../build/jssip-trims/index.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIB = path.join(ROOT, 'node_modules/jssip/lib');
const require = createRequire(path.join(LIB, 'JsSIP.js'));

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
/** JsSIP's runtime sources (not its .d.ts, not the generated grammar itself). */
const jssipSources = walk(LIB)
  .filter((f) => f.endsWith('.js') && !f.endsWith('Grammar.js'))
  .map((f) => ({ file: path.relative(LIB, f), code: readFileSync(f, 'utf8') }));
/** Our browser code (the script-tag build bundles it with the trimmed JsSIP). */
const ourSources = walk(path.join(ROOT, 'src'))
  .filter((f) => f.endsWith('.ts') && !f.includes(`${path.sep}node${path.sep}`))
  .map((f) => ({ file: path.relative(ROOT, f), code: readFileSync(f, 'utf8') }));
const grep = (sources, re) => sources.flatMap(({ file, code }) => [...code.matchAll(re)].map((m) => ({ file, m })));

const { headerize } = require('./Utils');
const kept = new Set(KEPT_GRAMMAR_RULES);

test('grammar: every rule JsSIP parses by name is kept, and no parse by a name we cannot see', () => {
  const used = new Set();
  for (const { file, m } of grep(jssipSources, /Grammar\.parse\(([^;]*?),\s*([^,;]+?)\)[;\s=!]/g)) {
    const literal = /^'(\w+)'$/.exec(m[2].trim());
    if (literal) used.add(literal[1]);
    // The one computed name: SIPMessage.parseHeader(name) parses with the headerized name, '-' → '_' (below).
    else assert.ok(file === 'SIPMessage.js' && m[0].includes("name.replace(/-/g, '_')"), `${file}: Grammar.parse with a computed rule: ${m[0]}`);
  }
  assert.deepEqual(grep(jssipSources, /Grammar\.parse\([^,()]*\)/g), [], 'Grammar.parse without a rule (the CRLF default)');
  for (const { file, m } of grep([...jssipSources, ...ourSources], /\.(?:parseHeader|s)\(\s*([^,)]+)/g)) {
    const literal = /^'([\w-]+)'$/.exec(m[1].trim());
    if (literal) used.add(headerize(literal[1]).replace(/-/g, '_'));
    else assert.ok(file === 'SIPMessage.js' && /^name$/.test(m[1].trim()), `${file}: parseHeader with a computed name: ${m[0]}`);
  }
  assert.deepEqual(grep(ourSources, /\bGrammar\b/g), [], 'our browser code uses JsSIP.Grammar');
  // What JsSIP is known to parse for transfers and subscriptions is among what the scan found.
  for (const r of ['Replaces', 'Refer_To', 'Event', 'Subscription_State', 'Session_Expires', 'Status_Line']) assert.ok(used.has(r), r);
  assert.deepEqual([...used].filter((r) => !kept.has(r)).sort(), [], 'rules JsSIP parses that build/jssip-trims cuts');
});

test('grammar: the trimmed parser gives what the original gives on every kept rule', () => {
  const original = require('./Grammar');
  const load = (code) => {
    const mod = { exports: {} };
    new Function('module', 'exports', 'require', code)(mod, mod.exports, require);
    return mod.exports;
  };
  const trimmed = load(trimGrammar(readFileSync(path.join(LIB, 'Grammar.js'), 'utf8')));
  const samples = {
    SIP_URI: ['sip:alice@voice.test;transport=ws', 'sip:bad uri'],
    Via: ['SIP/2.0/WSS abc.invalid;branch=z9hG4bK776;rport', 'nonsense'],
    Contact: ['<sip:a@b.invalid;transport=ws>;expires=600, "Bob" <sip:bob@x>'],
    From: ['"Alice" <sip:alice@voice.test>;tag=1928'],
    CSeq: ['4711 INVITE'],
    Refer_To: ['<sip:carol@voice.test?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>'],
    Replaces: ['abc@h;to-tag=1;from-tag=2;early-only'],
    Event: ['refer;id=93809824'],
    Subscription_State: ['terminated;reason=noresource'],
    Session_Expires: ['90;refresher=uac'],
    Status_Line: ['SIP/2.0 200 OK', 'SIP/2.0 6x'],
    WWW_Authenticate: ['Digest realm="voice.test", nonce="abc", qop="auth", algorithm=MD5'],
    Request_Response: ['INVITE sip:bob@voice.test SIP/2.0', 'SIP/2.0 180 Ringing'],
  };
  for (const [rule, inputs] of Object.entries(samples)) {
    for (const input of inputs) assert.deepEqual(trimmed.parse(input, rule), original.parse(input, rule), `${rule}: ${input}`);
  }
  assert.throws(() => trimmed.parse('x', 'Allow_Events'), /Invalid rule name/);
});

test('Message/Subscriber/Notifier: required only by UA.js, reached only through APIs and listeners we never use', () => {
  const names = STUBBED_MODULES.map((s) => s.replace('./', ''));
  for (const { file, m } of grep(jssipSources, /require\('([^']+)'\)/g)) {
    const target = path.basename(m[1]);
    if (names.includes(target)) assert.ok(file === 'UA.js' && STUBBED_MODULES.includes(m[1]), `${file} requires ${m[1]}`);
  }
  const ua = readFileSync(path.join(LIB, 'UA.js'), 'utf8');
  // Without a listener, an incoming MESSAGE or SUBSCRIBE is answered 405 before either module is reached.
  assert.match(ua, /method === JsSIP_C\.MESSAGE\) \{\s*if \(this\.listeners\('newMessage'\)\.length === 0\) \{\s*request\.reply\(405\);\s*return;/);
  assert.match(ua, /method === JsSIP_C\.SUBSCRIBE\) \{\s*if \(this\.listeners\('newSubscribe'\)\.length === 0\) \{\s*request\.reply\(405\);\s*return;/);
  assert.deepEqual(
    grep(ourSources, /\b(sendMessage|subscribe|notify)\(|'(newMessage|newSubscribe)'/g).map(({ file, m }) => `${file}: ${m[0]}`),
    [],
    'our code uses what the stub leaves out',
  );
});

test('events: every EventEmitter method JsSIP or our core calls is one the small EventEmitter has, with the same behaviour', () => {
  const Small = createRequire(import.meta.url)(REPLACED_PACKAGES.events).EventEmitter;
  const nodeMethods = Object.getOwnPropertyNames(NodeEventEmitter.prototype).filter((n) => n !== 'constructor');
  const calledJssip = new Set(grep(jssipSources, /\.(\w+)\(/g).map(({ m }) => m[1]));
  const calledOurs = new Set(
    grep(
      ourSources.filter((s) => s.file.startsWith(`src${path.sep}core`)),
      /\b(?:ua|session|this\.ua|s)\??\.(\w+)\(/g,
    ).map(({ m }) => m[1]),
  );
  const missing = nodeMethods.filter((n) => (calledJssip.has(n) || calledOurs.has(n)) && typeof Small.prototype[n] !== 'function');
  assert.deepEqual(missing, [], 'EventEmitter methods used but not in build/jssip-trims/events.cjs');
  for (const Emitter of [NodeEventEmitter, Small]) {
    const e = new Emitter();
    const seen = [];
    const a = (x) => seen.push(`a${x}`);
    const b = (x) => {
      seen.push(`b${x}`);
      e.removeListener('x', a); // removing during emit does not skip this emit's listeners
    };
    e.on('x', b);
    e.on('x', a);
    e.once('x', (x) => seen.push(`once${x}`));
    assert.equal(e.listeners('x').length, 3);
    assert.equal(e.emit('x', 1), true);
    e.emit('x', 2);
    const c = () => seen.push('c');
    e.once('y', c);
    e.removeListener('y', c); // a once listener is removed by the function given
    assert.equal(e.emit('y'), false);
    assert.deepEqual(seen, ['b1', 'a1', 'once1', 'b2'], Emitter.name);
    assert.throws(() => e.emit('error', new Error('boom')), /boom/);
  }
});

test('debug: JsSIP uses only what the small debug has; localStorage.debug is honoured at load', () => {
  const load = () => {
    const req = createRequire(import.meta.url);
    delete req.cache[REPLACED_PACKAGES.debug];
    return req(REPLACED_PACKAGES.debug);
  };
  const used = new Set(grep(jssipSources, /\bdebug\.(\w+)/g).map(({ m }) => m[1]));
  for (const { code } of jssipSources.filter((s) => /require\('debug'\)/.test(s.code))) {
    // Logger.js: debug.default(ns) with .log reassigned; JsSIP.js: the module itself, exported as JsSIP.debug.
    assert.match(code, /require\('debug'\)(\('JsSIP'\))?[;,]/);
  }
  const saved = globalThis.localStorage;
  const store = new Map([['debug', 'JsSIP:*,-JsSIP:Transport']]);
  globalThis.localStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v), removeItem: (k) => store.delete(k) };
  try {
    const debug = load();
    assert.deepEqual(
      [...used].filter((n) => !(n in debug) && n !== 'log'),
      [],
      'debug API JsSIP uses',
    );
    for (const n of ['enable', 'disable', 'default']) assert.equal(typeof debug[n], 'function', `JsSIP.debug.${n}`);
    const lines = [];
    const ua = debug.default('JsSIP:UA');
    ua.log = (...a) => lines.push(a.join(' '));
    const transport = debug('JsSIP:Transport');
    transport.log = (...a) => lines.push(a.join(' '));
    ua('connecting %s', 'now');
    transport('hidden');
    assert.deepEqual(lines, ['JsSIP:UA connecting %s now']);
    debug.disable();
    ua('off');
    assert.equal(store.has('debug'), false);
    debug.enable('JsSIP:*');
    transport('on');
    assert.deepEqual(lines.slice(1), ['JsSIP:Transport on']);
    assert.equal(store.get('debug'), 'JsSIP:*');
  } finally {
    globalThis.localStorage = saved;
  }
});

// A browser offer (audio + video, bundle) as Chrome writes it, and a plain one without direction lines.
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS stream',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 0 8 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122260223 192.0.2.1 53421 typ host generation 0',
  'a=ice-ufrag:EsAw',
  'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=sendrecv',
  'a=msid:stream track',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:1001 cname:abc',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=recvonly',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');
const PLAIN = [
  'v=0',
  'o=- 1 1 IN IP4 198.51.100.1',
  's=-',
  'c=IN IP4 198.51.100.1',
  't=0 0',
  'a=sendonly',
  'm=audio 4000 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\n');

test('sdp-transform: JsSIP uses parse/write and media type/direction only; the shim agrees with sdp-transform on them', () => {
  const real = require('sdp-transform');
  const shim = createRequire(import.meta.url)(REPLACED_PACKAGES['sdp-transform']);
  assert.deepEqual([...new Set(grep(jssipSources, /sdp_transform\.(\w+)/g).map(({ m }) => m[1]))].sort(), ['parse', 'write']);
  // What JsSIP reads from a parsed SDP (the `sdp` of parseSDP/_mangleOffer and the `m` of its media loops).
  const rtc = readFileSync(path.join(LIB, 'RTCSession.js'), 'utf8');
  assert.deepEqual([...new Set([...rtc.matchAll(/\bsdp\.(\w+)/g)].map((m) => m[1]))].sort(), ['direction', 'media']);
  assert.deepEqual([...new Set([...rtc.matchAll(/\bm\.(\w+)/g)].map((m) => m[1]))].sort(), ['direction', 'type']);
  assert.doesNotMatch(readFileSync(path.join(LIB, 'SIPMessage.js'), 'utf8'), /this\.sdp\.\w/, 'SIPMessage reads into the parsed SDP');
  const pick = (s) => ({ direction: s.direction, media: s.media.map((m) => ({ type: m.type, direction: m.direction })) });
  for (const sdp of [OFFER, PLAIN, '', 'not an sdp body', 'v=0\r\nm=\r\n']) {
    assert.deepEqual(pick(shim.parse(sdp)), pick(real.parse(sdp)), JSON.stringify(sdp.slice(0, 20)));
  }
  // _mangleOffer: set directions, write; the result parses as sdp-transform's own output does.
  for (const sdp of [OFFER, PLAIN]) {
    for (const dir of ['sendonly', 'inactive', 'recvonly']) {
      const [a, b] = [shim.parse(sdp), real.parse(sdp)];
      for (const s of [a, b]) for (const m of s.media) m.direction = m.type === 'audio' ? dir : m.direction;
      const out = shim.write(a);
      assert.deepEqual(real.parse(out), real.parse(real.write(b)), dir);
      assert.equal(
        out
          .split('\r\n')
          .filter((l) => !/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))
          .join('\n'),
        sdp
          .split(/\r?\n/)
          .filter((l) => l && !/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))
          .concat('')
          .join('\n'),
      );
    }
  }
});

test('debug-level logs: only logger.debug statements whose arguments cannot act are removed; warn and error logs stay', () => {
  // The rule itself: a call with an argument that acts stays, and an unbraced if keeps its shape.
  const sample = dropDebugLogs(
    "if (a) logger.debug(`x ${this.id.toString()}`);\nb();\nlogger.debug('y', f());\nlogger.debug('t', x.y.toString(z()));\nlogger.warn('z');\n",
  );
  assert.equal(sample.code, "if (a) ;\nb();\nlogger.debug('y', f());\nlogger.debug('t', x.y.toString(z()));\nlogger.warn('z');\n");
  assert.deepEqual([sample.removed, sample.kept], [1, 2]);
  let removed = 0;
  for (const { file, code } of jssipSources) {
    const out = dropDebugLogs(code);
    removed += out.removed;
    const count = (text, re) => (text.match(re) ?? []).length;
    assert.equal(count(out.code, /logger\.(warn|error)\(/g), count(code, /logger\.(warn|error)\(/g), `${file}: warn/error logs kept`);
    assert.equal(count(out.code, /logger\.debug\(/g), out.kept, `${file}: only the debug calls with acting arguments stay`);
    // What is left still parses (the removed statements became empty ones).
    assert.doesNotThrow(() => dropDebugLogs(out.code), `${file} still parses`);
  }
  // JsSIP 3.13 has 193 debug calls; far fewer would mean the pattern no longer matches its logger.
  assert.ok(removed > 150, `${removed} debug calls removed`);
});

test('reason phrases: every status code JsSIP or our code writes keeps its phrase; others get an empty one', () => {
  const constants = readFileSync(path.join(LIB, 'Constants.js'), 'utf8');
  const codes = statusCodesInSource();
  const trimmed = trimReasonPhrases(constants, codes);
  const table = (code) =>
    Object.fromEntries([...(/REASON_PHRASE: \{([^}]*)\}/.exec(code)?.[1] ?? '').matchAll(/(\d{3}): '([^']*)'/g)].map((m) => [m[1], m[2]]));
  const before = table(constants);
  const after = table(trimmed);
  for (const code of codes) if (before[code]) assert.equal(after[code], before[code], `${code} keeps its phrase`);
  // sanityCheck.js writes the phrase with no `|| ''`: each code it replies with must have one.
  const sanity = readFileSync(path.join(LIB, 'sanityCheck.js'), 'utf8');
  for (const [, code] of sanity.matchAll(/reply(?:_sl)?\([^,)]*?(\d{3})/g)) assert.ok(after[code], `sanityCheck's ${code} has a phrase`);
  // Every other use falls back to an empty phrase.
  const uses = jssipSources.flatMap(({ file, code }) => [...code.matchAll(/REASON_PHRASE\[\w+\]([^;\n]*)/g)].map((m) => ({ file, rest: m[1] })));
  for (const { file, rest } of uses) if (file !== 'sanityCheck.js') assert.match(rest, /^ \|\| ''/, `${file} falls back to ''`);
  assert.ok(Object.keys(after).length < Object.keys(before).length);
});
