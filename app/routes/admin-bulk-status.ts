import { data } from "react-router";

import type { Route } from "./+types/admin-bulk-status";

// NOTE: placeholder until the route is built.
export function loader(_args: Route.LoaderArgs) {
  throw data({ message: "Nicht gefunden" }, { status: 404 });
}
