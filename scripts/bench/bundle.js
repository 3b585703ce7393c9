// Bundle size of dist/voice-widget.min.js and who it belongs to.
//
// Method (both use the script-tag build's own rollup options, plugins and
// terser settings, read from rollup.config.mjs):
//   1. Externalisation (the numbers the budgets use): the same build again
//      with JsSIP left out (an external), with Lit left out, and with both
//      left out. JsSIP's share = full − without JsSIP; Lit's share = full −
//      without Lit; our own code = the build with both left out (our src/,
//      tslib's decorator helpers, rollup's glue and the licence header).
//      Each measured minified and gzipped, so gzip shares are real gzip
//      numbers (they do not add up exactly: gzip finds repeats across parts).
//   2. Source map (a cross-check): the full build with a source map; every
//      byte of minified output is attributed to the package of the source it
//      maps to; gzip per part = the gzip of that part's bytes on their own.
// 1 KB = 1024 bytes. gzip = zlib level 9 (what `gzip -9 -n` writes).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';

import { chunkTable } from '../../build/lazy-chunks.mjs';

const gz = (s) => gzipSync(Buffer.isBuffer(s) ? s : Buffer.from(s), { level: 9 }).length;
const size = (s) => ({ min: Buffer.byteLength(s), gzip: gz(s) });

const JSSIP = /^jssip(\/|$)/;
const LIT = /^(lit|lit-html|lit-element)(\/|$)|^@lit\//;

/** Which part of the bundle a source file of the source map belongs to. */
export function partOf(source) {
  const s = source.replace(/\\/g, '/');
  if (/node_modules\/(jssip|debug|ms|events|sdp-transform)\//.test(s) || /(^|\/)build\/jssip-trims\//.test(s)) return 'jssip';
  if (/node_modules\/(lit|lit-html|lit-element|@lit\/[^/]+)\//.test(s)) return 'lit';
  if (/(^|\/)src\//.test(s) || /node_modules\/tslib\//.test(s)) return 'own';
  return 'other';
}

let generation = 0;
/** The script-tag build's rollup options, with fresh plugin instances each time. */
async function minConfig(root) {
  const url = `${pathToFileURL(path.join(root, 'rollup.config.mjs')).href}?bench=${++generation}`;
  const configs = (await import(url)).default;
  const cfg = configs.find((c) => !Array.isArray(c.output) && /voice-widget\.min\.js$/.test(c.output?.file ?? ''));
  if (!cfg) throw new Error('rollup.config.mjs has no build writing dist/voice-widget.min.js');
  return cfg;
}

/** The lazy chunks of the script-tag build (src/shared/lazy-chunks.ts), each with its own size, from `dir` (dist/). */
export async function measureChunks(dir) {
  return Promise.all(
    chunkTable().map(async ({ name }) => ({
      name,
      file: `dist/voice-widget-${name}.js`,
      ...size(await readFile(path.join(dir, `voice-widget-${name}.js`), 'utf8')),
    })),
  );
}

/** Our own code's size: the script-tag build with JsSIP and Lit external (what the budget counts). */
export async function measureOwn(root) {
  return size((await build(root, { external: [JSSIP, LIT] })).code);
}

async function build(root, { external = [], sourcemap = false, notices = true } = {}) {
  const cfg = await minConfig(root);
  const plugins = cfg.plugins.filter((p) => p && p.name !== 'popup-page' && (notices || p.name !== 'third-party-notices'));
  const bundle = await rollup({
    input: cfg.input,
    plugins,
    external: (id) => external.some((re) => re.test(id)),
    onwarn() {},
  });
  try {
    let n = 0;
    const names = new Map();
    const { output } = await bundle.generate({
      ...cfg.output,
      sourcemap,
      globals: (id) => {
        if (!names.has(id)) names.set(id, `__external${n++}`);
        return names.get(id);
      },
    });
    const chunk = output.find((o) => o.type === 'chunk');
    return { code: chunk.code.replace(/\/\/# sourceMappingURL=\S*\s*$/, ''), map: chunk.map };
  } finally {
    await bundle.close();
  }
}

// ── source maps ─────────────────────────────────────────────────────────────

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
/** Decodes a source map's `mappings` into per-line arrays of [genCol, src, line, col]. */
export function decodeMappings(mappings) {
  const lines = [];
  let src = 0;
  let sLine = 0;
  let sCol = 0;
  for (const lineText of mappings.split(';')) {
    const segs = [];
    let gCol = 0;
    if (lineText) {
      for (const segText of lineText.split(',')) {
        const vals = [];
        let value = 0;
        let shift = 0;
        for (const ch of segText) {
          const d = B64.get(ch);
          value += (d & 31) << shift;
          if (d & 32) shift += 5;
          else {
            vals.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        gCol += vals[0];
        if (vals.length >= 4) {
          src += vals[1];
          sLine += vals[2];
          sCol += vals[3];
          segs.push([gCol, src, sLine, sCol]);
        } else segs.push([gCol, -1, 0, 0]);
      }
    }
    segs.sort((a, b) => a[0] - b[0]);
    lines.push(segs);
  }
  return lines;
}

/**
 * A resolver from positions in dist/voice-widget.min.js (1-based line,
 * 1-based column, as in stack traces) to the original source file and line.
 */
export function makeResolver(map, lineOffset) {
  const lines = decodeMappings(map.mappings);
  return (line, col) => {
    const segs = lines[line - 1 - lineOffset];
    if (!segs || segs.length === 0) return null;
    let lo = 0;
    let hi = segs.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid][0] <= col - 1) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0 || segs[best][1] < 0) return null;
    const source = map.sources[segs[best][1]].replace(/^(\.\.\/)+/, '');
    return { source, line: segs[best][2] + 1 };
  };
}

function attribute(code, map) {
  const lines = decodeMappings(map.mappings);
  const textLines = code.split('\n');
  const parts = { own: [], jssip: [], lit: [], other: [], unmapped: [] };
  textLines.forEach((text, i) => {
    const segs = lines[i] ?? [];
    let pos = 0;
    const take = (end, part) => {
      if (end > pos) parts[part].push(text.slice(pos, end));
      pos = Math.max(pos, end);
    };
    segs.forEach((seg, k) => {
      take(seg[0], 'unmapped'); // anything before the first segment
      const end = k + 1 < segs.length ? segs[k + 1][0] : text.length;
      take(end, seg[1] < 0 ? 'unmapped' : partOf(map.sources[seg[1]]));
    });
    take(text.length, 'unmapped');
    if (i < textLines.length - 1) parts.unmapped.push('\n');
  });
  const out = {};
  for (const [k, v] of Object.entries(parts)) out[k] = size(v.join(''));
  return out;
}

/**
 * @param {string} root the repository root
 * @returns the sizes, shares and a source resolver for dist/voice-widget.min.js
 */
export async function measureBundle(root, log = () => {}, file = path.join(root, 'dist/voice-widget.min.js')) {
  const dist = await readFile(file, 'utf8');
  const total = size(dist);

  log('bundle: the full build with a source map');
  const mapped = await build(root, { sourcemap: true, notices: false });
  // dist = licence header (added after terser) + this code.
  const matchesDist = dist.endsWith(mapped.code);
  const header = matchesDist ? dist.slice(0, dist.length - mapped.code.length) : '';
  const headerLines = header.split('\n').length - 1;
  const sourceMap = attribute(mapped.code, mapped.map);
  sourceMap.header = size(header);
  const resolve = matchesDist ? makeResolver(mapped.map, headerLines) : () => null;
  const sourceMapOfDist = matchesDist ? { map: { sources: mapped.map.sources, mappings: mapped.map.mappings }, headerLines } : null;

  log('bundle: without JsSIP');
  const noJssip = size((await build(root, { external: [JSSIP] })).code);
  log('bundle: without Lit');
  const noLit = size((await build(root, { external: [LIT] })).code);
  log('bundle: our own code only');
  const own = await measureOwn(root);

  const chunks = await measureChunks(path.dirname(file));
  const share = (without) => ({ min: total.min - without.min, gzip: total.gzip - without.gzip });
  const jssip = share(noJssip);
  const lit = share(noLit);
  return {
    file: 'dist/voice-widget.min.js',
    kb: 1024,
    total,
    own,
    jssip,
    lit,
    chunks,
    residual: { min: total.min - own.min - jssip.min - lit.min, gzip: total.gzip - own.gzip - jssip.gzip - lit.gzip },
    builds: { withoutJssip: noJssip, withoutLit: noLit, ownOnly: own },
    sourceMap: { matchesDist, parts: sourceMap },
    resolve,
    sourceMapOfDist,
  };
}

// Run as a child process by scripts/bench.js (so the builds overlap the
// benchmark's waiting phases without blocking its event loop):
//   node scripts/bench/bundle.js <out.json> [<copy of dist/voice-widget.min.js>]
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  process.chdir(root);
  const { resolve, ...data } = await measureBundle(root, (m) => process.stderr.write(`${m}\n`), process.argv[3]);
  await writeFile(process.argv[2], JSON.stringify(data));
}
