// Lazy chunks of the script-tag build. Rollup cannot split an IIFE, and a module
// script from a third-party CDN needs CORS; so each entry of the one chunk table,
// src/shared/lazy-chunks.ts (`name: () => import('…')`), is built as its own
// classic script, dist/voice-widget-<name>.js, which leaves its exports in the
// chunk registry (src/shared/chunk-registry.ts), and the main file's table is
// rewritten to load it with a plain <script> (src/shared/classic-chunk.ts).
// The npm build leaves the table as it is: ordinary dynamic imports.
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

const SHARED_FROM = fileURLToPath(new URL('../src/element/views/lazy-views.ts', import.meta.url));
const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const SHARED_PREFIX = '\0voice-widget-shared:';

/**
 * The modules the main file lends its chunks, each with the names it lends:
 * `registerChunk('shared', { key: { a, b }, … })` in src/element/views/lazy-views.ts.
 */
export function sharedModules() {
  const block = /registerChunk\('shared', \{([\s\S]*?)\n\}\);/.exec(readFileSync(SHARED_FROM, 'utf8'));
  if (!block) throw new Error("build/lazy-chunks: no registerChunk('shared', …) in src/element/views/lazy-views.ts");
  return new Map(
    [...block[1].matchAll(/^\s+'?([\w@/.-]+?)'?: \{([^}]*)\}/gm)].map((m) => [
      m[1],
      new Set(
        m[2]
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    ]),
  );
}

/**
 * A chunk's build: an import of a module the main file lends (Lit, our view
 * base class, …) reads it from the main file (through the chunk registry)
 * instead of bundling a copy. Importing a name the main file does not lend
 * fails the build (add the name to the lent list in lazy-views.ts).
 */
export function sharedImports() {
  const lent = sharedModules();
  const registry = fileURLToPath(new URL('../src/shared/chunk-registry.ts', import.meta.url));
  /** The lent module `source` names, if any. */
  const keyOf = (source, importer) => {
    if (lent.has(source)) return source;
    if (!importer || importer.startsWith('\0') || !/^\.\.?\//.test(source)) return null;
    const file = fileURLToPath(new URL(source.replace(/\.js$/, '.ts'), `file://${importer}`));
    const key = file.startsWith(SRC) ? path.basename(file, '.ts') : null;
    return key && lent.has(key) ? key : null;
  };
  return {
    name: 'shared-imports',
    resolveId(source, importer) {
      const key = keyOf(source, importer);
      return key ? SHARED_PREFIX + key : null;
    },
    moduleParsed({ id, ast }) {
      for (const node of ast?.body ?? []) {
        const key = node.type === 'ImportDeclaration' ? keyOf(node.source.value, id) : null;
        for (const spec of key ? node.specifiers : []) {
          const name = spec.type === 'ImportSpecifier' ? spec.imported.name : '*';
          if (!lent.get(key).has(name))
            this.error(
              `${path.relative(SRC, id)} imports ${name} from ${key}, which the main file does not lend: add it to registerChunk('shared', …) in src/element/views/lazy-views.ts`,
            );
        }
      }
    },
    load(id) {
      if (!id.startsWith(SHARED_PREFIX)) return null;
      const key = id.slice(SHARED_PREFIX.length);
      return {
        code: `import { registeredChunk } from ${JSON.stringify(registry)};\nexport const __shared = registeredChunk('shared')[${JSON.stringify(key)}];\n`,
        syntheticNamedExports: '__shared',
      };
    },
  };
}
