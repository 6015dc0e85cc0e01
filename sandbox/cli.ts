/**
 * `npm run sandbox`: runs the sandbox cluster in the foreground until SIGINT/SIGTERM.
 * Environment (sandbox/README.md): SANDBOX_PORT (default 8001), SANDBOX_HOST (127.0.0.1),
 * SANDBOX_KUBECONFIG (.data/sandbox.kubeconfig), SANDBOX_RELOAD_SCALE, SANDBOX_QPS, SANDBOX_ERROR_RATIO.
 */
import path from "node:path";
import { sandboxOptionsFromEnv } from "./env";
import { startSandbox } from "./server";

async function main(): Promise<void> {
  const fromEnv = sandboxOptionsFromEnv(process.env);
  const kubeconfigPath = path.resolve(fromEnv.kubeconfigPath ?? path.join(".data", "sandbox.kubeconfig"));
  const sandbox = await startSandbox({ ...fromEnv, port: fromEnv.port ?? 8001, kubeconfigPath });
  const shown = path.relative(process.cwd(), kubeconfigPath);
  console.log(`Sandbox cluster listening on ${sandbox.url}`);
  console.log(`Kubeconfig written to ${kubeconfigPath}`);
  console.log(`CoreDNS pods (DNS on UDP and TCP): ${sandbox.pods().map((p) => `${p.name} ${p.ip}:${p.dnsPort}`).join(", ")}`);
  console.log(`Try: KUBECONFIG=${shown.startsWith("..") ? kubeconfigPath : shown} kubectl -n kube-system get cm coredns -o yaml`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
