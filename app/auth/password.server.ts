import Argon2, { Argon2Type } from "@phi-ag/argon2";
import argon2Module from "@phi-ag/argon2/argon2.wasm";

import { PASSWORD_HASH_OPTIONS } from "./password-options";

// A valid hash of a random password, verified when no user matches so that an
// unknown e-mail address takes as long as a wrong password.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$SKpVctA8TVzuD1M9unxriw$79z9R/bnC9+WprZ8JiKXrtTB5fjLaZr20i62pHLXXGs";

let argon2: Argon2 | undefined;

async function getArgon2(): Promise<Argon2> {
  // workerd forbids compiling WebAssembly at run time, so the module is
  // imported precompiled and only instantiated here.
  argon2 ??= new Argon2(await WebAssembly.instantiate(argon2Module));
  return argon2;
}

// Passwords are hashed in Unicode normalisation form C, so that "ä" typed as
// one code point or as "a" plus a combining diaeresis is the same password.

/** Hashes a password with argon2id; returns the encoded hash with its parameters and salt. */
export async function hashPassword(password: string): Promise<string> {
  return (await getArgon2()).hash(password.normalize("NFC"), PASSWORD_HASH_OPTIONS).encoded;
}

/** Checks a password against a stored hash. Without a hash (unknown user, no password yet) it still spends the time of one check and returns false. */
export async function verifyPassword(encodedHash: string | null, password: string): Promise<boolean> {
  const result = (await getArgon2()).tryVerify(encodedHash ?? DUMMY_HASH, password.normalize("NFC"), Argon2Type.Argon2id);
  return encodedHash !== null && result.success;
}
