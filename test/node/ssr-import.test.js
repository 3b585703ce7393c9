// Server-side rendering frameworks import the npm build in Node, where there is
// no DOM. Importing it must neither throw nor reach for the browser: each
// browser global gets a recording getter, in a child `node` with no DOM shim
// of ours, and then the package is imported. Run after `npm run build`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const BROWSER_GLOBALS = [
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'history',
  'screen',
  'top',
  'parent',
  'frames',
  'opener',
  'customElements',
  'HTMLElement',
  'Element',
  'Node',
  'ShadowRoot',
  'DocumentFragment',
  'HTMLTemplateElement',
  'CSSStyleSheet',
  'MutationObserver',
  'ResizeObserver',
  'IntersectionObserver',
  'getComputedStyle',
  'matchMedia',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'caches',
  'Notification',
  'alert',
  'open',
  'close',
  'postMessage',
  'RTCPeerConnection',
  'RTCSessionDescription',
  'MediaStream',
  'AudioContext',
  'webkitAudioContext',
  'Audio',
  'Image',
  'XMLHttpRequest',
  'WebSocket',
  'BroadcastChannel',
];

// Runs in the child. A getter records who read the global (the first stack
// frame outside this script) and returns what was there; a setter records
// and stores, so Lit's own Node shim behaves as it does without the traps.
// With `noRegistry`, writes to `customElements` are dropped: a server with no
// registry at all.
const CHILD = `
const [entry, names, noRegistry] = JSON.parse(process.argv[1]);
const accesses = [];
const caller = () => {
  const frame = new Error().stack.split('\\n').slice(3).find((l) => !l.includes('[eval') && !l.includes('node:internal'));
  return (frame ?? '').match(/(file:\\/\\/[^\\s)]+?):\\d+:\\d+/)?.[1] ?? (frame ?? '').trim();
};
for (const name of names) {
  const own = Object.getOwnPropertyDescriptor(globalThis, name);
  let value = own ? (own.get ? own.get.call(globalThis) : own.value) : undefined;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() { accesses.push({ name, kind: 'read', by: caller() }); return value; },
    set(v) { accesses.push({ name, kind: 'write', by: caller() }); if (!(noRegistry && name === 'customElements')) value = v; },
  });
}
let error = null;
let exports = [];
try {
  exports = Object.keys(await import(entry));
} catch (e) {
  error = String(e?.stack ?? e);
}
process.stdout.write(JSON.stringify({ error, exports, accesses }));
`;

async function importWithTraps(entry, { noRegistry = false } = {}) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', CHILD, JSON.stringify([pathToFileURL(ROOT + entry).href, BROWSER_GLOBALS, noRegistry])],
    { cwd: ROOT },
  );
  return JSON.parse(stdout);
}

const repoFile = (url) => (url.startsWith(pathToFileURL(ROOT).href) ? fileURLToPath(url).slice(ROOT.length) : url);
/** Lit's Node build (the `node` export condition) installs @lit-labs/ssr-dom-shim: its reads are Lit's, by design. */
const LIT = /^node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element|@lit-labs\/ssr-dom-shim)\//;

function classify(accesses) {
  const ours = [];
  const lit = [];
  const others = [];
  for (const a of accesses) {
    const file = repoFile(a.by);
    const entry = `${a.kind} ${a.name} by ${file}`;
    if (file.startsWith('dist/')) ours.push(entry);
    else if (LIT.test(file)) lit.push(entry);
    else others.push(entry);
  }
  const unique = (list) => [...new Set(list)];
  return { ours: unique(ours), lit: unique(lit), others: unique(others) };
}

test('importing the npm build in Node (SSR) succeeds and our modules touch no browser global', async (t) => {
  const result = await importWithTraps('dist/index.js');
  assert.equal(result.error, null, 'the import threw');
  assert.ok(result.exports.includes('VoiceWidget'), `exports: ${result.exports}`);
  const { ours, lit, others } = classify(result.accesses);
  // The one read of ours: define.js asks for a registry before registering (Lit's Node shim provides one).
  assert.deepEqual(ours, ['read customElements by dist/define.js'], 'our modules read or wrote a browser global');
  // JsSIP and every other dependency load without touching the browser: nothing to load lazily.
  assert.deepEqual(others, [], 'a dependency other than Lit touched a browser global');
  t.diagnostic(`Lit's own Node shim: ${[...new Set(lit.map((l) => l.replace(/ by .*/, '')))].join(', ')}`);
});

test('importing the npm build where there is no custom element registry at all does not throw', async () => {
  const result = await importWithTraps('dist/index.js', { noRegistry: true });
  assert.equal(result.error, null, 'the import threw');
  assert.ok(result.exports.includes('VoiceWidget'));
  const { ours, others } = classify(result.accesses);
  assert.deepEqual(ours, ['read customElements by dist/define.js']);
  assert.deepEqual(others, []);
});

test('the server entry imports in Node without touching a browser global', async () => {
  const result = await importWithTraps('dist/node/index.js');
  assert.equal(result.error, null, 'the import threw');
  assert.ok(result.exports.includes('mintToken'), `exports: ${result.exports}`);
  assert.deepEqual(result.accesses, []);
});
