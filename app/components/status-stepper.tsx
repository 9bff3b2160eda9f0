import { ORDER_STEPS, type OrderStatus } from "~/db/values";
import { formatDate } from "~/format";
import { orderStatusLabels } from "~/messages";
import { orderPageMessages } from "~/orders/order-page-messages";

/**
 * Shows the order's way from offer to invoice, with the current state marked
 * and the date each reached state was reached. A withdrawn offer gets a
 * notice in place of the current marker.
 */
export function StatusStepper({ status, dates }: { status: OrderStatus; dates: Partial<Record<OrderStatus, number>> }) {
  const withdrawn = status === "withdrawn";
  // A withdrawn offer never left the first step.
  const currentIndex = withdrawn ? 0 : ORDER_STEPS.indexOf(status as (typeof ORDER_STEPS)[number]);

  return (
    <div className="stepper-box">
      <ol className="stepper" aria-label="Auftragsstatus">
        {ORDER_STEPS.map((step, index) => {
          let state = "open";
          if (index < currentIndex || (withdrawn && index === currentIndex)) state = "done";
          else if (index === currentIndex) state = "current";
          const reachedAt = state === "open" ? undefined : dates[step];
          return (
            <li key={step} className={`step step-${state}`} aria-current={state === "current" ? "step" : undefined}>
              <span className="step-marker" aria-hidden="true">
                {index + 1}
              </span>
              <span className="step-text">
                <span className="step-label">{orderStatusLabels[step]}</span>
                {reachedAt === undefined ? null : (
                  <time className="step-date" dateTime={new Date(reachedAt).toISOString()}>
                    {formatDate(reachedAt)}
                  </time>
                )}
              </span>
            </li>
          );
        })}
      </ol>
      {withdrawn ? (
        <p className="stepper-withdrawn" role="note">
          <strong>{orderPageMessages.withdrawnNotice}</strong>
          {dates.withdrawn === undefined ? null : <> {orderPageMessages.withdrawnOn(formatDate(dates.withdrawn))}</>}
        </p>
      ) : null}
    </div>
  );
}
