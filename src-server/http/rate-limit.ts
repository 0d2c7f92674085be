/**
 * A token bucket per key (a terminal id or a client address), kept in this process's memory: with
 * several server processes behind a load balancer each enforces its own limit (see
 * docs/operations.md). Buckets refill continuously; idle full buckets are dropped to bound memory.
 */
export interface BucketSpec {
  /** Requests that may arrive at once. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private sweepAt = 0;

  constructor(
    private readonly spec: BucketSpec,
    private readonly now: () => number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one token; returns 0 when allowed, else the milliseconds until the next token. */
  take(key: string): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.sweep(t, true);
      b = { tokens: this.spec.burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.spec.burst, b.tokens + ((t - b.at) / 1000) * this.spec.perSecond);
      b.at = t;
    }
    if (t >= this.sweepAt) this.sweep(t, false);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / this.spec.perSecond) * 1000);
  }

  private sweep(t: number, force: boolean): void {
    this.sweepAt = t + 60_000;
    const full = (this.spec.burst / this.spec.perSecond) * 1000;
    for (const [k, b] of this.buckets) {
      if (t - b.at >= full) this.buckets.delete(k);
    }
    if (force && this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}
