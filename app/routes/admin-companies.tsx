import { data, Form, Link, redirect, useActionData, useNavigation } from "react-router";

import { adminMessages } from "~/admin/admin-messages";
import adminStylesheet from "~/admin/admin.css?url";
import {
  COMPANY_LIST_LIMIT,
  COMPANY_NAME_MAX,
  COMPANY_SEARCH_MAX,
  CUSTOMER_NUMBER_MAX,
  parseCompanyForm,
  parseCompanySearch,
} from "~/admin/companies-form";
import { canEditCompanies, createCompany, listCompanies } from "~/admin/companies.server";
import { requireStaff } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/admin-companies";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: adminStylesheet }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireStaff(context, request);
  const { env } = context.get(cloudflareContext);

  const { search, error } = parseCompanySearch(new URL(request.url).searchParams.get("suche"));
  const list = await listCompanies(getDb(env), search);
  const result = { ...list, search, searchError: error, canEdit: canEditCompanies(user) };
  return error ? data(result, { status: 400 }) : result;
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireStaff(context, request);
  if (!canEditCompanies(user)) throw data({ message: adminMessages.editForbidden }, { status: 403 });
  const { env } = context.get(cloudflareContext);

  const form = Object.fromEntries(await request.formData());
  const values = { name: String(form.name ?? ""), customerNumber: String(form.customerNumber ?? "") };
  const parsed = parseCompanyForm(form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, values, message: undefined }, { status: 400 });

  const created = await createCompany(env, getDb(env), user, parsed.value);
  if (!created.ok) return data({ fieldErrors: created.fieldErrors, values, message: created.message }, { status: created.status });

  return redirect(`/verwaltung/firmen/${created.companyId}`);
}

export function meta() {
  return [{ title: "Firmen" }];
}

export default function AdminCompanies({ loaderData }: Route.ComponentProps) {
  const { companies, truncated, search, searchError, canEdit } = loaderData;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const creating = navigation.state !== "idle" && navigation.formMethod === "POST";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};

  return (
    <section aria-labelledby="companies-heading">
      <p>
        <Link to="/verwaltung">← Verwaltung</Link>
      </p>
      <h1 id="companies-heading">Firmen</h1>

      <Form method="get" className="admin-search" role="search">
        <div className="admin-field">
          <label htmlFor="company-search">Name oder Kundennummer</label>
          <input
            id="company-search"
            type="search"
            name="suche"
            defaultValue={search}
            maxLength={COMPANY_SEARCH_MAX}
            aria-invalid={searchError ? true : undefined}
            aria-describedby={searchError ? "company-search-error" : undefined}
          />
        </div>
        <button type="submit">Suchen</button>
        {search ? <Link to="/verwaltung/firmen">Suche zurücksetzen</Link> : null}
      </Form>
      {searchError ? (
        <p id="company-search-error" className="form-error" role="alert">
          {searchError}
        </p>
      ) : null}

      {companies.length === 0 ? (
        <p className="empty">{search ? adminMessages.companiesNoResult(search) : adminMessages.companiesEmpty}</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-table" aria-label="Firmen">
            <thead>
              <tr>
                <th scope="col">Firma</th>
                <th scope="col">Kundennummer</th>
                <th scope="col">Kontakte</th>
                <th scope="col">Aufträge</th>
              </tr>
            </thead>
            <tbody>
              {companies.map((company) => (
                <tr key={company.id}>
                  <td>
                    <Link to={`/verwaltung/firmen/${company.id}`}>{company.name}</Link>
                  </td>
                  <td>{company.customerNumber ?? "–"}</td>
                  <td className="number">{company.contactCount}</td>
                  <td className="number">{company.orderCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {truncated ? <p className="muted">{adminMessages.companiesTruncated(COMPANY_LIST_LIMIT)}</p> : null}

      {canEdit ? (
        <section aria-labelledby="new-company-heading">
          <h2 id="new-company-heading">Neue Firma</h2>
          <Form method="post" className="admin-form" noValidate aria-labelledby="new-company-heading">
            <div className="admin-field">
              <label htmlFor="new-company-name">Name</label>
              <input
                id="new-company-name"
                name="name"
                required
                maxLength={COMPANY_NAME_MAX}
                defaultValue={actionData?.values.name}
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={errors.name ? "new-company-name-error" : undefined}
              />
              {errors.name ? (
                <p id="new-company-name-error" className="form-error">
                  {errors.name}
                </p>
              ) : null}
            </div>
            <div className="admin-field">
              <label htmlFor="new-company-number">Kundennummer (optional)</label>
              <input
                id="new-company-number"
                name="customerNumber"
                maxLength={CUSTOMER_NUMBER_MAX}
                defaultValue={actionData?.values.customerNumber}
                aria-invalid={errors.customerNumber ? true : undefined}
                aria-describedby={errors.customerNumber ? "new-company-number-error" : undefined}
              />
              {errors.customerNumber ? (
                <p id="new-company-number-error" className="form-error">
                  {errors.customerNumber}
                </p>
              ) : null}
            </div>
            {actionData?.message ? (
              <p className="form-error" role="alert">
                {actionData.message}
              </p>
            ) : null}
            <button type="submit" disabled={creating}>
              Firma anlegen
            </button>
          </Form>
        </section>
      ) : null}
    </section>
  );
}
