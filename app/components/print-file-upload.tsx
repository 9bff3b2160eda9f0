import { useEffect, useState } from "react";

import { formatBytes } from "~/format";
import { messages } from "~/messages";
import {
  findResumableUploads,
  forgetResumableUpload,
  resumeKey,
  uploadFile,
  type ResumeState,
  type UploadProgress,
} from "~/uploads/client/multipart-uploader";
import { detectPrintFileType, isPdfName } from "~/uploads/file-type";
import { MAX_MULTIPART_UPLOAD_BYTES } from "~/uploads/limits";
import { PDF_HEADER_SEARCH_LENGTH } from "~/uploads/pdf-signature";

type UploadState =
  | { status: "uploading"; progress: UploadProgress }
  | { status: "done"; message: string }
  | { status: "error"; message: string };

interface UploadItem {
  key: string;
  name: string;
  size: number;
  state: UploadState;
}

/** Files sent at the same time; each file sends its parts in parallel too. */
const PARALLEL_FILES = 2;

/** Checks in the browser what the server checks too, so that a wrong file costs no upload. */
async function checkFile(file: File): Promise<string | null> {
  if (file.size === 0) return messages.uploadEmpty;
  if (file.size > MAX_MULTIPART_UPLOAD_BYTES) return messages.uploadTooLarge(formatBytes(MAX_MULTIPART_UPLOAD_BYTES));

  const head = new Uint8Array(await file.slice(0, PDF_HEADER_SEARCH_LENGTH).arrayBuffer());
  const type = detectPrintFileType(head);
  if (isPdfName(file.name) && type !== "application/pdf") return messages.uploadNotPdf;
  return type ? null : messages.uploadTypeRejected;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toLocaleString("de-DE", { maximumFractionDigits: 1 })} h`;
}

function progressText(progress: UploadProgress): string {
  const parts = [`${formatBytes(progress.loaded)} von ${formatBytes(progress.total)}`];
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.remainingSeconds !== null) parts.push(`noch ca. ${formatDuration(progress.remainingSeconds)}`);
  return parts.join(" · ");
}

/**
 * Chooses or takes dropped print files and uploads each in parts; the order's
 * room reports the checks. Uploads a reload interrupted are listed, and
 * choosing the same file again continues from the parts the server has.
 */
export function PrintFileUpload({ orderId }: { orderId: string }) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [resumable, setResumable] = useState<ResumeState[]>([]);
  const [dragging, setDragging] = useState(false);

  useEffect(() => setResumable(findResumableUploads(orderId)), [orderId]);

  const update = (key: string, state: UploadState) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, state } : item)));

  async function uploadOne(file: File, key: string) {
    const problem = await checkFile(file);
    if (problem) {
      update(key, { status: "error", message: problem });
      return;
    }
    const result = await uploadFile({
      orderId,
      file,
      failedMessage: messages.uploadFailed,
      onProgress: (progress) => update(key, { status: "uploading", progress }),
    });
    update(key, result.ok ? { status: "done", message: messages.uploadSucceeded } : { status: "error", message: result.message });
  }

  async function uploadFiles(fileList: FileList) {
    const chosen = Array.from(fileList).map((file) => ({ file, key: crypto.randomUUID() }));
    const chosenKeys = new Set(chosen.map(({ file }) => resumeKey(orderId, file)));
    setResumable((current) =>
      current.filter((state) => !chosenKeys.has(resumeKey(orderId, { name: state.fileName, size: state.size, lastModified: state.lastModified }))),
    );
    setItems((current) => [
      ...chosen.map(({ file, key }) => ({
        key,
        name: file.name,
        size: file.size,
        state: { status: "uploading", progress: { loaded: 0, total: file.size, bytesPerSecond: 0, remainingSeconds: null } } as const,
      })),
      ...current,
    ]);

    const queue = [...chosen];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await uploadOne(next.file, next.key);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, queue.length) }, worker));
    setResumable(findResumableUploads(orderId));
  }

  async function discard(state: ResumeState) {
    forgetResumableUpload(state);
    setResumable((current) => current.filter((candidate) => candidate.uploadId !== state.uploadId));
    await fetch(`/auftraege/${encodeURIComponent(orderId)}/uploads/${state.uploadId}`, { method: "DELETE" }).catch(() => undefined);
  }

  const uploading = items.filter((item) => item.state.status === "uploading");
  const totalBytes = uploading.reduce((sum, item) => sum + item.size, 0);
  const loadedBytes = uploading.reduce((sum, item) => sum + (item.state.status === "uploading" ? item.state.progress.loaded : 0), 0);

  return (
    <div
      className={dragging ? "upload upload-dragging" : "upload"}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        if (event.dataTransfer.files.length) void uploadFiles(event.dataTransfer.files);
      }}
    >
      <label className="upload-choose">
        <span>
          Druckdaten hochladen (PDF, TIFF, JPEG, PNG oder ZIP, bis {formatBytes(MAX_MULTIPART_UPLOAD_BYTES)} pro Datei; Dateien
          auswählen oder hierher ziehen)
        </span>
        <span className="upload-button">Dateien auswählen</span>
        {/* The browser's own file control would label itself in the browser's language. */}
        <input
          className="visually-hidden"
          type="file"
          name="file"
          multiple
          accept="application/pdf,.pdf,image/tiff,.tif,.tiff,image/jpeg,.jpg,.jpeg,image/png,.png,application/zip,.zip"
          onChange={(event) => {
            if (event.currentTarget.files?.length) void uploadFiles(event.currentTarget.files);
            event.currentTarget.value = "";
          }}
        />
      </label>
      {resumable.length > 0 ? (
        <div className="upload-resume" role="status">
          <p>Unterbrochene Uploads: Wählen Sie dieselbe Datei erneut aus, dann geht der Upload dort weiter, wo er stehen blieb.</p>
          <ul>
            {resumable.map((state) => (
              <li key={state.uploadId} className="upload-resume-item">
                <span className="upload-name">{state.fileName}</span> ({formatBytes(state.size)}){" "}
                <button type="button" className="link-button" onClick={() => void discard(state)}>
                  verwerfen
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {uploading.length > 1 ? (
        <p className="upload-total">
          Gesamt: {formatBytes(loadedBytes)} von {formatBytes(totalBytes)}
          <progress max={totalBytes} value={loadedBytes} aria-label="Fortschritt gesamt" />
        </p>
      ) : null}
      {items.length > 0 ? (
        <ul className="upload-list" aria-live="polite">
          {items.map((item) => (
            <li key={item.key} className={`upload-item upload-${item.state.status}`}>
              <span className="upload-name">{item.name}</span> <span className="upload-size">({formatBytes(item.size)})</span>
              {item.state.status === "uploading" ? (
                <>
                  <progress max={item.size} value={item.state.progress.loaded} aria-label={`Fortschritt ${item.name}`} />
                  <span className="upload-progress">{progressText(item.state.progress)}</span>
                </>
              ) : null}
              {item.state.status === "done" ? <span className="upload-message">{item.state.message}</span> : null}
              {item.state.status === "error" ? (
                <span className="upload-message" role="alert">
                  {item.state.message}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
