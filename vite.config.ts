import { cloudflare } from "@cloudflare/vite-plugin";
import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

// Local runs need no network: without this, miniflare downloads the
// `request.cf` sample object from Cloudflare at start-up.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

export default defineConfig({
  plugins: [
    cloudflare({
      viteEnvironment: { name: "ssr" },
      // Local D1, R2, queue and Durable Object state; the browser tests use their own folder.
      persistState: { path: process.env.PORTAL_STATE_DIR ?? ".wrangler/state" },
      // Benchmarks read the Worker's heap through the inspector on a known port.
      inspectorPort: process.env.PORTAL_INSPECTOR_PORT ? Number(process.env.PORTAL_INSPECTOR_PORT) : undefined,
      // Links in e-mails point at PORTAL_URL; `npm start` sets it to the port it serves on.
      config: (config) => {
        if (process.env.PORTAL_URL) return { vars: { ...config.vars, PORTAL_URL: process.env.PORTAL_URL } };
      },
    }),
    reactRouter(),
  ],
  resolve: { tsconfigPaths: true },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
