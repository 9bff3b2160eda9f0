import type { PrintFileType } from "~/uploads/file-type";

/**
 * The data the Worker passes to the share page's renderer, and the island
 * reads again in the browser. It carries nothing about the shop or the
 * order beyond the label the link's creator chose to show.
 */
export type SharePageView =
  | {
      kind: "upload";
      /** The link's token as it appears in the URL; the uploader posts to `/hochladen/<token>/uploads`. */
      token: string;
      /** The creator's label for the uploader, or null when it is not to be shown. */
      label: string | null;
      /** End of the link's validity, milliseconds since the epoch. */
      expiresAt: number;
      /** Largest file in bytes (the link's limit, or the shop's). */
      maxBytes: number;
      acceptedTypes: PrintFileType[];
      /** Days after which the shop deletes uploaded files, or null when the deployment does not set it. */
      retentionDays: number | null;
      /** Storage location of the files, e.g. "in der EU", or null when the deployment does not set it. */
      storageRegion: string | null;
      /** Whether the page was served over https, so that the transfer is encrypted. */
      encryptedTransfer: boolean;
      /** URL of the island's script bundle. */
      scriptUrl: string;
    }
  | { kind: "invalid" }
  | { kind: "rate-limited"; retryAfterMinutes: number };

/** Maximum length of the name an uploader may type, in characters; the server checks it too. */
export const MAX_UPLOADER_NAME_CHARS = 100;

/** Path of the neutral upload page for a token. */
export function sharePagePath(token: string): string {
  return `/hochladen/${token}`;
}
