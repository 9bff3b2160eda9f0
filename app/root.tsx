import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteLoaderData,
} from "react-router";

import type { Route } from "./+types/root";
import stylesheet from "./app.css?url";
import { isStaff } from "./auth/guard.server";
import { sessionMiddleware } from "./auth/middleware.server";
import { userContext } from "./auth/user-context";
import { cloudflareContext } from "./cloudflare-context";
import { getDb } from "./db/client.server";
import { messages, roleLabel } from "./messages";
import { getShopSettings } from "./shop-settings.server";

export const middleware: Route.MiddlewareFunction[] = [sessionMiddleware];

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: Route.LoaderArgs) {
  const { env } = context.get(cloudflareContext);
  const shop = await getShopSettings(getDb(env));
  const user = context.get(userContext);

  return {
    shop: {
      name: shop.name,
      phone: shop.phone,
      email: shop.email,
      prepressPhone: shop.prepressPhone,
      prepressEmail: shop.prepressEmail,
      prepressHours: shop.prepressHours,
      // The key changes with every upload, so it makes a new logo's URL differ from the old one's.
      logoUrl: shop.logoR2Key ? `/logo?v=${encodeURIComponent(shop.logoR2Key.split("/").at(-1) ?? "")}` : null,
    },
    user: user ? { name: user.name, role: roleLabel(user.role, user.salutation), staff: isStaff(user) } : null,
  };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");

  return (
    <html lang="de">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site-header">
          <Link to="/" className="site-name">
            {data?.shop.logoUrl ? (
              <img src={data.shop.logoUrl} alt={data.shop.name} className="site-logo" />
            ) : (
              (data?.shop.name ?? "Kundenportal")
            )}
          </Link>
          {data?.user ? (
            <div className="site-user">
              {data.user.staff ? (
                <>
                  <NavLink to="/verwaltung" className="site-nav-link">
                    Verwaltung
                  </NavLink>
                  <NavLink to="/live" className="site-nav-link">
                    Live
                  </NavLink>
                </>
              ) : null}
              <span>
                {data.user.name} ({data.user.role})
              </span>
              <NavLink to="/profil" className="site-nav-link">
                Profil
              </NavLink>
              <Form method="post" action="/abmelden">
                <button type="submit" className="button-link">
                  Abmelden
                </button>
              </Form>
            </div>
          ) : null}
        </header>
        <main className="site-main">{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

const ERROR_TITLES: Record<number, string> = { 403: "Kein Zugriff", 404: "Nicht gefunden" };

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let title = "Fehler";
  let detail: string = messages.unexpectedError;

  if (isRouteErrorResponse(error)) {
    title = ERROR_TITLES[error.status] ?? `Fehler ${error.status}`;
    const message = (error.data as { message?: unknown } | undefined)?.message;
    if (typeof message === "string") detail = message;
    else if (error.status === 404) detail = messages.pageNotFound;
  } else {
    console.error("render: unexpected error", error);
  }

  return (
    <section className="error-page">
      <h1>{title}</h1>
      <p>{detail}</p>
      <p>
        <Link to="/">Zur Übersicht</Link>
      </p>
    </section>
  );
}
