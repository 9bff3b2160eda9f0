import { useState, type ReactNode } from "react";
import { Form } from "react-router";

import type { ApprovalKind, OrderStatus } from "~/db/values";
import { formatDateTime, formatNumber } from "~/format";
import { orderPageMessages } from "~/orders/order-page-messages";

export interface OrderApproval {
  kind: ApprovalKind;
  createdAt: number;
  userName: string;
}

export interface ApprovalResult {
  ok: boolean;
  message: string;
}

/**
 * Renders the "Freigaben" box with who accepted the offer and who declared
 * the job ready for print. Customer contacts also get the button of the next
 * approval: "Angebot annehmen" on an offer, "Druckfrei erklären" on an
 * ordered job, each with an in-page confirmation step. Renders nothing when
 * there is nothing to show.
 */
export function OrderApprovals({
  order,
  hasPrintFiles,
  approvals,
  offerDocument,
  canApprove,
  result,
  submitting,
}: {
  order: { status: OrderStatus; version: number; offerNumber: string; terms: string | null };
  /** Whether the order has print files; a job without any cannot be declared ready for print. */
  hasPrintFiles: boolean;
  approvals: OrderApproval[];
  /** The offer document to link in the confirmation, if there is one. */
  offerDocument: { href: string; title: string } | null;
  /** True for customer contacts; staff neither accept offers nor declare jobs ready for print. */
  canApprove: boolean;
  result: ApprovalResult | null;
  submitting: boolean;
}) {
  const canAccept = canApprove && order.status === "offer";
  const canDeclare = canApprove && order.status === "ordered";
  if (approvals.length === 0 && !canAccept && !canDeclare && !result) return null;

  return (
    <section aria-labelledby="approvals-heading" className="order-approvals">
      <h2 id="approvals-heading">{orderPageMessages.approvalsHeading}</h2>
      {result ? (
        result.ok ? (
          <p className="form-success" role="status">
            {result.message}
          </p>
        ) : (
          <p className="form-error" role="alert">
            {result.message}
          </p>
        )
      ) : null}
      {approvals.length > 0 ? (
        <ul className="approval-list">
          {approvals.map((approval) => (
            <li key={approval.kind}>
              {(approval.kind === "offer_accepted" ? orderPageMessages.offerAcceptedBy : orderPageMessages.printReadyBy)(
                formatDateTime(approval.createdAt),
                approval.userName,
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {canAccept ? (
        <ConfirmedApproval
          intent="accept-offer"
          version={order.version}
          buttonLabel={orderPageMessages.acceptOfferButton}
          question={orderPageMessages.acceptOfferQuestion(formatNumber(order.offerNumber))}
          submitLabel={orderPageMessages.acceptOfferSubmit}
          submitting={submitting}
        >
          <h3>{orderPageMessages.acceptOfferTermsHeading}</h3>
          {order.terms?.trim() ? (
            <p className="approval-terms">{order.terms}</p>
          ) : (
            <p className="approval-terms">{orderPageMessages.acceptOfferTermsFromDocument}</p>
          )}
          {offerDocument ? (
            <p>
              <a href={offerDocument.href} target="_blank" rel="noopener noreferrer">
                {orderPageMessages.acceptOfferDocumentLink(offerDocument.title)}
              </a>
            </p>
          ) : null}
        </ConfirmedApproval>
      ) : null}
      {canDeclare && !hasPrintFiles ? <p className="muted">{orderPageMessages.printReadyNoFiles}</p> : null}
      {canDeclare && hasPrintFiles ? (
        <ConfirmedApproval
          intent="print-ready"
          version={order.version}
          buttonLabel={orderPageMessages.printReadyButton}
          question={orderPageMessages.printReadyQuestion}
          submitLabel={orderPageMessages.printReadySubmit}
          submitting={submitting}
        >
          <p>{orderPageMessages.printReadyExplanation}</p>
        </ConfirmedApproval>
      ) : null}
    </section>
  );
}

/**
 * Renders a button that first opens an in-page confirmation with the
 * consequences (`children`). Only the confirmation's submit button sends the
 * form, with the order's version shown when it opened.
 */
function ConfirmedApproval({
  intent,
  version,
  buttonLabel,
  question,
  submitLabel,
  submitting,
  children,
}: {
  intent: "accept-offer" | "print-ready";
  version: number;
  buttonLabel: string;
  question: string;
  submitLabel: string;
  submitting: boolean;
  children: ReactNode;
}) {
  // The version the page showed when the confirmation opened. If the order
  // changes while it is open (staff edit the terms, say), the user must read
  // it again before the form can be sent.
  const [openedVersion, setOpenedVersion] = useState<number | null>(null);
  const changedMeanwhile = openedVersion !== null && openedVersion !== version;

  if (openedVersion === null) {
    return (
      <button type="button" className="approval-start" onClick={() => setOpenedVersion(version)} disabled={submitting}>
        {buttonLabel}
      </button>
    );
  }

  const questionId = `${intent}-question`;
  return (
    <Form method="post" className="approval-confirm" aria-labelledby={questionId}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="version" value={openedVersion} />
      <p id={questionId} className="approval-question">
        <strong>{question}</strong>
      </p>
      {changedMeanwhile ? (
        <p className="form-error" role="alert">
          {orderPageMessages.approvalChangedMeanwhile}
        </p>
      ) : null}
      {children}
      {changedMeanwhile ? (
        <button type="button" className="approval-reread" onClick={() => setOpenedVersion(version)}>
          {orderPageMessages.approvalReread}
        </button>
      ) : (
        <button type="submit" className="approval-submit" disabled={submitting}>
          {submitLabel}
        </button>
      )}{" "}
      <button type="button" onClick={() => setOpenedVersion(null)} disabled={submitting}>
        {orderPageMessages.cancel}
      </button>
    </Form>
  );
}
