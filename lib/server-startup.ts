import { registerClustersFromEnvironment } from "./clusters/clusters";
import { ensureAdminFromEnvironment } from "./auth/first-admin";
import { readAuthConfig } from "./auth/config";
import { seedRoleGroups } from "./auth/accounts";
import { deleteExpiredSessions } from "./auth/sessions";
import { applyMigrations } from "./db/migrate";
import { startDriftWatch } from "./drift/drift-supervisor";
import { startMetricsCollection } from "./metrics/collector";
import { reconcileAllPendingIntents } from "./revisions/reconcile-intents";

/**
 * Start-up work of the server process: apply pending migrations, register the clusters of the
 * environment, settle applies that a crash left undecided (the ConfigMap says whether each write
 * happened), then start drift capture, which records changes made outside Coredeck (after the settling,
 * so that an interrupted apply of Coredeck's is not mistaken for someone else's change). A kubeconfig
 * that cannot be read or a cluster that cannot be reached is reported and skipped; it does not stop the
 * server.
 */
export async function prepareServer(): Promise<void> {
  const { applied } = applyMigrations();
  if (applied.length > 0) console.log(`coredeck: applied migrations ${applied.join(", ")}`);
  await prepareSignIn();
  try {
    const clusters = await registerClustersFromEnvironment();
    if (clusters.length > 0) console.log(`coredeck: clusters from the environment: ${clusters.map((c) => c.name).join(", ")}`);
  } catch (error) {
    console.error("coredeck: could not register clusters from the environment:", error instanceof Error ? error.message : error);
  }
  try {
    for (const result of await reconcileAllPendingIntents()) {
      const settled = result.applied.length + result.abandoned.length;
      if (settled > 0) console.log(`coredeck: settled ${settled} interrupted apply(s) on cluster ${result.cluster}`);
      if (result.error) console.error(`coredeck: could not check interrupted applies on cluster ${result.cluster}: ${result.error}`);
    }
  } catch (error) {
    console.error("coredeck: could not reconcile interrupted applies:", error instanceof Error ? error.message : error);
  }
  if (!startDriftWatch()) console.log("coredeck: drift capture is off; changes made outside Coredeck are not recorded");
  if (!startMetricsCollection()) console.log("coredeck: metrics collection is off; CoreDNS pods are not scraped");
}

/**
 * Checks the sign-in settings (a mistake stops start-up with the variable to fix, rather than locking everyone out
 * later), creates the admin from COREDECK_ADMIN_PASSWORD, imports COREDECK_ROLE_GROUPS once, drops expired sessions.
 */
async function prepareSignIn(): Promise<void> {
  const config = readAuthConfig();
  console.log(`coredeck: sign-in with ${config.methods.join(", ")}`);
  if (config.methods.includes("local") && (await ensureAdminFromEnvironment(config.adminPassword))) {
    console.log("coredeck: created the local admin account \"admin\" with COREDECK_ADMIN_PASSWORD");
  }
  if (config.roleGroups) {
    const seeded = await seedRoleGroups(config.roleGroups);
    if (seeded > 0) console.log(`coredeck: imported ${seeded} group role mapping(s) from COREDECK_ROLE_GROUPS`);
  }
  await deleteExpiredSessions();
}
