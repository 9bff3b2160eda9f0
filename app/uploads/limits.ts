/**
 * Largest file one upload request may carry. Cloudflare rejects request
 * bodies over 100 MB (decimal) on the Free and Pro plans; 95 MiB stays below
 * that. Larger files need a multipart upload over several requests.
 */
export const MAX_SINGLE_UPLOAD_BYTES = 95 * 1024 * 1024;
