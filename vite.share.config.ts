import { gzipSync } from "node:zlib";

import { defineConfig, type Plugin } from "vite";

// Builds the share page's Preact island apart from the React portal into
// build/client/share/upload.js, which the Cloudflare plugin serves as a static
// asset. Run it after `react-router build`, which empties build/client first.
//
// NOTE: `npm run dev` builds the island once into public/share/ (ignored by
// git) and serves that copy, without hot reload: loading
// app/share-page/client.tsx from the dev server fails, because the React
// Router plugin's HMR transform expects the React refresh preamble.

/** Budget for the island's JavaScript after gzip, in bytes (20 KB, decimal). */
const MAX_GZIP_BYTES = 20_000;

/** Prints the bundle's gzip size and fails the build when it is over budget. */
function gzipBudget(maxBytes: number): Plugin {
  return {
    name: "share-page-gzip-budget",
    apply: "build",
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== "chunk") continue;

        const gzipBytes = gzipSync(output.code, { level: 9 }).length;
        const sizes = `${output.fileName}: ${output.code.length} bytes, ${gzipBytes} bytes gzip (limit ${maxBytes})`;
        if (gzipBytes > maxBytes) {
          this.error(`Share page bundle is over its size limit. ${sizes}. Remove dependencies from app/share-page/client.tsx.`);
        }
        this.info(sizes);
      }
    },
  };
}

export default defineConfig({
  // public/ belongs to the portal build, so nothing is copied from it here.
  publicDir: false,
  plugins: [gzipBudget(MAX_GZIP_BYTES)],
  resolve: { tsconfigPaths: true },
  build: {
    outDir: "build/client/share",
    emptyOutDir: false,
    copyPublicDir: false,
    target: "es2022",
    sourcemap: false,
    modulePreload: false,
    rolldownOptions: {
      input: "app/share-page/client.tsx",
      output: {
        format: "es",
        entryFileNames: "upload.js",
        // One file: the page loads a single script.
        codeSplitting: false,
      },
    },
  },
});
