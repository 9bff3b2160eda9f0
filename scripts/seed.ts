import { join } from "node:path";

import initializeArgon2 from "@phi-ag/argon2/node";
import { getPlatformProxy } from "wrangler";

import { PASSWORD_HASH_OPTIONS } from "../app/auth/password-options";

import { DEMO_PASSWORD } from "./demo-data";
import { seedDemoData } from "./seed-demo";

// Seeds the local D1 database and R2 bucket (in PORTAL_STATE_DIR, by default
// .wrangler/state, which `npm start` serves) when the database has no shop yet.

const stateDir = process.env.PORTAL_STATE_DIR ?? ".wrangler/state";
const proxy = await getPlatformProxy<Env>({ persist: { path: join(stateDir, "v3") } });
try {
  const argon2 = await initializeArgon2();
  const { encoded } = argon2.hash(DEMO_PASSWORD, PASSWORD_HASH_OPTIONS);

  const seeded = await seedDemoData(proxy.env.DB, proxy.env.FILES, encoded);
  console.log(seeded ? `Seeded demo data: ${seeded.orders.length} orders.` : "Database already has data; seed skipped.");
} finally {
  await proxy.dispose();
}
