// AES-CBC and SHA-2 through WebCrypto (crypto.subtle), available in Node and in Cloudflare Workers.

type Bytes = Uint8Array<ArrayBuffer>;

const BLOCK_BYTES = 16;

function toBuffer(bytes: Uint8Array): Bytes {
  return Uint8Array.from(bytes);
}

export async function sha(algorithm: "SHA-256" | "SHA-384" | "SHA-512", data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(algorithm, toBuffer(data)));
}

async function importAesKey(key: Uint8Array, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", toBuffer(key), { name: "AES-CBC" }, false, [usage]);
}

/** Encrypts without padding: WebCrypto always appends one PKCS#7 block, which is dropped. Input length must be a multiple of 16. */
export async function aesCbcEncryptNoPadding(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await importAesKey(key, "encrypt");
  const encrypted = await crypto.subtle.encrypt({ name: "AES-CBC", iv: toBuffer(iv) }, cryptoKey, toBuffer(data));
  return new Uint8Array(encrypted, 0, data.length);
}

/**
 * Decrypts data without padding (length a multiple of 16). WebCrypto insists on PKCS#7 padding,
 * so one extra block is appended that decrypts to a full padding block.
 */
export async function aesCbcDecryptNoPadding(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const previousBlock = data.length >= BLOCK_BYTES ? data.subarray(data.length - BLOCK_BYTES) : iv;
  const paddingBlock = new Uint8Array(BLOCK_BYTES).fill(BLOCK_BYTES);
  const extraBlock = await aesCbcEncryptNoPadding(key, previousBlock, paddingBlock);

  const extended = new Uint8Array(data.length + BLOCK_BYTES);
  extended.set(data);
  extended.set(extraBlock, data.length);

  const cryptoKey = await importAesKey(key, "decrypt");
  const decrypted = await crypto.subtle.decrypt({ name: "AES-CBC", iv: toBuffer(iv) }, cryptoKey, extended);
  return new Uint8Array(decrypted);
}

/** Decrypts a PDF AES string or stream: a 16-byte IV followed by PKCS#7-padded CBC data. */
export async function aesCbcDecryptWithIv(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 2 * BLOCK_BYTES || data.length % BLOCK_BYTES !== 0) {
    throw new Error(`AES data length ${data.length} is not a whole number of blocks`);
  }
  const cryptoKey = await importAesKey(key, "decrypt");
  const decrypted = await crypto.subtle.decrypt(
    { name: "AES-CBC", iv: toBuffer(data.subarray(0, BLOCK_BYTES)) },
    cryptoKey,
    toBuffer(data.subarray(BLOCK_BYTES)),
  );
  return new Uint8Array(decrypted);
}
