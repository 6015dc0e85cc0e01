/**
 * `npm run demo`: builds the dashboard, applies migrations, starts the sandbox cluster, registers it,
 * and serves the dashboard. Environment: PORT (3000), HOST (127.0.0.1), SANDBOX_PORT (8001, 0 picks a
 * free one), COREDECK_DATA_DIR (.data), DEMO_SKIP_BUILD=1 to reuse an existing build, and the
 * sandbox's own variables (sandbox/README.md).
 */
import path from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { ensureDemoAdmin, FIRST_ADMIN_USERNAME } from "@/lib/auth/first-admin";
import { registerCluster } from "@/lib/clusters/clusters";
import { applyMigrations } from "@/lib/db/migrate";
import { resolveDataDir } from "@/lib/db/paths";
import { startSandbox } from "@/sandbox/server";
import { sandboxOptionsFromEnv } from "@/sandbox/env";
import { buildNext, handleShutdown, startNext, waitForHttp } from "./run-next";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 3000);

if (process.env.DEMO_SKIP_BUILD !== "1") buildNext();

const { applied } = applyMigrations();
if (applied.length > 0) console.log(`coredeck: applied migrations ${applied.join(", ")}`);

const kubeconfigPath = path.join(resolveDataDir(), "sandbox.kubeconfig");
const sandbox = await startSandbox({
  ...sandboxOptionsFromEnv(process.env),
  port: Number(process.env.SANDBOX_PORT ?? 8001),
  kubeconfigPath,
}).catch((error: unknown) => {
  console.error(
    `coredeck: the sandbox cluster could not start: ${error instanceof Error ? error.message : String(error)}.` +
      " If the port is taken, set SANDBOX_PORT to a free port (0 picks one).",
  );
  process.exit(1);
});
console.log(`coredeck: sandbox cluster at ${sandbox.url} (kubeconfig ${kubeconfigPath})`);

await registerCluster({ name: "sandbox", connection: "sandbox", kubeconfigPath });

// Zero-setup sign-in: a local admin with a one-time password, printed below. It must be replaced at the first
// sign-in; a restart prints a new one until it is. The end-to-end tests read it from the data folder.
const oneTimePassword = process.env.COREDECK_ADMIN_PASSWORD ? null : await ensureDemoAdmin();
const passwordFile = path.join(resolveDataDir(), "demo-admin-password");
if (oneTimePassword) writeFileSync(passwordFile, `${oneTimePassword}\n`, { mode: 0o600 });
else rmSync(passwordFile, { force: true });

const child = startNext({ host, port });
handleShutdown(child, () => sandbox.close());

const url = `http://${host}:${port}`;
await waitForHttp(url);
console.log(`\ncoredeck: the dashboard is ready at ${url}`);
const shownKubeconfig = kubeconfigPath.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), kubeconfigPath) : kubeconfigPath;
console.log(`coredeck: try  KUBECONFIG=${shownKubeconfig} kubectl -n kube-system edit cm coredns`);
if (oneTimePassword) {
  console.log(`coredeck: sign in as "${FIRST_ADMIN_USERNAME}" with the one-time password  ${oneTimePassword}`);
  console.log("coredeck: (you choose your own password at the first sign-in; until then each start prints a new one)\n");
} else {
  console.log(`coredeck: sign in as "${FIRST_ADMIN_USERNAME}" with the password you chose (or COREDECK_ADMIN_PASSWORD)\n`);
}
