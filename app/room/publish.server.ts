import type { RoomEvent } from "./events";

/**
 * Sends an event to the order's room. Live updates are a convenience on top
 * of the stored state, so a failure is logged and never fails the caller.
 */
export async function publishToOrderRoom(env: Pick<Env, "OrderRoom">, orderId: string, event: RoomEvent) {
  try {
    await env.OrderRoom.getByName(orderId).publish(event);
  } catch (error) {
    console.error("order-room: publish failed", { orderId, event: event.type, error: String(error) });
  }
}
