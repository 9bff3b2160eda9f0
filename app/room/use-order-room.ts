import usePartySocket from "partysocket/react";
import { useRevalidator } from "react-router";

import { ORDER_ROOM_PARTY, parseRoomEvent } from "./events";

/**
 * Connects the order page to the order's room and reloads the page's data
 * whenever the room reports a change, so that new files and check results
 * appear without a page reload. The socket reconnects by itself.
 */
export function useOrderRoom(orderId: string) {
  const revalidator = useRevalidator();

  usePartySocket({
    party: ORDER_ROOM_PARTY,
    room: orderId,
    onMessage(message) {
      const event = parseRoomEvent(message.data);
      if (!event) {
        console.warn("order-room: dropped unknown frame", { orderId });
        return;
      }
      void revalidator.revalidate();
    },
  });
}
