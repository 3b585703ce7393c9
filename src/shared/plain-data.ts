/**
 * Bounded checks for data that crossed a trust boundary (postMessage, a
 * decoded token): plain objects only, and JSON-like values within limits,
 * walked once with a budget so a huge or deep value costs little before it
 * is refused. Browser-safe; the node code uses it too.
 */

/** Keys that could reach a prototype if the data were ever merged into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A plain object (not an array, not a class instance) with no own key that could reach a prototype. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return !Object.keys(value).some((k) => FORBIDDEN_KEYS.has(k));
}

export interface PlainDataLimits {
  /** Deepest nesting (the value itself is depth 0). */
  maxDepth: number;
  /** Most items in one array, or keys in one object. */
  maxItems: number;
  /** Characters in all strings and keys together. */
  maxChars: number;
  /** Characters in one string. */
  maxStringChars: number;
  /** Values visited in all (containers and leaves). */
  maxNodes: number;
}

export const DEFAULT_PLAIN_DATA_LIMITS: Readonly<PlainDataLimits> = Object.freeze({
  maxDepth: 8,
  maxItems: 256,
  maxChars: 65_536,
  maxStringChars: 65_536,
  maxNodes: 2_048,
});

/**
 * JSON-like data within `limits`: null, booleans, finite numbers, strings,
 * plain arrays and plain objects, with no key anywhere that could reach a
 * prototype.
 */
export function isPlainData(value: unknown, limits: Readonly<PlainDataLimits> = DEFAULT_PLAIN_DATA_LIMITS): boolean {
  let chars = limits.maxChars;
  let nodes = limits.maxNodes;
  const walk = (v: unknown, depth: number): boolean => {
    if (--nodes < 0 || depth > limits.maxDepth) return false;
    if (v === null || typeof v === 'boolean') return true;
    if (typeof v === 'number') return Number.isFinite(v);
    if (typeof v === 'string') return v.length <= limits.maxStringChars && (chars -= v.length) >= 0;
    if (Array.isArray(v)) {
      if (v.length > limits.maxItems || Object.getPrototypeOf(v) !== Array.prototype) return false;
      for (let i = 0; i < v.length; i++) if (!walk(v[i], depth + 1)) return false;
      return true;
    }
    if (!isRecord(v)) return false;
    const keys = Object.keys(v);
    if (keys.length > limits.maxItems) return false;
    for (const key of keys) if ((chars -= key.length) < 0 || !walk(v[key], depth + 1)) return false;
    return true;
  };
  return walk(value, 0);
}
