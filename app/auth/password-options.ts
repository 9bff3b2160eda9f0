import { Argon2Type } from "@phi-ag/argon2";

/** argon2id at OWASP's minimum: 19 MiB of memory, 2 iterations, 1 lane. */
export const PASSWORD_HASH_OPTIONS = {
  type: Argon2Type.Argon2id,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  hashLength: 32,
} as const;
