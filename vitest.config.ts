import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Local runs need no network: without this, miniflare downloads the
// `request.cf` sample object from Cloudflare at start-up.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

// Two projects: pure modules run in Node, everything that touches D1, R2,
// queues or rooms runs inside workerd with the bindings from wrangler.toml.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { tsconfigPaths: true },
        test: {
          name: "node",
          include: ["app/**/*.test.ts", "scripts/**/*.test.ts", "tests/fuzz/**/*.test.ts"],
          exclude: ["**/*.worker.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            main: "./workers/app.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // An empty database of its own for the migration test.
              d1Databases: { MIGRATION_TEST_DB: "migration-test" },
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("./migrations"),
              },
            },
          })),
        ],
        resolve: {
          tsconfigPaths: true,
          alias: {
            // The worker tests drive rooms, queues and storage; pages are
            // covered by the browser tests against a real build.
            "virtual:react-router/server-build": "./tests/support/no-server-build.ts",
          },
        },
        test: {
          name: "workers",
          include: ["**/*.worker.test.ts"],
          exclude: ["node_modules/**"],
          setupFiles: ["./tests/support/apply-migrations.ts"],
        },
      },
    ],
  },
});
