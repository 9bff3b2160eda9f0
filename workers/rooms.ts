import { routePartykitRequest } from "partyserver";

import { findAccessibleOrder } from "~/auth/guard.server";
import { readSessionToken, validateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { ROOM_USER_HEADER } from "../party/order-room";

/**
 * Routes `/parties/order-room/<orderId>` to the order's room. A socket is
 * accepted only with a valid session of staff or of a contact of the order's
 * company: 401 without a session, 403 otherwise, decided before the room is
 * reached. A missing order also gets 403, so that ids cannot be probed.
 */
export function routeRoomRequest(request: Request, env: Env): Promise<Response | null> {
  return routePartykitRequest(request, env, {
    onBeforeConnect: (connectRequest, lobby) => authorizeRoomRequest(connectRequest, env, lobby.name),
    onBeforeRequest: () => new Response("Not found", { status: 404 }),
  });
}

async function authorizeRoomRequest(request: Request, env: Env, orderId: string): Promise<Request | Response> {
  const db = getDb(env);
  const token = readSessionToken(request);
  const session = token ? await validateSessionToken(db, token) : null;
  if (!session) return new Response("Unauthorized", { status: 401 });

  const order = await findAccessibleOrder(db, session.user, orderId);
  if (!order) return new Response("Forbidden", { status: 403 });

  const forwarded = new Request(request);
  forwarded.headers.set(ROOM_USER_HEADER, JSON.stringify({ userId: session.user.id, role: session.user.role }));
  return forwarded;
}
