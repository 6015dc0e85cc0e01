import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import { sha256Hex } from "@/lib/revisions/revisions";
import { findDataKeyWriter, type ManagedFieldsEntryLike, type ObservedConfigMap } from "./observed-configmap";
import { recordObservedCorefile } from "./record-observed-corefile";

let database: ReturnType<typeof createTestDatabase>;
let cluster: ClusterSummary;

beforeEach(async () => {
  database = createTestDatabase();
  // Recording never calls the cluster, so the kubeconfig need not exist.
  cluster = await registerCluster({ name: "prod", connection: "kubeconfig", kubeconfigPath: "/nonexistent/kubeconfig" }, database.db);
});

afterEach(async () => {
  await database.dispose();
});

const COREFILE = ".:53 {\n    errors\n    forward . /etc/resolv.conf\n    cache 30\n}\n";

function ownerOf(key: string, manager: string, time: string): ManagedFieldsEntryLike {
  return { manager, operation: "Update", time, fieldsV1: { "f:data": { ".": {}, [`f:${key}`]: {} } } };
}

function observed(text: string | undefined, resourceVersion: string, managedFields: ManagedFieldsEntryLike[] = []): ObservedConfigMap {
  return { metadata: { resourceVersion, managedFields }, data: text === undefined ? { other: "x" } : { Corefile: text, other: "x" } };
}

function record(configMap: ObservedConfigMap | null, intentGraceMs?: number) {
  return recordObservedCorefile(cluster, configMap, { db: database.db, intentGraceMs });
}

function revisions() {
  return database.db.revision.findMany({ where: { clusterId: cluster.id }, orderBy: { number: "asc" } });
}

async function recordBaseline() {
  const outcome = await record(observed(COREFILE, "10", [ownerOf("Corefile", "kubeadm", "2026-01-01T10:00:00Z")]));
  expect(outcome.kind).toBe("recorded");
}

describe("findDataKeyWriter", () => {
  it("picks the latest entry that owns the key, not a newer entry that wrote another key", () => {
    const writer = findDataKeyWriter(
      [
        ownerOf("Corefile", "kubeadm", "2026-01-01T10:00:00Z"),
        ownerOf("Corefile", "kubectl-edit", "2026-01-02T10:00:00Z"),
        ownerOf("other", "helm", "2026-01-03T10:00:00Z"),
      ],
      "Corefile",
    );
    expect(writer).toEqual({ manager: "kubectl-edit", time: new Date("2026-01-02T10:00:00Z") });
  });

  it("accepts Date times (client-node) and falls back to the newest entry, then to unknown", () => {
    const dated = [{ manager: "a", time: new Date("2026-01-01T00:00:00Z") }, { manager: "b", time: new Date("2026-01-05T00:00:00Z") }];
    expect(findDataKeyWriter(dated, "Corefile")).toEqual({ manager: "b", time: new Date("2026-01-05T00:00:00Z") });
    expect(findDataKeyWriter(undefined, "Corefile")).toEqual({ manager: "unknown", time: null });
  });
});

describe("recordObservedCorefile", () => {
  it("records the first state seen as revision 1, attributed to the key's field manager at its time", async () => {
    const outcome = await record(observed(COREFILE, "10", [ownerOf("Corefile", "kubeadm", "2026-01-01T10:00:00Z")]));
    expect(outcome.kind).toBe("recorded");
    const [first] = await revisions();
    expect(first).toMatchObject({
      number: 1,
      source: "external",
      author: "kubeadm",
      text: COREFILE,
      sha256: sha256Hex(COREFILE),
      resourceVersionBefore: null,
      resourceVersionAfter: "10",
      parentId: null,
      linesAdded: 5,
      linesRemoved: 0,
    });
    expect(first?.createdAt.toISOString()).toBe("2026-01-01T10:00:00.000Z");
    expect(first?.message).toContain("first saw");
  });

  it("appends an external change with its author, time and the previous resourceVersion", async () => {
    await recordBaseline();
    const changed = COREFILE.replace("cache 30", "cache 60");
    const outcome = await record(
      observed(changed, "15", [ownerOf("Corefile", "kubectl-edit", "2026-01-02T08:30:00Z"), ownerOf("other", "helm", "2026-01-03T00:00:00Z")]),
    );
    expect(outcome.kind).toBe("recorded");
    const [first, second] = await revisions();
    expect(second).toMatchObject({
      number: 2,
      source: "external",
      author: "kubectl-edit",
      message: "Changed outside Coredeck (kubectl-edit)",
      text: changed,
      resourceVersionBefore: "10",
      resourceVersionAfter: "15",
      parentId: first?.id,
      linesAdded: 1,
      linesRemoved: 1,
    });
    expect(second?.createdAt.toISOString()).toBe("2026-01-02T08:30:00.000Z");
  });

  it("records nothing for the same resourceVersion, for another key's change, or for a missing ConfigMap or key", async () => {
    await recordBaseline();
    expect((await record(observed(COREFILE, "10"))).kind).toBe("unchanged");
    expect((await record(observed(COREFILE, "11"))).kind).toBe("unchanged");
    expect(await record(null)).toMatchObject({ kind: "missing" });
    expect(await record(observed(undefined, "12"))).toMatchObject({ kind: "missing", reason: expect.stringContaining('no key "Corefile"') });
    expect(await revisions()).toHaveLength(1);
  });

  it("records a change seen by several observers at once exactly once", async () => {
    await recordBaseline();
    const changed = COREFILE.replace("cache 30", "cache 90");
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => record(observed(changed, "20"))));
    expect(outcomes.filter((outcome) => outcome.kind === "recorded")).toHaveLength(1);
    expect((await revisions()).map((revision) => revision.number)).toEqual([1, 2]);
  });

  it("leaves a write of Coredeck's own pending apply to that apply", async () => {
    await recordBaseline();
    const mine = COREFILE.replace("cache 30", "cache 45");
    await database.db.applyIntent.create({
      data: { clusterId: cluster.id, author: "alice", message: "tune", source: "dashboard", text: mine, sha256: sha256Hex(mine), baseResourceVersion: "10", baseText: COREFILE },
    });
    expect(await record(observed(mine, "21", [ownerOf("Corefile", "coredeck", "2026-01-04T00:00:00Z")]))).toEqual({ kind: "own-write", settled: [] });
    expect(await revisions()).toHaveLength(1);
    expect((await database.db.applyIntent.findFirstOrThrow()).status).toBe("pending");
  });

  it("settles an own intent that is older than the grace period and not in flight, as the dashboard's revision", async () => {
    await recordBaseline();
    const mine = COREFILE.replace("cache 30", "cache 45");
    await database.db.applyIntent.create({
      data: {
        clusterId: cluster.id,
        createdAt: new Date(Date.now() - 120_000),
        author: "alice",
        message: "tune",
        source: "dashboard",
        text: mine,
        sha256: sha256Hex(mine),
        baseResourceVersion: "10",
        baseText: COREFILE,
      },
    });
    const outcome = await record(observed(mine, "21", [ownerOf("Corefile", "coredeck", "2026-01-04T00:00:00Z")]), 60_000);
    expect(outcome.kind).toBe("own-write");
    const [, second] = await revisions();
    expect(second).toMatchObject({ number: 2, source: "dashboard", author: "alice", message: "tune", resourceVersionAfter: "21" });
    expect((await database.db.applyIntent.findFirstOrThrow()).status).toBe("applied");
  });

  it("records an external change although an intent with other text is pending", async () => {
    await recordBaseline();
    const mine = COREFILE.replace("cache 30", "cache 45");
    await database.db.applyIntent.create({
      data: { clusterId: cluster.id, author: "alice", message: "tune", source: "dashboard", text: mine, sha256: sha256Hex(mine), baseResourceVersion: "10", baseText: COREFILE },
    });
    const theirs = COREFILE.replace("cache 30", "cache 5");
    expect((await record(observed(theirs, "22", [ownerOf("Corefile", "kubectl-patch", "2026-01-04T00:00:00Z")]))).kind).toBe("recorded");
    expect((await revisions()).at(-1)).toMatchObject({ source: "external", author: "kubectl-patch", text: theirs });
  });
});
