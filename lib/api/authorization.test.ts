import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { revokeApiToken } from "@/lib/auth/tokens";
import { createApplyEnvironment, type ApplyEnvironment } from "@/lib/revisions/test-environment";
import { getLatestRevision } from "@/lib/revisions/revisions";
import { shouldRecordTokenUse, TOKEN_READ_AUDIT_INTERVAL_MS } from "./authorize";
import { handleListClusters } from "./clusters-endpoint";
import { handleGetCorefile, handlePutCorefile } from "./corefile-endpoint";
import { handleRollbackRevision } from "./rollback-endpoint";
import { apiRequest, clearTestToken, createTestToken, readJson, TEST_ORIGIN } from "./test-helpers";

let env: ApplyEnvironment;
let seedCorefile: string;

beforeEach(async () => {
  env = await createApplyEnvironment();
  seedCorefile = env.configMap().data?.Corefile ?? "";
  clearTestToken();
});

afterEach(async () => {
  clearTestToken();
  await env.dispose();
});

function withToken(token: string | null, extra: Record<string, string> = {}) {
  return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

function getCorefile(token: string | null) {
  return handleGetCorefile(apiRequest("GET", "/api/v1/clusters/sandbox/corefile", { headers: withToken(token) }), { cluster: "sandbox" }, { db: env.db });
}

function putCorefile(token: string | null, n: number, headers: Record<string, string> = {}) {
  const body = { corefile: seedCorefile.replace("cache 30 {", `cache ${40 + n} {`), baseResourceVersion: env.configMap().metadata.resourceVersion, message: `change ${n}` };
  return handlePutCorefile(apiRequest("PUT", "/api/v1/clusters/sandbox/corefile", { body, headers: withToken(token, headers) }), { cluster: "sandbox" }, { db: env.db, timeoutMs: 2000 });
}

function rollBack(token: string | null, id: string) {
  return handleRollbackRevision(
    apiRequest("POST", `/api/v1/clusters/sandbox/revisions/${id}/rollback`, { headers: withToken(token) }),
    { cluster: "sandbox", id },
    { db: env.db, timeoutMs: 2000 },
  );
}

async function auditRows(action: string) {
  return env.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });
}

describe("REST API authorization", () => {
  it("answers 401 JSON with a Bearer challenge to a request without credentials, for reads and writes", async () => {
    for (const response of [await getCorefile(null), await putCorefile(null, 1), await handleListClusters(apiRequest("GET", "/api/v1/clusters"), { db: env.db })]) {
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(await readJson(response)).toMatchObject({ error: { code: "UNAUTHENTICATED", message: expect.stringContaining("Authorization: Bearer") } });
    }
    expect(env.configMap().data?.Corefile).toBe(seedCorefile);
  });

  it("a viewer token reads but may neither apply nor roll back; the refusals are audited and nothing is written", async () => {
    const { token, tokenId } = await createTestToken(env.db, { role: "viewer", asDefault: false });
    expect((await getCorefile(token)).status).toBe(200);

    const put = await putCorefile(token, 1);
    expect(put.status).toBe(403);
    expect(await readJson(put)).toMatchObject({ error: { code: "FORBIDDEN", message: expect.stringContaining("editor role") } });
    const baseline = await getLatestRevision(env.cluster.id, env.db);
    const rollback = await rollBack(token, baseline?.id ?? "none");
    expect(rollback.status).toBe(403);

    expect(env.configMap().data?.Corefile).toBe(seedCorefile);
    const denied = await env.db.auditEvent.findMany({ where: { outcome: "denied" }, orderBy: { id: "asc" } });
    expect(denied.map((row) => row.action)).toEqual(["apply", "token.use", "rollback", "token.use"]);
    expect(denied[0]).toMatchObject({ actor: "ci viewer", method: "token", cluster: "sandbox" });
    expect((await auditRows("token.use")).every((row) => row.target === tokenId)).toBe(true);
  });

  it("an editor token applies (recorded with its owner as author and source api) and rolls back", async () => {
    const { token } = await createTestToken(env.db, { role: "editor", asDefault: false });
    const put = await putCorefile(token, 1);
    expect(put.status).toBe(200);
    const applied = (await readJson(put)).revision;
    expect(applied).toMatchObject({ author: "ci editor", source: "api" });
    expect(env.configMap().data?.Corefile).toContain("cache 41 {");

    expect((await putCorefile(token, 2)).status).toBe(200);
    const rollback = await rollBack(token, applied.id);
    expect(rollback.status).toBe(200);
    expect((await readJson(rollback)).revision).toMatchObject({ author: "ci editor", source: "rollback", restoredFromId: applied.id });
    expect(env.configMap().data?.Corefile).toContain("cache 41 {");

    const applies = await auditRows("apply");
    expect(applies).toHaveLength(2);
    expect(applies[0]).toMatchObject({ actor: "ci editor", outcome: "success", target: applied.id, cluster: "sandbox" });
    expect(JSON.parse(applies[0]!.detail)).toMatchObject({ linesAdded: 1, linesRemoved: 1 });
    expect((await auditRows("rollback"))[0]).toMatchObject({ outcome: "success" });
  });

  it("records a token's successful reads once a minute, its writes every time", async () => {
    const { token, tokenId } = await createTestToken(env.db, { role: "editor", asDefault: false });
    for (let i = 0; i < 3; i++) expect((await getCorefile(token)).status).toBe(200);
    expect((await putCorefile(token, 1)).status).toBe(200);
    expect((await putCorefile(token, 2)).status).toBe(200);
    const uses = (await auditRows("token.use")).filter((row) => row.target === tokenId);
    expect(uses.map((row) => JSON.parse(row.detail).request.split(" ")[0])).toEqual(["GET", "PUT", "PUT"]);
    expect(uses.every((row) => row.outcome === "success")).toBe(true);
  });

  it("decides which token uses to record", () => {
    const now = Date.parse("2026-11-26T12:00:00Z");
    expect(shouldRecordTokenUse("GET", true, null, now)).toBe(true);
    expect(shouldRecordTokenUse("GET", true, new Date(now - 59_000), now)).toBe(false);
    expect(shouldRecordTokenUse("GET", true, new Date(now - TOKEN_READ_AUDIT_INTERVAL_MS), now)).toBe(true);
    expect(shouldRecordTokenUse("GET", false, new Date(now - 1_000), now)).toBe(true);
    expect(shouldRecordTokenUse("PUT", true, new Date(now - 1_000), now)).toBe(true);
    expect(shouldRecordTokenUse("POST", true, new Date(now - 1_000), now)).toBe(true);
  });

  it("an admin token does what an editor's does, and lists the clusters", async () => {
    const { token } = await createTestToken(env.db, { role: "admin", asDefault: false });
    expect((await putCorefile(token, 2)).status).toBe(200);
    const clusters = await handleListClusters(apiRequest("GET", "/api/v1/clusters", { headers: withToken(token) }), { db: env.db });
    expect((await readJson(clusters)).clusters.map((c: { name: string }) => c.name)).toEqual(["sandbox"]);
  });

  it("a token never does more than its scope: an editor's viewer token, and a token for another cluster", async () => {
    const readOnly = await createTestToken(env.db, { role: "editor", name: "scoped one", tokenRole: "viewer", asDefault: false });
    expect((await putCorefile(readOnly.token, 3)).status).toBe(403);
    const elsewhere = await createTestToken(env.db, { role: "admin", name: "scoped two", clusters: ["production"], asDefault: false });
    expect((await getCorefile(elsewhere.token)).status).toBe(403);
    const clusters = await handleListClusters(apiRequest("GET", "/api/v1/clusters", { headers: withToken(elsewhere.token) }), { db: env.db });
    expect((await readJson(clusters)).clusters).toEqual([]);
  });

  it("refuses an expired token and a revoked one with 401 and says what to do; the use is audited as a failure", async () => {
    const expired = await createTestToken(env.db, { role: "editor", name: "old", asDefault: false, expiresAt: new Date(Date.now() + 60_000) });
    await env.db.apiToken.update({ where: { id: expired.tokenId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expiredAnswer = await putCorefile(expired.token, 4);
    expect(expiredAnswer.status).toBe(401);
    expect(await readJson(expiredAnswer)).toMatchObject({ error: { code: "TOKEN_EXPIRED", message: expect.stringContaining("Create a new one") } });

    const revoked = await createTestToken(env.db, { role: "editor", name: "gone", asDefault: false });
    expect((await getCorefile(revoked.token)).status).toBe(200);
    const revocation = await revokeApiToken(revoked.tokenId, { id: revoked.userId, name: "gone", grants: [{ cluster: "*", role: "editor" }] }, env.db);
    expect(revocation.ok).toBe(true);
    const revokedAnswer = await putCorefile(revoked.token, 5);
    expect(revokedAnswer.status).toBe(401);
    expect(await readJson(revokedAnswer)).toMatchObject({ error: { code: "TOKEN_REVOKED" } });

    const unknown = await getCorefile("cdk_not-a-real-token");
    expect(unknown.status).toBe(401);
    expect(await readJson(unknown)).toMatchObject({ error: { code: "TOKEN_UNKNOWN" } });

    expect(env.configMap().data?.Corefile).toBe(seedCorefile);
    const failures = (await auditRows("token.use")).filter((row) => row.outcome === "failure").map((row) => JSON.parse(row.detail).reason);
    expect(failures).toEqual(["TOKEN_EXPIRED", "TOKEN_REVOKED", "TOKEN_UNKNOWN"]);
  });

  it("refuses a cross-origin write even with a valid token, before touching anything", async () => {
    const { token } = await createTestToken(env.db, { role: "admin", asDefault: false });
    const response = await putCorefile(token, 6, { origin: "http://evil.example" });
    expect(response.status).toBe(403);
    expect(await readJson(response)).toMatchObject({ error: { code: "CROSS_ORIGIN" } });
    // The same write from the dashboard's own origin passes.
    expect((await putCorefile(token, 7, { origin: TEST_ORIGIN })).status).toBe(200);
  });

  it("stores only the token's SHA-256: the secret appears nowhere in the database", async () => {
    const { token } = await createTestToken(env.db, { role: "viewer", asDefault: false });
    expect(token).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    const rows = await env.db.apiToken.findMany();
    expect(JSON.stringify(rows)).not.toContain(token.slice(4));
    expect(rows[0]!.prefix).toBe(token.slice(0, 10));
  });
});
