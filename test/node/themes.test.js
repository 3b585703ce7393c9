// The shipped theme files and the palettes built into the element must agree:
// themes/light.css is the element's default look, themes/dark.css its theme="dark".
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { dark, light, THEME_VARIABLES } from '../../dist/element/palettes.js';

async function variables(file) {
  const text = await readFile(new URL(`../../themes/${file}`, import.meta.url), 'utf8');
  return Object.fromEntries([...text.matchAll(/--([a-z-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

test('the theme surface is the 42 Wavix variables', () => {
  assert.equal(THEME_VARIABLES.length, 42);
  assert.equal(new Set(THEME_VARIABLES).size, 42);
});

for (const [file, palette] of [
  ['light.css', light],
  ['dark.css', dark],
]) {
  test(`themes/${file} sets every variable, to the built-in palette's value`, async () => {
    assert.deepEqual(await variables(file), { ...palette });
  });
}
