import { createContext } from "react-router";

import type { SessionUser } from "./session.server";

/** The signed-in user, or null; set by the session middleware for every request. */
export const userContext = createContext<SessionUser | null>(null);
