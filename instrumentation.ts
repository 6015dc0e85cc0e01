/**
 * Runs once when the Next.js server starts: brings the database schema up to date and registers the
 * clusters the environment offers (KUBECONFIG contexts, in-cluster service account).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First, so that every request carries its TCP peer's address (trusted-proxy checks and the audit trail need it).
  const { installPeerAddressHeader } = await import("./lib/auth/address");
  await installPeerAddressHeader();
  const { prepareServer } = await import("./lib/server-startup");
  await prepareServer();
}
