import type { OrderStatus } from "~/db/values";
import { orderStatusLabels } from "~/messages";

export function StatusBadge({ status }: { status: OrderStatus }) {
  return <span className={`status status-${status}`}>{orderStatusLabels[status]}</span>;
}
