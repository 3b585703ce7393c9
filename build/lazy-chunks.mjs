// Lazy chunks of the script-tag build. Rollup cannot split an IIFE, and a module
// script from a third-party CDN needs CORS; so each entry of the one chunk table,
// src/shared/lazy-chunks.ts (`name: () => import('…')`), is built as its own
// classic script, dist/voice-widget-<name>.js, which leaves its exports in the
// chunk registry (src/shared/chunk-registry.ts), and the main file's table is
// rewritten to load it with a plain <script> (src/shared/classic-chunk.ts).
// The npm build leaves the table as it is: ordinary dynamic imports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const TABLE = fileURLToPath(new URL('../src/shared/lazy-chunks.ts', import.meta.url));
const ENTRY = /'?([\w-]+)'?: \(\) => import\('([^']+)'\)/g;

/** The chunk table: [{ name, file }] with `file` the module's absolute path (TypeScript source). */
export function chunkTable() {
  const rows = [...readFileSync(TABLE, 'utf8').matchAll(ENTRY)].map(([, name, rel]) => ({
    name,
    file: fileURLToPath(new URL(rel.replace(/\.js$/, '.ts'), new URL(`file://${TABLE}`))),
  }));
  if (rows.length === 0) throw new Error('build/lazy-chunks: no chunks found in src/shared/lazy-chunks.ts');
  return rows;
}

/** Main build: the table's dynamic imports become classic-script loads. */
export function classicChunkLoads() {
  const names = chunkTable().map((c) => c.name);
  return {
    name: 'classic-chunk-loads',
    transform(code, id) {
      if (!/[\\/]src[\\/]shared[\\/](lazy-chunks|classic-chunk)\.ts$/.test(id)) return null;
      let out = code.replace(/__VOICE_WIDGET_CHUNKS__/g, JSON.stringify(names));
      if (id.endsWith('lazy-chunks.ts')) {
        let n = 0;
        out = `import { loadClassicChunk } from './classic-chunk.js';\n${out.replace(ENTRY, (_, name) => (n++, `'${name}': () => loadClassicChunk('${name}')`))}`;
        if (n !== names.length) throw new Error('build/lazy-chunks: the chunk table did not rewrite cleanly');
      }
      return { code: out, map: null };
    },
  };
}

/** A chunk's build: its module, registered under its name. */
export function chunkEntry({ name, file }) {
  const id = `\0voice-widget-chunk:${name}`;
  const registry = fileURLToPath(new URL('../src/shared/chunk-registry.ts', import.meta.url));
  return {
    name: 'chunk-entry',
    resolveId: (source) => (source === id ? id : null),
    load: (source) =>
      source === id
        ? `import * as chunk from ${JSON.stringify(file)};\nimport { registerChunk } from ${JSON.stringify(registry)};\nregisterChunk('${name}', chunk);\n`
        : null,
  };
}

export const chunkInput = (name) => `\0voice-widget-chunk:${name}`;

/**
 * A chunk's TypeScript, transpiled file by file (tsconfig's options, no type
 * check): the main build's TypeScript plugin has type-checked the same files,
 * and a second full program per chunk would double the build time.
 */
export function transpileTs() {
  const { config } = ts.readConfigFile(fileURLToPath(new URL('../tsconfig.json', import.meta.url)), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, fileURLToPath(new URL('..', import.meta.url)));
  const compilerOptions = { ...options, module: ts.ModuleKind.ESNext, sourceMap: false, declaration: false, declarationMap: false, noEmit: false };
  return {
    name: 'transpile-ts',
    resolveId(source, importer) {
      // `./x.js` in TypeScript source names `./x.ts`.
      if (importer && /\.ts$/.test(importer) && /^\.\.?\/.*\.js$/.test(source))
        return fileURLToPath(new URL(source.replace(/\.js$/, '.ts'), `file://${importer}`));
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      return { code: ts.transpileModule(code, { compilerOptions, fileName: id }).outputText, map: null };
    },
  };
}
