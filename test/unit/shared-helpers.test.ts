import { expect } from '@open-wc/testing';
import { DEFAULT_PLAIN_DATA_LIMITS, isPlainData, isRecord, type PlainDataLimits } from '../../src/shared/plain-data.js';
import { readStorage, writeStorage } from '../../src/shared/storage.js';
import { TokenBucket } from '../../src/shared/token-bucket.js';

describe('shared security helpers (src/shared/)', () => {
  describe('isRecord', () => {
    it('takes plain objects only, with no key that reaches a prototype', () => {
      expect(isRecord({ a: 1 })).to.equal(true);
      expect(isRecord(Object.create(null))).to.equal(true);
      for (const not of [null, undefined, 1, 'x', [], new Date(), new Map(), Object.create({ a: 1 })]) expect(isRecord(not)).to.equal(false);
      expect(isRecord(JSON.parse('{"__proto__":{"x":1}}'))).to.equal(false);
      expect(isRecord({ constructor: 1 })).to.equal(false);
      expect(isRecord({ prototype: 1 })).to.equal(false);
    });
  });

  describe('isPlainData', () => {
    const limits: PlainDataLimits = { maxDepth: 2, maxItems: 3, maxChars: 10, maxStringChars: 6, maxNodes: 8 };

    it('takes JSON-like values and refuses the rest', () => {
      expect(isPlainData({ a: [1, 'two', true, null, { b: -0.5 }] })).to.equal(true);
      for (const not of [undefined, NaN, Infinity, () => 1, Symbol('s'), 1n, new Date(), [undefined], { a: new Uint8Array(1) }]) {
        expect(isPlainData(not), String(not)).to.equal(false);
      }
      const sub = Object.setPrototypeOf([1], Object.create(Array.prototype)) as unknown;
      expect(isPlainData(sub)).to.equal(false);
    });

    it('refuses a prototype key at any depth', () => {
      expect(isPlainData(JSON.parse('{"a":[{"b":{"__proto__":{"x":1}}}]}'))).to.equal(false);
      expect(isPlainData({ a: { constructor: { prototype: 1 } } })).to.equal(false);
    });

    it('holds each bound', () => {
      expect(isPlainData({ a: { b: 1 } }, limits)).to.equal(true);
      expect(isPlainData({ a: { b: [1] } }, limits), 'depth').to.equal(false);
      expect(isPlainData([1, 2, 3], limits)).to.equal(true);
      expect(isPlainData([1, 2, 3, 4], limits), 'items').to.equal(false);
      expect(isPlainData({ a: 1, b: 2, c: 3, d: 4 }, limits), 'keys').to.equal(false);
      expect(isPlainData('x'.repeat(7), limits), 'one string').to.equal(false);
      expect(isPlainData(['xxxxx', 'xxxxx', 'x'], limits), 'all strings').to.equal(false);
      expect(isPlainData({ abcdef: 'abcde' }, limits), 'keys count as characters').to.equal(false);
      expect(isPlainData([[1, 2], [3, 4], [5]], limits), 'nodes').to.equal(false);
    });

    it('refuses a huge value after a bounded walk (reads counted, not timed)', () => {
      // Every element read goes through a counting proxy: the walk must stop
      // within its node budget, however big the value is (65,536 strings here).
      let reads = 0;
      const counted = <T extends object>(target: T): T =>
        new Proxy(target, {
          get(t, key, receiver) {
            if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
            return Reflect.get(t, key, receiver);
          },
        });
      const huge = counted(Array.from({ length: 256 }, () => counted(Array.from({ length: 256 }, () => 'x'.repeat(64)))));
      expect(isPlainData(huge)).to.equal(false);
      expect(reads).to.be.greaterThan(0);
      expect(reads).to.be.at.most(DEFAULT_PLAIN_DATA_LIMITS.maxNodes);
    });
  });

  describe('storage', () => {
    const key = 'voice-widget:test:shared-storage';

    it('reads, writes and removes', () => {
      for (const area of ['local', 'session'] as const) {
        expect(writeStorage(area, key, 'v')).to.equal(true);
        expect(readStorage(area, key)).to.equal('v');
        expect(writeStorage(area, key, null)).to.equal(true);
        expect(readStorage(area, key)).to.equal(null);
      }
    });

    it('answers "nothing remembered" when storage throws', () => {
      const original = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
      Object.defineProperty(window, 'localStorage', {
        configurable: true,
        get() {
          throw new DOMException('denied', 'SecurityError');
        },
      });
      try {
        expect(readStorage('local', key)).to.equal(null);
        expect(writeStorage('local', key, 'v')).to.equal(false);
        expect(writeStorage('local', key, null)).to.equal(false);
      } finally {
        Object.defineProperty(window, 'localStorage', original);
      }
    });
  });

  describe('TokenBucket', () => {
    it('says how long to wait once empty, whole seconds', () => {
      let now = 0;
      const bucket = new TokenBucket(2, 2, () => now);
      expect(bucket.take()).to.equal(true);
      expect(bucket.take()).to.equal(true);
      expect(bucket.take()).to.equal(false);
      expect(bucket.retryAfterSeconds()).to.equal(1);
      now += 500;
      expect(bucket.take()).to.equal(true);
      const slow = new TokenBucket(0.1, 1, () => now);
      slow.take();
      expect(slow.take()).to.equal(false);
      expect(slow.retryAfterSeconds()).to.equal(10);
    });

    it('is full again once refilled, and a clock that steps back neither refills nor drains', () => {
      let now = 10_000;
      const bucket = new TokenBucket(10, 5, () => now);
      expect(bucket.isFull()).to.equal(true);
      bucket.take();
      expect(bucket.isFull()).to.equal(false);
      now -= 5_000;
      expect(bucket.isFull()).to.equal(false);
      for (let i = 0; i < 4; i++) expect(bucket.take()).to.equal(true);
      expect(bucket.take()).to.equal(false);
      now += 500;
      expect(bucket.isFull()).to.equal(true);
    });
  });
});
