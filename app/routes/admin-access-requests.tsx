import type { Route } from "./+types/admin-access-requests";

// NOTE: placeholder until the page is built.
export function loader(_args: Route.LoaderArgs) {
  return null;
}

export default function Placeholder() {
  return <h1>Zugang</h1>;
}
