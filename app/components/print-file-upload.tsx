import { useEffect, useState } from "react";

import { formatBytes } from "~/format";
import { messages } from "~/messages";
import {
  findResumableUploads,
  forgetResumableUpload,
  runInParallel,
  uploadFile,
  type ResumeState,
  type UploadProgress,
  withoutChosenFiles,
} from "~/uploads/client/multipart-uploader";
import { checkFileBeforeUpload } from "~/uploads/check-file";
import { progressText } from "~/uploads/client/progress-text";
import { acceptAttribute, listFileTypes, type UploadPolicy } from "~/uploads/file-type";

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

/**
 * Chooses or takes dropped print files and uploads each in parts; the order's
 * room reports the checks. Uploads a reload interrupted are listed, and
 * choosing the same file again continues from the parts the server has.
 */
export function PrintFileUpload({ orderId, policy }: { orderId: string; policy: UploadPolicy }) {
  const baseUrl = `/auftraege/${encodeURIComponent(orderId)}/uploads`;
  const [items, setItems] = useState<UploadItem[]>([]);
  const [resumable, setResumable] = useState<ResumeState[]>([]);
  const [dragging, setDragging] = useState(false);

  useEffect(() => setResumable(findResumableUploads(orderId)), [orderId]);

  const update = (key: string, state: UploadState) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, state } : item)));

  async function uploadOne(file: File, key: string) {
    const problem = await checkFileBeforeUpload(file, policy);
    if (problem) {
      update(key, { status: "error", message: problem });
      return;
    }
    const result = await uploadFile({
      baseUrl,
      scope: orderId,
      file,
      failedMessage: messages.uploadFailed,
      onProgress: (progress) => update(key, { status: "uploading", progress }),
    });
    update(key, result.ok ? { status: "done", message: messages.uploadSucceeded } : { status: "error", message: result.message });
  }

  async function uploadFiles(fileList: FileList) {
    const chosen = Array.from(fileList).map((file) => ({ file, key: crypto.randomUUID() }));
    setResumable((current) => withoutChosenFiles(current, orderId, Array.from(fileList)));
    setItems((current) => [
      ...chosen.map(({ file, key }) => ({
        key,
        name: file.name,
        size: file.size,
        state: { status: "uploading", progress: { loaded: 0, total: file.size, bytesPerSecond: 0, remainingSeconds: null } } as const,
      })),
      ...current,
    ]);

    await runInParallel(chosen, PARALLEL_FILES, ({ file, key }) => uploadOne(file, key));
    setResumable(findResumableUploads(orderId));
  }

  async function discard(state: ResumeState) {
    forgetResumableUpload(state);
    setResumable((current) => current.filter((candidate) => candidate.uploadId !== state.uploadId));
    await fetch(`${baseUrl}/${state.uploadId}`, { method: "DELETE" }).catch(() => undefined);
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
          Druckdaten hochladen ({listFileTypes(policy.acceptedTypes)}, bis {formatBytes(policy.maxBytes)} pro Datei; Dateien
          auswählen oder hierher ziehen)
        </span>
        <span className="upload-button">Dateien auswählen</span>
        {/* The browser's own file control would label itself in the browser's language. */}
        <input
          className="visually-hidden"
          type="file"
          name="file"
          multiple
          accept={acceptAttribute(policy.acceptedTypes)}
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
