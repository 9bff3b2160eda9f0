import { formatBytes } from "~/format";

import type { UploadProgress } from "./multipart-uploader";

// The German progress line of an upload, shared by the order page and the
// share page.

/** Formats a duration for the remaining time: "9 s", "4 min", "1,5 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toLocaleString("de-DE", { maximumFractionDigits: 1 })} h`;
}

/** Formats an upload's progress: "1,5 MB von 20 MB · 2 MB/s · noch ca. 9 s". */
export function progressText(progress: UploadProgress): string {
  const parts = [`${formatBytes(progress.loaded)} von ${formatBytes(progress.total)}`];

  // Every byte is sent, but hashing and completion may still take a moment.
  if (progress.total > 0 && progress.loaded >= progress.total) {
    parts.push("wird abgeschlossen …");
    return parts.join(" · ");
  }

  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.remainingSeconds !== null) parts.push(`noch ca. ${formatDuration(progress.remainingSeconds)}`);
  return parts.join(" · ");
}
