// The documentation a newcomer navigates: every relative link and #anchor in
// README.md and docs/*.md resolves, and each public name of the element in
// dist/custom-elements.json is in the reference pages. Run after `npm run build`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');

/** The pages checked: the landing page and every page under docs/. */
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** Where the element's public names must appear. */
const REFERENCE = ['docs/reference.md', 'docs/theming.md'];

/** The page without fenced code blocks: links and headings there are examples. */
const withoutFences = (md) => md.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');

/**
 * The anchor GitHub gives a heading (github-slugger): the rendered text, lower
 * case, punctuation dropped (letters, digits, `_`, `-` and spaces stay), spaces
 * to hyphens; a repeated slug gets `-1`, `-2`, …
 */
function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a page offers: its headings' slugs and explicit `<a id|name>`s. */
function anchorsOf(md) {
  const seen = new Map();
  const anchors = new Set();
  for (const [, text] of withoutFences(md).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const [, id] of md.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** The link targets of a page, outside code: `](target)`, `[x]: target`, `href`/`src`. */
function linksOf(md) {
  const prose = withoutFences(md).replace(/`[^`\n]*`/g, 'code');
  return [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1]),
    ...[...prose.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]),
  ];
}

const anchorCache = new Map();
const anchorsOfFile = (file) => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(read(file)));
  return anchorCache.get(file);
};

test('every relative link and #anchor in README.md and docs/*.md resolves', () => {
  const broken = [];
  let checked = 0;
  for (const page of PAGES) {
    for (const link of linksOf(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) continue; // absolute URLs
      checked++;
      const [rawPath, anchor] = link.split('#');
      const target = rawPath ? path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURIComponent(rawPath))) : page;
      if (target.startsWith('..') || !existsSync(path.join(ROOT, target))) {
        broken.push(`${page}: ${link} (no file ${target})`);
        continue;
      }
      if (anchor === undefined || !target.endsWith('.md') || statSync(path.join(ROOT, target)).isDirectory()) continue;
      if (!anchorsOfFile(target).has(decodeURIComponent(anchor))) broken.push(`${page}: ${link} (no heading #${anchor} in ${target})`);
    }
  }
  assert.ok(checked > 50, `only ${checked} links found: the link pattern is broken`);
  assert.deepEqual(broken, [], 'broken links');
});

test('the slug rule is GitHub’s', () => {
  assert.equal(slug('The embedded server (development, one machine)'), 'the-embedded-server-development-one-machine');
  assert.equal(slug('Settings of `npm start`'), 'settings-of-npm-start');
  assert.equal(slug('Parts and custom properties'), 'parts-and-custom-properties');
  assert.equal(slug('Kamailio (production)'), 'kamailio-production');
  assert.equal(slug('Who’s calling: `call-received`'), 'whos-calling-call-received');
  assert.deepEqual([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n## A\n')], ['a', 'a-1', 'a-2']);
});

test('each public name in custom-elements.json is in the reference pages', () => {
  const manifest = JSON.parse(read('dist/custom-elements.json'));
  const el = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'voice-widget');
  assert.ok(el, 'no declaration with tagName voice-widget');
  const isPublic = (m) => !m.privacy && !m.static && !m.name.startsWith('_') && !m.name.startsWith('#');
  const names = [
    ...el.attributes.map((a) => ['attribute', a.name]),
    ...el.members.filter(isPublic).map((m) => [m.kind === 'method' ? 'method' : 'property', m.name]),
    // An event without a description is the analyzer reading a variable (`new CustomEvent(type)`), not a name.
    ...el.events.filter((e) => e.description).map((e) => ['event', e.name]),
    ...(el.cssParts ?? []).map((p) => ['part', p.name]),
    ...(el.cssProperties ?? []).map((p) => ['CSS custom property', p.name]),
  ];
  assert.ok(names.length > 150, `only ${names.length} names in the manifest`);
  const docs = REFERENCE.map(read).join('\n');
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Named as code: `name`, `name(…)`, `name="…"`.
  const missing = names.filter(([, name]) => !new RegExp(`\`${escape(name)}(?:[\`(=]|\\s*/)`).test(docs)).map(([kind, name]) => `${kind} ${name}`);
  assert.deepEqual(missing, [], `not in ${REFERENCE.join(' or ')}`);
});

/** Every TypeScript source under src/, as one text: a type is found by name wherever it lives. */
const SOURCES = (() => {
  const walk = (dir) =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
    );
  return walk('src').map(read).join('\n');
})();

/** The string literals of `type name = 'a' | 'b' …`. */
function unionOf(name) {
  const body = SOURCES.match(new RegExp(`\\btype ${name} =([^;]*);`))?.[1];
  assert.ok(body, `type ${name} not found under src/`);
  return [...body.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
}

/** The property names of `interface name`, those of what it extends included. */
function keysOf(name) {
  const m = SOURCES.match(new RegExp(`\\binterface ${name}(?: extends ([\\w, ]+))? \\{(\\}|[\\s\\S]*?^\\})`, 'm'));
  assert.ok(m, `interface ${name} not found under src/`);
  const own = [...m[2].matchAll(/^ {2}'?([\w-]+)'?(\??):/gm)].map((k) => k[1] + k[2]);
  const inherited = (m[1] ?? '').split(',').flatMap((base) => (base.trim() ? keysOf(base.trim()) : []));
  return [...inherited, ...own];
}

/** The top-level keys of a documented detail, `{id, from: {name, address}, callId?}`. */
function detailKeys(detail) {
  const keys = [];
  let depth = 0;
  let current = '';
  for (const ch of detail.slice(1, -1)) {
    if ('{[('.includes(ch)) depth++;
    if ('}])'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      keys.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) keys.push(current);
  return keys.map((k) => k.split(':')[0].trim());
}

test('the reference matches the types: event details, error codes, end causes, states', () => {
  const reference = read('docs/reference.md');
  const section = (title) => reference.split(/^## /m).find((s) => s.startsWith(`${title}\n`)) ?? assert.fail(`no section ${title}`);
  // The first column of a section's table, its header row left out.
  const firstCells = (md) => [...md.split(/^\|---.*$/m)[1].matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);

  // Each event of the element's event map: its row's detail has exactly the detail type's keys.
  const eventMap = SOURCES.match(/interface VoiceWidgetEventMap \{([\s\S]*?)\n\}/)[1];
  const types = new Map([...eventMap.matchAll(/^\s*'?([a-z-]+)'?: CustomEvent<(\w+)>/gm)].map((m) => [m[1], m[2]]));
  assert.ok(types.size >= 25, 'the event map was not found');
  const documented = new Map();
  for (const [, names, details] of section('Events').matchAll(/^\| (`[a-z-]+`(?: \/ `[a-z-]+`)*) \| (`\{.*?\}`(?: \/ `\{.*?\}`)*) \|/gm)) {
    const ns = [...names.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    const ds = [...details.matchAll(/`(\{.*?\})`(?= \/ |$)/g)].map((m) => m[1]);
    ns.forEach((n, i) => documented.set(n, detailKeys(ds.length === ns.length ? ds[i] : ds[0])));
  }
  const drift = [];
  for (const [event, type] of types) {
    if (!documented.has(event)) drift.push(`event ${event}: no row in Events`);
    else {
      // A documented key is in the type; a key the type requires is documented (an optional one may be left out
      // where the event never carries it, as `widget-load` never has a `callId`).
      const doc = documented.get(event).map((k) => k.replace(/\?$/, ''));
      const keys = keysOf(type);
      const names = keys.map((k) => k.replace(/\?$/, ''));
      for (const k of doc) if (!names.includes(k)) drift.push(`event ${event}: documents ${k}, not in ${type}`);
      for (const k of keys) if (!k.endsWith('?') && !doc.includes(k)) drift.push(`event ${event}: ${type}.${k} is not documented`);
    }
  }
  // Every code, cause and state in the union types has its row, and no row names one that is not.
  for (const [title, union] of [
    ['Error codes', [...unionOf('ErrorCode')]],
    ['End causes', unionOf('EndCause')],
    ['States', [...unionOf('PhoneState'), ...unionOf('CallState')]],
  ]) {
    const rows = firstCells(section(title));
    for (const v of union) if (!rows.includes(v)) drift.push(`${title}: ${v} has no row`);
    for (const v of rows) if (!union.includes(v)) drift.push(`${title}: ${v} is not in the code`);
  }
  for (const code of unionOf('WarningCode')) if (!section('Events').includes(`\`${code}\``)) drift.push(`warning ${code} is not documented`);
  assert.deepEqual(drift, []);
});
