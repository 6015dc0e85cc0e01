import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getLatestRevision } from "@/lib/revisions/revisions";
import { createApplyEnvironment, type ApplyEnvironment } from "@/lib/revisions/test-environment";
import { handleListClusters } from "./clusters-endpoint";
import { handleGetCorefile, handlePutCorefile } from "./corefile-endpoint";
import { MAX_BODY_BYTES } from "./request-body";
import { apiRequest, failNextSandboxRequest, readJson, replaceConfigMapBehindOurBack, TEST_ORIGIN , createTestToken } from "./test-helpers";

let env: ApplyEnvironment;
let seedCorefile: string;

beforeEach(async () => {
  env = await createApplyEnvironment({ lossyProxy: true });
  seedCorefile = env.configMap().data?.Corefile ?? "";
  // A script's admin token (ci admin): the REST API answers nobody without one.
  await createTestToken(env.db);
});

afterEach(async () => {
  await env.dispose();
});

/** The seeded kubeadm Corefile with another cache TTL: valid, and different for each `n`. */
function corefile(n: number): string {
  return seedCorefile.replace("cache 30 {", `cache ${31 + n} {`);
}

function liveResourceVersion(): string {
  return env.configMap().metadata.resourceVersion;
}

function getCorefile(query = "", cluster = "sandbox") {
  return handleGetCorefile(apiRequest("GET", `/api/v1/clusters/${cluster}/corefile${query}`), { cluster }, { db: env.db });
}

function putCorefile(body: unknown, options: { cluster?: string; headers?: Record<string, string>; timeoutMs?: number } = {}) {
  const cluster = options.cluster ?? "sandbox";
  const request = apiRequest("PUT", `/api/v1/clusters/${cluster}/corefile`, {
    ...(typeof body === "string" ? { rawBody: body } : { body }),
    headers: options.headers,
  });
  return handlePutCorefile(request, { cluster }, { db: env.db, timeoutMs: options.timeoutMs ?? 2000 });
}

describe("GET /api/v1/clusters", () => {
  it("lists the registered clusters with their ConfigMap coordinates and no kubeconfig path", async () => {
    const response = await handleListClusters(apiRequest("GET", "/api/v1/clusters"), { db: env.db });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      clusters: [
        {
          name: "sandbox",
          connection: "sandbox",
          configMap: { namespace: "kube-system", name: "coredns", key: "Corefile" },
          podLabelSelector: "k8s-app=kube-dns",
        },
      ],
    });
    expect(text).not.toContain(env.dir);
    expect(text).not.toContain("kubeconfig");
  });
});

describe("GET /api/v1/clusters/{cluster}/corefile", () => {
  it("answers 200 with the live Corefile, its resourceVersion, the ConfigMap coordinates and the other keys", async () => {
    const response = await getCorefile();
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${liveResourceVersion()}"`);
    expect(await readJson(response)).toEqual({
      cluster: "sandbox",
      corefile: seedCorefile,
      resourceVersion: liveResourceVersion(),
      configMap: { namespace: "kube-system", name: "coredns", key: "Corefile" },
      otherKeys: [],
    });
  });

  it("answers the bare Corefile as text/plain with the resourceVersion as ETag for ?format=text", async () => {
    const response = await getCorefile("?format=text");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("etag")).toBe(`"${liveResourceVersion()}"`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from(seedCorefile, "utf8"));
  });

  it("answers 404 for a cluster that is not registered", async () => {
    const response = await getCorefile("", "nowhere");
    expect(response.status).toBe(404);
    expect(await readJson(response)).toMatchObject({ error: { code: "CLUSTER_NOT_FOUND", message: expect.stringContaining("/api/v1/clusters") } });
  });

  it("answers 400 for an unknown format", async () => {
    const response = await getCorefile("?format=xml");
    expect(response.status).toBe(400);
    expect(await readJson(response)).toMatchObject({ error: { code: "INVALID_REQUEST" } });
  });

  it("answers 403 naming the missing RBAC verb when the cluster forbids the read", async () => {
    await failNextSandboxRequest(env, { status: 403, method: "GET" });
    const response = await getCorefile();
    expect(response.status).toBe(403);
    const body = await readJson(response);
    expect(body.error.code).toBe("FORBIDDEN");
    expect(body.error.message).toContain('"get" verb on "configmaps"');
  });

  it("answers 503 when the cluster's API server is unavailable", async () => {
    await failNextSandboxRequest(env, { status: 503, method: "GET" });
    const response = await getCorefile();
    expect(response.status).toBe(503);
    expect(await readJson(response)).toMatchObject({ error: { code: "SERVER_ERROR" } });
  });
});

describe("PUT /api/v1/clusters/{cluster}/corefile", () => {
  it("applies the Corefile and answers 200 with the revision, its text and the new resourceVersion", async () => {
    const base = liveResourceVersion();
    const text = corefile(1);
    const response = await putCorefile({ corefile: text, baseResourceVersion: base, message: "raise the cache TTL" });
    expect(response.status).toBe(200);
    const body = await readJson(response);

    expect(env.configMap().data?.Corefile).toBe(text);
    expect(body.resourceVersion).toBe(liveResourceVersion());
    expect(body.revision).toMatchObject({
      number: 1,
      text,
      message: "raise the cache TTL",
      author: "ci admin",
      source: "api",
      resourceVersionBefore: base,
      resourceVersionAfter: liveResourceVersion(),
    });
    expect(new Date(body.revision.createdAt).toISOString()).toBe(body.revision.createdAt);
    expect((await getLatestRevision(env.cluster.id, env.db))?.id).toBe(body.revision.id);
  });

  it("keeps the ConfigMap's other keys", async () => {
    await replaceConfigMapBehindOurBack(env, (configMap) => ({ ...configMap, data: { ...configMap.data, "extra.server": "example.org {\n  whoami\n}\n" } }));
    const before = await readJson(await getCorefile());
    expect(before.otherKeys).toEqual(["extra.server"]);

    const response = await putCorefile({ corefile: corefile(1), baseResourceVersion: before.resourceVersion, message: "" });
    expect(response.status).toBe(200);
    expect(env.configMap().data).toEqual({ Corefile: corefile(1), "extra.server": "example.org {\n  whoami\n}\n" });
  });

  it("answers 409 with the live text when the ConfigMap changed since baseResourceVersion, and writes nothing", async () => {
    const staleBase = liveResourceVersion();
    const theirs = await replaceConfigMapBehindOurBack(env, (configMap) => ({ ...configMap, data: { Corefile: corefile(7) } }));

    const response = await putCorefile({ corefile: corefile(1), baseResourceVersion: staleBase, message: "mine" });
    expect(response.status).toBe(409);
    const body = await readJson(response);
    expect(body.error.code).toBe("CONFLICT");
    expect(body.live).toEqual({ corefile: corefile(7), resourceVersion: theirs.metadata.resourceVersion });
    expect(env.configMap().data?.Corefile).toBe(corefile(7));
    expect(liveResourceVersion()).toBe(theirs.metadata.resourceVersion);
    expect(await getLatestRevision(env.cluster.id, env.db)).toBeNull();
  });

  it("answers 422 with the engine's diagnostics for a Corefile CoreDNS would refuse, and writes nothing", async () => {
    const base = liveResourceVersion();
    const invalid = seedCorefile.replace("cache 30 {", "cahce 30 {");
    const response = await putCorefile({ corefile: invalid, baseResourceVersion: base, message: "typo" });
    expect(response.status).toBe(422);
    const body = await readJson(response);
    expect(body.error.code).toBe("INVALID");
    const line = invalid.split("\n").findIndex((text) => text.includes("cahce")) + 1;
    expect(body.diagnostics).toContainEqual(
      expect.objectContaining({ severity: "error", line, column: expect.any(Number), code: expect.any(String), message: expect.stringContaining("cahce") }),
    );
    expect(env.configMap().data?.Corefile).toBe(seedCorefile);
    expect(liveResourceVersion()).toBe(base);
  });

  it("answers 200 with unchanged: true when the cluster already runs this Corefile", async () => {
    const base = liveResourceVersion();
    const response = await putCorefile({ corefile: seedCorefile, baseResourceVersion: base, message: "" });
    expect(response.status).toBe(200);
    expect(await readJson(response)).toMatchObject({ unchanged: true, revision: null, resourceVersion: base });
    expect(liveResourceVersion()).toBe(base);
  });

  it("answers 413 for a body over the limit, and 413 TOO_LARGE for a Corefile over the ConfigMap limit", async () => {
    const base = liveResourceVersion();
    const oversize = await putCorefile({ corefile: "#".repeat(MAX_BODY_BYTES), baseResourceVersion: base, message: "" });
    expect(oversize.status).toBe(413);
    expect(await readJson(oversize)).toMatchObject({ error: { code: "BODY_TOO_LARGE" } });

    const declared = await putCorefile("{}", { headers: { "content-length": String(MAX_BODY_BYTES + 1) } });
    expect(declared.status).toBe(413);

    const padded = `${"# padding to pass the 1 MiB ConfigMap limit\n".repeat(26_000)}${seedCorefile}`;
    const tooLarge = await putCorefile({ corefile: padded, baseResourceVersion: base, message: "" });
    expect(tooLarge.status).toBe(413);
    expect(await readJson(tooLarge)).toMatchObject({ error: { code: "TOO_LARGE" }, limit: 1024 * 1024 });
    expect(liveResourceVersion()).toBe(base);
  });

  it("answers 400 for a body that is not JSON, or not the expected object", async () => {
    const notJson = await putCorefile("{ corefile: ");
    expect(notJson.status).toBe(400);
    expect(await readJson(notJson)).toMatchObject({ error: { code: "BAD_JSON" } });

    const missingBase = await putCorefile({ corefile: corefile(1), message: "" });
    expect(missingBase.status).toBe(400);
    const body = await readJson(missingBase);
    expect(body.error.code).toBe("INVALID_REQUEST");
    expect(body.issues).toContainEqual(expect.objectContaining({ path: "baseResourceVersion" }));

    const misspelt = await putCorefile({ corefile: corefile(1), baseResourceVersion: liveResourceVersion(), mesage: "typo" });
    expect(misspelt.status).toBe(400);
    expect(env.configMap().data?.Corefile).toBe(seedCorefile);
  });

  it("answers 404 for a cluster that is not registered", async () => {
    const response = await putCorefile({ corefile: corefile(1), baseResourceVersion: "1", message: "" }, { cluster: "nowhere" });
    expect(response.status).toBe(404);
    expect(await readJson(response)).toMatchObject({ error: { code: "CLUSTER_NOT_FOUND" } });
  });

  it("refuses a write from a web page of another origin with 403, and accepts one from its own origin", async () => {
    const base = liveResourceVersion();
    const body = { corefile: corefile(1), baseResourceVersion: base, message: "" };
    const crossOrigin = await putCorefile(body, { headers: { origin: "http://evil.example" } });
    expect(crossOrigin.status).toBe(403);
    expect(await readJson(crossOrigin)).toMatchObject({ error: { code: "CROSS_ORIGIN" } });
    expect(liveResourceVersion()).toBe(base);

    const sameOrigin = await putCorefile(body, { headers: { origin: TEST_ORIGIN } });
    expect(sameOrigin.status).toBe(200);
  });

  it("answers 403 naming the missing RBAC verb when the cluster forbids the write", async () => {
    const base = liveResourceVersion();
    await failNextSandboxRequest(env, { status: 403, method: "PUT" });
    const response = await putCorefile({ corefile: corefile(1), baseResourceVersion: base, message: "" });
    expect(response.status).toBe(403);
    const body = await readJson(response);
    expect(body).toMatchObject({ error: { code: "FORBIDDEN" }, outcomeUnknown: false });
    expect(body.error.message).toContain('"update" verb on "configmaps"');
    expect(env.configMap().data?.Corefile).toBe(seedCorefile);
  });

  it("answers 503 when the API server is unavailable for the write, after checking that nothing was written", async () => {
    const base = liveResourceVersion();
    await failNextSandboxRequest(env, { status: 503, method: "PUT" });
    const response = await putCorefile({ corefile: corefile(1), baseResourceVersion: base, message: "" });
    expect(response.status).toBe(503);
    expect(await readJson(response)).toMatchObject({ error: { code: "SERVER_ERROR" }, outcomeUnknown: false });
    expect(liveResourceVersion()).toBe(base);
  });

  it("answers 504 with outcomeUnknown when neither the write's answer nor a read comes back", async () => {
    const base = liveResourceVersion();
    env.proxy?.swallowResponses({ method: "PUT", afterForward: () => env.sandbox.faults.hangNext({ method: "GET" }) });
    const response = await putCorefile({ corefile: corefile(1), baseResourceVersion: base, message: "" }, { timeoutMs: 300 });
    expect(response.status).toBe(504);
    const body = await readJson(response);
    expect(body).toMatchObject({ error: { code: "TIMEOUT" }, outcomeUnknown: true });
    expect(body.error.message).toContain("cannot tell yet");
  });
});
