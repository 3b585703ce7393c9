/**
 * The deny-list's own file, beside the store: `tokens.json` →
 * `tokens.revoked.json`. A revocation is written here first. The file holds
 * only ids and times (about 120 bytes a token, never a payload), so the write
 * succeeds however large the store has grown, and a store write that fails
 * afterwards loses no revocation: loading applies this file over the store.
 */
import { readFile } from 'node:fs/promises';
import { TOKEN_ID } from '../../shared/token-claims.js';

export interface Revocation {
  uuid: string;
  revoked_at: string;
  /** The token's own expiry: the entry is dropped after it. */
  expires_at: string;
}

const FORMAT = 'voice-widget-token-revocations';
const VERSION = 1;

export function revocationsPath(storePath: string): string {
  return `${storePath.replace(/\.json$/, '')}.revoked.json`;
}

export function serializeRevocations(entries: ReadonlyMap<string, Revocation>): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, revoked: [...entries.values()] }) + '\n';
}

/** Reads the file; empty when it does not exist. `corrupt` builds the error for a file that cannot be trusted. */
export async function readRevocations(path: string, corrupt: (detail: string) => Error): Promise<Map<string, Revocation>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw corrupt(`cannot read ${path}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw corrupt(`${path} is not JSON: ${(e as Error).message}`);
  }
  const d = data as { format?: unknown; version?: unknown; revoked?: unknown } | null;
  if (typeof d !== 'object' || d === null || d.format !== FORMAT || d.version !== VERSION || !Array.isArray(d.revoked)) {
    throw corrupt(`${path} is not a ${FORMAT} file`);
  }
  const entries = new Map<string, Revocation>();
  d.revoked.forEach((r: unknown, i: number) => {
    const e = r as Partial<Revocation> | null;
    if (typeof e !== 'object' || e === null || typeof e.uuid !== 'string' || !TOKEN_ID.test(e.uuid) || !isTime(e.revoked_at) || !isTime(e.expires_at)) {
      throw corrupt(`${path}: entry ${i} is not a revocation`);
    }
    entries.set(e.uuid, { uuid: e.uuid, revoked_at: e.revoked_at as string, expires_at: e.expires_at as string });
  });
  return entries;
}

function isTime(v: unknown): boolean {
  return typeof v === 'string' && Number.isFinite(Date.parse(v));
}
