import { useRef } from "react";
import usePartySocket from "partysocket/react";
import { useRevalidator } from "react-router";

import { HEARTBEAT_PONG, ORDER_ROOM_PARTY, parseServerFrame, type ChatServerFrame } from "./events";

export interface OrderRoomHandlers {
  onChatFrame?: (frame: ChatServerFrame) => void;
  onOpen?: () => void;
  onClose?: () => void;
}

/**
 * Connects the order page to the order's room and reloads the page's data
 * whenever the room reports a change, so that new files and check results
 * appear and deleted files disappear without a page reload. Chat frames go
 * to `onChatFrame`. The socket reconnects by itself; it buffers nothing while
 * closed, because the chat keeps its own outbox.
 */
export function useOrderRoom(orderId: string, handlers: OrderRoomHandlers = {}) {
  const revalidator = useRevalidator();
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  return usePartySocket({
    party: ORDER_ROOM_PARTY,
    room: orderId,
    maxEnqueuedMessages: 0,
    onOpen() {
      handlersRef.current.onOpen?.();
    },
    onClose() {
      handlersRef.current.onClose?.();
    },
    onMessage(message) {
      if (message.data === HEARTBEAT_PONG) return;
      const frame = parseServerFrame(message.data);
      if (!frame) {
        console.warn("order-room: dropped unknown frame", { orderId });
        return;
      }
      switch (frame.type) {
        case "order.updated":
        case "documents.changed":
        case "file.added":
        case "file.deleted":
        case "preflight.updated":
        case "preflight.progress":
          void revalidator.revalidate();
          return;
        default:
          handlersRef.current.onChatFrame?.(frame);
      }
    },
  });
}
