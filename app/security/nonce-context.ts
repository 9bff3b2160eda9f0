import { createContext } from "react-router";

/**
 * Router context entry with the CSP nonce of the response being built. The
 * Worker sets it for every request, and the server entry passes it to React
 * and React Router for their inline scripts.
 */
export const cspNonceContext = createContext<string>();
