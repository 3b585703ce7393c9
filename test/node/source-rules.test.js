// Rules checked over the source: postMessage always names its target origin; no unload listeners.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (/\.(ts|js|html)$/.test(entry.name)) yield full;
  }
}

test("no postMessage(…, '*') anywhere in src/", async () => {
  const offenders = [];
  let calls = 0;
  for await (const file of files(SRC)) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/postMessage\s*\(/g)) {
      calls++;
      // The call's argument list, up to its closing parenthesis at depth 0.
      let depth = 0;
      let end = m.index + m[0].length - 1;
      for (; end < text.length; end++) {
        if (text[end] === '(') depth++;
        else if (text[end] === ')' && --depth === 0) break;
      }
      const args = text.slice(m.index, end + 1);
      if (/,\s*['"`]\*['"`]\s*\)$/.test(args) || /targetOrigin\s*:\s*['"`]\*/.test(args)) offenders.push(`${path.relative(SRC, file)}: ${args}`);
    }
  }
  assert.ok(calls >= 2, `found the postMessage calls (${calls})`);
  assert.deepEqual(offenders, []);
});

// Multi-tab's leader asks before its tab closes, and only while a call is live there
// (issue 21): the listener comes and goes with the call, so an idle page keeps the cache.
const WHILE_A_CALL_IS_LIVE = new Set(['multi-tab/tab-link.ts']);

test('no unload or beforeunload listener in src/ (they spoil the back/forward cache; pagehide is used)', async () => {
  const offenders = [];
  for await (const file of files(SRC)) {
    if (WHILE_A_CALL_IS_LIVE.has(path.relative(SRC, file))) continue;
    const text = await readFile(file, 'utf8');
    if (/addEventListener\(\s*['"`](?:before)?unload['"`]|\.on(?:before)?unload\s*=/.test(text)) offenders.push(path.relative(SRC, file));
  }
  assert.deepEqual(offenders, []);
});
