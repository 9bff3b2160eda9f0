import { useState } from "react";

import { formatBytes } from "~/format";
import { messages } from "~/messages";
import { MAX_SINGLE_UPLOAD_BYTES } from "~/uploads/limits";
import { findPdfHeader, PDF_HEADER_SEARCH_LENGTH } from "~/uploads/pdf-signature";

type UploadState =
  | { status: "uploading"; loaded: number }
  | { status: "done" }
  | { status: "error"; message: string };

interface UploadItem {
  key: string;
  name: string;
  size: number;
  state: UploadState;
}

/** Checks in the browser what the server checks too, so that a wrong file costs no upload. */
async function checkFile(file: File): Promise<string | null> {
  if (file.size === 0) return messages.uploadEmpty;
  if (file.size > MAX_SINGLE_UPLOAD_BYTES) return messages.uploadTooLarge(formatBytes(MAX_SINGLE_UPLOAD_BYTES));

  const head = new Uint8Array(await file.slice(0, PDF_HEADER_SEARCH_LENGTH).arrayBuffer());
  return findPdfHeader(head) < 0 ? messages.uploadNotPdf : null;
}

function sendFile(
  orderId: string,
  file: File,
  uploadId: string,
  onProgress: (loaded: number) => void,
): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("PUT", `/auftraege/${encodeURIComponent(orderId)}/dateien`);
    request.setRequestHeader("X-Upload-Id", uploadId);
    request.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      let message: string = messages.uploadFailed;
      try {
        const body = JSON.parse(request.responseText) as { message?: unknown };
        if (typeof body.message === "string") message = body.message;
      } catch {
        // The response was not JSON, so the generic message stays.
      }
      resolve({ ok: request.status >= 200 && request.status < 300, message });
    };
    request.onerror = () => resolve({ ok: false, message: messages.uploadFailed });
    request.send(file);
  });
}

/** Chooses print files and sends each one to the order; the order's room reports the checks. */
export function PrintFileUpload({ orderId }: { orderId: string }) {
  const [items, setItems] = useState<UploadItem[]>([]);

  const update = (key: string, state: UploadState) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, state } : item)));

  async function uploadFiles(fileList: FileList) {
    const chosen = Array.from(fileList).map((file) => ({ file, key: crypto.randomUUID() }));
    setItems((current) => [
      ...chosen.map(({ file, key }) => ({ key, name: file.name, size: file.size, state: { status: "uploading", loaded: 0 } as const })),
      ...current,
    ]);

    for (const { file, key } of chosen) {
      const problem = await checkFile(file);
      if (problem) {
        update(key, { status: "error", message: problem });
        continue;
      }
      const result = await sendFile(orderId, file, key, (loaded) => update(key, { status: "uploading", loaded }));
      update(key, result.ok ? { status: "done" } : { status: "error", message: result.message });
    }
  }

  return (
    <div className="upload">
      <label className="upload-choose">
        <span>Druckdaten hochladen (PDF, bis {formatBytes(MAX_SINGLE_UPLOAD_BYTES)} pro Datei)</span>
        <span className="upload-button">Dateien auswählen</span>
        {/* The browser's own file control would label itself in the browser's language. */}
        <input
          className="visually-hidden"
          type="file"
          name="file"
          multiple
          accept="application/pdf,.pdf"
          onChange={(event) => {
            if (event.currentTarget.files?.length) void uploadFiles(event.currentTarget.files);
            event.currentTarget.value = "";
          }}
        />
      </label>
      {items.length > 0 ? (
        <ul className="upload-list" aria-live="polite">
          {items.map((item) => (
            <li key={item.key} className={`upload-item upload-${item.state.status}`}>
              <span className="upload-name">{item.name}</span> <span className="upload-size">({formatBytes(item.size)})</span>
              {item.state.status === "uploading" ? (
                <progress max={item.size} value={item.state.loaded} aria-label={`Fortschritt ${item.name}`} />
              ) : null}
              {item.state.status === "done" ? <span className="upload-message">{messages.uploadSucceeded}</span> : null}
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
