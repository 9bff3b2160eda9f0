import { requireStaff } from "~/auth/guard.server";

import type { Route } from "./+types/admin-companies";

// NOTE: placeholder until the back office page is built.
export function loader({ request, context }: Route.LoaderArgs) {
  requireStaff(context, request);
  return null;
}

export default function Placeholder() {
  return <h1>Verwaltung</h1>;
}
