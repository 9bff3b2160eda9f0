/** @jsxImportSource preact */
import { hydrate } from "preact";

import { ISLAND_ID, VIEW_DATA_ID } from "./ids";
import { UploadIsland, type UploadView } from "./upload-island";

// Entry of the share page's island bundle (see `vite.share.config.ts`). Only
// the upload view loads this script.

const root = document.getElementById(ISLAND_ID);
const data = document.getElementById(VIEW_DATA_ID);

if (root && data?.textContent) {
  const view = JSON.parse(data.textContent) as UploadView;
  hydrate(<UploadIsland view={view} />, root);
  // Shows the uploader and hides the text that requests JavaScript (see render.tsx).
  document.documentElement.classList.add("js");
}
