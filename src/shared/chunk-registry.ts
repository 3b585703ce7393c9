/**
 * Where a classic-script chunk of the script-tag build leaves its exports for
 * the main file (a symbol on the global object: no global name to collide with).
 */
const KEY = Symbol.for('voice-widget.chunks');

type Registry = Record<string, unknown>;
const registry = (): Registry => ((globalThis as unknown as Record<symbol, Registry>)[KEY] ??= {});

export const registerChunk = (name: string, exports: unknown): void => {
  registry()[name] = exports;
};

export const registeredChunk = (name: string): unknown => registry()[name];
