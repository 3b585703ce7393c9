// The JsSIP seam: the browser code reaches JsSIP only through src/core/jssip-adapter.ts.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const ADAPTER = 'core/jssip-adapter.ts';
/** The Node SIP server reuses JsSIP's message parser and grammar, and nothing else of it. */
const NODE_ALLOWED = new Set(['jssip/lib/Parser.js', 'jssip/lib/Grammar.js']);

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (/\.(ts|js)$/.test(entry.name)) yield full;
  }
}

async function sources() {
  const out = [];
  for await (const file of files(SRC)) out.push({ name: path.relative(SRC, file).split(path.sep).join('/'), text: await readFile(file, 'utf8') });
  return out;
}

/** Module names a file imports (static, dynamic, require, `declare module`). */
function jssipImports(text) {
  return [...text.matchAll(/(?:from|import\s*\(|require\s*\(|declare module)\s*['"](jssip[^'"]*)['"]/g)].map((m) => m[1]);
}

test('only src/core/jssip-adapter.ts imports jssip in the browser code; src/node only its parser and grammar', async () => {
  const offenders = [];
  let adapterImports = 0;
  for (const { name, text } of await sources()) {
    for (const mod of jssipImports(text)) {
      if (name === ADAPTER) adapterImports++;
      else if (!(name.startsWith('node/') && NODE_ALLOWED.has(mod))) offenders.push(`${name}: ${mod}`);
    }
  }
  assert.ok(adapterImports >= 1, 'the adapter imports jssip');
  assert.deepEqual(offenders, []);
});

test('no JsSIP private member (`._name`) and no `as unknown as` cast in src/core outside the adapter', async () => {
  const offenders = [];
  let adapterPrivates = 0;
  for (const { name, text } of await sources()) {
    if (name.startsWith('node/')) continue;
    const privates = [...text.matchAll(/\.(_[A-Za-z]\w*)/g)].map((m) => m[1]);
    if (name === ADAPTER) {
      adapterPrivates = privates.length;
      continue;
    }
    for (const p of privates) offenders.push(`${name}: .${p}`);
    if (name.startsWith('core/') && /\bas unknown as\b/.test(text)) offenders.push(`${name}: as unknown as`);
  }
  // The adapter does use them (_ws, _onClose, _sendReinvite, a URI's _headers…): the rule is not vacuous.
  assert.ok(adapterPrivates >= 4, `the adapter's private accesses (${adapterPrivates})`);
  assert.deepEqual(offenders, []);
});
