import { CoreV1Api, KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerCluster } from "@/lib/clusters/clusters";
import { reloadHash } from "@/lib/corefile/reload-hash";
import { validateCorefile } from "@/lib/corefile/validate";
import { applyCorefile, type ApplyResult } from "./apply-corefile";
import { reconcileAllPendingIntents, reconcilePendingIntents } from "./reconcile-intents";
import { getLatestRevision, getRevision, insertRevision, listRevisions, sha256Hex } from "./revisions";
import { createApplyEnvironment, type ApplyEnvironment } from "./test-environment";

let env: ApplyEnvironment;
let seedCorefile: string;

beforeEach(async () => {
  env = await createApplyEnvironment({ lossyProxy: true });
  seedCorefile = env.configMap().data?.Corefile ?? "";
});

afterEach(async () => {
  await env.dispose();
});

/** The seeded kubeadm Corefile with another cache TTL: valid, and different for each `n`. */
function corefile(n: number): string {
  return seedCorefile.replace("cache 30 {", `cache ${31 + n} {`);
}

function rv(): string {
  return env.configMap().metadata.resourceVersion;
}

function apply(text: string, baseResourceVersion: string | null, extra: { timeoutMs?: number; message?: string } = {}) {
  return applyCorefile(
    env.cluster,
    { text, baseResourceVersion, message: extra.message ?? "raise the cache TTL", author: "alice" },
    { db: env.db, timeoutMs: extra.timeoutMs },
  );
}

function expectOk(result: ApplyResult): Extract<ApplyResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected the apply to succeed, got ${result.code}: ${result.message}`);
  return result;
}

async function intents() {
  return env.db.applyIntent.findMany({ orderBy: { createdAt: "asc" } });
}

/** The invariant of every test: the cluster holds the newest revision's text at its resourceVersion (or no revision exists and the cluster holds `unrecorded`). */
async function expectClusterAndHistoryAgree(unrecorded?: { text: string; resourceVersion: string }) {
  const latest = await getLatestRevision(env.cluster.id, env.db);
  const live = env.configMap();
  if (unrecorded) {
    expect(live.data?.Corefile).toBe(unrecorded.text);
    expect(live.metadata.resourceVersion).toBe(unrecorded.resourceVersion);
    if (latest) expect(latest.resourceVersionAfter).not.toBe(live.metadata.resourceVersion);
    return;
  }
  expect(latest).not.toBeNull();
  expect(live.data?.Corefile).toBe(latest?.text);
  expect(live.metadata.resourceVersion).toBe(latest?.resourceVersionAfter);
  expect(sha256Hex(live.data?.Corefile ?? "")).toBe(latest?.sha256);
}

/** A bare client-node client on the cluster, for writes made behind Coredeck's back. */
function coreApi(): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(env.cluster.kubeconfigPath ?? "");
  return kc.makeApiClient(CoreV1Api);
}

function readViaApi(): Promise<V1ConfigMap> {
  return coreApi().readNamespacedConfigMap({ name: "coredns", namespace: "kube-system" });
}

describe("applyCorefile", () => {
  it("writes the Corefile and records a revision with hashes, resourceVersions and line counts", async () => {
    const base = rv();
    const text = corefile(1);
    const result = expectOk(await apply(text, base));

    expect(env.configMap().data?.Corefile).toBe(text);
    expect(result.resourceVersion).toBe(rv());
    expect(result.text).toBe(text);
    const hash = reloadHash(text, { filename: "/etc/coredns/Corefile" });
    expect(result.revision).toMatchObject({
      clusterId: env.cluster.id,
      number: 1,
      author: "alice",
      message: "raise the cache TTL",
      source: "dashboard",
      text,
      sha256: sha256Hex(text),
      reloadHash: hash.ok ? hash.hash : "unexpected",
      resourceVersionBefore: base,
      resourceVersionAfter: rv(),
      parentId: null,
      restoredFromId: null,
      linesAdded: 1,
      linesRemoved: 1,
    });
    expect(await intents()).toMatchObject([{ status: "applied", revisionId: result.revision.id, error: null, baseResourceVersion: base }]);
    await expectClusterAndHistoryAgree();

    const second = expectOk(await apply(`${text}# tuned\n# twice\n`, rv(), { message: "comment" }));
    expect(second.revision).toMatchObject({ number: 2, parentId: result.revision.id, linesAdded: 2, linesRemoved: 0 });
    expect(second.revision.resourceVersionBefore).toBe(result.revision.resourceVersionAfter);
    await expectClusterAndHistoryAgree();
  });

  it("lets exactly one of 20 parallel applies from the same base win; the 19 others get CONFLICT with the live text", async () => {
    const base = rv();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => apply(corefile(i), base)));

    const winners = results.filter((result) => result.ok);
    const conflicts = results.filter((result) => !result.ok && result.code === "CONFLICT");
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    const winner = expectOk(winners[0] ?? results[0]!);
    for (const conflict of conflicts) {
      expect(conflict).toMatchObject({ live: { text: winner.text, resourceVersion: winner.resourceVersion } });
    }

    const { revisions } = await listRevisions(env.cluster.id, {}, env.db);
    expect(revisions).toHaveLength(1);
    expect(env.configMap().data?.Corefile).toBe(winner.revision.text);
    expect(env.configMap().metadata.resourceVersion).toBe(winner.revision.resourceVersionAfter);
    const statuses = (await intents()).map((intent) => intent.status);
    expect(statuses.filter((status) => status === "applied")).toHaveLength(1);
    expect(statuses.every((status) => status === "applied" || status === "failed")).toBe(true);
    await expectClusterAndHistoryAgree();
  });

  it("reports a 500 on the PUT, records no revision and fails the intent once the ConfigMap shows no change", async () => {
    const base = rv();
    env.sandbox.faults.failNext({ status: 500, method: "PUT" });
    const result = await apply(corefile(1), base);

    expect(result).toMatchObject({ ok: false, code: "SERVER_ERROR", status: 500, isOutcomeUnknown: false });
    expect(result.ok ? "" : result.message).toContain("was not applied");
    expect(await getLatestRevision(env.cluster.id, env.db)).toBeNull();
    expect(await intents()).toMatchObject([{ status: "failed", revisionId: null }]);
    await expectClusterAndHistoryAgree({ text: seedCorefile, resourceVersion: base });
  });

  it("times out on a hanging PUT and settles at once: the ConfigMap shows the write did not happen", async () => {
    const base = rv();
    env.sandbox.faults.hangNext({ method: "PUT" });
    const result = await apply(corefile(1), base, { timeoutMs: 300 });

    expect(result).toMatchObject({ ok: false, code: "TIMEOUT", isOutcomeUnknown: false });
    expect(await intents()).toMatchObject([{ status: "failed" }]);
    expect(await getLatestRevision(env.cluster.id, env.db)).toBeNull();
    await expectClusterAndHistoryAgree({ text: seedCorefile, resourceVersion: base });
  });

  it("records the revision when the PUT's answer is lost but the ConfigMap shows the write", async () => {
    const base = rv();
    const text = corefile(1);
    env.proxy?.swallowResponses({ method: "PUT" });
    const result = expectOk(await apply(text, base, { timeoutMs: 300 }));

    expect(env.configMap().data?.Corefile).toBe(text);
    expect(result.resourceVersion).toBe(rv());
    expect(result.revision).toMatchObject({ resourceVersionBefore: base, resourceVersionAfter: rv(), text });
    expect(await intents()).toMatchObject([{ status: "applied", revisionId: result.revision.id }]);
    await expectClusterAndHistoryAgree();
  });

  it("leaves the intent pending when neither the PUT's answer nor the read comes back; reconcile records it", async () => {
    const base = rv();
    const text = corefile(1);
    env.proxy?.swallowResponses({ method: "PUT", afterForward: () => env.sandbox.faults.failNext({ status: 500, method: "GET" }) });
    const result = await apply(text, base, { timeoutMs: 300 });

    expect(result).toMatchObject({ ok: false, code: "TIMEOUT", isOutcomeUnknown: true });
    expect(result.ok ? "" : result.message).toContain("cannot tell yet");
    // The write happened; nothing records it yet, but the intent does.
    expect(env.configMap().data?.Corefile).toBe(text);
    expect(await getLatestRevision(env.cluster.id, env.db)).toBeNull();
    expect(await intents()).toMatchObject([{ status: "pending", sha256: sha256Hex(text), baseResourceVersion: base }]);

    const reconciled = await reconcilePendingIntents(env.cluster, { db: env.db });
    expect(reconciled.applied).toHaveLength(1);
    expect(reconciled.abandoned).toEqual([]);
    expect(reconciled.applied[0]).toMatchObject({ text, resourceVersionBefore: base, resourceVersionAfter: rv(), author: "alice" });
    expect(await intents()).toMatchObject([{ status: "applied", revisionId: reconciled.applied[0]?.id }]);
    await expectClusterAndHistoryAgree();

    // A second run finds nothing to do.
    expect(await reconcilePendingIntents(env.cluster, { db: env.db })).toMatchObject({ applied: [], abandoned: [], pending: [] });
  });

  it("keeps every other key, binaryData, label and annotation byte for byte", async () => {
    const api = coreApi();
    const current = await readViaApi();
    const extra = { "custom.server": "consul:53 {\n    forward . 10.96.200.53\n}\n", "spaces.txt": " \t trailing \r\n\n" };
    const binaryData = { "logo.bin": Buffer.from([0, 255, 10, 13, 128]).toString("base64") };
    await api.replaceNamespacedConfigMap({
      name: "coredns",
      namespace: "kube-system",
      body: {
        ...current,
        metadata: { ...current.metadata, labels: { "k8s-app": "kube-dns" }, annotations: { "example.com/note": "keep me" } },
        data: { ...current.data, ...extra },
        binaryData,
      },
    });
    const before = env.configMap();

    expectOk(await apply(corefile(2), rv()));
    const after = env.configMap();
    expect(after.data).toEqual({ ...before.data, Corefile: corefile(2) });
    expect(after.binaryData).toEqual(before.binaryData);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
    expect(after.metadata.annotations).toEqual(before.metadata.annotations);
  });

  it("refuses a Corefile CoreDNS would reject with its diagnostics, and writes nothing", async () => {
    const base = rv();
    const result = await apply(seedCorefile.replace("    loop\n", "    proxy . 8.8.8.8\n"), base);

    expect(result).toMatchObject({ ok: false, code: "INVALID" });
    if (result.ok || result.code !== "INVALID") throw new Error("expected INVALID");
    expect(result.diagnostics.some((d) => d.severity === "error" && d.message.includes("proxy"))).toBe(true);
    expect(rv()).toBe(base);
    expect(await intents()).toEqual([]);
  });

  it("applies a Corefile that has warnings but no errors", async () => {
    const text = seedCorefile.replace("    ready\n", "    ready#probe\n");
    const validation = validateCorefile(text);
    expect(validation.ok).toBe(true);
    expect(validation.diagnostics.map((d) => d.severity)).toContain("warning");
    expect(expectOk(await apply(text, rv())).text).toBe(text);
  });

  it("refuses more than 1 MiB before writing: the Corefile alone, or with the other keys", async () => {
    const base = rv();
    const huge = `${seedCorefile}${"# padding\n".repeat(110_000)}`;
    const alone = await apply(huge, base);
    expect(alone).toMatchObject({ ok: false, code: "TOO_LARGE", limit: 1_048_576 });
    expect(alone.ok ? 0 : (alone as { size: number }).size).toBe(Buffer.byteLength(huge) + "Corefile".length);

    const current = await readViaApi();
    await coreApi().replaceNamespacedConfigMap({
      name: "coredns",
      namespace: "kube-system",
      body: { ...current, data: { ...current.data, padding: "x".repeat(900_000) } },
    });
    const padded = rv();
    const together = await apply(`${seedCorefile}${"# padding\n".repeat(20_000)}`, padded);
    expect(together).toMatchObject({ ok: false, code: "TOO_LARGE" });
    expect(together.ok ? "" : together.message).toContain("1,048,576 bytes");
    expect(rv()).toBe(padded);
    expect(await intents()).toEqual([]);
  });

  it("names the missing RBAC verb on a 403 and fails the intent", async () => {
    const base = rv();
    env.sandbox.faults.failNext({ status: 403, method: "PUT" });
    const result = await apply(corefile(1), base);

    expect(result).toMatchObject({ ok: false, code: "FORBIDDEN", status: 403, isOutcomeUnknown: false });
    expect(result.ok ? "" : result.message).toContain('"update" verb on "configmaps"');
    expect(await intents()).toMatchObject([{ status: "failed" }]);
    expect(await getLatestRevision(env.cluster.id, env.db)).toBeNull();
    expect(rv()).toBe(base);
  });

  it("returns CONFLICT with the live text for a stale base without recording an intent", async () => {
    const base = rv();
    const first = expectOk(await apply(corefile(1), base));
    const stale = await apply(corefile(2), base);

    expect(stale).toMatchObject({ ok: false, code: "CONFLICT", live: { text: first.text, resourceVersion: first.resourceVersion } });
    expect(await intents()).toHaveLength(1);
  });

  it("returns UNCHANGED for the text the cluster already runs", async () => {
    const result = await apply(seedCorefile, rv());
    expect(result).toMatchObject({ ok: false, code: "UNCHANGED", resourceVersion: rv() });
    expect(await intents()).toEqual([]);
  });

  it("reports a missing ConfigMap as NOT_FOUND, and creates it when applied with a null base", async () => {
    const fresh = await registerCluster(
      { name: "fresh", connection: "sandbox", kubeconfigPath: env.cluster.kubeconfigPath, configMapName: "coredns-fresh" },
      env.db,
    );
    const missing = await applyCorefile(fresh, { text: corefile(1), baseResourceVersion: "1", author: "alice" }, { db: env.db });
    expect(missing).toMatchObject({ ok: false, code: "NOT_FOUND", status: 404 });

    const created = expectOk(
      await applyCorefile(fresh, { text: corefile(1), baseResourceVersion: null, author: "alice", message: "create" }, { db: env.db }),
    );
    const object = env.sandbox.getObject("configmaps", "kube-system", "coredns-fresh");
    expect(object?.data).toEqual({ Corefile: corefile(1) });
    expect(created.revision).toMatchObject({
      resourceVersionBefore: null,
      resourceVersionAfter: object?.metadata.resourceVersion,
      linesAdded: corefile(1).split("\n").length - 1,
      linesRemoved: 0,
    });

    const again = await applyCorefile(fresh, { text: corefile(2), baseResourceVersion: null, author: "bob" }, { db: env.db });
    expect(again).toMatchObject({ ok: false, code: "CONFLICT", live: { text: corefile(1) } });
  });

  it("records a rollback with the revision it restored", async () => {
    const first = expectOk(await apply(corefile(1), rv()));
    expectOk(await apply(corefile(2), rv()));
    const rollback = expectOk(
      await applyCorefile(
        env.cluster,
        { text: first.text, baseResourceVersion: rv(), author: "bob", message: "roll back", source: "rollback", restoredFromId: first.revision.id },
        { db: env.db },
      ),
    );
    expect(rollback.revision).toMatchObject({ number: 3, source: "rollback", restoredFromId: first.revision.id, author: "bob" });

    await expect(
      applyCorefile(
        env.cluster,
        { text: corefile(3), baseResourceVersion: rv(), author: "bob", source: "rollback", restoredFromId: "no-such-revision" },
        { db: env.db },
      ),
    ).rejects.toThrow(/does not exist/);
  });
});

describe("reconcilePendingIntents", () => {
  async function recordPendingIntent(text: string, baseResourceVersion: string, baseText: string) {
    return env.db.applyIntent.create({
      data: { clusterId: env.cluster.id, author: "crashed", message: "before the crash", source: "dashboard", text, sha256: sha256Hex(text), baseResourceVersion, baseText },
    });
  }

  it("after a crash: records the intent whose write happened and abandons the one whose write did not", async () => {
    const base = rv();
    const written = corefile(1);
    const happened = await recordPendingIntent(written, base, seedCorefile);
    const current = await readViaApi();
    await coreApi().replaceNamespacedConfigMap({
      name: "coredns",
      namespace: "kube-system",
      body: { ...current, data: { ...current.data, Corefile: written } },
    });
    const lost = await recordPendingIntent(corefile(2), rv(), written);

    const result = await reconcilePendingIntents(env.cluster, { db: env.db });

    expect(result.applied).toHaveLength(1);
    expect(result.applied[0]).toMatchObject({ text: written, author: "crashed", resourceVersionBefore: base, resourceVersionAfter: rv(), linesAdded: 1, linesRemoved: 1 });
    expect(result.abandoned).toEqual([lost.id]);
    const settled = await intents();
    expect(settled.find((intent) => intent.id === happened.id)).toMatchObject({ status: "applied", revisionId: result.applied[0]?.id });
    expect(settled.find((intent) => intent.id === lost.id)).toMatchObject({ status: "abandoned", revisionId: null });
    expect(settled.find((intent) => intent.id === lost.id)?.error).toContain("does not hold this change");
    expect(await env.db.revision.count()).toBe(1);
    await expectClusterAndHistoryAgree();
  });

  it("takes over a revision someone else recorded for the same write instead of duplicating it", async () => {
    const base = rv();
    const written = corefile(1);
    const intent = await recordPendingIntent(written, base, seedCorefile);
    const current = await readViaApi();
    await coreApi().replaceNamespacedConfigMap({
      name: "coredns",
      namespace: "kube-system",
      body: { ...current, data: { ...current.data, Corefile: written } },
    });
    // What a watch of the ConfigMap would record for a write it cannot attribute.
    const observed = await env.db.$transaction((tx) =>
      insertRevision(tx, { clusterId: env.cluster.id, author: "unknown", message: "", source: "external", text: written, resourceVersionBefore: base, resourceVersionAfter: rv() }),
    );

    const result = await reconcilePendingIntents(env.cluster, { db: env.db });
    expect(result.applied).toMatchObject([{ id: observed.id, source: "dashboard", author: "crashed", message: "before the crash" }]);
    expect(await env.db.revision.count()).toBe(1);
    expect(await intents()).toMatchObject([{ id: intent.id, status: "applied", revisionId: observed.id }]);
  });

  it("is run by the next apply before it writes, so the history keeps the earlier write as its parent", async () => {
    const base = rv();
    const written = corefile(1);
    await recordPendingIntent(written, base, seedCorefile);
    const current = await readViaApi();
    await coreApi().replaceNamespacedConfigMap({
      name: "coredns",
      namespace: "kube-system",
      body: { ...current, data: { ...current.data, Corefile: written } },
    });

    const next = expectOk(await apply(corefile(2), rv()));
    const first = next.revision.parentId ? await getRevision(next.revision.parentId, env.db) : null;
    expect(first).toMatchObject({ number: 1, text: written, author: "crashed" });
    expect(next.revision).toMatchObject({ number: 2, linesAdded: 1, linesRemoved: 1 });
    expect((await intents()).map((intent) => intent.status)).toEqual(["applied", "applied"]);
  });

  it("keeps intents pending while the ConfigMap cannot be read", async () => {
    const intent = await recordPendingIntent(corefile(1), rv(), seedCorefile);
    env.sandbox.faults.failNext({ status: 503, method: "GET" });
    const result = await reconcilePendingIntents(env.cluster, { db: env.db });
    expect(result).toMatchObject({ applied: [], abandoned: [], pending: [intent.id] });
    expect(result.error).toContain("503");
    expect(await intents()).toMatchObject([{ status: "pending" }]);
  });

  it("leaves the intent of an apply still under way in this process to that apply", async () => {
    env.sandbox.faults.delay({ ms: 400, method: "PUT" });
    const applying = apply(corefile(1), rv());
    let intentId: string | undefined;
    while (!intentId) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      intentId = (await intents())[0]?.id;
    }
    const reconciled = await reconcilePendingIntents(env.cluster, { db: env.db });
    expect(reconciled).toMatchObject({ applied: [], abandoned: [], pending: [intentId] });

    expectOk(await applying);
    expect(await intents()).toMatchObject([{ id: intentId, status: "applied" }]);
    await expectClusterAndHistoryAgree();
  });

  it("leaves intents younger than minAgeMs alone", async () => {
    const intent = await recordPendingIntent(corefile(1), rv(), seedCorefile);
    const result = await reconcilePendingIntents(env.cluster, { db: env.db, minAgeMs: 60_000 });
    expect(result.pending).toEqual([intent.id]);
    expect(await intents()).toMatchObject([{ status: "pending" }]);
  });

  it("goes through every cluster with pending intents at start-up", async () => {
    await recordPendingIntent(corefile(1), rv(), seedCorefile);
    const results = await reconcileAllPendingIntents({ db: env.db });
    expect(results).toMatchObject([{ cluster: "sandbox", applied: [], abandoned: [expect.any(String)] }]);
    expect(await reconcileAllPendingIntents({ db: env.db })).toEqual([]);
  });
});

describe("listRevisions", () => {
  it("pages newest first with a cursor", async () => {
    for (let i = 1; i <= 7; i++) expectOk(await apply(corefile(i), rv(), { message: `change ${i}` }));

    const first = await listRevisions(env.cluster.id, { limit: 3 }, env.db);
    expect(first.revisions.map((revision) => revision.number)).toEqual([7, 6, 5]);
    expect(first.revisions[0]).not.toHaveProperty("text");
    const second = await listRevisions(env.cluster.id, { limit: 3, cursor: first.nextCursor }, env.db);
    expect(second.revisions.map((revision) => revision.message)).toEqual(["change 4", "change 3", "change 2"]);
    const third = await listRevisions(env.cluster.id, { limit: 3, cursor: second.nextCursor }, env.db);
    expect(third.revisions.map((revision) => revision.number)).toEqual([1]);
    expect(third.nextCursor).toBeNull();

    expect(await listRevisions("another-cluster", {}, env.db)).toEqual({ revisions: [], nextCursor: null });
    expect(await listRevisions(env.cluster.id, { cursor: "unknown" }, env.db)).toEqual({ revisions: [], nextCursor: null });
    const latest = await getLatestRevision(env.cluster.id, env.db);
    expect(latest).toMatchObject({ number: 7, text: corefile(7) });
    expect(await getRevision(latest?.id ?? "", env.db)).toEqual(latest);
    expect(await getRevision("missing", env.db)).toBeNull();
  });
});
