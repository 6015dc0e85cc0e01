import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareExplain, proposeNames } from "./compare";
import { describeSearch, expandCandidates, pickFinal } from "./resolver";
import type { ClusterData } from "./types";

const LIVE = readFileSync(new URL("../../../sandbox/seed/kubeadm-Corefile.conf", import.meta.url), "utf8");

const CLUSTER: ClusterData = {
  services: [
    { name: "frontend", namespace: "default", clusterIP: "10.96.1.10", ports: [{ name: "http", port: 80 }] },
    { name: "legacy", namespace: "default", type: "ExternalName", externalName: "legacy.corp.example" },
    { name: "consul-dns", namespace: "consul", clusterIP: "10.96.200.53", ports: [{ name: "dns-udp", port: 53, protocol: "UDP" }] },
  ],
};

/** The seed Corefile with a hosts override in front of the kubernetes plugin, and a stub zone for consul. */
const DRAFT = LIVE.replace(
  "    kubernetes cluster.local",
  "    hosts /etc/hosts cluster.local {\n       10.0.0.99 frontend.default.svc.cluster.local\n       fallthrough\n    }\n    kubernetes cluster.local",
) + "consul:53 {\n    errors\n    cache 30\n    forward . 10.96.200.53\n}\n";

describe("compareExplain", () => {
  const queries = [
    { name: "frontend", type: "A" },
    { name: "web.service.consul", type: "A" },
    { name: "kubernetes.default.svc.cluster.local.", type: "A" },
    { name: "example.com.", type: "A" },
  ];

  it("lists the names whose answer or path the draft changes, and only those", () => {
    const c = compareExplain(DRAFT, LIVE, queries, { clientNamespace: "default", cluster: CLUSTER });
    expect(c.results).toHaveLength(4);
    const byName = new Map(c.results.map((r) => [r.query.name, r]));
    const frontend = byName.get("frontend");
    expect(frontend?.answerDiffers).toBe(true);
    expect(frontend?.live.final.records?.[0]?.data).toBe("10.96.1.10");
    expect(frontend?.draft.final.records?.[0]?.data).toBe("10.0.0.99");
    expect(frontend?.summary).toMatch(/10\.0\.0\.99/);
    const consul = byName.get("web.service.consul");
    expect(consul?.pathDiffers).toBe(true);
    expect(consul?.summary).toMatch(/block/);
    // kubernetes.default: hosts falls through in the draft, so the path changes but the answer does not
    const k = byName.get("kubernetes.default.svc.cluster.local.");
    expect(k?.answerDiffers).toBe(false);
    expect(k?.pathDiffers).toBe(true);
    // example.com is untouched
    const ext = byName.get("example.com.");
    expect(ext?.pathDiffers).toBe(false);
    expect(ext?.answerDiffers).toBe(false);
    expect(ext?.summary).toBe("");
    expect(c.changed.map((r) => r.query.name)).toEqual(["frontend", "web.service.consul", "kubernetes.default.svc.cluster.local."]);
  });

  it("finds no change between identical Corefiles", () => {
    const c = compareExplain(LIVE, LIVE, queries, { clientNamespace: "default", cluster: CLUSTER });
    expect(c.changed).toEqual([]);
  });
});

describe("proposeNames", () => {
  it("proposes Services, hosts entries, zones and an external name from both Corefiles", () => {
    const names = proposeNames(DRAFT, LIVE, { cluster: CLUSTER });
    const list = names.map((n) => `${n.name} ${n.type}`);
    expect(list).toContain("frontend.default.svc.cluster.local A");
    expect(list).toContain("frontend A");
    expect(list).toContain("legacy.default.svc.cluster.local A");
    expect(list).toContain("www.consul. A");
    expect(list).toContain("kubernetes.default.svc.cluster.local A");
    expect(list).toContain("example.com A");
    expect(new Set(list).size).toBe(list.length);
    expect(names.every((n) => n.reason.length > 0)).toBe(true);
  });

  it("reads rewrite and template names", () => {
    const text = `. {
  rewrite name exact old.example.com new.example.com
  template IN A internal.example {
    match "^printer\\.internal\\.example\\.$"
    answer "{{ .Name }} 60 IN A 10.0.0.5"
  }
}`;
    const list = proposeNames(text, ". {\n  whoami\n}\n").map((n) => n.name);
    expect(list).toContain("old.example.com");
    expect(list).toContain("www.internal.example.");
    expect(list).toContain("printer.internal.example.");
  });
});

describe("resolver rules", () => {
  it("expands names as glibc and musl do with ndots", () => {
    const search = ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"];
    expect(expandCandidates("a.b.c.d.e.f", search, 5)[0]).toBe("a.b.c.d.e.f.");
    expect(expandCandidates("frontend", search, 5)).toEqual([
      "frontend.default.svc.cluster.local.",
      "frontend.svc.cluster.local.",
      "frontend.cluster.local.",
      "frontend.",
    ]);
    expect(expandCandidates("frontend.", search, 5)).toEqual(["frontend."]);
    expect(expandCandidates("a.b", search, 1)).toEqual(["a.b.", "a.b.default.svc.cluster.local.", "a.b.svc.cluster.local.", "a.b.cluster.local."]);
    expect(expandCandidates("a", [], 5)).toEqual(["a."]);
    expect(describeSearch("frontend", search, 5, "glibc")).toMatch(/fewer than ndots/);
  });

  it("picks the reply: first answer wins, NXDOMAIN goes on, glibc remembers NODATA", () => {
    const names = ["a.", "b.", "c."];
    const nx = { kind: "nxdomain" as const, detail: "x" };
    const nodata = { kind: "nodata" as const, detail: "x" };
    const ans = { kind: "answer" as const, detail: "x" };
    expect(pickFinal(names, [nx, ans, nx], "glibc")).toMatchObject({ kind: "answer", candidate: "b.", decidedAt: 1 });
    expect(pickFinal(names, [nodata, nx, nx], "glibc")).toMatchObject({ kind: "nodata", candidate: "a.", decidedAt: 2 });
    expect(pickFinal(names, [nodata, ans, nx], "glibc")).toMatchObject({ kind: "answer", candidate: "b." });
    expect(pickFinal(names, [nodata, ans, nx], "musl")).toMatchObject({ kind: "nodata", candidate: "a.", decidedAt: 0 });
    expect(pickFinal(names, [nx, nx, nx], "glibc")).toMatchObject({ kind: "nxdomain", candidate: "c." });
  });
});
