import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./server";
import { call } from "./testing";

const CM = "/api/v1/namespaces/kube-system/configmaps";
const SEED_COREFILE = readFileSync(new URL("./seed/kubeadm-Corefile.conf", import.meta.url), "utf8");

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox();
});
afterEach(async () => {
  await sb.close();
});

describe("discovery", () => {
  it("serves /version, /api, /apis and the v1 resource list", async () => {
    const version = await call(sb, "GET", "/version");
    expect(version.body).toMatchObject({ major: "1", minor: "32" });
    expect(version.body.gitVersion).toMatch(/^v1\.32\./);

    expect((await call(sb, "GET", "/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    expect((await call(sb, "GET", "/apis")).body).toMatchObject({ kind: "APIGroupList", groups: [] });

    const v1 = (await call(sb, "GET", "/api/v1")).body;
    expect(v1.kind).toBe("APIResourceList");
    const byName = Object.fromEntries(v1.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.configmaps).toMatchObject({ kind: "ConfigMap", namespaced: true, shortNames: ["cm"] });
    expect(byName.configmaps.verbs).toEqual(expect.arrayContaining(["get", "list", "watch", "create", "update", "patch", "delete"]));
    expect(byName.pods.shortNames).toEqual(["po"]);
    expect(byName.services.shortNames).toEqual(["svc"]);
    expect(byName.namespaces).toMatchObject({ namespaced: false, shortNames: ["ns"] });
    expect(byName["pods/proxy"]).toBeDefined();
  });

  it("answers unknown groups and paths with a 404 Status", async () => {
    for (const path of ["/apis/apps", "/apis/apps/v1/deployments", "/nope", "/api/v1/widgets"]) {
      const res = await call(sb, "GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
    }
  });

  it("serves an OpenAPI v3 root that points at the api/v1 document", async () => {
    const root = await call(sb, "GET", "/openapi/v3");
    const url: string = root.body.paths["api/v1"].serverRelativeURL;
    const doc = await call(sb, "GET", url);
    expect(doc.body.components.schemas["io.k8s.api.core.v1.ConfigMap"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "", kind: "ConfigMap", version: "v1" }]);
    const patchOp = doc.body.paths["/api/v1/namespaces/{namespace}/configmaps/{name}"].patch;
    expect(patchOp.parameters.map((p: { name: string }) => p.name)).toContain("fieldValidation");
  });
});

describe("seed", () => {
  it("holds the kubeadm coredns ConfigMap with the exact Corefile, and no labels", async () => {
    const res = await call(sb, "GET", `${CM}/coredns`);
    expect(res.status).toBe(200);
    expect(res.body.data.Corefile).toBe(SEED_COREFILE);
    expect(res.body.metadata.labels).toBeUndefined();
    expect(res.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.metadata.managedFields[0]).toMatchObject({ manager: "kubeadm", operation: "Update" });
  });

  it("has the seeded namespaces, CoreDNS pods and kube-dns service", async () => {
    const ns = await call(sb, "GET", "/api/v1/namespaces");
    expect(ns.body.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(
      expect.arrayContaining(["default", "kube-system", "linkerd", "istio-system"]),
    );
    const pods = await call(sb, "GET", "/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dkube-dns");
    expect(pods.body.items).toHaveLength(2);
    for (const pod of pods.body.items) {
      expect(pod.metadata.name).toMatch(/^coredns-[a-z0-9]+-[a-z0-9]{5}$/);
      expect(pod.status.phase).toBe("Running");
      // The sandbox's convention: pods answer DNS on 127.0.0.1, on the port their dns/dns-tcp container ports name.
      expect(pod.status.podIP).toBe("127.0.0.1");
      expect(pod.status.conditions).toContainEqual(expect.objectContaining({ type: "Ready", status: "True" }));
      expect(pod.status.containerStatuses[0].image).toContain("coredns/coredns:1.14.7");
      const dnsPort = sb.pods().find((p) => p.name === pod.metadata.name)!.dnsPort;
      expect(dnsPort).toBeGreaterThan(0);
      expect(pod.spec.containers[0].ports).toEqual([
        { name: "dns", containerPort: dnsPort, protocol: "UDP" },
        { name: "dns-tcp", containerPort: dnsPort, protocol: "TCP" },
        { name: "metrics", containerPort: 9153, protocol: "TCP" },
      ]);
    }
    const svc = await call(sb, "GET", "/api/v1/namespaces/kube-system/services/kube-dns");
    expect(svc.body.spec.clusterIP).toBe("10.96.0.10");
    expect(svc.body.spec.selector).toEqual({ "k8s-app": "kube-dns" });
    expect(svc.body.spec.ports.map((p: { name: string; port: number; protocol: string }) => `${p.name} ${p.port}/${p.protocol}`)).toEqual([
      "dns 53/UDP",
      "dns-tcp 53/TCP",
      "metrics 9153/TCP",
    ]);
  });

  it("can start empty apart from the CoreDNS pods", async () => {
    const empty = await startSandbox({ seed: false });
    try {
      const cms = await call(empty, "GET", "/api/v1/configmaps");
      expect(cms.body.items).toEqual([]);
      expect((await call(empty, "GET", "/api/v1/namespaces/kube-system/pods")).body.items).toHaveLength(2);
    } finally {
      await empty.close();
    }
  });
});

describe("errors", () => {
  it("answers a missing object with the real 404 Status", async () => {
    const res = await call(sb, "GET", `${CM}/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'configmaps "nope" not found',
      reason: "NotFound",
      details: { name: "nope", kind: "configmaps" },
      code: 404,
    });
  });

  it("answers malformed JSON with a 400 Status", async () => {
    const res = await call(sb, "PUT", `${CM}/coredns`, "{not json", { "Content-Type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: "Status", status: "Failure", reason: "BadRequest", code: 400 });
    expect(res.body.message).toMatch(/invalid JSON/);
  });

  it("rejects invalid ConfigMaps with 422 Invalid", async () => {
    const res = await call(sb, "POST", CM, { metadata: { name: "bad" }, data: { "not a key!": "x" } });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe("Invalid");
    expect(res.body.message).toMatch(/^ConfigMap "bad" is invalid: data\[not a key!\]: Invalid value/);
    expect(res.body.details.causes[0].field).toBe("data[not a key!]");
  });

  it("refuses writes to read-only resources with 405", async () => {
    const res = await call(sb, "DELETE", "/api/v1/namespaces/kube-system/pods/whatever");
    expect(res.status).toBe(405);
    expect(res.body.reason).toBe("MethodNotAllowed");
  });

  it("treats unknown fields per fieldValidation: Strict rejects, Warn warns and drops", async () => {
    const body = { metadata: { name: "fv" }, data: { a: "1" }, spec: { x: 1 } };
    const strict = await call(sb, "POST", `${CM}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('strict decoding error: unknown field "spec"');
    const warn = await call(sb, "POST", CM, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get("warning")).toBe('299 - "unknown field \\"spec\\""');
    expect(warn.body.spec).toBeUndefined();
  });
});

describe("writes", () => {
  it("creates with 201 and refuses a duplicate with 409 AlreadyExists", async () => {
    const created = await call(sb, "POST", CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "extra" }, data: { a: "1" } });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: "extra", namespace: "kube-system" });
    const again = await call(sb, "POST", CM, { metadata: { name: "extra" } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: "AlreadyExists", message: 'configmaps "extra" already exists', details: { name: "extra", kind: "configmaps" } });
  });

  it("refuses a PUT with a stale resourceVersion (409 Conflict) and accepts one without", async () => {
    const current = (await call(sb, "GET", `${CM}/coredns`)).body;
    const first = await call(sb, "PUT", `${CM}/coredns`, { ...current, data: { Corefile: ".:53 {\n    errors\n}\n" } });
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));

    const stale = await call(sb, "PUT", `${CM}/coredns`, { ...current, data: { Corefile: "stale" } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      details: { name: "coredns", kind: "configmaps" },
      message:
        'Operation cannot be fulfilled on configmaps "coredns": the object has been modified; please apply your changes to the latest version and try again',
    });

    const { resourceVersion: _rv, ...metaWithoutRv } = current.metadata;
    const unconditional = await call(sb, "PUT", `${CM}/coredns`, { ...current, metadata: metaWithoutRv, data: { Corefile: "unconditional" } });
    expect(unconditional.status).toBe(200);
    expect(sb.getObject("configmaps", "kube-system", "coredns")?.data).toEqual({ Corefile: "unconditional" });
  });

  it("answers a PUT to a missing ConfigMap with 404 and a name mismatch with 400", async () => {
    expect((await call(sb, "PUT", `${CM}/missing`, { metadata: { name: "missing" } })).status).toBe(404);
    const mismatch = await call(sb, "PUT", `${CM}/coredns`, { metadata: { name: "other" } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toBe("the name of the object (other) does not match the name on the URL (coredns)");
  });

  it("bumps one global resourceVersion on every write, across objects", async () => {
    const start = Number(sb.resourceVersion());
    const a = await call(sb, "POST", CM, { metadata: { name: "a" } });
    const b = await call(sb, "POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "b" } });
    const c = await call(sb, "PATCH", `${CM}/a`, { data: { k: "v" } }, { "Content-Type": "application/merge-patch+json" });
    expect([a, b, c].map((r) => Number(r.body.metadata.resourceVersion))).toEqual([start + 1, start + 2, start + 3]);
    const list = await call(sb, "GET", "/api/v1/configmaps");
    expect(list.body.metadata.resourceVersion).toBe(String(start + 3));
  });

  it("does not store a write that changes nothing", async () => {
    const current = (await call(sb, "GET", `${CM}/coredns`)).body;
    const rv = sb.resourceVersion();
    const same = await call(sb, "PUT", `${CM}/coredns`, current, { "User-Agent": "kubeadm/v1.32.4" });
    expect(same.status).toBe(200);
    expect(same.body.metadata.resourceVersion).toBe(current.metadata.resourceVersion);
    expect(sb.resourceVersion()).toBe(rv);
  });

  it("deletes with a success Status, honours preconditions, then 404s", async () => {
    await call(sb, "POST", CM, { metadata: { name: "gone" } });
    const wrong = await call(sb, "DELETE", `${CM}/gone`, { preconditions: { resourceVersion: "1" } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.message).toMatch(/Precondition failed: ResourceVersion in precondition: 1/);
    const res = await call(sb, "DELETE", `${CM}/gone`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: "Status", status: "Success", details: { name: "gone", kind: "configmaps" } });
    expect((await call(sb, "GET", `${CM}/gone`)).status).toBe(404);
    expect((await call(sb, "DELETE", `${CM}/gone`)).status).toBe(404);
  });

  it("dryRun=All validates and answers but changes nothing and uses no resourceVersion", async () => {
    const rv = sb.resourceVersion();
    const before = sb.getObject("configmaps", "kube-system", "coredns");

    const created = await call(sb, "POST", `${CM}?dryRun=All`, { metadata: { name: "dry" }, data: { a: "1" } });
    expect(created.status).toBe(201);
    expect(created.body.metadata.name).toBe("dry");
    expect((await call(sb, "GET", `${CM}/dry`)).status).toBe(404);

    const put = await call(sb, "PUT", `${CM}/coredns?dryRun=All`, { ...before, data: { Corefile: "dry" } });
    expect(put.status).toBe(200);
    expect(put.body.data.Corefile).toBe("dry");

    const patched = await call(sb, "PATCH", `${CM}/coredns?dryRun=All`, { data: { extra: "x" } }, { "Content-Type": "application/merge-patch+json" });
    expect(patched.body.data.extra).toBe("x");

    const applied = await call(sb, "PATCH", `${CM}/coredns?dryRun=All&fieldManager=t&force=true`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns" }, data: { Corefile: "x" } }, { "Content-Type": "application/apply-patch+yaml" });
    expect(applied.status).toBe(200);

    const del = await call(sb, "DELETE", `${CM}/coredns?dryRun=All`);
    expect(del.status).toBe(200);

    const invalidDry = await call(sb, "POST", `${CM}?dryRun=All`, { metadata: { name: "Bad_Name" } });
    expect(invalidDry.status).toBe(422);

    expect(sb.resourceVersion()).toBe(rv);
    expect(sb.getObject("configmaps", "kube-system", "coredns")).toEqual(before);
  });
});

describe("managedFields", () => {
  it("records the manager from the fieldManager parameter", async () => {
    await call(sb, "PATCH", `${CM}/coredns?fieldManager=coredeck`, { data: { Corefile: "x" } }, { "Content-Type": "application/merge-patch+json" });
    const cm = sb.getObject("configmaps", "kube-system", "coredns")!;
    const entry = cm.metadata.managedFields!.find((e) => e.manager === "coredeck");
    expect(entry).toMatchObject({ operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:Corefile": {} } } });
    expect(entry!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The previous owner of data.Corefile (kubeadm) lost it.
    expect(cm.metadata.managedFields!.find((e) => e.manager === "kubeadm")?.fieldsV1).toEqual({ "f:data": { ".": {} } });
  });

  it("derives the manager from the User-Agent like the API server", async () => {
    const current = (await call(sb, "GET", `${CM}/coredns`)).body;
    await call(sb, "PUT", `${CM}/coredns`, { ...current, data: { Corefile: "y" } }, { "User-Agent": "kubectl-edit/v1.32.4 (linux/amd64) kubernetes/59526cd" });
    const managers = sb.getObject("configmaps", "kube-system", "coredns")!.metadata.managedFields!.map((e) => e.manager);
    expect(managers).toContain("kubectl-edit");
  });
});

describe("selectors and lists", () => {
  beforeEach(async () => {
    const mk = (name: string, labels: Record<string, string>) => call(sb, "POST", "/api/v1/namespaces/default/configmaps", { metadata: { name, labels } });
    await mk("l-a", { tier: "dns", env: "prod" });
    await mk("l-b", { tier: "dns", env: "dev" });
    await mk("l-c", { tier: "web" });
  });

  const names = async (query: string) =>
    ((await call(sb, "GET", `/api/v1/namespaces/default/configmaps?${query}`)).body.items as { metadata: { name: string } }[])
      .map((i) => i.metadata.name)
      .filter((n) => n.startsWith("l-"));

  it.each([
    ["tier=dns", ["l-a", "l-b"]],
    ["tier==dns", ["l-a", "l-b"]],
    ["tier!=dns", ["l-c"]],
    ["env in (prod,staging)", ["l-a"]],
    ["env notin (prod)", ["l-b", "l-c"]],
    ["env", ["l-a", "l-b"]],
    ["!env", ["l-c"]],
    ["tier=dns,env=dev", ["l-b"]],
  ])("labelSelector %s", async (selector, expected) => {
    expect(await names(`labelSelector=${encodeURIComponent(selector)}`)).toEqual(expected);
  });

  it("filters by metadata.name and metadata.namespace field selectors, across namespaces too", async () => {
    expect(await names("fieldSelector=metadata.name%3Dl-b")).toEqual(["l-b"]);
    const all = await call(sb, "GET", "/api/v1/configmaps?fieldSelector=metadata.name%3Dkube-root-ca.crt,metadata.namespace!%3Ddefault");
    const namespaces = all.body.items.map((i: { metadata: { namespace: string } }) => i.metadata.namespace);
    expect(namespaces).toContain("kube-system");
    expect(namespaces).not.toContain("default");
    expect(all.body.kind).toBe("ConfigMapList");
  });

  it("rejects malformed selectors and unsupported fields with 400", async () => {
    const badLabel = await call(sb, "GET", "/api/v1/configmaps?labelSelector=a%20in%20(b");
    expect(badLabel.status).toBe(400);
    const badField = await call(sb, "GET", "/api/v1/configmaps?fieldSelector=spec.nodeName%3Dx");
    expect(badField.status).toBe(400);
    expect(badField.body.message).toBe("field label not supported: spec.nodeName");
  });

  it("paginates with limit and continue", async () => {
    const first = await call(sb, "GET", "/api/v1/configmaps?limit=4");
    expect(first.body.items).toHaveLength(4);
    expect(first.body.metadata.continue).toBeTruthy();
    const seen = first.body.items.map((i: { metadata: { name: string; namespace: string } }) => `${i.metadata.namespace}/${i.metadata.name}`);
    let token = first.body.metadata.continue as string | undefined;
    while (token) {
      const page = await call(sb, "GET", `/api/v1/configmaps?limit=4&continue=${encodeURIComponent(token)}`);
      seen.push(...page.body.items.map((i: { metadata: { name: string; namespace: string } }) => `${i.metadata.namespace}/${i.metadata.name}`));
      token = page.body.metadata.continue;
    }
    const all = await call(sb, "GET", "/api/v1/configmaps");
    expect(seen).toEqual(all.body.items.map((i: { metadata: { name: string; namespace: string } }) => `${i.metadata.namespace}/${i.metadata.name}`));
  });

  it("renders a Table when asked as kubectl does", async () => {
    const res = await call(sb, "GET", "/api/v1/namespaces/kube-system/configmaps", undefined, {
      Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json",
    });
    expect(res.body.kind).toBe("Table");
    expect(res.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(["Name", "Data", "Age"]);
    const row = res.body.rows.find((r: { cells: unknown[] }) => r.cells[0] === "coredns");
    expect(row.cells[1]).toBe(1);
    expect(row.object).toMatchObject({ kind: "PartialObjectMetadata", metadata: { name: "coredns" } });
  });
});
