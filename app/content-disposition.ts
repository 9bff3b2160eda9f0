/**
 * Builds a Content-Disposition header that keeps the original file name:
 * `filename*` (RFC 6266 with RFC 5987 encoding) carries it in UTF-8, and
 * `filename` gives older clients an ASCII fallback with the rest replaced.
 */
export function contentDisposition(type: "inline" | "attachment", fileName: string): string {
  const fallback = fileName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]|["\\;%]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
