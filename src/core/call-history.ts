import type { CallDirection, CallEndedDetail, EndCause } from './types.js';
import type { CallQuality } from './quality/summary.js';
import { toContact, type Contact } from '../shared/contact.js';

/** One call as the history keeps it. */
export interface HistoryEntry {
  id: string;
  direction: CallDirection;
  /** The remote user part, as dialled or as it called. */
  number: string;
  /** The remote display name. */
  name: string;
  /** When the call began, epoch ms (the browser's clock: only for display). */
  at: number;
  /** Connected seconds. */
  duration: number;
  /** An inbound call nobody answered here (the caller gave up, or it timed out). */
  missed: boolean;
  cause: EndCause;
  /** The call's quality (`call-ended`'s), null when it was never sampled; missing in entries kept before it was. */
  quality?: CallQuality | null;
  /** The host's contact for the number (`resolveContact`), null when none; missing in entries kept before it was. */
  contact?: Contact | null;
}

interface Stored {
  v: 1;
  entries: HistoryEntry[];
  /** `at` of the newest entry the user has seen in the history view. */
  seen: number;
}

const LIMIT = 50;

/**
 * Recent calls for one user, in localStorage (per user and domain, so two
 * people sharing a browser profile do not see each other's calls). Storage
 * that is missing, full or corrupt never breaks a call: the history is then
 * kept in memory only.
 */
export class CallHistory {
  private data: Stored;

  constructor(
    readonly key: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = safeLocalStorage(),
  ) {
    this.data = this.load();
  }

  /** Newest first. */
  get entries(): readonly HistoryEntry[] {
    return this.data.entries;
  }

  /** Missed calls the user has not seen yet. */
  get unseenMissed(): number {
    return this.data.entries.filter((e) => e.missed && e.at > this.data.seen).length;
  }

  /** Adds a call; `missed` is for the phone to decide (it knows who answered where). */
  record(ended: CallEndedDetail, name: string, at: number, missed: boolean): HistoryEntry {
    const entry: HistoryEntry = {
      id: ended.id,
      direction: ended.direction,
      number: ended.number,
      name,
      at,
      duration: ended.duration,
      missed,
      cause: ended.cause,
      quality: ended.quality ?? null,
      contact: ended.contact ?? null,
    };
    this.data = { ...this.data, entries: [entry, ...this.data.entries.filter((e) => e.id !== entry.id)].slice(0, LIMIT) };
    this.save();
    return entry;
  }

  markSeen(): void {
    const newest = this.data.entries[0]?.at ?? 0;
    if (newest <= this.data.seen) return;
    this.data = { ...this.data, seen: newest };
    this.save();
  }

  clear(): void {
    this.data = { v: 1, entries: [], seen: 0 };
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // Storage unavailable: memory is cleared all the same.
    }
  }

  private load(): Stored {
    try {
      const parsed = JSON.parse(this.storage?.getItem(this.key) ?? 'null') as Stored | null;
      if (parsed && parsed.v === 1 && Array.isArray(parsed.entries)) {
        // A stored contact is checked again (another script of this origin may have written it).
        const entries = parsed.entries
          .filter(isEntry)
          .slice(0, LIMIT)
          .map((e) => ({ ...e, contact: toContact(e.contact) }));
        return { v: 1, entries, seen: Number(parsed.seen) || 0 };
      }
    } catch {
      // Corrupt or foreign data: start afresh rather than fail.
    }
    return { v: 1, entries: [], seen: 0 };
  }

  private save(): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.data));
    } catch {
      // Quota or privacy mode: keep the history in memory.
    }
  }
}

function isEntry(e: unknown): e is HistoryEntry {
  const x = e as HistoryEntry;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.id === 'string' &&
    (x.direction === 'inbound' || x.direction === 'outbound') &&
    typeof x.number === 'string' &&
    typeof x.name === 'string' &&
    typeof x.at === 'number' &&
    typeof x.duration === 'number' &&
    typeof x.missed === 'boolean' &&
    (x.quality === undefined || x.quality === null || isQuality(x.quality))
  );
}

function isQuality(q: CallQuality): boolean {
  return typeof q === 'object' && (q.mosAverage === null || typeof q.mosAverage === 'number') && Array.isArray(q.warnings);
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // blocked third-party storage throws on access
  }
}
