import { Fragment, useState } from "react";
import { data, Form, Link, redirect, useActionData, useNavigation, useRouteLoaderData } from "react-router";
import * as v from "valibot";

import { getCompany } from "~/admin/companies.server";
import { isStaff, requireOrderAccess, requireUser } from "~/auth/guard.server";
import { ChatEmailSwitch } from "~/components/chat-email-switch";
import { OrderApprovals } from "~/components/order-approvals";
import { OrderChat } from "~/components/order-chat";
import { OrderDocuments } from "~/components/order-documents";
import { OrderHistory } from "~/components/order-history";
import { PreflightResult } from "~/components/preflight-result";
import { PrintFileUpload } from "~/components/print-file-upload";
import { ShareLinks } from "~/components/share-links";
import { StatusStepper } from "~/components/status-stepper";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { deletePrintFile } from "~/files/delete.server";
import { ORDER_SPEC_FIELDS, type OrderSpec } from "~/db/values";
import { formatBytes, formatDate, formatDateTime, formatNumber } from "~/format";
import { messages } from "~/messages";
import { parseChatEmailsForm } from "~/notifications/settings-form.server";
import { chatEmailsEnabled, getChatEmailSettings, setChatEmails } from "~/notifications/settings.server";
import { HISTORY_LIMIT, listOrderTimeline, listStatusDates } from "~/orders/history.server";
import { describeUploader, orderPageMessages, orderSpecLabels } from "~/orders/order-page-messages";
import { handlePreflightControl } from "~/orders/preflight-controls.server";
import { getOrderManager, listOrderApprovals, listOrderDocuments, listOrderFiles } from "~/orders/queries.server";
import { transitionMessages } from "~/orders/transition-messages";
import { acceptOffer, declarePrintReady } from "~/orders/transitions.server";
import { listProfiles } from "~/preflight";
import type { loader as rootLoader } from "~/root";
import { useOrderChat } from "~/room/use-order-chat";
import { DEFAULT_LINK_DAYS, listShareLinks, MAX_LINK_DAYS } from "~/share-links/links.server";
import { getUploadPolicy } from "~/shop-settings.server";

import type { Route } from "./+types/order";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const order = await requireOrderAccess(db, user, params.orderId);
  const showAllHistory = new URL(request.url).searchParams.get("verlauf") === "alle";
  const [manager, documents, files, uploadPolicy, history, statusDates, approvals, shareLinks] = await Promise.all([
    getOrderManager(db, order.managerId),
    listOrderDocuments(db, order.id),
    listOrderFiles(db, order.id),
    getUploadPolicy(db),
    listOrderTimeline(db, order.id, showAllHistory ? null : HISTORY_LIMIT),
    listStatusDates(db, order.id),
    listOrderApprovals(db, order.id),
    listShareLinks(db, order.id),
  ]);
  const staff = isStaff(user);
  // Staff see whose order it is; customers know their own company.
  const companyRow = staff ? await getCompany(db, order.companyId) : undefined;
  const company = companyRow ? { id: companyRow.id, name: companyRow.name } : null;
  const chatEmails = chatEmailsEnabled(await getChatEmailSettings(db, user.id, order.id));

  return {
    order: {
      id: order.id,
      title: order.title,
      status: order.status,
      offerNumber: order.offerNumber,
      orderNumber: order.orderNumber,
      createdAt: order.createdAt,
      preflightProfile: order.preflightProfile,
      version: order.version,
      spec: order.spec,
      terms: order.terms,
    },
    manager,
    company,
    documents,
    statusDates,
    approvals,
    // Customers never see why a check failed; that reason is for prepress.
    files: staff ? files : files.map((file) => ({ ...file, run: file.run ? { ...file.run, error: null } : null })),
    preflightControls: staff ? { profiles: listProfiles().map(({ id, name }) => ({ id, name })) } : null,
    viewer: { userId: user.id, role: user.role },
    chatEmails,
    uploadPolicy,
    history: { ...history, showingAll: showAllHistory, limit: HISTORY_LIMIT },
    shareLinks: order.status === "withdrawn" ? null : { links: shareLinks, defaultDays: DEFAULT_LINK_DAYS, maxDays: MAX_LINK_DAYS },
  };
}

/** The form of "Angebot annehmen" and "Druckfrei erklären": the intent and the order's version the page showed. */
const approvalFormSchema = v.object({
  intent: v.picklist(["accept-offer", "print-ready"]),
  version: v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number), v.minValue(1)),
});

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const order = await requireOrderAccess(db, user, params.orderId);

  const form = Object.fromEntries(await request.formData());
  if (form.intent === "chat-emails") {
    const parsed = parseChatEmailsForm(form);
    if (!parsed.ok) return data({ ok: false, message: parsed.message }, { status: 400 });
    await setChatEmails(db, user.id, order.id, parsed.enabled);
    console.info("order: chat e-mails set for the order", { userId: user.id, orderId: order.id, enabled: parsed.enabled });
    return redirect(`/auftraege/${order.id}#benachrichtigungen`);
  }

  if (form.intent === "accept-offer" || form.intent === "print-ready") {
    const parsed = v.safeParse(approvalFormSchema, form);
    if (!parsed.success) {
      return data({ ok: false, message: transitionMessages.versionInvalid, approval: true }, { status: 400 });
    }
    const { intent, version } = parsed.output;
    const result =
      intent === "accept-offer"
        ? await acceptOffer(env, db, user, order.id, version)
        : await declarePrintReady(env, db, user, order.id, version);
    if (!result.ok) return data({ ok: false, message: result.message, approval: true }, { status: result.status });
    return data({ ok: true, message: result.message, approval: true });
  }

  if (form.intent === "delete-file") {
    const deletion = await deletePrintFile(env, db, user, order.id, form.fileId);
    if (!deletion.ok) return data({ ok: false, message: deletion.message }, { status: deletion.status });
    return data({ ok: true, message: messages.fileDeleted(deletion.originalName) });
  }

  const result = await handlePreflightControl(env, db, user, order.id, form);
  if (!result.ok) return data({ ok: false, message: result.message }, { status: result.status });

  return redirect(`/auftraege/${order.id}`);
}

export function meta({ loaderData }: Route.MetaArgs) {
  const number = loaderData?.order.orderNumber ?? loaderData?.order.offerNumber;
  return [{ title: number ? `Auftrag ${formatNumber(number)}` : "Auftrag" }];
}

export default function Order({ loaderData }: Route.ComponentProps) {
  const { order, manager, company, documents, statusDates, approvals, files, preflightControls, viewer, uploadPolicy, history, shareLinks } =
    loaderData;
  const rootData = useRouteLoaderData<typeof rootLoader>("root");
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";
  const chat = useOrderChat(order.id, viewer);
  const approvalResult = actionData && "approval" in actionData ? actionData : null;
  const fileResult = actionData && !("approval" in actionData) ? actionData : null;
  const offerDocument = documents.find((document) => document.kind === "offer" && document.stored);

  return (
    <div className="order-page">
      <div className="order-content">
        <p>
          <Link to="/">← Zur Übersicht</Link>
        </p>
        <h1>{order.title}</h1>
        {preflightControls ? (
          <p className="order-staff-edit">
            <Link to={`/verwaltung/auftraege/${encodeURIComponent(order.id)}`}>{orderPageMessages.staffEditLink}</Link>
          </p>
        ) : null}
        <StatusStepper status={order.status} dates={statusDates} />

        <OrderApprovals
          order={order}
          hasPrintFiles={files.length > 0}
          approvals={approvals}
          offerDocument={
            offerDocument ? { href: `/dokumente/${encodeURIComponent(offerDocument.id)}`, title: offerDocument.title } : null
          }
          canApprove={viewer.role === "customer"}
          result={approvalResult}
          submitting={submitting}
        />

        <section aria-labelledby="details-heading">
          <h2 id="details-heading">Auftragsdetails</h2>
          <dl className="details">
            {company ? (
              <>
                <dt>Firma</dt>
                <dd>
                  <Link to={`/verwaltung/firmen/${encodeURIComponent(company.id)}`}>{company.name}</Link>
                </dd>
              </>
            ) : null}
            <dt>Auftragsbezeichnung</dt>
            <dd>{order.title}</dd>
            <dt>Auftragsnummer</dt>
            <dd>{order.orderNumber ? formatNumber(order.orderNumber) : orderPageMessages.noOrderNumber}</dd>
            <dt>Angebotsnummer</dt>
            <dd>{formatNumber(order.offerNumber)}</dd>
          </dl>
          <OrderSpecification spec={order.spec} />
        </section>

        <OrderDocuments documents={documents} />

        <section aria-labelledby="files-heading">
          <h2 id="files-heading">Druckdaten</h2>
          {order.status === "withdrawn" ? (
            <p className="muted">{orderPageMessages.uploadsClosedWithdrawn}</p>
          ) : (
            <>
              {viewer.role === "customer" && approvals.some((approval) => approval.kind === "print_ready") ? (
                <p className="muted">{orderPageMessages.uploadAfterPrintReady}</p>
              ) : null}
              <PrintFileUpload orderId={order.id} policy={uploadPolicy} />
            </>
          )}
          {preflightControls ? (
            <Form method="post" className="preflight-profile">
              <input type="hidden" name="intent" value="set-profile" />
              <label>
                Prüfprofil für neue Prüfungen{" "}
                <select name="profile" defaultValue={order.preflightProfile} key={order.preflightProfile}>
                  {preflightControls.profiles.map((profile) => (
                    <option key={profile.id} value={profile.id}>
                      {profile.name}
                    </option>
                  ))}
                </select>
              </label>{" "}
              <button type="submit" disabled={submitting}>
                Profil speichern
              </button>
            </Form>
          ) : null}
          {fileResult?.message ? (
            fileResult.ok ? (
              <p className="form-success" role="status">
                {fileResult.message}
              </p>
            ) : (
              <p className="form-error" role="alert">
                {fileResult.message}
              </p>
            )
          ) : null}
          {files.length === 0 ? (
            order.status === "withdrawn" ? null : (
              <p className="empty">Noch keine Druckdaten. Laden Sie Ihre Dateien hoch; PDF-Dateien prüfen wir sofort.</p>
            )
          ) : (
            <ul className="files">
              {files.map((file) => (
                <li key={file.id} className="file" data-file-id={file.id}>
                  <p className="file-name">
                    {file.originalName}{" "}
                    <span className="muted">
                      ({formatBytes(file.size)}, hochgeladen am {formatDateTime(file.createdAt)}{describeUploader(file)})
                    </span>{" "}
                    <Link to={`/dateien/${encodeURIComponent(file.id)}/bericht`} className="file-report-link">
                      Bericht
                    </Link>
                  </p>
                  {file.run || file.contentType === null || file.contentType === "application/pdf" ? (
                    <PreflightResult run={file.run} staff={preflightControls !== null} />
                  ) : (
                    <p className="preflight preflight-not-checked" role="status">
                      {messages.preflightNotChecked}
                    </p>
                  )}
                  {preflightControls && file.run?.profile ? (
                    <p className="muted preflight-profile-used">
                      Prüfprofil:{" "}
                      {preflightControls.profiles.find((profile) => profile.id === file.run?.profile)?.name ?? file.run.profile}
                    </p>
                  ) : null}
                  {preflightControls && (file.contentType === null || file.contentType === "application/pdf") ? (
                    <Form method="post" className="preflight-rerun">
                      <input type="hidden" name="intent" value="rerun" />
                      <input type="hidden" name="fileId" value={file.id} />
                      <button type="submit" disabled={submitting}>
                        Erneut prüfen
                      </button>
                    </Form>
                  ) : null}
                  {preflightControls ? <FileDeleteControl file={file} submitting={submitting} /> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        {shareLinks ? (
          <ShareLinks
            orderId={order.id}
            links={shareLinks.links}
            defaultDays={shareLinks.defaultDays}
            maxDays={shareLinks.maxDays}
            shopMaxBytes={uploadPolicy.maxBytes}
            staff={preflightControls !== null}
          />
        ) : null}

        <OrderHistory
          entries={history.entries}
          truncated={history.truncated}
          showingAll={history.showingAll}
          limit={history.limit}
        />

        <OrderChat chat={chat} viewer={viewer} />
      </div>

      <aside className="order-sidebar">
        <section aria-labelledby="manager-heading">
          <h2 id="manager-heading">
            {managerHeading(manager?.salutation ?? null, preflightControls !== null)}
          </h2>
          {manager ? (
            <address>
              {manager.hasPhoto ? (
                <img
                  className="order-manager-photo"
                  src={`/team/${encodeURIComponent(manager.id)}/foto`}
                  alt={`Foto von ${manager.name}`}
                  width={96}
                  height={96}
                />
              ) : null}
              <strong>{[manager.salutation, manager.name].filter(Boolean).join(" ")}</strong>
              {manager.phone ? (
                <>
                  <br />
                  Telefon: <a href={`tel:${manager.phone.replace(/[^+\d]/g, "")}`}>{manager.phone}</a>
                </>
              ) : null}
              <br />
              E-Mail: <a href={`mailto:${manager.email}`}>{manager.email}</a>
            </address>
          ) : (
            <p>Für diesen Auftrag ist noch kein Auftragsmanager eingetragen.</p>
          )}
        </section>
        {rootData ? (
          <section aria-labelledby="prepress-heading">
            <h2 id="prepress-heading">Druckvorstufe</h2>
            <address>
              Telefon:{" "}
              <a href={`tel:${rootData.shop.prepressPhone.replace(/[^+\d]/g, "")}`}>{rootData.shop.prepressPhone}</a>
              <br />
              E-Mail: <a href={`mailto:${rootData.shop.prepressEmail}`}>{rootData.shop.prepressEmail}</a>
              <br />
              Erreichbar: {rootData.shop.prepressHours}
            </address>
          </section>
        ) : null}
        <section id="benachrichtigungen" aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">Benachrichtigungen</h2>
          <ChatEmailSwitch
            enabled={loaderData.chatEmails}
            legend="E-Mails zu neuen Nachrichten in diesem Auftrag"
            hint={
              <>
                Für alle Aufträge: <Link to="/profil">Profil</Link>
              </>
            }
          />
        </section>
      </aside>
    </div>
  );
}

/**
 * Renders the staff "Löschen" button of a print file. Deleting cannot be
 * undone, so the first click only opens an in-page confirmation naming the file.
 */
function FileDeleteControl({ file, submitting }: { file: { id: string; originalName: string }; submitting: boolean }) {
  const [confirming, setConfirming] = useState(false);

  if (!confirming) {
    return (
      <button type="button" className="file-delete" onClick={() => setConfirming(true)} disabled={submitting}>
        Löschen
      </button>
    );
  }

  const questionId = `file-delete-question-${file.id}`;
  return (
    <Form method="post" className="file-delete-confirm" aria-describedby={questionId}>
      <input type="hidden" name="intent" value="delete-file" />
      <input type="hidden" name="fileId" value={file.id} />
      <p id={questionId}>{messages.fileDeleteConfirm(file.originalName)}</p>
      <button type="submit" className="file-delete-final" disabled={submitting}>
        Endgültig löschen
      </button>{" "}
      <button type="button" onClick={() => setConfirming(false)} disabled={submitting} autoFocus>
        Abbrechen
      </button>
    </Form>
  );
}

/** Lists the product specification staff entered and leaves out empty fields. The delivery date is shown as a German date. */
function OrderSpecification({ spec }: { spec: OrderSpec }) {
  const fields = ORDER_SPEC_FIELDS.flatMap((field) => {
    const value = spec[field]?.trim();
    return value ? [{ field, value: field === "deliveryDate" ? formatDeliveryDate(value) : value }] : [];
  });

  return (
    <>
      <h3>{orderPageMessages.specHeading}</h3>
      {fields.length === 0 ? (
        <p className="empty">{orderPageMessages.specEmpty}</p>
      ) : (
        <dl className="details order-spec">
          {fields.map(({ field, value }) => (
            <Fragment key={field}>
              <dt>{orderSpecLabels[field]}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      )}
    </>
  );
}

/** Formats a YYYY-MM-DD delivery date as a German date. Any other text is shown as staff typed it. */
function formatDeliveryDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  // Noon UTC is the same calendar day in Berlin, whatever the season.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  // A day that does not exist, such as 2024-02-31, rolls over into the next month, so it is shown as typed.
  if (date.getUTCMonth() !== Number(match[2]) - 1) return value;
  return formatDate(date.getTime());
}

/** Heads the manager box: customers read "Ihre Auftragsmanagerin", staff only the role. */
function managerHeading(salutation: string | null, viewerIsStaff: boolean): string {
  const female = salutation === "Frau";
  if (viewerIsStaff) return female ? "Auftragsmanagerin" : "Auftragsmanager";
  return female ? "Ihre Auftragsmanagerin" : "Ihr Auftragsmanager";
}
