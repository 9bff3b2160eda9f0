import { useEffect, useState } from "react";
import { data, Form, Link, redirect, useNavigation } from "react-router";

import { FormErrors, OrderFieldInputs, orderFieldValuesOf, type OrderFieldValues } from "~/admin/offers-fields";
import { MAX_DOCUMENT_BYTES, offerMessages } from "~/admin/offer-messages";
import { canEditOffers, createOffer, listOfferFormChoices } from "~/admin/offers.server";
import adminStylesheet from "~/admin/admin.css?url";
import stylesheet from "~/admin/offers.css?url";
import { requireStaff } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatBytes, formatNumber } from "~/format";
import { getShopSettings } from "~/shop-settings.server";

import type { Route } from "./+types/admin-offer-new";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesheet },
  { rel: "stylesheet", href: stylesheet },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireStaff(context, request);
  if (!canEditOffers(user)) throw data({ message: offerMessages.managersOnly }, { status: 403 });
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const [choices, shop] = await Promise.all([listOfferFormChoices(db), getShopSettings(db)]);
  return {
    ...choices,
    nextOfferNumber: shop.nextOfferNumber,
    defaultManagerId: user.role === "manager" ? user.id : "",
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireStaff(context, request);
  if (!canEditOffers(user)) throw data({ message: offerMessages.managersOnly }, { status: 403 });
  const { env } = context.get(cloudflareContext);

  const form = await request.formData();
  const result = await createOffer(env, getDb(env), user, form);
  if (result.ok) return redirect(`/verwaltung/auftraege/${result.orderId}`);

  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return data(
    {
      errors: result.errors,
      values: orderFieldValuesOf(form),
      companyId: text("companyId"),
      numberSource: text("numberSource"),
      baseNumber: text("baseNumber"),
      versionSuffix: text("versionSuffix"),
    },
    { status: result.status },
  );
}

export function meta() {
  return [{ title: "Neues Angebot" }];
}

export default function NewOffer({ loaderData, actionData }: Route.ComponentProps) {
  const { companies, contacts, managers, nextOfferNumber, defaultManagerId } = loaderData;
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";

  const values: OrderFieldValues = actionData?.values ?? { title: "", spec: {}, terms: "", contactId: "", managerId: defaultManagerId };

  // With JavaScript the contact list shows only the chosen company's contacts; without it, all of them grouped by company.
  const [hydrated, setHydrated] = useState(false);
  const [companyId, setCompanyId] = useState(actionData?.companyId ?? "");
  useEffect(() => setHydrated(true), []);
  useEffect(() => setCompanyId(actionData?.companyId ?? ""), [actionData]);
  const contactGroups = companies
    .filter((company) => !hydrated || companyId === "" || company.id === companyId)
    .map((company) => ({ key: company.id, label: company.name, contacts: contacts.filter((contact) => contact.companyId === company.id) }))
    .filter((group) => group.contacts.length > 0);

  return (
    <section className="admin-offer">
      <p>
        <Link to="/">← Zur Übersicht</Link>
      </p>
      <h1>Neues Angebot</h1>
      <FormErrors errors={actionData?.errors} />

      {/* The key resets the fields to the values sent when the action answers with errors. */}
      <Form method="post" encType="multipart/form-data" className="admin-form" key={JSON.stringify(actionData ?? null)}>
        <label className="admin-field">
          Firma
          <select name="companyId" required defaultValue={actionData?.companyId ?? ""} onChange={(event) => setCompanyId(event.currentTarget.value)}>
            <option value="">Bitte wählen …</option>
            {companies.map((company) => (
              <option key={company.id} value={company.id}>
                {company.name}
              </option>
            ))}
          </select>
        </label>

        <fieldset className="admin-number">
          <legend>Angebotsnummer</legend>
          <label className="admin-check">
            <input type="radio" name="numberSource" value="range" defaultChecked={(actionData?.numberSource ?? "range") === "range"} />
            Aus dem Nummernkreis (nächste Nummer {formatNumber(String(nextOfferNumber))})
          </label>
          <label className="admin-check">
            <input type="radio" name="numberSource" value="typed" defaultChecked={actionData?.numberSource === "typed"} />
            Nummer eingeben:
          </label>
          <label className="admin-field admin-inline">
            Nummer
            <input name="baseNumber" inputMode="numeric" pattern="[1-9][0-9]{0,9}" maxLength={10} defaultValue={actionData?.baseNumber ?? ""} />
          </label>
          <label className="admin-field admin-inline">
            Version
            <input
              name="versionSuffix"
              inputMode="numeric"
              pattern="[0-9]{2}"
              maxLength={2}
              size={3}
              required
              defaultValue={actionData?.versionSuffix ?? "01"}
            />
          </label>
          <p className="muted">Die vollständige Nummer lautet Nummer.Version, zum Beispiel 42961.01.</p>
        </fieldset>

        <OrderFieldInputs values={values} contactGroups={contactGroups} managers={managers} />

        <label className="admin-field">
          Angebot als PDF (optional, höchstens {formatBytes(MAX_DOCUMENT_BYTES)})
          <input type="file" name="offerPdf" accept="application/pdf,.pdf" />
        </label>

        <button type="submit" disabled={submitting}>
          Angebot anlegen
        </button>
      </Form>
    </section>
  );
}
