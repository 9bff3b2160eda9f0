import { spawn, spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

import { DEMO_FIRST_LOGIN_EMAIL, DEMO_LOGINS, DEMO_PASSWORD } from "./demo-data";

// `npm start`: prepares the local state, builds, and serves the portal in
// workerd with D1, R2, the preflight queue and the order rooms, all local.

const port = process.env.PORT ?? "8787";
const stateDir = process.env.PORTAL_STATE_DIR ?? ".wrangler/state";
const url = `http://127.0.0.1:${port}`;
// The build bakes PORTAL_URL (the base of links in e-mails) into the Worker's
// variables, so it must match the port served here.
const portalUrlEnv: Record<string, string> = { PORTAL_URL: process.env.PORTAL_URL ?? url };
const bin = (name: string) => `node_modules/.bin/${name}`;

function run(step: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  console.log(`\n> ${step}`);
  const env = {
    ...process.env,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    ...extraEnv,
  };
  const result = spawnSync(bin(command), args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`${step} failed (exit code ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

async function waitForServer(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/anmelden`);
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  return false;
}

run("Applying local D1 migrations", "wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir]);
// The seed only writes D1 and R2; WRANGLER_LOG=error hides wrangler's
// warnings that the Durable Objects cannot run inside the seed script.
run("Seeding demo data", "tsx", ["scripts/seed.ts"], { WRANGLER_LOG: "error" });
run("Building", "react-router", ["build"], portalUrlEnv);
// After the portal build, which empties build/client: the share page's island goes to build/client/share.
run("Building the share page", "vite", ["build", "--config", "vite.share.config.ts"]);

console.log(`\n> Serving on ${url}`);
const server = spawn(bin("vite"), ["preview", "--host", "127.0.0.1", "--port", port, "--strictPort", "--bypass-lock"], {
  stdio: "inherit",
  env: { ...process.env, ...portalUrlEnv },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code) => process.exit(code ?? 0));

if (await waitForServer(60_000)) {
  console.log(`\nThe portal is running at ${url}`);
  console.log(`Demo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const login of DEMO_LOGINS) console.log(`  ${login.email.padEnd(30)} ${login.role}`);
  console.log(`Without a password yet (first login through "Passwort vergessen"): ${DEMO_FIRST_LOGIN_EMAIL}`);
  console.log("Press Ctrl+C to stop.");
} else {
  console.error(`The server did not respond at ${url} within 60 seconds; see the output above.`);
}
