import { routePartykitRequest } from "partyserver";

import { findAccessibleOrder, isStaff } from "~/auth/guard.server";
import { readSessionToken, validateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { STAFF_FEED_ROOM } from "~/room/staff-feed-events";
import { ROOM_USER_HEADER } from "../party/order-room";

/**
 * Routes `/parties/order-room/<orderId>` to the order's room. A socket is
 * accepted only with a valid session of staff or of a contact of the order's
 * company: 401 without a session, 403 otherwise, decided before the room is
 * reached. A missing order also gets 403, so that ids cannot be probed.
 *
 * Routes `/parties/staff-feed/staff` to the staff feed, for staff only: 401
 * without a session, 403 for customers. Any other feed name gets 404.
 */
export function routeRoomRequest(request: Request, env: Env): Promise<Response | null> {
  return routePartykitRequest(request, env, {
    onBeforeConnect: (connectRequest, lobby) =>
      lobby.className === "StaffFeed"
        ? authorizeStaffFeedRequest(connectRequest, env, lobby.name)
        : authorizeRoomRequest(connectRequest, env, lobby.name),
    onBeforeRequest: () => new Response("Not found", { status: 404 }),
  });
}

async function authorizeStaffFeedRequest(request: Request, env: Env, name: string): Promise<Request | Response> {
  if (name !== STAFF_FEED_ROOM) return new Response("Not found", { status: 404 });

  const token = readSessionToken(request);
  const session = token ? await validateSessionToken(getDb(env), token) : null;
  if (!session) return new Response("Unauthorized", { status: 401 });
  if (!isStaff(session.user)) return new Response("Forbidden", { status: 403 });

  const forwarded = new Request(request);
  forwarded.headers.set(ROOM_USER_HEADER, JSON.stringify({ userId: session.user.id, role: session.user.role }));
  return forwarded;
}

async function authorizeRoomRequest(request: Request, env: Env, orderId: string): Promise<Request | Response> {
  const db = getDb(env);
  const token = readSessionToken(request);
  const session = token ? await validateSessionToken(db, token) : null;
  if (!session) return new Response("Unauthorized", { status: 401 });

  const order = await findAccessibleOrder(db, session.user, orderId);
  if (!order) return new Response("Forbidden", { status: 403 });

  const forwarded = new Request(request);
  const { id, role, name, salutation } = session.user;
  forwarded.headers.set(ROOM_USER_HEADER, JSON.stringify({ userId: id, sessionId: session.sessionId, role, name, salutation }));
  return forwarded;
}
