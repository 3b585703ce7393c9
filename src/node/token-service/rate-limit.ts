/**
 * Token-bucket rate limiting, one bucket per key (an API key, or a client
 * address for requests without a valid key).
 */
import { isIPv6 } from 'node:net';
import { TokenBucket } from '../../shared/token-bucket.js';

export interface RateLimitOptions {
  /** Steady rate, requests per second. */
  perSecond: number;
  /** Requests allowed at once from a full bucket. */
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perSecond: 20, burst: 40 };

/** Buckets kept before full (idle) ones are dropped; bounds memory under address spraying. */
const MAX_BUCKETS = 10_000;

export class RateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  /** Takes one request's worth from `key`'s bucket. Returns 0 when allowed, else whole seconds to wait. */
  take(key: string): number {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      this.#sweep();
      bucket = new TokenBucket(this.options.perSecond, this.options.burst, this.now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take() ? 0 : bucket.retryAfterSeconds();
  }

  #sweep(): void {
    if (this.#buckets.size < MAX_BUCKETS) return;
    // A bucket that has refilled is the same as no bucket.
    for (const [key, b] of this.#buckets) if (b.isFull()) this.#buckets.delete(key);
    // Still full of busy buckets: forget the oldest.
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size < MAX_BUCKETS) break;
      this.#buckets.delete(key);
    }
  }
}

/**
 * The bucket key for a client address. IPv6 clients usually hold a whole
 * /64, so they share one bucket per /64; IPv4-mapped addresses count as IPv4.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'addr:unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return `addr:${mapped[1]}`;
  if (!isIPv6(address)) return `addr:${address}`;
  return `addr:${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head, tail] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  // An embedded IPv4 tail takes two groups.
  const count = (parts: string[]): number => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array<string>(Math.max(0, 8 - count(left) - count(right))).fill('0');
  return [...left, ...zeros, ...right].map((g) => (g.includes('.') ? g : g.toLowerCase().replace(/^0+(?=.)/, '')));
}
