import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matchesPrediction, type LivePodView } from "./live-view";
import { forwardedZones, listPresets } from "./presets";
import { queryFromSearchParams, troubleshootHref, troubleshootQuerySchema } from "./query-schema";

const SEED = readFileSync(new URL("../../sandbox/seed/kubeadm-Corefile.conf", import.meta.url), "utf8");
const LINKERD = readFileSync(new URL("../../sandbox/seed/linkerd-Corefile.conf", import.meta.url), "utf8");

describe("troubleshoot query", () => {
  it("reads a query from the URL and writes it back", () => {
    const { query } = queryFromSearchParams({ name: "frontend", type: "srv", ns: "shop" });
    expect(query).toEqual({ name: "frontend", type: "SRV", namespace: "shop" });
    expect(troubleshootHref(query!, { compare: "draft" })).toBe("/troubleshoot?name=frontend&type=SRV&ns=shop&compare=draft");
    expect(queryFromSearchParams({})).toEqual({});
  });

  it("refuses what cannot be asked, with a message", () => {
    expect(queryFromSearchParams({ name: "bad name!" }).error).toMatch(/letters, digits/);
    expect(queryFromSearchParams({ name: "a.b", type: "AXFR" }).error).toMatch(/Pick one of/);
    expect(queryFromSearchParams({ name: "a.b", ns: "Not_A_Namespace" }).error).toMatch(/namespace/);
    expect(troubleshootQuerySchema.safeParse({ name: "10.0.0.1", type: "A", address: "10.0.0.1" }).data).toEqual({ name: "10.0.0.1", type: "A", namespace: "default" });
  });
});

describe("presets", () => {
  const cluster = { services: [{ name: "frontend", namespace: "default", clusterIP: "10.96.120.15" }] };
  it("offers a Service, a short name and an external name; no forwarded zone in the kubeadm Corefile", () => {
    const presets = listPresets(SEED, cluster);
    expect(presets.map((p) => [p.id, p.query.name])).toEqual([
      ["service", "frontend.default.svc.cluster.local"],
      ["short", "frontend"],
      ["external", "example.com"],
    ]);
  });

  it("offers the linked cluster's zone of the Linkerd Corefile, not the shadowed cluster.local forward", () => {
    expect(forwardedZones(LINKERD)).toEqual(["cluster.local.", "west.cluster.local."]);
    const forwarded = listPresets(LINKERD, cluster).find((p) => p.id === "forwarded");
    expect(forwarded?.query.name).toBe("kube-dns.kube-system.svc.west.cluster.local");
  });
});

describe("matchesPrediction", () => {
  const pod: LivePodView = { pod: "p", transport: "udp", rcode: "NOERROR", flags: ["qr", "aa"], answers: ["Frontend.default.svc.cluster.local. 30 IN A 10.96.120.15"], authority: [] };
  it("compares rcode and records, ignoring the owner's case", () => {
    expect(matchesPrediction(pod, { rcode: "NOERROR", records: ["frontend.default.svc.cluster.local. 30 IN A 10.96.120.15"], isStatic: true })).toBe(true);
    expect(matchesPrediction(pod, { rcode: "NOERROR", records: ["frontend.default.svc.cluster.local. 30 IN A 10.96.120.16"], isStatic: true })).toBe(false);
    expect(matchesPrediction(pod, { rcode: "NXDOMAIN", records: [], isStatic: true })).toBe(false);
  });
  it("makes no claim for forwarded answers or pods that did not answer", () => {
    expect(matchesPrediction(pod, { records: [], isStatic: false })).toBeUndefined();
    expect(matchesPrediction({ ...pod, error: { code: "TIMEOUT", message: "t" } }, { rcode: "NOERROR", records: [], isStatic: true })).toBeUndefined();
  });
});
