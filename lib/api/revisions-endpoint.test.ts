import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { registerCluster } from "@/lib/clusters/clusters";
import { createApplyEnvironment, type ApplyEnvironment } from "@/lib/revisions/test-environment";
import { handlePutCorefile } from "./corefile-endpoint";
import { handleGetRevision, handleListRevisions } from "./revisions-endpoint";
import { handleRollbackRevision } from "./rollback-endpoint";
import { apiRequest, failNextSandboxRequest, readJson, replaceConfigMapBehindOurBack , createTestToken } from "./test-helpers";

let env: ApplyEnvironment;
let seedCorefile: string;

beforeEach(async () => {
  env = await createApplyEnvironment();
  seedCorefile = env.configMap().data?.Corefile ?? "";
  // A script's admin token (ci admin): the REST API answers nobody without one.
  await createTestToken(env.db);
});

afterEach(async () => {
  await env.dispose();
});

function corefile(n: number): string {
  return seedCorefile.replace("cache 30 {", `cache ${31 + n} {`);
}

function liveResourceVersion(): string {
  return env.configMap().metadata.resourceVersion;
}

/** Applies `text` through the API (as a CI job would) and returns the recorded revision. */
async function applyThroughApi(text: string, message = "", cluster = "sandbox") {
  const request = apiRequest("PUT", `/api/v1/clusters/${cluster}/corefile`, {
    body: { corefile: text, baseResourceVersion: liveResourceVersion(), message },
  });
  const response = await handlePutCorefile(request, { cluster }, { db: env.db });
  expect(response.status).toBe(200);
  return (await readJson(response)).revision;
}

function listRevisions(query = "", cluster = "sandbox") {
  return handleListRevisions(apiRequest("GET", `/api/v1/clusters/${cluster}/revisions${query}`), { cluster }, { db: env.db });
}

function getRevision(id: string, query = "", cluster = "sandbox") {
  return handleGetRevision(apiRequest("GET", `/api/v1/clusters/${cluster}/revisions/${id}${query}`), { cluster, id }, { db: env.db });
}

function rollBack(id: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; cluster?: string } = {}) {
  const cluster = options.cluster ?? "sandbox";
  const request = apiRequest("POST", `/api/v1/clusters/${cluster}/revisions/${id}/rollback`, options);
  return handleRollbackRevision(request, { cluster, id }, { db: env.db, timeoutMs: 2000 });
}

describe("GET /api/v1/clusters/{cluster}/revisions", () => {
  it("pages through the history newest first with a cursor, without texts, dates in ISO 8601", async () => {
    const applied = [];
    for (let n = 1; n <= 5; n++) applied.push(await applyThroughApi(corefile(n), `change ${n}`));

    const first = await listRevisions("?limit=2");
    expect(first.status).toBe(200);
    const page1 = await readJson(first);
    expect(page1.revisions.map((r: { number: number }) => r.number)).toEqual([5, 4]);
    expect(page1.revisions[0]).not.toHaveProperty("text");
    expect(page1.revisions[0]).toMatchObject({ id: applied[4].id, message: "change 5", author: "ci admin", source: "api" });
    expect(new Date(page1.revisions[0].createdAt).toISOString()).toBe(page1.revisions[0].createdAt);
    expect(page1.nextCursor).toBe(applied[3].id);

    const page2 = await readJson(await listRevisions(`?limit=2&cursor=${page1.nextCursor}`));
    expect(page2.revisions.map((r: { number: number }) => r.number)).toEqual([3, 2]);
    const page3 = await readJson(await listRevisions(`?limit=2&cursor=${page2.nextCursor}`));
    expect(page3.revisions.map((r: { number: number }) => r.number)).toEqual([1]);
    expect(page3.nextCursor).toBeNull();
  });

  it("filters by source, author and text", async () => {
    const first = await applyThroughApi(corefile(1), "raise the cache TTL");
    await applyThroughApi(corefile(2), "another TTL");
    await readJson(await rollBack(first.id));

    const rollbacks = await readJson(await listRevisions("?source=rollback"));
    expect(rollbacks.revisions.map((r: { number: number }) => r.number)).toEqual([3]);
    const byAuthor = await readJson(await listRevisions("?author=ci%20admin&source="));
    expect(byAuthor.revisions).toHaveLength(3);
    expect((await readJson(await listRevisions("?author=bob"))).revisions).toEqual([]);
    const byText = await readJson(await listRevisions("?q=raise"));
    expect(byText.revisions.map((r: { id: string }) => r.id)).toEqual([first.id]);
  });

  it("answers 400 for an invalid limit or source, and 404 for an unknown cluster", async () => {
    for (const query of ["?limit=0", "?limit=abc", "?limit=201", "?source=kubectl"]) {
      const response = await listRevisions(query);
      expect(response.status, query).toBe(400);
      expect(await readJson(response)).toMatchObject({ error: { code: "INVALID_REQUEST" } });
    }
    const unknown = await listRevisions("", "nowhere");
    expect(unknown.status).toBe(404);
    expect(await readJson(unknown)).toMatchObject({ error: { code: "CLUSTER_NOT_FOUND" } });
  });
});

describe("GET /api/v1/clusters/{cluster}/revisions/{id}", () => {
  it("answers 200 with the revision and its text", async () => {
    const applied = await applyThroughApi(corefile(1), "raise the cache TTL");
    const response = await getRevision(applied.id);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({ revision: applied });
  });

  it("downloads the exact Corefile as Corefile-r{number}", async () => {
    // Leading indentation, trailing spaces and no final newline: all must survive.
    const text = `  ${corefile(1).trimEnd()}   `;
    const applied = await applyThroughApi(text);
    const response = await getRevision(applied.id, "?format=corefile");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="Corefile-r1"');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(text, "utf8"));
  });

  it("downloads a ConfigMap manifest that parses back to exactly the revision's text", async () => {
    const text = `  ${corefile(1).trimEnd()}   `;
    const applied = await applyThroughApi(text);
    const response = await getRevision(applied.id, "?format=configmap");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="coredns-configmap-r1.yaml"');
    const yaml = await response.text();
    expect(yaml).toMatch(/^ {2}Corefile: \|2-$/m);
    expect(parse(yaml)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "coredns", namespace: "kube-system" },
      data: { Corefile: text },
    });
  });

  it("answers 404 for an unknown revision and for a revision of another cluster", async () => {
    await registerCluster({ name: "other", connection: "sandbox", kubeconfigPath: env.cluster.kubeconfigPath }, env.db);
    const othersRevision = await applyThroughApi(corefile(1), "", "other");

    for (const id of ["no-such-revision", othersRevision.id]) {
      const response = await getRevision(id);
      expect(response.status, id).toBe(404);
      expect(await readJson(response)).toMatchObject({ error: { code: "REVISION_NOT_FOUND" } });
    }
    expect((await getRevision(othersRevision.id, "", "other")).status).toBe(200);
  });

  it("answers 400 for an unknown format", async () => {
    const applied = await applyThroughApi(corefile(1));
    expect((await getRevision(applied.id, "?format=pdf")).status).toBe(400);
  });
});

describe("POST /api/v1/clusters/{cluster}/revisions/{id}/rollback", () => {
  it("restores the exact bytes, records a rollback revision pointing at the one restored, and answers 200", async () => {
    const original = await applyThroughApi(`${corefile(1)}\n\n`, "first");
    await applyThroughApi(corefile(2), "second");
    const base = liveResourceVersion();

    const response = await rollBack(original.id, { body: { baseResourceVersion: base, message: "back to the first" } });
    expect(response.status).toBe(200);
    const body = await readJson(response);
    expect(body.revision).toMatchObject({
      number: 3,
      source: "rollback",
      restoredFromId: original.id,
      message: "back to the first",
      resourceVersionBefore: base,
      text: original.text,
    });
    expect(Buffer.from(env.configMap().data?.Corefile ?? "", "utf8")).toEqual(Buffer.from(`${corefile(1)}\n\n`, "utf8"));
    expect(body.resourceVersion).toBe(liveResourceVersion());
  });

  it("rolls back over whatever is live when the body is empty", async () => {
    const original = await applyThroughApi(corefile(1));
    await applyThroughApi(corefile(2));
    const response = await rollBack(original.id);
    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({ revision: { restoredFromId: original.id, message: "Roll back to revision #1" } });
    expect(env.configMap().data?.Corefile).toBe(corefile(1));
  });

  it("answers 200 with unchanged: true when the revision is already live", async () => {
    const current = await applyThroughApi(corefile(1));
    const response = await rollBack(current.id, { body: {} });
    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({ unchanged: true, revision: null, resourceVersion: liveResourceVersion() });
  });

  it("answers 409 with the live text when the ConfigMap changed since baseResourceVersion, and writes nothing", async () => {
    const original = await applyThroughApi(corefile(1));
    await applyThroughApi(corefile(2));
    const reviewed = liveResourceVersion();
    const theirs = await replaceConfigMapBehindOurBack(env, (configMap) => ({ ...configMap, data: { Corefile: corefile(9) } }));

    const response = await rollBack(original.id, { body: { baseResourceVersion: reviewed } });
    expect(response.status).toBe(409);
    expect(await readJson(response)).toMatchObject({
      error: { code: "CONFLICT" },
      live: { corefile: corefile(9), resourceVersion: theirs.metadata.resourceVersion },
    });
    expect(env.configMap().data?.Corefile).toBe(corefile(9));
  });

  it("answers 404 for an unknown revision or one of another cluster, 400 for a bad body, 403 cross-origin", async () => {
    await registerCluster({ name: "other", connection: "sandbox", kubeconfigPath: env.cluster.kubeconfigPath }, env.db);
    const othersRevision = await applyThroughApi(corefile(1), "", "other");
    const base = liveResourceVersion();

    for (const id of ["no-such-revision", othersRevision.id]) {
      const response = await rollBack(id);
      expect(response.status, id).toBe(404);
      expect(await readJson(response)).toMatchObject({ error: { code: "REVISION_NOT_FOUND" } });
    }
    expect((await rollBack("x", { cluster: "nowhere" })).status).toBe(404);

    const own = await applyThroughApi(corefile(2));
    const afterOwn = liveResourceVersion();
    const badJson = await rollBack(own.id, { rawBody: "{" });
    expect(badJson.status).toBe(400);
    expect(await readJson(badJson)).toMatchObject({ error: { code: "BAD_JSON" } });

    const crossOrigin = await rollBack(own.id, { body: {}, headers: { origin: "https://evil.example" } });
    expect(crossOrigin.status).toBe(403);
    expect(await readJson(crossOrigin)).toMatchObject({ error: { code: "CROSS_ORIGIN" } });
    expect(liveResourceVersion()).toBe(afterOwn);
    expect(base).not.toBe(afterOwn);
  });

  it("answers 403 naming the missing RBAC verb when the cluster forbids the write", async () => {
    const original = await applyThroughApi(corefile(1));
    await applyThroughApi(corefile(2));
    await failNextSandboxRequest(env, { status: 403, method: "PUT" });
    const response = await rollBack(original.id);
    expect(response.status).toBe(403);
    const body = await readJson(response);
    expect(body).toMatchObject({ error: { code: "FORBIDDEN" }, outcomeUnknown: false });
    expect(body.error.message).toContain('"update" verb');
    expect(env.configMap().data?.Corefile).toBe(corefile(2));
  });
});
