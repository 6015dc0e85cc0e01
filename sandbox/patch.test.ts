import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch";
import { startSandbox, type Sandbox } from "./server";
import { call } from "./testing";

const CM = "/api/v1/namespaces/default/configmaps";
let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox();
  await call(sb, "POST", CM, { metadata: { name: "p", labels: { a: "1" } }, data: { one: "1", two: "2" } });
});
afterEach(async () => {
  await sb.close();
});

const patch = (type: string, body: unknown, query = "") => call(sb, "PATCH", `${CM}/p${query}`, body, { "Content-Type": type });

describe("PATCH over HTTP", () => {
  it("applies a JSON patch (add, replace, remove) and answers a failed test op with 422", async () => {
    const res = await patch("application/json-patch+json", [
      { op: "add", path: "/data/three", value: "3" },
      { op: "replace", path: "/data/one", value: "uno" },
      { op: "remove", path: "/data/two" },
      { op: "add", path: "/metadata/labels/b~1c", value: "x" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ one: "uno", three: "3" });
    expect(res.body.metadata.labels).toEqual({ a: "1", "b/c": "x" });

    const failed = await patch("application/json-patch+json", [{ op: "test", path: "/data/one", value: "nope" }]);
    expect(failed.status).toBe(422);
    expect(failed.body.kind).toBe("Status");
  });

  it("applies a merge patch where null deletes", async () => {
    const res = await patch("application/merge-patch+json", { data: { one: null, four: "4" } });
    expect(res.body.data).toEqual({ two: "2", four: "4" });
  });

  it("applies a strategic merge patch, honouring $patch: replace", async () => {
    const res = await patch("application/strategic-merge-patch+json", { data: { two: "deux" } });
    expect(res.body.data).toEqual({ one: "1", two: "deux" });
    const replaced = await patch("application/strategic-merge-patch+json", { data: { $patch: "replace", only: "this" } });
    expect(replaced.body.data).toEqual({ only: "this" });
  });

  it("uses a resourceVersion inside a patch as a precondition", async () => {
    const res = await patch("application/merge-patch+json", { metadata: { resourceVersion: "1" }, data: { one: "x" } });
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe("Conflict");
  });

  it("answers an unknown patch Content-Type with 415 and a missing object with 404", async () => {
    expect((await patch("application/xml", {})).status).toBe(415);
    const missing = await call(sb, "PATCH", `${CM}/nope`, { data: {} }, { "Content-Type": "application/merge-patch+json" });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('configmaps "nope" not found');
  });
});

describe("server-side apply", () => {
  const applyBody = (data: Record<string, string>, name = "s") => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data });
  const apply = (body: unknown, query: string, name = "s") =>
    call(sb, "PATCH", `${CM}/${name}${query}`, typeof body === "string" ? body : JSON.stringify(body), { "Content-Type": "application/apply-patch+yaml" });

  it("requires a fieldManager", async () => {
    const res = await apply(applyBody({ a: "1" }), "");
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/fieldManager is required for apply requests/);
  });

  it("creates a missing object from YAML and records an Apply entry", async () => {
    const res = await apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  a: '1'\n", "?fieldManager=ops");
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ a: "1" });
    expect(res.body.metadata.managedFields).toEqual([expect.objectContaining({ manager: "ops", operation: "Apply", fieldsV1: { "f:data": { "f:a": {} } } })]);
  });

  it("conflicts with another manager's field unless forced, and removes fields it stopped applying", async () => {
    await apply(applyBody({ a: "1", b: "2" }), "?fieldManager=ops");
    await call(sb, "PATCH", `${CM}/s?fieldManager=editor`, { data: { a: "changed" } }, { "Content-Type": "application/merge-patch+json" });

    const conflicted = await apply(applyBody({ a: "1", b: "2" }), "?fieldManager=ops");
    expect(conflicted.status).toBe(409);
    expect(conflicted.body).toMatchObject({ reason: "Conflict", message: 'Apply failed with 1 conflict: conflict with "editor" using v1: .data.a' });
    expect(conflicted.body.details.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "editor" using v1', field: ".data.a" }]);

    // Forced, and no longer applying b: a moves back to ops, b (owned by ops alone) disappears.
    const forced = await apply(applyBody({ a: "1" }), "?fieldManager=ops&force=true");
    expect(forced.status).toBe(200);
    expect(forced.body.data).toEqual({ a: "1" });
    expect(forced.body.metadata.managedFields.map((e: { manager: string }) => e.manager)).toEqual(["ops"]);
  });

  it("shares ownership without conflict when the value is the same", async () => {
    await apply(applyBody({ a: "1" }), "?fieldManager=one");
    const res = await apply(applyBody({ a: "1" }), "?fieldManager=two");
    expect(res.status).toBe(200);
    expect(res.body.metadata.managedFields.map((e: { manager: string }) => e.manager).sort()).toEqual(["one", "two"]);
  });
});

describe("patch functions", () => {
  it("merge patch replaces non-objects and recurses into objects", () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, d: [1] }, { a: { b: null, e: 3 }, d: [2] })).toEqual({ a: { c: 2, e: 3 }, d: [2] });
  });

  it("JSON patch supports move, copy and array indices", () => {
    const out = applyJsonPatch({ a: [1, 2], b: { x: 1 } }, [
      { op: "move", from: "/b/x", path: "/b/y" },
      { op: "copy", from: "/a/0", path: "/a/-" },
      { op: "add", path: "/a/0", value: 0 },
    ]);
    expect(out).toEqual({ a: [0, 1, 2, 1], b: { y: 1 } });
  });

  it("strategic merge patch honours $retainKeys and $patch: delete", () => {
    expect(applyStrategicMergePatch({ m: { a: 1, b: 2, c: 3 } }, { m: { $retainKeys: ["a", "c"], c: 4 } })).toEqual({ m: { a: 1, c: 4 } });
    expect(applyStrategicMergePatch({ m: { a: 1 }, n: 1 }, { m: { $patch: "delete" } })).toEqual({ n: 1 });
  });
});
