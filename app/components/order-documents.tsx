import type { DocumentKind } from "~/db/values";
import { formatDate } from "~/format";
import { orderPageMessages } from "~/orders/order-page-messages";

export interface OrderDocument {
  id: string;
  kind: DocumentKind;
  title: string;
  /** Whether the file is stored in R2; otherwise the document is only `url`. */
  stored: boolean;
  url: string | null;
  createdAt: number;
  updatedAt: number | null;
}

const GROUPS: { kind: DocumentKind; heading: string }[] = [
  { kind: "offer", heading: orderPageMessages.documentGroupOffer },
  { kind: "order_confirmation", heading: orderPageMessages.documentGroupConfirmation },
  { kind: "approval", heading: orderPageMessages.documentGroupApproval },
  { kind: "other", heading: orderPageMessages.documentGroupOther },
];

/**
 * Renders the "Dokumente" box, grouped by kind. A stored document has a
 * magnifier that opens it in a new tab, and a download link. The
 * "Datenfreigabe" is a link to the external approval portal.
 */
export function OrderDocuments({ documents }: { documents: OrderDocument[] }) {
  return (
    <section aria-labelledby="documents-heading" className="order-documents">
      <h2 id="documents-heading">Dokumente</h2>
      {documents.length === 0 ? <p className="empty">{orderPageMessages.documentsEmpty}</p> : null}
      {GROUPS.map((group) => {
        const members = documents.filter((document) => document.kind === group.kind);
        if (members.length === 0) return null;
        const headingId = `documents-${group.kind}-heading`;
        return (
          <section key={group.kind} aria-labelledby={headingId} className="document-group">
            <h3 id={headingId}>{group.heading}</h3>
            <ul className="documents">
              {members.map((document) => (
                <li key={document.id} className="document" data-document-id={document.id}>
                  <DocumentEntry document={document} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

function DocumentEntry({ document }: { document: OrderDocument }) {
  const date = (
    <span className="muted document-date">{orderPageMessages.documentDate(formatDate(document.updatedAt ?? document.createdAt))}</span>
  );

  if (!document.stored) {
    // Only https links are rendered, so that a stored value can never become a script URL.
    const url = document.url && document.url.startsWith("https://") ? document.url : null;
    return (
      <>
        {url ? (
          <a href={url} target="_blank" rel="noopener noreferrer">
            {document.kind === "approval" ? orderPageMessages.approvalLinkLabel(document.title) : document.title}
          </a>
        ) : (
          <span className="document-title">{document.title}</span>
        )}{" "}
        {date}
      </>
    );
  }

  const href = `/dokumente/${encodeURIComponent(document.id)}`;
  return (
    <>
      <span className="document-title">{document.title}</span> {date}{" "}
      <span className="document-actions">
        <a
          href={href}
          target="_blank"
          rel="noopener noreferrer"
          className="document-view"
          aria-label={orderPageMessages.documentView(document.title)}
          title={orderPageMessages.documentView(document.title)}
        >
          <MagnifierIcon />
        </a>{" "}
        <a
          href={`${href}?download=1`}
          download
          className="document-download"
          aria-label={orderPageMessages.documentDownload(document.title)}
        >
          {orderPageMessages.documentDownloadLabel}
        </a>
      </span>
    </>
  );
}

function MagnifierIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M15 15l6 6" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
    </svg>
  );
}
