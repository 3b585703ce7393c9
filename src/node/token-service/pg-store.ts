/**
 * The token store on PostgreSQL (VOICE_WIDGET_DATABASE_URL): any number of
 * token-service processes share one database. Same guarantees as the file
 * store: only the token's SHA-256 is kept, revocation is never refused for
 * size, the caps (records, bytes of compact JSON) hold across all processes
 * (writes that could grow the store take one advisory lock).
 *
 * The deny-list is kept in memory for the synchronous SIP checks: loaded at
 * start, updated by NOTIFY on every revocation (from any process), and
 * reloaded every `refreshMs` and after the notification connection drops.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrate, WRITE_LOCK } from './pg-migrations.js';
import type { RecordStore } from './record-store.js';
import type { Revocation } from './revocations.js';
import { TokenStoreFullError, type StoreLimits } from './store-limits.js';
import { TokenStoreError, type StoredToken } from './store.js';

const CHANNEL = 'voice_widget_revoked';
const RECONNECT_MS = 1_000;

interface Row {
  record: string;
}

export class PgTokenStore implements RecordStore {
  readonly #pool: pg.Pool;
  readonly #id = randomUUID();
  #revoked = new Map<string, Revocation>();
  readonly #remote = new Set<(uuid: string) => void>();
  #listener: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    readonly path: string,
    private readonly url: string,
    private readonly limits: StoreLimits,
    private readonly now: () => number,
  ) {
    // A handful of connections per process: every request is one or two short statements.
    this.#pool = new pg.Pool({ connectionString: url, max: 4 });
    this.#pool.on('error', () => {}); // an idle connection lost: the pool replaces it
  }

  /** Connects, applies migrations, loads the deny-list and starts listening for revocations. */
  static async open(url: string, now: () => number, limits: StoreLimits, refreshMs = 30_000): Promise<PgTokenStore> {
    const store = new PgTokenStore(redact(url), url, limits, now);
    try {
      const client = await store.#pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      await store.#listen();
      await store.#reload();
    } catch (e) {
      await store.close();
      throw new TokenStoreError(`cannot open the token store on ${store.path}: ${(e as Error).message}`, store.path);
    }
    store.#timer = setInterval(() => void store.#reload().catch(() => {}), refreshMs);
    store.#timer.unref();
    return store;
  }

  async get(uuid: string): Promise<StoredToken | undefined> {
    const { rows } = await this.#query<Row>('SELECT record FROM voice_widget_tokens WHERE uuid = $1', [uuid]);
    return rows[0] && (JSON.parse(rows[0].record) as StoredToken);
  }

  async active(uuid: string): Promise<StoredToken | undefined> {
    const { rows } = await this.#query<Row>('SELECT record FROM voice_widget_tokens WHERE uuid = $1 AND revoked_at IS NULL AND expires_at > $2', [
      uuid,
      this.#iso(),
    ]);
    return rows[0] && (JSON.parse(rows[0].record) as StoredToken);
  }

  async list(): Promise<StoredToken[]> {
    const { rows } = await this.#query<Row>('SELECT record FROM voice_widget_tokens WHERE revoked_at IS NULL AND expires_at > $1 ORDER BY seq', [this.#iso()]);
    return rows.map((r) => JSON.parse(r.record) as StoredToken);
  }

  create(record: StoredToken): Promise<void> {
    return this.#write(async (db, totals) => {
      const json = JSON.stringify(record);
      this.#checkLimits(totals, { records: totals.records + 1, bytes: totals.bytes + bytesOf(json) });
      await db.query('INSERT INTO voice_widget_tokens (uuid, expires_at, bytes, record) VALUES ($1, $2, $3, $4)', [
        record.uuid,
        record.expires_at,
        bytesOf(json),
        json,
      ]);
    });
  }

  setPayload(uuid: string, payload: unknown): Promise<StoredToken | undefined> {
    return this.#write(async (db, totals) => {
      const { rows } = await db.query<Row & { bytes: number }>(
        'SELECT record, bytes FROM voice_widget_tokens WHERE uuid = $1 AND revoked_at IS NULL AND expires_at > $2',
        [uuid, this.#iso()],
      );
      if (!rows[0]) return undefined;
      const next: StoredToken = { ...(JSON.parse(rows[0].record) as StoredToken), payload };
      const json = JSON.stringify(next);
      this.#checkLimits(totals, { records: totals.records, bytes: totals.bytes - rows[0].bytes + bytesOf(json) });
      await db.query('UPDATE voice_widget_tokens SET record = $2, bytes = $3 WHERE uuid = $1', [uuid, json, bytesOf(json)]);
      return next;
    });
  }

  /** Never refused for size: a revoked record drops its payload. Every process hears of it (NOTIFY, sent at commit). */
  async revoke(uuid: string): Promise<boolean> {
    const revoked_at = this.#iso();
    const entry = await this.#transaction(async (db) => {
      const { rows } = await db.query<Row>('SELECT record FROM voice_widget_tokens WHERE uuid = $1 AND revoked_at IS NULL AND expires_at > $2 FOR UPDATE', [
        uuid,
        revoked_at,
      ]);
      if (!rows[0]) return undefined;
      const record: StoredToken = { ...(JSON.parse(rows[0].record) as StoredToken), payload: null, revoked_at };
      const json = JSON.stringify(record);
      await db.query('UPDATE voice_widget_tokens SET revoked_at = $2, record = $3, bytes = $4 WHERE uuid = $1', [uuid, revoked_at, json, bytesOf(json)]);
      const revocation: Revocation = { uuid, revoked_at, expires_at: record.expires_at };
      await db.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ ...revocation, by: this.#id })]);
      return revocation;
    });
    if (!entry) return false;
    this.#revoked.set(uuid, entry);
    return true;
  }

  isRevoked(uuid: string): boolean {
    const entry = this.#revoked.get(uuid);
    return entry !== undefined && Date.parse(entry.expires_at) > this.now();
  }

  revoked(): Revocation[] {
    const now = this.now();
    return [...this.#revoked.values()].filter((r) => Date.parse(r.expires_at) > now);
  }

  onRemoteRevoke(listener: (uuid: string) => void): void {
    this.#remote.add(listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#remote.clear();
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => {});
    await this.#pool.end().catch(() => {});
  }

  #iso(): string {
    return new Date(this.now()).toISOString();
  }

  #query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.#closed) return Promise.reject(new TokenStoreError(`token store ${this.path} is closed`, this.path));
    return this.#pool.query<R>(text, values);
  }

  async #transaction<T>(work: (db: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new TokenStoreError(`token store ${this.path} is closed`, this.path);
    const db = await this.#pool.connect();
    try {
      await db.query('BEGIN');
      const result = await work(db);
      await db.query('COMMIT');
      return result;
    } catch (e) {
      await db.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      db.release();
    }
  }

  /** A write checked against the caps: one at a time across all processes, expired rows pruned first. */
  #write<T>(work: (db: pg.PoolClient, totals: { records: number; bytes: number }) => Promise<T>): Promise<T> {
    return this.#transaction(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      await db.query('DELETE FROM voice_widget_tokens WHERE expires_at <= $1', [this.#iso()]);
      const { rows } = await db.query<{ n: string; b: string | null }>('SELECT count(*) AS n, sum(bytes) AS b FROM voice_widget_tokens');
      return work(db, { records: Number(rows[0].n), bytes: Number(rows[0].b ?? 0) });
    });
  }

  // As in the file store: a change that does not grow the store is always allowed.
  #checkLimits(current: { records: number; bytes: number }, next: { records: number; bytes: number }): void {
    const { maxRecords, maxBytes } = this.limits;
    if (next.records > maxRecords && next.records > current.records) {
      throw new TokenStoreFullError(
        `the token store is full (${maxRecords} records, revoked ones included until they expire); revoke tokens, wait for some to expire, or raise maxRecords`,
      );
    }
    if (next.bytes > maxBytes && next.bytes > current.bytes) {
      throw new TokenStoreFullError(
        `the token store would grow to ${next.bytes} bytes, past its limit of ${maxBytes}; revoke tokens, shorten payloads, wait for some to expire, or raise maxBytes`,
      );
    }
  }

  async #reload(): Promise<void> {
    const { rows } = await this.#query<{ uuid: string; revoked_at: Date; expires_at: Date }>(
      'SELECT uuid, revoked_at, expires_at FROM voice_widget_tokens WHERE revoked_at IS NOT NULL AND expires_at > $1',
      [this.#iso()],
    );
    const next = new Map<string, Revocation>();
    for (const r of rows) next.set(r.uuid, { uuid: r.uuid, revoked_at: r.revoked_at.toISOString(), expires_at: r.expires_at.toISOString() });
    // Entries only ever join: one that arrived by NOTIFY during the query stays.
    for (const [uuid, entry] of this.#revoked) if (!next.has(uuid)) next.set(uuid, entry);
    const fresh = [...next.keys()].filter((uuid) => !this.#revoked.has(uuid));
    this.#revoked = next;
    for (const uuid of fresh) this.#tellRemote(uuid);
  }

  /** A dedicated connection for LISTEN; when it drops, a new one, then a reload for what was missed. */
  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      let entry: Revocation & { by?: string };
      try {
        entry = JSON.parse(msg.payload) as Revocation & { by?: string };
      } catch {
        return;
      }
      if (typeof entry.uuid !== 'string' || this.#revoked.has(entry.uuid)) return;
      this.#revoked.set(entry.uuid, { uuid: entry.uuid, revoked_at: entry.revoked_at, expires_at: entry.expires_at });
      if (entry.by !== this.#id) this.#tellRemote(entry.uuid);
    });
    const lost = (): void => {
      if (this.#closed || this.#listener !== client) return;
      this.#listener = undefined;
      client.end().catch(() => {});
      const retry = (): void => {
        if (this.#closed) return;
        this.#listen()
          .then(() => this.#reload())
          .catch(() => setTimeout(retry, RECONNECT_MS).unref());
      };
      setTimeout(retry, RECONNECT_MS).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#listener = client;
  }

  #tellRemote(uuid: string): void {
    for (const listener of [...this.#remote]) {
      try {
        listener(uuid);
      } catch (e) {
        process.emitWarning(`token store: revocation listener threw: ${(e as Error)?.message ?? String(e)}`, 'TokenServiceWarning');
      }
    }
  }
}

/** The compact-JSON length of a record plus its separator, as the file store counts it. */
function bytesOf(json: string): number {
  return Buffer.byteLength(json) + 1;
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql (unparsable URL)';
  }
}
