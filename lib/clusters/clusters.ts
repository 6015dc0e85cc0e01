import { getDb } from "@/lib/db/client";
import { enqueueWrite } from "@/lib/db/write-queue";
import type { PrismaClient } from "@/lib/db/generated/client";
import { isInCluster, listKubeconfigContexts } from "@/lib/k8s/contexts";
import { clusterInputSchema, type ClusterInput, type ClusterSummary } from "./cluster-schema";

type Row = Awaited<ReturnType<PrismaClient["cluster"]["findMany"]>>[number];

function toSummary(row: Row): ClusterSummary {
  return {
    id: row.id,
    name: row.name,
    connection: row.connection as ClusterSummary["connection"],
    kubeconfigPath: row.kubeconfigPath,
    kubeconfigContext: row.kubeconfigContext,
    configMapNamespace: row.configMapNamespace,
    configMapName: row.configMapName,
    configMapKey: row.configMapKey,
    podLabelSelector: row.podLabelSelector,
  };
}

/** Every registered cluster, sandbox first, then by name. */
export async function listClusters(db: PrismaClient = getDb()): Promise<ClusterSummary[]> {
  const rows = await db.cluster.findMany({ orderBy: { name: "asc" } });
  return rows.map(toSummary).sort((a, b) => Number(b.connection === "sandbox") - Number(a.connection === "sandbox"));
}

/** The registered cluster with this name, or null. */
export async function findCluster(name: string, db: PrismaClient = getDb()): Promise<ClusterSummary | null> {
  const row = await db.cluster.findUnique({ where: { name } });
  return row ? toSummary(row) : null;
}

/**
 * Registers a cluster, or updates the one with the same name. Input is validated; an invalid
 * input throws a ZodError (callers in actions use `clusterInputSchema.safeParse` first).
 */
export async function registerCluster(input: ClusterInput, db: PrismaClient = getDb()): Promise<ClusterSummary> {
  const data = clusterInputSchema.parse(input);
  const fields = {
    connection: data.connection,
    kubeconfigPath: data.kubeconfigPath ?? null,
    kubeconfigContext: data.kubeconfigContext ?? null,
    configMapNamespace: data.configMapNamespace,
    configMapName: data.configMapName,
    configMapKey: data.configMapKey,
    podLabelSelector: data.podLabelSelector,
  };
  const row = await enqueueWrite(() =>
    db.cluster.upsert({ where: { name: data.name }, create: { name: data.name, ...fields }, update: fields }),
  );
  return toSummary(row);
}

/** Turns a kubeconfig context name into a valid cluster name (`gke_proj_zone_prod` → `gke-proj-zone-prod`). */
export function toClusterName(contextName: string): string {
  const name = contextName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/g, "");
  return name || "cluster";
}

/**
 * Registers what the environment offers: the pod's own cluster when running in-cluster, and every
 * context of `KUBECONFIG` (or `~/.kube/config`). Existing registrations keep their ConfigMap settings.
 */
export async function registerClustersFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  db: PrismaClient = getDb(),
): Promise<ClusterSummary[]> {
  const registered: ClusterSummary[] = [];
  if (isInCluster(env)) {
    const existing = await findCluster("in-cluster", db);
    registered.push(existing ?? (await registerCluster({ name: "in-cluster", connection: "in-cluster" }, db)));
  }
  for (const context of listKubeconfigContexts(env)) {
    const name = toClusterName(context.name);
    const existing = await findCluster(name, db);
    if (existing && existing.connection !== "kubeconfig") continue;
    registered.push(
      await registerCluster(
        {
          name,
          connection: "kubeconfig",
          kubeconfigPath: context.kubeconfigPath,
          kubeconfigContext: context.name,
          ...(existing
            ? {
                configMapNamespace: existing.configMapNamespace,
                configMapName: existing.configMapName,
                configMapKey: existing.configMapKey,
                podLabelSelector: existing.podLabelSelector,
              }
            : {}),
        },
        db,
      ),
    );
  }
  return registered;
}
