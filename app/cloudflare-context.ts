import { createContext } from "react-router";

export interface CloudflareContext {
  env: Env;
  ctx: ExecutionContext;
}

/** Router context entry through which loaders and actions reach the Worker's bindings. */
export const cloudflareContext = createContext<CloudflareContext>();
