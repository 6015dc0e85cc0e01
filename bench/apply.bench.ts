/**
 * `npx tsx --conditions=react-server bench/apply.bench.ts`: what an apply costs against a cluster on 127.0.0.1.
 * Compares `applyCorefile` (validation, size check, intent, conditional GET+PUT, revision transaction) with a bare
 * client-node GET+PUT of the same ConfigMap, and splits our share into validation and database work.
 */
import os from "node:os";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { validateCorefile } from "@/lib/corefile/validate";
import { makeCoreApi } from "@/lib/k8s/connection";
import { applyCorefile } from "@/lib/revisions/apply-corefile";
import { recordIntent, releaseIntent, settleIntentApplied, settlePendingIntents } from "@/lib/revisions/apply-intents";
import { createApplyEnvironment } from "@/lib/revisions/test-environment";
import { formatMs, median, printTable } from "./measure";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const WARM_UP = 20;

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const env = await createApplyEnvironment();
try {
  const seed = env.configMap().data?.Corefile ?? "";
  // The two writers use different TTLs, so no apply ever finds its text already live (UNCHANGED).
  const variant = (i: number, ttl = 31) => seed.replace("cache 30 {", `cache ${ttl + (i % 2)} {`);
  const kc = new KubeConfig();
  kc.loadFromFile(env.cluster.kubeconfigPath ?? "");
  const api = kc.makeApiClient(CoreV1Api);
  const target = { name: env.cluster.configMapName, namespace: env.cluster.configMapNamespace };

  const bareGetPut = async (i: number) => {
    const current = await api.readNamespacedConfigMap(target);
    await api.replaceNamespacedConfigMap({ ...target, body: { ...current, data: { ...current.data, Corefile: variant(i, 41) } } });
  };
  let round = 0;
  const apply = async () => {
    const i = round++;
    const result = await applyCorefile(
      env.cluster,
      { text: variant(i), baseResourceVersion: env.configMap().metadata.resourceVersion, author: "bench", message: `round ${i}` },
      { db: env.db },
    );
    if (!result.ok) throw new Error(`apply failed: ${result.code} ${result.message}`);
  };

  for (let i = 0; i < WARM_UP; i++) {
    await bareGetPut(i);
    await apply();
  }
  const bare: number[] = [];
  const ours: number[] = [];
  const validation: number[] = [];
  const clientSetUp: number[] = [];
  // Interleaved, so that both see the same machine state (GC, CPU frequency, a growing history).
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await time(() => bareGetPut(i)));
    ours.push(await time(apply));
    const text = variant(i);
    validation.push(await time(async () => validateCorefile(text)));
    clientSetUp.push(await time(async () => makeCoreApi(env.cluster)));
  }

  // The database part of an apply on its own: the pending-intent check, the intent, the revision transaction.
  const database: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const text = variant(i, 61);
    database.push(
      await time(async () => {
        await settlePendingIntents(env.db, env.cluster.id, { exists: true, text: seed, resourceVersion: `bench-${i}` });
        const intent = await recordIntent(env.db, {
          clusterId: env.cluster.id,
          author: "bench",
          message: "",
          source: "dashboard",
          text,
          baseResourceVersion: `bench-${i}`,
          baseText: seed,
          restoredFromId: null,
        });
        await settleIntentApplied(env.db, intent, { resourceVersion: `bench-${i}-after` });
        releaseIntent(intent.id);
      }),
    );
  }

  const bareMedian = median(bare);
  const oursMedian = median(ours);
  const validationMedian = median(validation);
  // lib/k8s builds a client (reads and parses the kubeconfig) for each call: twice per apply (GET, PUT).
  const clientMedian = median(clientSetUp) * 2;
  const added = oursMedian - bareMedian;
  const databaseMedian = median(database);
  // What is left: size check, hashing, one more connection per client. A residual of medians: noisy on a busy machine.
  const rest = Math.max(0, added - validationMedian - clientMedian - databaseMedian);
  const share = (ms: number) => `${((ms / oursMedian) * 100).toFixed(0)}%`;

  console.log(`apply round trip against the sandbox on 127.0.0.1, ${ROUNDS} rounds, Corefile of ${Buffer.byteLength(seed)} bytes`);
  console.log(`revisions stored at the end: ${await env.db.revision.count()}; machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} CPUs`);
  printTable(
    ["measurement", "median", "p95", "share of applyCorefile"],
    [
      ["bare client-node GET + PUT", formatMs(bareMedian), formatMs(percentile(bare, 0.95)), share(bareMedian)],
      ["applyCorefile", formatMs(oursMedian), formatMs(percentile(ours, 0.95)), "100%"],
      ["  added by Coredeck", formatMs(added), "", share(added)],
      ["    validateCorefile", formatMs(validationMedian), formatMs(percentile(validation, 0.95)), share(validationMedian)],
      ["    client set-up (kubeconfig load) x2", formatMs(clientMedian), "", share(clientMedian)],
      ["    database (pending check, intent, revision tx)", formatMs(databaseMedian), formatMs(percentile(database, 0.95)), share(databaseMedian)],
      ["    other (residual of the medians)", formatMs(rest), "", share(rest)],
    ],
  );
} finally {
  await env.dispose();
}
