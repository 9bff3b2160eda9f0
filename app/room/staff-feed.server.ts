import * as v from "valibot";

import { STAFF_FEED_ROOM, orderActivitySchema, type OrderActivity } from "./staff-feed-events";

export type { OrderActivity } from "./staff-feed-events";

/**
 * Reports an order's activity to the staff feed. The feed is a convenience
 * view on top of the stored state, so an invalid activity or a failed call is
 * logged and never fails the caller.
 */
export async function reportOrderActivity(env: Pick<Env, "StaffFeed">, activity: OrderActivity): Promise<void> {
  const result = v.safeParse(orderActivitySchema, activity);
  if (!result.success) {
    console.error("staff-feed: invalid activity dropped", {
      orderId: activity.orderId,
      activity: activity.type,
      issues: v.flatten(result.issues),
    });
    return;
  }
  try {
    await env.StaffFeed.getByName(STAFF_FEED_ROOM).report(result.output);
  } catch (error) {
    console.error("staff-feed: report failed", { orderId: activity.orderId, activity: activity.type, error: String(error) });
  }
}
