/**
 * The token service's persistent store: one JSON file, rewritten atomically,
 * plus the deny-list's own small file (revocations.ts).
 *
 * No database and no native addon: the whole store is small (one record per
 * live token, compact JSON, capped by StoreLimits) and every write replaces
 * the file with write-temp, fsync, rename, so a crash leaves either the old
 * file or the new one, never half of each. Writes run one at a time; readers
 * see only committed state.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { readRevocations, revocationsPath, serializeRevocations, type Revocation } from './revocations.js';
import { TokenStoreFullError, type StoreLimits } from './store-limits.js';
import type { RecordStore } from './record-store.js';
import type { CreateRequest } from './validate.js';
import { isRecord } from '../../shared/plain-data.js';
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

export class TokenStore implements RecordStore {
  #records: ReadonlyMap<string, StoredToken>;
  #revoked: ReadonlyMap<string, Revocation>;
  /** Size of the store file as last written or read. */
  #bytes: number;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly revokedPath: string;

  private constructor(
    readonly path: string,
    state: { records: Map<string, StoredToken>; revoked: Map<string, Revocation>; bytes: number },
    private readonly limits: StoreLimits,
    private readonly now: () => number,
  ) {
    this.#records = state.records;
    this.#revoked = state.revoked;
    this.#bytes = state.bytes;
    this.revokedPath = revocationsPath(path);
  }

  /**
   * Loads the store, or starts empty when the file does not exist yet (it is
   * created on the first write), and applies the deny-list file over it. A
   * file that cannot be parsed is an error: wiping it would silently
   * un-revoke tokens.
   */
  static async open(path: string, now: () => number, limits: StoreLimits): Promise<TokenStore> {
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
      const revoked = await readRevocations(revocationsPath(file), (detail) => corruptError(file, detail));
      const t = now();
      for (const entry of revoked.values()) {
        const record = records.get(entry.uuid);
        if (record && record.revoked_at === undefined) records.set(entry.uuid, revokedRecord(record, entry.revoked_at));
      }
      const state = { records: withoutExpired(records, t), revoked: withoutExpired(revoked, t), bytes: Buffer.byteLength(text ?? '') };
      return new TokenStore(file, state, limits, now);
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
    const entry = this.#revoked.get(uuid) ?? this.#records.get(uuid);
    return entry?.revoked_at !== undefined && Date.parse(entry.expires_at) > this.now();
  }

  /** The deny-list: revocations not yet expired, from the revocation file (written first, so never behind the store). */
  revoked(): Revocation[] {
    const now = this.now();
    return [...this.#revoked.values()].filter((r) => Date.parse(r.expires_at) > now);
  }

  /**
   * Runs `change` on a copy of the records, writes the copy, and only then
   * makes it current. If `change` throws, the result would take the store past
   * its limits (TokenStoreFullError), or the write fails, nothing changes (in
   * memory or on disk). Calls run strictly one after another.
   */
  mutate<T>(change: (draft: Map<string, StoredToken>) => T): Promise<T> {
    return this.#enqueue(async () => {
      const draft = withoutExpired(this.#records, this.now());
      const result = change(draft);
      const data = serializeStore(draft);
      this.#checkLimits(draft.size, Buffer.byteLength(data));
      await this.#write(data);
      this.#records = draft;
      return result;
    });
  }

  create(record: StoredToken): Promise<void> {
    return this.mutate((draft) => {
      if (draft.has(record.uuid)) throw new Error('token id collision');
      draft.set(record.uuid, record);
    });
  }

  setPayload(uuid: string, payload: unknown): Promise<StoredToken | undefined> {
    return this.mutate((draft) => {
      const record = draft.get(uuid);
      // The draft holds no expired records, so this leaves revoked ones.
      if (!record || record.revoked_at !== undefined) return undefined;
      const next = { ...record, payload };
      draft.set(uuid, next);
      return next;
    });
  }

  /** One file has one writer: no other process revokes. */
  onRemoteRevoke(): void {}

  /**
   * Revokes an active token; false when there is none with that id. Never
   * refused for the store's size: the deny-list file is written first, and
   * once it is on disk the revocation holds, even if rewriting the store
   * (which drops the record's payload) then fails.
   */
  revoke(uuid: string): Promise<boolean> {
    return this.#enqueue(async () => {
      const now = this.now();
      const record = this.#records.get(uuid);
      if (!record || !isActive(record, now)) return false;
      const revoked_at = new Date(now).toISOString();
      const revoked = withoutExpired(this.#revoked, now);
      revoked.set(uuid, { uuid, revoked_at, expires_at: record.expires_at });
      await writeFileAtomic(this.revokedPath, serializeRevocations(revoked));
      this.#revoked = revoked;
      const draft = withoutExpired(this.#records, now);
      draft.set(uuid, revokedRecord(record, revoked_at));
      this.#records = draft;
      try {
        await this.#write(serializeStore(draft));
      } catch (e) {
        // The next successful write catches the store file up.
        process.emitWarning(
          `token store ${this.path}: revocation of ${uuid} is saved in ${this.revokedPath}, but the store file could not be rewritten: ${(e as Error).message}`,
          'TokenServiceWarning',
        );
      }
      return true;
    });
  }

  /** Waits for queued writes, then refuses further ones. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue;
    this.#closed = true;
    openPaths.delete(this.path);
  }

  #enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new TokenStoreError(`token store ${this.path} is closed`, this.path);
      return job();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  // A change that shrinks the store is always allowed, so lowering a limit
  // below the current size cannot block payload cuts.
  #checkLimits(records: number, bytes: number): void {
    const { maxRecords, maxBytes } = this.limits;
    if (records > maxRecords && records > this.#records.size) {
      throw new TokenStoreFullError(
        `the token store is full (${maxRecords} records, revoked ones included until they expire); revoke tokens, wait for some to expire, or raise maxRecords`,
      );
    }
    if (bytes > maxBytes && bytes > this.#bytes) {
      throw new TokenStoreFullError(
        `the token store would grow to ${bytes} bytes, past its limit of ${maxBytes}; revoke tokens, shorten payloads, wait for some to expire, or raise maxBytes`,
      );
    }
  }

  async #write(data: string): Promise<void> {
    await writeFileAtomic(this.path, data);
    this.#bytes = Buffer.byteLength(data);
  }
}

/** Compact: the payload limit is measured on compact JSON, so the file is what was measured. */
function serializeStore(records: ReadonlyMap<string, StoredToken>): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, tokens: [...records.values()] }) + '\n';
}

/** A revoked record keeps no payload: nothing shows it any more, and dropping it frees room. */
function revokedRecord(record: StoredToken, revoked_at: string): StoredToken {
  return { ...record, payload: null, revoked_at };
}

function isActive(record: StoredToken, now: number): boolean {
  return record.revoked_at === undefined && Date.parse(record.expires_at) > now;
}

/** Expired entries carry no information any more: the token fails `verifyToken` on its own. */
function withoutExpired<T extends { expires_at: string }>(entries: ReadonlyMap<string, T>, now: number): Map<string, T> {
  const kept = new Map<string, T>();
  for (const [uuid, entry] of entries) if (Date.parse(entry.expires_at) > now) kept.set(uuid, entry);
  return kept;
}

function corruptError(file: string, detail: string): TokenStoreError {
  return new TokenStoreError(
    `token store ${file} is corrupt (${detail}); it was left untouched: restore it from a backup, or move it away to start with an empty store`,
    file,
  );
}

function parseStore(text: string, file: string): Map<string, StoredToken> {
  const corrupt = (detail: string): TokenStoreError => corruptError(file, detail);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw corrupt(`not JSON: ${(e as Error).message}`);
  }
  if (!isRecord(data) || data.format !== FORMAT) throw corrupt(`not a ${FORMAT} file`);
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
  if (!isRecord(r)) return 'not an object';
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

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isTime(v: unknown): boolean {
  return typeof v === 'string' && Number.isFinite(Date.parse(v));
}
