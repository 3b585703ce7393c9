/**
 * Web Storage that may be missing: blocked by the browser's privacy settings,
 * a sandboxed frame (where touching `localStorage` itself throws), a full
 * quota, or no DOM at all (server rendering). Callers treat "no storage" as
 * "nothing remembered": a preference lasts for the page.
 */

export type StorageArea = 'local' | 'session';

/** The part of Web Storage used here (declared, so the node build, which has no DOM types, compiles this too). */
interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function area(which: StorageArea): KeyValueStore {
  // Reading the global is inside the callers' try: it throws where storage is denied, and is missing without a DOM.
  const scope = globalThis as unknown as { localStorage: KeyValueStore; sessionStorage: KeyValueStore };
  return which === 'local' ? scope.localStorage : scope.sessionStorage;
}

/** The stored value, or null when there is none or no storage. */
export function readStorage(which: StorageArea, key: string): string | null {
  try {
    return area(which).getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value` (null removes the key). False when there is no storage to write to. */
export function writeStorage(which: StorageArea, key: string, value: string | null): boolean {
  try {
    if (value === null) area(which).removeItem(key);
    else area(which).setItem(key, value);
    return true;
  } catch {
    return false;
  }
}
