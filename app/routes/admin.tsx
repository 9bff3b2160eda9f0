import { Link } from "react-router";

import adminStylesheet from "~/admin/admin.css?url";
import { canReviewAccessRequests, countOpenAccessRequests } from "~/account/access-requests.server";
import { requireStaff } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/admin";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: adminStylesheet }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireStaff(context, request);
  const { env } = context.get(cloudflareContext);

  const canReview = canReviewAccessRequests(user);
  return {
    isAdmin: user.role === "admin",
    canReview,
    openRequests: canReview ? await countOpenAccessRequests(getDb(env)) : 0,
  };
}

export function meta() {
  return [{ title: "Verwaltung" }];
}

export default function Admin({ loaderData }: Route.ComponentProps) {
  return (
    <section aria-labelledby="admin-heading">
      <h1 id="admin-heading">Verwaltung</h1>
      <ul className="admin-nav">
        <li>
          <Link to="/verwaltung/firmen">Firmen</Link>
          <p className="muted">Firmen und ihre Kontakte anlegen und bearbeiten, Angebote und Aufträge je Firma.</p>
        </li>
        <li>
          <Link to="/verwaltung/angebote/neu">Neues Angebot</Link>
          <p className="muted">Ein Angebot mit Spezifikation, Kontakt und Angebots-PDF anlegen.</p>
        </li>
        {loaderData.canReview ? (
          <li>
            <Link to="/verwaltung/anfragen">Anfragen</Link>
            {loaderData.openRequests > 0 ? <span className="muted"> ({loaderData.openRequests} offen)</span> : null}
            <p className="muted">Zugangsanfragen über „Jetzt anfragen“ annehmen oder ablehnen.</p>
          </li>
        ) : null}
        {loaderData.isAdmin ? (
          <li>
            <Link to="/verwaltung/team">Team</Link>
            <p className="muted">Zugänge der Mitarbeiter anlegen, Rollen ändern, Zugänge deaktivieren.</p>
          </li>
        ) : null}
        {loaderData.isAdmin ? (
          <li>
            <Link to="/verwaltung/einstellungen">Einstellungen</Link>
            <p className="muted">Name, Logo und Adresse der Druckerei, Druckvorstufe, Nummernkreise und Upload-Regeln.</p>
          </li>
        ) : null}
        <li>
          <Link to="/live">Live</Link>
          <p className="muted">Aufträge mit Aktivität in den letzten 24 Stunden.</p>
        </li>
      </ul>
    </section>
  );
}
