import { DurableObject } from "cloudflare:workers";

// NOTE: placeholder until the login rate limit is built.
export class RateLimiter extends DurableObject<Env> {}
