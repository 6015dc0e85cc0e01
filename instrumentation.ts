/**
 * Runs once when the Next.js server starts: brings the database schema up to date and registers the
 * clusters the environment offers (KUBECONFIG contexts, in-cluster service account).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareServer } = await import("./lib/server-startup");
  await prepareServer();
}
