/**
 * Protection against floods: a per-user rate limit on what users type (commands and messages) and a global cap on
 * inputs handled at the same time. Both are pure in-memory structures; time comes in as a parameter.
 */

export interface RateLimiter {
  /** True when the user may go on; false when the limit is reached (nothing is consumed then). */
  tryTake(key: string, now: Date): boolean;
}

/**
 * Token bucket per key: `perMinute` tokens, refilled continuously. Idle buckets are forgotten so that memory stays
 * bounded by the number of users active in the last minute.
 */
export function createRateLimiter(options: { perMinute: number; maxKeys?: number }): RateLimiter {
  const capacity = options.perMinute;
  const refillPerMs = options.perMinute / 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function sweep(nowMs: number): void {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (nowMs - bucket.at) * refillPerMs >= capacity) buckets.delete(key);
    }
  }

  return {
    tryTake(key, now) {
      const nowMs = now.getTime();
      const bucket = buckets.get(key);
      const tokens = bucket ? Math.min(capacity, bucket.tokens + Math.max(0, nowMs - bucket.at) * refillPerMs) : capacity;
      if (tokens < 1) {
        buckets.set(key, { tokens, at: nowMs });
        return false;
      }
      if (!bucket && buckets.size >= maxKeys) sweep(nowMs);
      buckets.set(key, { tokens: tokens - 1, at: nowMs });
      return true;
    },
  };
}

export interface ConcurrencyGuard {
  /** Returns a release function, or undefined when the cap is reached. */
  tryEnter(): (() => void) | undefined;
  readonly inFlight: number;
}

export function createConcurrencyGuard(max: number): ConcurrencyGuard {
  let inFlight = 0;
  return {
    tryEnter() {
      if (inFlight >= max) return undefined;
      inFlight += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= 1;
      };
    },
    get inFlight() {
      return inFlight;
    },
  };
}
