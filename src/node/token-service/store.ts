/**
 * The token service's persistent store: one JSON file, rewritten atomically.
 *
 * No database and no native addon: the whole store is small (one record per
 * live token) and every write replaces the file with write-temp, fsync,
 * rename, so a crash leaves either the old file or the new one, never half
 * of each. Writes run one at a time; readers see only committed state.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CreateRequest } from './validate.js';
import { TOKEN_ID } from '../../shared/token-claims.js';

/** A token record as the API shows it: never the token, nor its hash. */
export interface TokenRecord extends CreateRequest {
  uuid: string;
  created_at: string;
  expires_at: string;
}

/** One record as it is kept on disk. The token itself is never stored, only its SHA-256. */
export interface StoredToken extends TokenRecord {
  token_sha256: string;
  /** Set by DELETE; the record stays (as the deny-list entry) until it expires. */
  revoked_at?: string;
}

export class TokenStoreError extends Error {
  override name = 'TokenStoreError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const FORMAT = 'voice-widget-token-store';
const VERSION = 1;
const SHA256_HEX = /^[0-9a-f]{64}$/;

// Two stores on one file in one process would overwrite each other's writes
// (and could bring a revoked token back), so that is refused outright.
const openPaths = new Set<string>();

export class TokenStore {
  #records: ReadonlyMap<string, StoredToken>;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(
    readonly path: string,
    records: Map<string, StoredToken>,
    private readonly now: () => number,
  ) {
    this.#records = records;
  }

  /**
   * Loads the store, or starts empty when the file does not exist yet (it is
   * created on the first write). A file that cannot be parsed is an error:
   * wiping it would silently un-revoke tokens.
   */
  static async open(path: string, now: () => number): Promise<TokenStore> {
    const file = resolve(path);
    if (openPaths.has(file)) throw new TokenStoreError(`token store ${file} is already open in this process`, file);
    openPaths.add(file);
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      let text: string | undefined;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new TokenStoreError(`cannot read token store ${file}: ${(e as Error).message}`, file);
        }
      }
      const records = text === undefined ? new Map<string, StoredToken>() : parseStore(text, file);
      return new TokenStore(file, withoutExpired(records, now()), now);
    } catch (e) {
      openPaths.delete(file);
      throw e;
    }
  }

  /** A record in any state (active, revoked, or expired but not yet pruned). */
  get(uuid: string): StoredToken | undefined {
    return this.#records.get(uuid);
  }

  /** The record when it is neither expired nor revoked. */
  active(uuid: string): StoredToken | undefined {
    const record = this.#records.get(uuid);
    return record && isActive(record, this.now()) ? record : undefined;
  }

  /** Active records, oldest first. */
  list(): StoredToken[] {
    const now = this.now();
    return [...this.#records.values()].filter((r) => isActive(r, now));
  }

  /** Revoked and not yet expired: on the deny-list. */
  isRevoked(uuid: string): boolean {
    const record = this.#records.get(uuid);
    return record?.revoked_at !== undefined && Date.parse(record.expires_at) > this.now();
  }

  /** The deny-list: revoked records not yet expired. */
  revoked(): StoredToken[] {
    const now = this.now();
    return [...this.#records.values()].filter((r) => r.revoked_at !== undefined && Date.parse(r.expires_at) > now);
  }

  /**
   * Runs `change` on a copy of the records, writes the copy, and only then
   * makes it current. If `change` throws or the write fails, nothing changes
   * (in memory or on disk). Calls run strictly one after another.
   */
  mutate<T>(change: (draft: Map<string, StoredToken>) => T): Promise<T> {
    const run = this.#queue.then(async () => {
      if (this.#closed) throw new TokenStoreError(`token store ${this.path} is closed`, this.path);
      const draft = withoutExpired(this.#records, this.now());
      const result = change(draft);
      await this.#write(draft);
      this.#records = draft;
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for queued writes, then refuses further ones. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    openPaths.delete(this.path);
  }

  async #write(records: ReadonlyMap<string, StoredToken>): Promise<void> {
    const data = JSON.stringify({ format: FORMAT, version: VERSION, tokens: [...records.values()] }, null, 2) + '\n';
    // One fixed temp name is enough: writes are serialized, and a leftover
    // from a crash is simply overwritten.
    const tmp = `${this.path}.tmp`;
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.chmod(0o600); // in case a leftover temp file had other permissions
        await fh.writeFile(data, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await syncDirectory(dirname(this.path));
  }
}

function isActive(record: StoredToken, now: number): boolean {
  return record.revoked_at === undefined && Date.parse(record.expires_at) > now;
}

/** Expired records carry no information any more: the token fails `verifyToken` on its own. */
function withoutExpired(records: ReadonlyMap<string, StoredToken>, now: number): Map<string, StoredToken> {
  const kept = new Map<string, StoredToken>();
  for (const [uuid, record] of records) if (Date.parse(record.expires_at) > now) kept.set(uuid, record);
  return kept;
}

// Makes the rename itself durable. Not every platform can fsync a directory;
// there the rename is still atomic, only possibly not yet on disk.
async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

function parseStore(text: string, file: string): Map<string, StoredToken> {
  const corrupt = (detail: string): TokenStoreError =>
    new TokenStoreError(
      `token store ${file} is corrupt (${detail}); it was left untouched: restore it from a backup, or move it away to start with an empty store`,
      file,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw corrupt(`not JSON: ${(e as Error).message}`);
  }
  if (!isObject(data) || data.format !== FORMAT) throw corrupt(`not a ${FORMAT} file`);
  if (data.version !== VERSION) throw corrupt(`unsupported version ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.tokens)) throw corrupt('"tokens" is not an array');
  const records = new Map<string, StoredToken>();
  data.tokens.forEach((r: unknown, i: number) => {
    const problem = recordProblem(r);
    if (problem) throw corrupt(`record ${i}: ${problem}`);
    const record = r as StoredToken;
    if (records.has(record.uuid)) throw corrupt(`record ${i}: duplicate uuid ${record.uuid}`);
    records.set(record.uuid, record);
  });
  return records;
}

function recordProblem(r: unknown): string | undefined {
  if (!isObject(r)) return 'not an object';
  if (typeof r.uuid !== 'string' || !TOKEN_ID.test(r.uuid)) return 'bad uuid';
  if (typeof r.token_sha256 !== 'string' || !SHA256_HEX.test(r.token_sha256)) return 'bad token_sha256';
  if (typeof r.sip_user !== 'string' || typeof r.name !== 'string') return 'bad sip_user or name';
  if (typeof r.ttl !== 'number' || !Number.isInteger(r.ttl)) return 'bad ttl';
  if (!('payload' in r)) return 'no payload';
  if (!isStringArray(r.caller_ids) || !isStringArray(r.allowed_domains)) return 'bad caller_ids or allowed_domains';
  if (!isTime(r.created_at) || !isTime(r.expires_at)) return 'bad created_at or expires_at';
  if (r.revoked_at !== undefined && !isTime(r.revoked_at)) return 'bad revoked_at';
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isTime(v: unknown): boolean {
  return typeof v === 'string' && Number.isFinite(Date.parse(v));
}
