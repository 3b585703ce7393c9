/**
 * Code a page may never use, loaded when first needed: the one table of lazy
 * chunks. The npm build keeps these as ordinary dynamic imports (an app's
 * bundler splits them as it likes). The script-tag build turns each entry into
 * its own classic script, dist/voice-widget-<name>.js, loaded from beside the
 * main file (build/lazy-chunks.mjs rewrites this table; src/shared/classic-chunk.ts loads them).
 */
export const CHUNKS = {
  es: () => import('../element/strings-es.js'),
};

export type ChunkName = keyof typeof CHUNKS;

/** The chunk's module, loaded once. */
export function loadChunk<K extends ChunkName>(name: K): ReturnType<(typeof CHUNKS)[K]> {
  return CHUNKS[name]() as ReturnType<(typeof CHUNKS)[K]>;
}
