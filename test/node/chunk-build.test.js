// The script-tag build's own steps for size (build/lazy-chunks.mjs, scripts/rollup-minify-css.mjs):
// a chunk that imports a name the main file does not lend fails its build, and
// Lit templates lose their indentation only in their static text.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { rollup } from 'rollup';

import { sharedImports, sharedModules, transpileTs } from '../../build/lazy-chunks.mjs';
import { minifyHtml, minifyHtmlTemplates } from '../../scripts/rollup-minify-css.mjs';

async function buildOne(source, plugins) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vw-chunk-'));
  const file = path.join(dir, 'entry.ts');
  writeFileSync(file, source);
  try {
    const bundle = await rollup({ input: file, plugins, onwarn() {} });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    return output[0].code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the main file lends Lit and the view base class to its chunks', () => {
  const lent = sharedModules();
  assert.ok(lent.get('lit').has('html'));
  assert.ok(lent.get('view-element').has('ViewElement'));
});

test('a chunk importing a lent name reads it from the main file; a name not lent fails the build, naming it', async () => {
  const ok = await buildOne("import { html } from 'lit';\nexport const t = () => html`<b></b>`;\n", [sharedImports(), transpileTs()]);
  assert.match(ok, /registeredChunk\('shared'\)\["lit"\]/);
  await assert.rejects(
    buildOne("import { LitElement } from 'lit';\nexport class X extends LitElement {}\n", [sharedImports(), transpileTs()]),
    /imports LitElement from lit, which the main file does not lend/,
  );
});

test('html templates lose the indentation of their static text; expressions and other strings stay', async () => {
  assert.equal(minifyHtml('\n      <button\n        part="x"\n      >\n        '), ' <button part="x" > ');
  const code = await buildOne(
    'const html = (s: TemplateStringsArray, ...v: unknown[]) => [s, v];\nconst other = `a\n    b`;\nexport const t = html`<p>\n    ${`x\n    y`}\n  </p>`;\nexport { other };\n',
    [transpileTs(), minifyHtmlTemplates({ include: /entry\.ts$/ })],
  );
  assert.ok(code.includes('html `<p> ${`x\n    y`} </p>`') || code.includes('html`<p> ${`x\n    y`} </p>`'), code);
  assert.ok(code.includes('`a\n    b`'), 'a plain template keeps its text');
});
