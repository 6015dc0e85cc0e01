import { registerClustersFromEnvironment } from "./clusters/clusters";
import { applyMigrations } from "./db/migrate";

/**
 * Start-up work of the server process: apply pending migrations, then register the clusters of the
 * environment. A kubeconfig that cannot be read is reported and skipped; it does not stop the server.
 */
export async function prepareServer(): Promise<void> {
  const { applied } = applyMigrations();
  if (applied.length > 0) console.log(`coredeck: applied migrations ${applied.join(", ")}`);
  try {
    const clusters = await registerClustersFromEnvironment();
    if (clusters.length > 0) console.log(`coredeck: clusters from the environment: ${clusters.map((c) => c.name).join(", ")}`);
  } catch (error) {
    console.error("coredeck: could not register clusters from the environment:", error instanceof Error ? error.message : error);
  }
}
