import type { Route } from "./+types/password-set";

// NOTE: placeholder until the page is built.
export function loader(_args: Route.LoaderArgs) {
  return null;
}

export default function Placeholder() {
  return <h1>Passwort</h1>;
}
