import { data } from "react-router";

import { messages } from "~/messages";

export function loader() {
  throw data({ message: messages.pageNotFound }, { status: 404 });
}

export default function NotFound() {
  return null;
}
