import { eq } from "drizzle-orm";
import { data } from "react-router";

import { findAccessibleOrder } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { files } from "~/db/schema";
import { messages } from "~/messages";

/**
 * Loads a print file and its order when the user may see the order: staff
 * every file, a customer only the files of the own company's orders.
 */
export async function findAccessibleFile(db: Database, user: SessionUser, fileId: string) {
  const file = await db.select().from(files).where(eq(files.id, fileId)).get();
  if (!file) return undefined;

  const order = await findAccessibleOrder(db, user, file.orderId);
  if (!order) return undefined;
  return { file, order };
}

/** Like findAccessibleFile, but throws a 404 for a missing file and for another company's file alike. */
export async function requireFileAccess(db: Database, user: SessionUser, fileId: string) {
  const found = await findAccessibleFile(db, user, fileId);
  if (!found) throw data({ message: messages.fileNotFound }, { status: 404 });
  return found;
}
