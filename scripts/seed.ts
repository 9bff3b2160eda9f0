import initializeArgon2 from "@phi-ag/argon2/node";
import { getPlatformProxy } from "wrangler";

import { PASSWORD_HASH_OPTIONS } from "../app/auth/password-options";

import { DEMO_PASSWORD } from "./demo-data";
import { seedDemoData } from "./seed-demo";

// Seeds the local D1 database and R2 bucket in .wrangler/state (the same
// state that `npm start` serves) when the database has no shop yet.

const proxy = await getPlatformProxy<Env>({ persist: true });
try {
  const argon2 = await initializeArgon2();
  const { encoded } = argon2.hash(DEMO_PASSWORD, PASSWORD_HASH_OPTIONS);

  const seeded = await seedDemoData(proxy.env.DB, proxy.env.FILES, encoded);
  console.log(seeded ? `Seeded demo data: ${seeded.orders.length} orders.` : "Database already has data; seed skipped.");
} finally {
  await proxy.dispose();
}
