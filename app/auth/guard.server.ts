// The guards that routes call; the rules themselves are in authorization.server.ts.
export {
  findAccessibleOrder,
  hasPermission,
  isStaff,
  requireAdmin,
  requireOrderAccess,
  requirePermission,
  requireStaff,
  requireUser,
} from "./authorization.server";
