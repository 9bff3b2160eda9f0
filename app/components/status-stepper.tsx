import { ORDER_STEPS, type OrderStatus } from "~/db/values";
import { orderStatusLabels } from "~/messages";

/** Shows the order's way from offer to invoice, with the current state marked. */
export function StatusStepper({ status }: { status: OrderStatus }) {
  const currentIndex = ORDER_STEPS.indexOf(status as (typeof ORDER_STEPS)[number]);

  return (
    <ol className="stepper" aria-label="Auftragsstatus">
      {ORDER_STEPS.map((step, index) => {
        let state = "open";
        if (index < currentIndex) state = "done";
        if (index === currentIndex) state = "current";
        return (
          <li key={step} className={`step step-${state}`} aria-current={state === "current" ? "step" : undefined}>
            <span className="step-marker" aria-hidden="true">
              {index + 1}
            </span>
            <span className="step-label">{orderStatusLabels[step]}</span>
          </li>
        );
      })}
    </ol>
  );
}
