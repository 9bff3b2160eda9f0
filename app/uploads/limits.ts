/**
 * Largest file one upload request may carry. Cloudflare rejects request
 * bodies over 100 MB (decimal) on the Free and Pro plans; 95 MiB stays below
 * that. Larger files need a multipart upload over several requests.
 */
export const MAX_SINGLE_UPLOAD_BYTES = 95 * 1024 * 1024;

/**
 * Default of the shop setting `max_upload_bytes`: the largest file a
 * multipart upload may carry (5 GiB, shown as "5 GB").
 */
export const MAX_MULTIPART_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;

/**
 * Smallest part of a multipart upload except the last one. R2 rejects
 * smaller non-trailing parts at completion, and the local R2 in miniflare
 * (4.x) enforces the same 5 MiB.
 */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** Largest part: one part is one request, so the single-request limit applies. */
export const MAX_PART_BYTES = MAX_SINGLE_UPLOAD_BYTES;

/** R2 allows at most 10,000 parts per multipart upload. */
export const MAX_PART_COUNT = 10_000;

/** Multipart uploads not completed within this time are aborted by the scheduled cleanup. */
export const MULTIPART_UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000;

/** Longest file name, counted in Unicode code points after NFC normalisation. */
export const MAX_FILE_NAME_CHARS = 255;
