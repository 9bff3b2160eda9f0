import { Server, type Connection, type ConnectionContext } from "partyserver";
import * as v from "valibot";

import type { RoomEvent } from "~/room/events";

// Identity of a connection, decided by the Worker before the socket reaches
// the room and passed in a request header that only the Worker can set.
export const ROOM_USER_HEADER = "X-Portal-Room-User";

const roomUserSchema = v.object({
  userId: v.string(),
  role: v.string(),
});

type RoomUser = v.InferOutput<typeof roomUserSchema>;

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * One room per order (named by the order id). It pushes the order's live
 * events to every open order page. Hibernation keeps idle rooms free of
 * cost; connection state lives in the socket attachment and survives it.
 */
export class OrderRoom extends Server<Env> {
  static options = { hibernate: true };

  onConnect(connection: Connection<RoomUser>, ctx: ConnectionContext) {
    const result = v.safeParse(roomUserSchema, parseJson(ctx.request.headers.get(ROOM_USER_HEADER)));
    if (!result.success) {
      console.error("order-room: connection without user", { orderId: this.name, connectionId: connection.id });
      connection.close(1008, "unauthorised");
      return;
    }
    connection.setState(result.output);
  }

  onMessage(connection: Connection<RoomUser>) {
    // Browsers only listen in this room for now; anything they send is dropped.
    console.warn("order-room: dropped client frame", { orderId: this.name, connectionId: connection.id });
  }

  /** Sends an event to everyone who has the order open. Called by the queue consumer and upload route over RPC. */
  async publish(event: RoomEvent) {
    this.broadcast(JSON.stringify(event));
  }
}
