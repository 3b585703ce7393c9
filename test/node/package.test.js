// The npm package as its users get it: entry points, types, the custom
// elements manifest, tree-shaking, and the tarball's contents. Run after `npm run build`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { light, THEME_VARIABLES } from '../../dist/element/palettes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json'));

/** Every file under `dir` (repo-relative), recursively. */
const walk = (dir) =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));

/** [subpath, condition, target] for each `exports` target. */
function exportTargets() {
  return Object.entries(pkg.exports).flatMap(([subpath, value]) =>
    typeof value === 'string' ? [[subpath, 'default', value]] : Object.entries(value).map(([condition, target]) => [subpath, condition, target]),
  );
}

/** The files a target names (a `*` pattern names every file it matches). */
function filesOf(target) {
  const rel = target.replace(/^\.\//, '');
  if (!rel.includes('*')) return existsSync(path.join(ROOT, rel)) ? [rel] : [];
  const [prefix, suffix] = rel.split('*');
  return walk(prefix.endsWith('/') ? prefix.slice(0, -1) : path.dirname(prefix)).filter((f) => f.startsWith(prefix) && f.endsWith(suffix));
}

test('every exports target, and every types file, exists after the build', () => {
  for (const [subpath, condition, target] of exportTargets()) {
    assert.ok(filesOf(target).length > 0, `exports["${subpath}"].${condition}: ${target} is missing`);
  }
  for (const field of ['main', 'module', 'types', 'customElements']) assert.ok(filesOf(pkg[field]).length === 1, `${field}: ${pkg[field]}`);
  for (const target of Object.values(pkg.bin)) assert.ok(filesOf(target).length === 1, `bin: ${target}`);
  for (const [from, [to]] of Object.entries(pkg.typesVersions['*'])) assert.ok(filesOf(to).length === 1, `typesVersions ${from}: ${to}`);
});

test('every JavaScript entry point has types, listed first so TypeScript finds them', () => {
  for (const [subpath, value] of Object.entries(pkg.exports)) {
    const target = typeof value === 'string' ? value : value.default;
    if (!target.endsWith('.js')) continue;
    assert.equal(typeof value, 'object', `exports["${subpath}"] has no types`);
    assert.equal(Object.keys(value)[0], 'types', `exports["${subpath}"]: types must come first`);
    assert.match(value.types, /\.d\.ts$/);
  }
});

test("TypeScript resolves the entry points' types (moduleResolution bundler, node16, node10)", async () => {
  // A consumer project with this package installed (a link, as npm link makes).
  const dir = mkdtempSync(path.join(tmpdir(), 'voice-widget-types-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'voice-widget'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), '{"type": "module"}');
    writeFileSync(
      path.join(dir, 'consumer.ts'),
      [
        "import { VoiceWidget, type VoiceWidgetEventMap } from 'voice-widget';",
        "import { mintToken } from 'voice-widget/server';",
        "import 'voice-widget/voice-widget.min.js';",
        "const phone: VoiceWidget = document.createElement('voice-widget');",
        "const ended: VoiceWidgetEventMap['call-ended'] | null = null;",
        "const token: string = mintToken({ secret: 's'.repeat(32), user: 'alice', domain: 'example.com' });",
        'export { phone, ended, token };',
        '',
      ].join('\n'),
    );
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const common = [
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--target',
      'es2022',
      '--lib',
      'es2022,dom',
      '--types',
      'node',
      '--typeRoots',
      path.join(ROOT, 'node_modules/@types'),
      'consumer.ts',
    ];
    for (const [module, resolution] of [
      ['esnext', 'bundler'],
      ['node16', 'node16'],
      ['commonjs', 'node10'],
    ]) {
      await run(process.execPath, [tsc, '--module', module, '--moduleResolution', resolution, ...common], { cwd: dir }).catch((e) => {
        assert.fail(`moduleResolution ${resolution}:\n${e.stdout}${e.stderr}`);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('custom-elements.json documents <voice-widget>: tag, events, parts, theme variables, attributes', () => {
  const manifest = JSON.parse(read(pkg.customElements));
  const decls = manifest.modules.flatMap((m) => m.declarations ?? []);
  const el = decls.find((d) => d.tagName === 'voice-widget');
  assert.ok(el, 'no declaration with tagName voice-widget');
  assert.ok(el.summary && el.description, 'summary and description');
  assert.deepEqual(el.superclass, { name: 'LitElement', package: 'lit' });

  // Events: every key of VoiceWidgetEventMap and every phone event the element re-fires.
  const eventMap = read('src/events.ts').match(/interface VoiceWidgetEventMap \{([\s\S]*?)\n\}/)[1];
  const mapEvents = [...eventMap.matchAll(/^\s*'?([a-z-]+)'?: CustomEvent/gm)].map((m) => m[1]);
  const phoneEvents = [
    ...read('src/event-names.ts')
      .match(/PHONE_EVENTS[^=]*= \[([\s\S]*?)\]/)[1]
      .matchAll(/'([a-z-]+)'/g),
  ].map((m) => m[1]);
  assert.ok(mapEvents.length >= 20 && phoneEvents.length >= 15, 'the event lists were not found in the source');
  const documented = new Map(el.events.map((e) => [e.name, e]));
  for (const name of new Set([...mapEvents, ...phoneEvents])) {
    assert.ok(documented.get(name)?.description, `event ${name}: no @fires with a description`);
  }

  // Parts: every part the element's template and its views (all in its shadow root) name, with a description.
  const views = readdirSync(path.join(ROOT, 'src/element/views')).map((f) => `views/${f}`);
  const source = ['voice-widget.ts', 'transfer-request-view.ts', ...views].map((f) => read(`src/element/${f}`)).join('\n');
  const parts = new Set([
    // A part attribute may name several parts (`part="switch dnd-switch"`).
    ...[...source.matchAll(/\bpart="([a-z -]+)"/g)].flatMap((m) => m[1].split(' ').filter(Boolean)),
    ...[...source.matchAll(/\btab\('[a-z]+', '([a-z-]+)'/g)].map((m) => m[1]),
    ...[...source.matchAll(/\bexportparts="([a-z-]+)"/g)].map((m) => m[1]),
    // A button that swaps its part with its action (`part=${merged ? 'split-button' : 'merge-button'}`).
    ...[...source.matchAll(/\bpart=\$\{[^}?]+\?\s*'([a-z-]+)'\s*:\s*'([a-z-]+)'\s*\}/g)].flatMap((m) => [m[1], m[2]]),
    // A settings switch (views/switch.ts) has the part `switch` and its own name.
    ...[...source.matchAll(/\brenderSwitch\(\{\s*name: '([a-z-]+)'/g)].flatMap((m) => ['switch', m[1]]),
  ]);
  assert.ok(parts.size >= 30, `only ${parts.size} parts found in the template`);
  const cssParts = new Map(el.cssParts.map((p) => [p.name, p]));
  for (const part of parts) assert.ok(cssParts.get(part)?.description, `part ${part}: no @csspart`);
  for (const part of cssParts.keys()) assert.ok(parts.has(part), `@csspart ${part} is not in the template`);

  // Theme variables: the 42, defaulting to the light palette, and the panel's size.
  const props = new Map(el.cssProperties.map((p) => [p.name, p]));
  assert.deepEqual([...props.keys()].sort(), ['--widget-height', '--widget-width', ...THEME_VARIABLES.map((v) => `--${v}`)].sort());
  for (const v of THEME_VARIABLES) {
    assert.ok(props.get(`--${v}`).description, `--${v}: no description`);
    assert.equal(props.get(`--${v}`).default, light[v], `--${v}: default`);
  }
  assert.equal(props.get('--widget-width').default, '264px');
  assert.equal(props.get('--widget-height').default, '460px');

  // Attributes: each reactive property with an attribute, described.
  const attributes = new Map(el.attributes.map((a) => [a.name, a]));
  const declared = [...source.matchAll(/@property\(\{[^}]*attribute: '([a-z-]+)'/g)].map((m) => m[1]);
  for (const name of [...declared, 'token', 'mode', 'theme', 'lang']) {
    assert.ok(attributes.get(name)?.description, `attribute ${name}: no description`);
  }
  for (const a of attributes.values()) assert.ok(a.fieldName, `attribute ${a.name} has no property`);

  // Paths name shipped JavaScript, and define.js says what it registers.
  for (const m of manifest.modules) assert.ok(m.path.startsWith('dist/') && existsSync(path.join(ROOT, m.path)), `module path ${m.path}`);
  const define = manifest.modules.find((m) => m.path === 'dist/define.js');
  assert.deepEqual(define.exports, [
    { kind: 'custom-element-definition', name: 'voice-widget', declaration: { name: 'VoiceWidget', module: 'dist/element/voice-widget.js' } },
  ]);
});

test('the shipped code imports only dependencies and Node built-ins', () => {
  const allowed = new Set(Object.keys(pkg.dependencies));
  const files = [...walk('dist').filter((f) => f.endsWith('.js') && !f.endsWith('.min.js')), ...walk('bin')];
  const missing = [];
  for (const file of files) {
    const code = read(file);
    for (const [, spec] of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"./][^'"]*)['"]/g)) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (spec.startsWith('node:') || builtinModules.includes(name) || allowed.has(name)) continue;
      missing.push(`${file}: ${spec}`);
    }
  }
  assert.deepEqual(missing, [], 'imports of packages that are not dependencies');
  // The script-tag build is self-contained.
  assert.doesNotMatch(read('dist/voice-widget.min.js'), /^\s*import\s|\bimport\s*\(\s*['"]/m);
});

test('the source maps carry their sources (src/ is not shipped)', () => {
  const maps = walk('dist').filter((f) => f.endsWith('.map'));
  assert.ok(maps.length > 10);
  for (const file of maps) {
    const map = JSON.parse(read(file));
    assert.equal(map.sourcesContent?.length, map.sources.length, `${file}: sourcesContent`);
    assert.ok(
      map.sourcesContent.every((s) => typeof s === 'string' && s.length > 0),
      `${file}: a source is missing`,
    );
  }
});

/** The tarball's file list, from npm itself (scripts off: the build already ran). */
async function packList() {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [info] = JSON.parse(stdout);
  return info;
}

/** Shipped files, by name. */
const EXACT = [
  'LICENSE',
  'README.md',
  'package.json',
  'bin/voice-widget.js',
  'kamailio/kamailio.cfg',
  'kamailio/phone-network.cfg',
  'kamailio/cluster.cfg',
  'themes/dark.css',
  'themes/light.css',
  'dist/custom-elements.json',
  'dist/voice-widget.min.js',
  'dist/voice-widget-popup.html',
];
/** And the compiled modules: JavaScript, its source map and its types. */
const MODULES = /^dist\/(?:[a-z-]+\/)*[\w-]+(?:\.[a-z]+)?\.(?:js|js\.map|d\.ts)$/;

test('npm pack ships exactly what users need, licences included', async (t) => {
  const info = await packList();
  const files = info.files.map((f) => f.path).sort();
  for (const file of EXACT) assert.ok(files.includes(file), `${file} is not in the package`);
  const unexpected = files.filter((f) => !EXACT.includes(f) && !MODULES.test(f));
  assert.deepEqual(unexpected, [], 'files in the package that no rule allows');
  // Nothing of the repository's own: sources, tests, the demo, local state, secrets.
  for (const f of files) {
    assert.doesNotMatch(f, /^(src|test|demo|docs|scripts|\.tmp|\.voice-widget|node_modules|screenshots)\//, f);
    assert.doesNotMatch(f, /(^|\/)(secrets|tokens)\.json$|\.(test|spec)\.|\.(pem|key|crt|env|log|tgz)$/, f);
  }
  assert.deepEqual(
    files.filter((f) => f.startsWith('kamailio/')),
    ['kamailio/cluster.cfg', 'kamailio/kamailio.cfg', 'kamailio/phone-network.cfg'],
    'Kamailio runtime state',
  );
  // Every file an entry point names is in the tarball.
  const named = [...exportTargets().map(([, , target]) => target), ...Object.values(pkg.bin), pkg.main, pkg.types, pkg.customElements];
  for (const target of named) for (const file of filesOf(target)) assert.ok(files.includes(file), `${file} (named by package.json) is not packed`);
  // The TypeScript sources of the maps are inside them, not beside them.
  assert.ok(!files.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
  // Licences: ours, and the notices of the third-party code bundled into the script-tag build.
  assert.match(read('LICENSE'), /MIT License/);
  const notice = read('dist/voice-widget.min.js').slice(0, 2000);
  for (const name of ['jssip@', 'lit-html@', '@lit/reactive-element@', 'lit-element@']) assert.ok(notice.includes(name), `no licence notice for ${name}`);
  t.diagnostic(`${info.entryCount} files, ${(info.size / 1024).toFixed(0)} KiB packed, ${(info.unpackedSize / 1024).toFixed(0)} KiB unpacked`);
});

/** Bundles `code` as an app would (rollup, node-resolve, tree-shaking on) against this package, runs it, and returns what it printed. */
async function bundleAndRun(code) {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: commonjs } = await import('@rollup/plugin-commonjs');
  const { default: json } = await import('@rollup/plugin-json');
  const dir = mkdtempSync(path.join(tmpdir(), 'voice-widget-bundle-'));
  try {
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'voice-widget'), 'dir');
    writeFileSync(path.join(dir, 'app.js'), code);
    // The `node` condition picks Lit's Node build (with its registry shim), so the bundle runs here.
    const bundle = await rollup({
      input: path.join(dir, 'app.js'),
      // JsSIP is CommonJS: an app's bundler converts it, as this does.
      plugins: [nodeResolve({ exportConditions: ['node'], preferBuiltins: true }), commonjs(), json()],
      onwarn: () => {},
    });
    await bundle.write({ file: path.join(dir, 'out.mjs'), format: 'es', inlineDynamicImports: true });
    await bundle.close();
    const { stdout } = await run(process.execPath, [path.join(dir, 'out.mjs')], { cwd: dir });
    return { stdout: stdout.trim(), output: readFileSync(path.join(dir, 'out.mjs'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const REPORT = "console.log(customElements.get('voice-widget')?.name ?? 'not defined');";

test("sideEffects keeps the registration: a tree-shaken `import 'voice-widget'` defines <voice-widget>", async () => {
  const { stdout, output } = await bundleAndRun(`import 'voice-widget';\n${REPORT}\n`);
  assert.equal(stdout, 'VoiceWidget');
  assert.match(output, /customElements\.define\(/);
});

test('sideEffects keeps the registration: a tree-shaken `import { VoiceWidget }` defines <voice-widget> too', async () => {
  const { stdout } = await bundleAndRun(`import { VoiceWidget } from 'voice-widget';\n${REPORT}\nconsole.error(VoiceWidget.name);\n`);
  assert.equal(stdout, 'VoiceWidget');
});

test('sideEffects lists the theme stylesheets, so bundlers keep `import "voice-widget/themes/dark.css"`', () => {
  assert.ok(pkg.sideEffects.includes('./themes/*.css'));
  for (const entry of pkg.sideEffects) assert.ok(filesOf(entry).length > 0, `sideEffects entry ${entry} matches no file`);
});
