/**
 * What the token API needs from a store, met by the JSON-file store
 * (store.ts, the default) and the PostgreSQL store (pg-store.ts, several
 * token-service processes on one database). Reads of records may go to the
 * database; the deny-list is answered from memory (SIP checks are
 * synchronous) and kept current by the store.
 */
import type { Revocation } from './revocations.js';
import type { StoredToken } from './store.js';

type MaybePromise<T> = T | Promise<T>;

export interface RecordStore {
  /** A record in any state (active, revoked, or expired but not yet pruned). */
  get(uuid: string): MaybePromise<StoredToken | undefined>;
  /** The record when it is neither expired nor revoked. */
  active(uuid: string): MaybePromise<StoredToken | undefined>;
  /** Active records, oldest first. */
  list(): MaybePromise<StoredToken[]>;
  /** Stores a new record; TokenStoreFullError past a cap, nothing stored then. */
  create(record: StoredToken): Promise<void>;
  /** Replaces an active record's payload; undefined when there is none. TokenStoreFullError past the byte cap. */
  setPayload(uuid: string, payload: unknown): Promise<StoredToken | undefined>;
  /** Revokes an active token (never refused for size); false when there is none with that id. */
  revoke(uuid: string): Promise<boolean>;
  /** Revoked and not yet expired: on the deny-list. */
  isRevoked(uuid: string): boolean;
  /** The deny-list: revocations not yet expired. */
  revoked(): Revocation[];
  /** Called with the id of a token revoked by another process sharing the store (not by this one). */
  onRemoteRevoke(listener: (uuid: string) => void): void;
  close(): Promise<void>;
}
