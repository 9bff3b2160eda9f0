import { DurableObject } from "cloudflare:workers";

/** At most `limit` hits within any `windowMs` milliseconds. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitStatus {
  limited: boolean;
  /** Milliseconds until the next hit is allowed again; 0 when not limited. */
  retryAfterMs: number;
}

const HITS_KEY = "hits";

/**
 * A sliding-window rate limit for one key, such as the login failures of one
 * e-mail address (`app/auth/rate-limit.server.ts` names one object per key).
 * The object stores the times of the last `limit` hits in its storage. A key
 * is limited while `limit` hits lie within the window, until the oldest of
 * them leaves it. An alarm deletes the storage once the window after the last
 * hit has passed, so idle keys leave nothing behind.
 *
 * Callers pass `now`, so that tests can move time forward. The alarm runs on
 * the real clock.
 */
export class RateLimiter extends DurableObject<Env> {
  /** Returns whether the key is limited, without counting a hit. */
  async status(rule: RateLimitRule, now: number): Promise<RateLimitStatus> {
    return statusOf(await this.recentHits(rule, now), rule, now);
  }

  /** Counts a hit, such as a failed login, and returns the status after it. */
  async record(rule: RateLimitRule, now: number): Promise<RateLimitStatus> {
    const hits = await this.recentHits(rule, now);
    hits.push(now);
    await this.save(hits, rule);
    return statusOf(hits, rule, now);
  }

  /**
   * Counts a hit unless the key is limited already, for actions that count
   * every request, such as sending a link. Returns the status before the hit:
   * when it is limited, the caller must reject the request.
   */
  async consume(rule: RateLimitRule, now: number): Promise<RateLimitStatus> {
    const hits = await this.recentHits(rule, now);
    const before = statusOf(hits, rule, now);
    if (before.limited) return before;

    hits.push(now);
    await this.save(hits, rule);
    return before;
  }

  /** Forgets every hit, such as the failures of an address after a successful login. */
  async reset(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  private async recentHits(rule: RateLimitRule, now: number): Promise<number[]> {
    const hits = (await this.ctx.storage.get<number[]>(HITS_KEY)) ?? [];
    return hits.filter((hit) => hit > now - rule.windowMs);
  }

  private async save(hits: number[], rule: RateLimitRule): Promise<void> {
    // Only the newest `limit` hits decide the status, so older ones are dropped.
    const kept = hits.slice(-rule.limit);
    await this.ctx.storage.put(HITS_KEY, kept);
    await this.ctx.storage.setAlarm(Math.max(kept[kept.length - 1] + rule.windowMs, Date.now() + rule.windowMs));
  }
}

function statusOf(hits: number[], rule: RateLimitRule, now: number): RateLimitStatus {
  if (hits.length < rule.limit) return { limited: false, retryAfterMs: 0 };

  // The key is free again once the oldest of the last `limit` hits leaves the window.
  const oldestCounted = hits[hits.length - rule.limit];
  return { limited: true, retryAfterMs: Math.max(0, oldestCounted + rule.windowMs - now) };
}
