import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox/server";
import type { ClusterConnection } from "./connection";
import { KubernetesError } from "./errors";
import { describeDnsService, findDnsServices, listServices, type ServiceView } from "./services";

let sandbox: Sandbox;
let dir: string;
let cluster: ClusterConnection;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-services-"));
  sandbox = await startSandbox({ port: 0, kubeconfigPath: path.join(dir, "kubeconfig") });
  cluster = { name: "sandbox", connection: "sandbox", kubeconfigPath: sandbox.kubeconfigPath ?? null };
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => sandbox.faults.reset());

async function catchKubernetesError(work: Promise<unknown>): Promise<KubernetesError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KubernetesError);
  return error as KubernetesError;
}

describe("listServices against the sandbox cluster", () => {
  it("lists every Service of the cluster, sorted, with ClusterIPs and ports", async () => {
    const services = await listServices(cluster);
    const names = services.map((s) => `${s.namespace}/${s.name}`);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(names).toContain("default/kubernetes");
    const kubeDns = services.find((s) => s.name === "kube-dns");
    expect(kubeDns).toMatchObject({
      namespace: "kube-system",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.10"],
      isHeadless: false,
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
      ],
    });
  });

  it("lists one namespace", async () => {
    const services = await listServices(cluster, { namespace: "consul" });
    expect(services.map((s) => s.name)).toEqual(["consul-dns", "consul-server"]);
  });
});

describe("findDnsServices against the sandbox cluster", () => {
  it("finds the DNS Services, the Linkerd mirror among them, and leaves the rest out", async () => {
    const found = await findDnsServices(cluster);
    const byName = new Map(found.map((s) => [`${s.namespace}/${s.name}`, s]));
    expect([...byName.keys()].sort()).toEqual(["consul/consul-dns", "consul/consul-server", "kube-system/kube-dns", "kube-system/kube-dns-west"]);
    expect(byName.get("consul/consul-dns")).toMatchObject({ clusterIPs: ["10.96.200.53"], dnsPort: 53, dnsProtocols: ["TCP", "UDP"], canForward: true });
    expect(byName.get("kube-system/kube-dns-west")).toMatchObject({
      clusterIPs: ["10.96.77.53"],
      dnsPort: 53,
      canForward: true,
      mesh: { mesh: "linkerd", linkedCluster: "west", remoteName: "kube-dns.kube-system.svc.west.cluster.local", isTcpOnly: true },
    });
    // istiod's "https-dns" port is its certificate/xDS port, not DNS.
    expect(byName.has("istio-system/istiod")).toBe(false);
  });

  it("flags a headless Service: forward has no address to use", async () => {
    const found = await findDnsServices(cluster);
    const headless = found.find((s) => s.name === "consul-server");
    expect(headless).toMatchObject({ isHeadless: true, clusterIPs: [], dnsPort: 8600, canForward: false });
    expect(headless?.reason).toContain("headless");
  });

  it("names the missing RBAC permission (list services) on a 403", async () => {
    sandbox.faults.failNext({ status: 403, count: 1, verb: "list" });
    const error = await catchKubernetesError(findDnsServices(cluster));
    expect(error).toMatchObject({ code: "FORBIDDEN", status: 403, cluster: "sandbox" });
    expect(error.target).toMatchObject({ resource: "services", verb: "list" });
    expect(error.message).toContain('"list" verb on "services"');
    expect(error.message).toContain("ClusterRole");
  });

  it("names the namespace when a namespaced list is forbidden", async () => {
    sandbox.faults.failNext({ status: 403, count: 1, verb: "list" });
    const error = await catchKubernetesError(listServices(cluster, { namespace: "consul" }));
    expect(error).toMatchObject({ code: "FORBIDDEN", namespace: "consul" });
    expect(error.message).toContain('"list" verb on "services"');
  });
});

describe("describeDnsService", () => {
  const base: ServiceView = { name: "x", namespace: "n", type: "ClusterIP", clusterIPs: ["10.0.0.1"], ports: [], isHeadless: false, labels: {}, annotations: {} };

  it("recognises Istio's old istiocoredns Service", () => {
    const view = describeDnsService({ ...base, name: "istiocoredns", namespace: "istio-system", ports: [{ name: "dns", port: 53, protocol: "UDP" }] });
    expect(view?.mesh?.mesh).toBe("istio");
  });

  it("ignores Services without a DNS port", () => {
    expect(describeDnsService({ ...base, ports: [{ name: "http", port: 80, protocol: "TCP" }] })).toBeNull();
  });

  it("refuses an ExternalName Service", () => {
    const view = describeDnsService({ ...base, type: "ExternalName", clusterIPs: [], ports: [{ port: 53, protocol: "UDP" }] });
    expect(view).toMatchObject({ canForward: false });
  });
});
