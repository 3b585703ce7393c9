import { expect } from '@open-wc/testing';
import { CallHistory } from '../../src/core/call-history.js';
import type { CallEndedDetail } from '../../src/core/types.js';

class MemoryStorage {
  items = new Map<string, string>();
  failWrites = false;
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.failWrites) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

const ended = (id: string, over: Partial<CallEndedDetail> = {}): CallEndedDetail => ({
  id,
  direction: 'inbound',
  number: 'bob',
  duration: 0,
  cause: 'canceled',
  ...over,
});

describe('CallHistory', () => {
  it('keeps calls newest first, per user, across instances', () => {
    const storage = new MemoryStorage();
    const a = new CallHistory('h:alice', storage);
    a.record(ended('1', { direction: 'outbound', cause: 'local-hangup', duration: 12.5 }), 'Bob', 1000, false);
    a.record(ended('2'), 'Bob', 2000, true);
    expect(a.entries.map((e) => e.id)).to.deep.equal(['2', '1']);
    expect(new CallHistory('h:alice', storage).entries.map((e) => e.id)).to.deep.equal(['2', '1']);
    expect(new CallHistory('h:carol', storage).entries).to.deep.equal([]);
  });

  it('counts missed calls until they are seen', () => {
    const h = new CallHistory('h', new MemoryStorage());
    h.record(ended('1'), 'Bob', 1000, true);
    h.record(ended('2'), 'Bob', 2000, true);
    expect(h.unseenMissed).to.equal(2);
    h.markSeen();
    expect(h.unseenMissed).to.equal(0);
    h.record(ended('3'), 'Bob', 3000, true);
    expect(h.unseenMissed).to.equal(1);
  });

  it('keeps the newest 50', () => {
    const h = new CallHistory('h', new MemoryStorage());
    for (let i = 0; i < 60; i++) h.record(ended(String(i)), 'Bob', i, false);
    expect(h.entries.length).to.equal(50);
    expect(h.entries[0].id).to.equal('59');
  });

  it('survives corrupt storage and a full quota, and clears', () => {
    const storage = new MemoryStorage();
    storage.items.set('h', '{not json');
    const h = new CallHistory('h', storage);
    expect(h.entries).to.deep.equal([]);
    storage.failWrites = true;
    h.record(ended('1'), 'Bob', 1, false);
    expect(h.entries.length).to.equal(1);
    h.clear();
    expect(h.entries).to.deep.equal([]);
    storage.items.set('h2', JSON.stringify({ v: 1, entries: [{ id: 1 }, null], seen: 0 }));
    expect(new CallHistory('h2', storage).entries).to.deep.equal([]);
  });

  it('works with no storage at all', () => {
    const h = new CallHistory('h', null);
    h.record(ended('1'), 'Bob', 1, true);
    expect(h.unseenMissed).to.equal(1);
  });
});
