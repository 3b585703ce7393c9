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
