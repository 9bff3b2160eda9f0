/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";

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
import { neutralUploadMessage } from "~/share-links/messages";
import { checkFileBeforeUpload } from "~/uploads/check-file";
import { progressText } from "~/uploads/client/progress-text";
import { acceptAttribute } from "~/uploads/file-type";

import { shareTexts } from "./texts";
import { MAX_UPLOADER_NAME_CHARS, type SharePageView } from "./view";

export type UploadView = Extract<SharePageView, { kind: "upload" }>;

type FileState =
  | { status: "checking" }
  | { status: "uploading"; progress: UploadProgress }
  | { status: "done"; message: string }
  | { status: "error"; message: string };

interface FileItem {
  id: number;
  name: string;
  size: number;
  state: FileState;
}

/** Files sent at the same time; each file sends its parts in parallel too. */
const PARALLEL_FILES = 2;

let nextItemId = 1;

/** Base URL of the link's upload API. */
export function shareUploadBaseUrl(token: string): string {
  return `/hochladen/${encodeURIComponent(token)}/uploads`;
}

/** Key part of the resume state, kept apart from the portal's order ids. */
export function shareUploadScope(token: string): string {
  return `link:${token}`;
}

/**
 * Renders the share page's uploader: an optional name, a drop zone and one
 * row per file. The server renders the controls disabled, and the browser
 * enables them only after hydrating the same markup, so that no file can be
 * chosen before the script can send it.
 */
export function UploadIsland({ view }: { view: UploadView }) {
  const baseUrl = shareUploadBaseUrl(view.token);
  const scope = shareUploadScope(view.token);
  const [ready, setReady] = useState(false);
  const [uploaderName, setUploaderName] = useState("");
  const [items, setItems] = useState<FileItem[]>([]);
  const [resumable, setResumable] = useState<ResumeState[]>([]);
  const [dragging, setDragging] = useState(false);

  // localStorage exists only in the browser, so the list comes after hydration.
  useEffect(() => {
    setResumable(findResumableUploads(scope));
    setReady(true);
  }, [scope]);

  const update = (id: number, state: FileState) =>
    setItems((current) => current.map((item) => (item.id === id ? { ...item, state } : item)));

  async function uploadOne(file: File, id: number, name: string) {
    const problem = await checkFileBeforeUpload(file, view);
    if (problem) {
      update(id, { status: "error", message: neutralUploadMessage(problem) });
      return;
    }

    const result = await uploadFile({
      baseUrl,
      scope,
      file,
      createFields: name ? { uploaderName: name } : undefined,
      failedMessage: messages.uploadFailed,
      onProgress: (progress) => update(id, { status: "uploading", progress }),
    });
    update(id, result.ok ? { status: "done", message: shareTexts.uploaded } : { status: "error", message: result.message });
  }

  async function uploadFiles(fileList: FileList) {
    const name = uploaderName.trim();
    const chosen = Array.from(fileList, (file) => ({ file, id: nextItemId++ }));

    setResumable((current) => withoutChosenFiles(current, scope, Array.from(fileList)));
    setItems((current) => [
      ...chosen.map(({ file, id }): FileItem => ({ id, name: file.name, size: file.size, state: { status: "checking" } })),
      ...current,
    ]);

    await runInParallel(chosen, PARALLEL_FILES, ({ file, id }) => uploadOne(file, id, name));
    setResumable(findResumableUploads(scope));
  }

  async function discard(state: ResumeState) {
    forgetResumableUpload(state);
    setResumable((current) => current.filter((candidate) => candidate.uploadId !== state.uploadId));
    // The hourly cleanup aborts the upload anyway when this request fails.
    await fetch(`${baseUrl}/${encodeURIComponent(state.uploadId)}`, { method: "DELETE" }).catch(() => undefined);
  }

  const active = items.filter((item) => item.state.status === "uploading" || item.state.status === "checking");
  const totalBytes = active.reduce((sum, item) => sum + item.size, 0);
  const loadedBytes = active.reduce((sum, item) => sum + (item.state.status === "uploading" ? item.state.progress.loaded : 0), 0);
  const accept = acceptAttribute(view.acceptedTypes);

  return (
    <div>
      <label class="field">
        <span>{shareTexts.nameLabel}</span>
        <input
          type="text"
          name="uploaderName"
          autocomplete="name"
          maxLength={MAX_UPLOADER_NAME_CHARS}
          value={uploaderName}
          disabled={!ready}
          onInput={(event) => setUploaderName(event.currentTarget.value)}
        />
        <small>{shareTexts.nameHint}</small>
      </label>

      <label
        class={`drop${dragging ? " drop-active" : ""}${ready ? "" : " drop-disabled"}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          if (ready && event.dataTransfer?.files.length) void uploadFiles(event.dataTransfer.files);
        }}
      >
        <span>{shareTexts.dropHint}</span>
        <br />
        <span class="button">{shareTexts.chooseFiles}</span>
        {/* The browser's own file control would label itself in the browser's language. */}
        <input
          class="visually-hidden"
          type="file"
          name="file"
          multiple
          accept={accept}
          disabled={!ready}
          onChange={(event) => {
            const input = event.currentTarget;
            if (input.files?.length) void uploadFiles(input.files);
            input.value = "";
          }}
        />
      </label>

      {resumable.length > 0 ? (
        <div class="resume notice" role="status">
          <p>{shareTexts.resumeIntro}</p>
          <ul>
            {resumable.map((state) => (
              <li key={state.uploadId}>
                <span class="file-name">{state.fileName}</span> ({formatBytes(state.size)}){" "}
                <button type="button" class="link-button" onClick={() => void discard(state)}>
                  {shareTexts.discard}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {active.length > 1 ? (
        <div class="total">
          {shareTexts.total(formatBytes(loadedBytes), formatBytes(totalBytes))}
          <progress max={totalBytes} value={loadedBytes} aria-label={shareTexts.totalLabel} />
        </div>
      ) : null}

      {items.length > 0 ? (
        <ul class="files" aria-live="polite">
          {items.map((item) => (
            <li key={item.id} class={`file file-${item.state.status}`}>
              <span class="file-name">{item.name}</span> ({formatBytes(item.size)})
              <FileStatus item={item} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function FileStatus({ item }: { item: FileItem }) {
  const state = item.state;
  switch (state.status) {
    case "checking":
      return <span class="file-status">{shareTexts.checking}</span>;
    case "uploading":
      return (
        <>
          <progress max={item.size} value={state.progress.loaded} aria-label={shareTexts.fileProgressLabel(item.name)} />
          <span class="file-status">{progressText(state.progress)}</span>
        </>
      );
    case "done":
      return <span class="file-status">{state.message}</span>;
    case "error":
      return (
        <span class="file-status" role="alert">
          {state.message}
        </span>
      );
  }
}
