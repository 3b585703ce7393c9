// The size budgets of npm run bench (scripts/bench/budgets.js), checked on the
// built dist/ in every test run, so a change cannot grow the script-tag file
// unnoticed: each size ≤ its ceiling (SIZE_CEILINGS: the budget once met, until
// then the size reached). Timings stay in the bench.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { BUDGETS, SIZE_CEILINGS, sizeBudgetText } from '../../scripts/bench/budgets.js';
import { measureChunks, measureOwn } from '../../scripts/bench/bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const gz = (file) => gzipSync(readFileSync(new URL(file, `file://${ROOT}`)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB gz`;

test(`dist/voice-widget.min.js is ${sizeBudgetText(SIZE_CEILINGS.bundleTotalGzip)} (budget ${sizeBudgetText(BUDGETS.bundleTotalGzip)})`, (t) => {
  const total = gz('dist/voice-widget.min.js');
  t.diagnostic(`dist/voice-widget.min.js: ${kb(total)}`);
  assert.ok(total <= SIZE_CEILINGS.bundleTotalGzip, `${kb(total)}, over ${sizeBudgetText(SIZE_CEILINGS.bundleTotalGzip)}`);
});

test(`our own code in it (JsSIP and Lit left out) is ${sizeBudgetText(SIZE_CEILINGS.bundleOwnGzip)} (budget ${sizeBudgetText(BUDGETS.bundleOwnGzip)})`, async (t) => {
  const own = await measureOwn(ROOT);
  t.diagnostic(`own code: ${kb(own.gzip)}`);
  assert.ok(own.gzip <= SIZE_CEILINGS.bundleOwnGzip, `${kb(own.gzip)}, over ${sizeBudgetText(SIZE_CEILINGS.bundleOwnGzip)}`);
});

test('each lazy chunk is listed with its own size', async (t) => {
  const chunks = await measureChunks(new URL('dist/', `file://${ROOT}`).pathname);
  assert.ok(chunks.length > 0);
  for (const c of chunks) t.diagnostic(`${c.file}: ${kb(c.gzip)}`);
});
