import { describe, expect, it } from "vitest";
import { seedCorefile, seedStore } from "@/sandbox/seed";
import { Store } from "@/sandbox/store";
import { clusterDataFromObjects } from "./cluster-data";
import { explainQuery } from "./explain";

function seededObjects() {
  const store = new Store({ watchCacheSize: 100, now: () => Date.UTC(2026, 0, 1) });
  seedStore(store, Date.UTC(2025, 0, 1), seedCorefile());
  return {
    services: store.list("services"),
    namespaces: store.list("namespaces"),
  } as unknown as Parameters<typeof clusterDataFromObjects>[0];
}

describe("clusterDataFromObjects", () => {
  it("reads the sandbox's Services (ClusterIP, headless, mirrored) and namespaces", () => {
    const data = clusterDataFromObjects(seededObjects());
    const dns = data.services.find((s) => s.namespace === "kube-system" && s.name === "kube-dns");
    expect(dns).toMatchObject({ clusterIP: "10.96.0.10", type: "ClusterIP" });
    expect(dns?.ports?.map((p) => `${p.name}/${p.protocol}/${p.port}`)).toContain("dns/UDP/53");
    expect(data.services.find((s) => s.name === "consul-server")?.clusterIP).toBe("None");
    expect(data.namespaces).toContain("linkerd");
  });

  it("lets the seed Corefile answer the sandbox's Services", () => {
    const cluster = clusterDataFromObjects(seededObjects());
    const t = explainQuery(seedCorefile(), { name: "consul-dns.consul", type: "A" }, { clientNamespace: "default", cluster });
    expect(t.final.kind).toBe("answer");
    expect(t.final.records?.map((r) => r.data)).toEqual(["10.96.200.53"]);
    expect(t.final.candidate).toBe("consul-dns.consul.svc.cluster.local.");
    // consul-server is headless and the sandbox publishes no endpoints for it: it does not exist in DNS
    const headless = explainQuery(seedCorefile(), { name: "consul-server.consul.svc.cluster.local.", type: "A" }, { cluster });
    expect(headless.final.kind).toBe("nxdomain");
  });

  it("prefers EndpointSlices, keeps not-ready addresses as not ready, and reads pods and load-balancer IPs", () => {
    const data = clusterDataFromObjects({
      services: [
        { metadata: { name: "db", namespace: "data" }, spec: { clusterIP: "None", ports: [{ name: "pg", port: 5432 }] } },
        { metadata: { name: "lb", namespace: "web" }, spec: { type: "LoadBalancer", clusterIP: "10.96.5.5" }, status: { loadBalancer: { ingress: [{ ip: "203.0.113.9" }] } } },
      ],
      endpointSlices: [
        {
          metadata: { namespace: "data", labels: { "kubernetes.io/service-name": "db" } },
          endpoints: [
            { addresses: ["10.244.1.5"], hostname: "db-0", conditions: { ready: true }, targetRef: { kind: "Pod", name: "db-0" } },
            { addresses: ["10.244.1.6"], conditions: { ready: false } },
          ],
        },
      ],
      endpoints: [{ metadata: { namespace: "data", name: "db" }, subsets: [{ addresses: [{ ip: "10.9.9.9" }] }] }],
      pods: [{ metadata: { name: "db-0", namespace: "data" }, status: { podIP: "10.244.1.5" } }],
    });
    const db = data.services.find((s) => s.name === "db");
    expect(db?.endpoints).toEqual([
      { ip: "10.244.1.5", ready: true, hostname: "db-0", podName: "db-0" },
      { ip: "10.244.1.6", ready: false },
    ]);
    expect(data.services.find((s) => s.name === "lb")?.externalIPs).toEqual(["203.0.113.9"]);
    expect(data.pods).toEqual([{ name: "db-0", namespace: "data", ip: "10.244.1.5" }]);
    const t = explainQuery(". {\n  kubernetes cluster.local\n}\n", { name: "db.data.svc.cluster.local.", type: "A" }, { cluster: data });
    expect(t.final.records?.map((r) => r.data)).toEqual(["10.244.1.5"]);
  });
});
