import { describe, expect, it } from "vitest";
import { RCODE, TYPE_CODES } from "@/lib/dns/message";
import { builtinPodResolver, type ClusterData } from "./pod-resolver";
import { seedCorefile } from "./seed";

const CLUSTER: ClusterData = {
  namespaces: ["default", "kube-system", "consul"],
  services: [
    { namespace: "default", name: "kubernetes", type: "ClusterIP", clusterIPs: ["10.96.0.1"], ports: [{ name: "https", port: 443, protocol: "TCP" }] },
    {
      namespace: "kube-system",
      name: "kube-dns",
      type: "ClusterIP",
      clusterIPs: ["10.96.0.10"],
      ports: [
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
      ],
    },
    { namespace: "default", name: "dual", type: "ClusterIP", clusterIPs: ["10.96.3.3", "fd00:10:96::3"], ports: [] },
    { namespace: "default", name: "search", type: "ExternalName", clusterIPs: [], externalName: "search.example.com", ports: [] },
    { namespace: "consul", name: "consul-server", type: "ClusterIP", clusterIPs: ["None"], ports: [{ name: "http", port: 8500, protocol: "TCP" }] },
  ],
};
const KUBEADM = seedCorefile();
const ask = (corefile: string, name: string, type: keyof typeof TYPE_CODES = "A") => builtinPodResolver(corefile, { name, type: TYPE_CODES[type]!, class: 1 }, CLUSTER);
const datas = (answer: ReturnType<typeof ask>) => answer.answers.map((r) => r.data);

describe("builtinPodResolver: the kubernetes plugin of the kubeadm Corefile", () => {
  it("answers Service A records authoritatively with the plugin's ttl, keeping the asked case", () => {
    const answer = ask(KUBEADM, "Kubernetes.Default.svc.cluster.local.");
    expect(answer).toMatchObject({ rcode: RCODE.NOERROR, authoritative: true });
    expect(answer.answers).toEqual([{ name: "Kubernetes.Default.svc.cluster.local.", type: 1, class: 1, ttl: 30, data: { kind: "A", address: "10.96.0.1" } }]);
  });

  it("gives each address family its own type, and NODATA with the SOA for the other", () => {
    expect(datas(ask(KUBEADM, "dual.default.svc.cluster.local.", "AAAA"))).toEqual([{ kind: "AAAA", address: "fd00:10:96::3" }]);
    const nodata = ask(KUBEADM, "kubernetes.default.svc.cluster.local.", "AAAA");
    expect(nodata).toMatchObject({ rcode: RCODE.NOERROR, answers: [], authority: [{ name: "cluster.local.", data: { kind: "SOA", mname: "ns.dns.cluster.local." } }] });
  });

  it("answers NXDOMAIN inside the zone for a missing Service or namespace, and NODATA for a namespace", () => {
    expect(ask(KUBEADM, "nope.default.svc.cluster.local.")).toMatchObject({ rcode: RCODE.NXDOMAIN, authoritative: true, authority: [{ type: 6 }] });
    expect(ask(KUBEADM, "kubernetes.nope.svc.cluster.local.")).toMatchObject({ rcode: RCODE.NXDOMAIN });
    expect(ask(KUBEADM, "default.svc.cluster.local.")).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(ask(KUBEADM, "something.cluster.local.")).toMatchObject({ rcode: RCODE.NXDOMAIN });
  });

  it("answers SRV per port, by port name, PTR for ClusterIPs, CNAME for ExternalName and pods insecure names", () => {
    expect(datas(ask(KUBEADM, "_dns._udp.kube-dns.kube-system.svc.cluster.local.", "SRV"))).toEqual([
      { kind: "SRV", priority: 0, weight: 100, port: 53, target: "kube-dns.kube-system.svc.cluster.local." },
    ]);
    expect(ask(KUBEADM, "_nope._tcp.kube-dns.kube-system.svc.cluster.local.", "SRV")).toMatchObject({ rcode: RCODE.NXDOMAIN });
    expect(datas(ask(KUBEADM, "10.0.96.10.in-addr.arpa.", "PTR"))).toEqual([{ kind: "PTR", target: "kube-dns.kube-system.svc.cluster.local." }]);
    expect(datas(ask(KUBEADM, "search.default.svc.cluster.local."))).toEqual([{ kind: "CNAME", target: "search.example.com." }]);
    expect(datas(ask(KUBEADM, "10-244-0-9.default.pod.cluster.local."))).toEqual([{ kind: "A", address: "10.244.0.9" }]);
    expect(ask(KUBEADM, "consul-server.consul.svc.cluster.local.")).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(datas(ask(KUBEADM, "dns-version.cluster.local.", "TXT"))).toEqual([{ kind: "TXT", text: ["1.1.0"] }]);
    expect(datas(ask(KUBEADM, "cluster.local.", "SOA"))[0]).toMatchObject({ kind: "SOA", rname: "hostmaster.cluster.local." });
  });

  it("falls through unknown reverse names and names outside the zone to forward, which the sandbox cannot reach", () => {
    const reverse = ask(KUBEADM, "9.9.9.9.in-addr.arpa.", "PTR");
    expect(reverse).toMatchObject({ rcode: RCODE.SERVFAIL, authoritative: false });
    expect(reverse.note).toContain("forward");
    expect(ask(KUBEADM, "example.com.").note).toContain("not reachable from the sandbox");
  });

  it("honours `pods disabled` (the default) and `namespaces`", () => {
    const corefile = ".:53 {\n    kubernetes cluster.local {\n        namespaces kube-system\n    }\n}\n";
    expect(ask(corefile, "10-244-0-9.kube-system.pod.cluster.local.")).toMatchObject({ rcode: RCODE.NXDOMAIN });
    expect(ask(corefile, "kubernetes.default.svc.cluster.local.")).toMatchObject({ rcode: RCODE.NXDOMAIN });
    expect(datas(ask(corefile, "kube-dns.kube-system.svc.cluster.local."))).toEqual([{ kind: "A", address: "10.96.0.10" }]);
    // No fallthrough and no forward: a reverse name outside the plugin's zones ends the chain without an answer.
    expect(ask(corefile, "1.0.0.10.in-addr.arpa.", "PTR")).toMatchObject({ rcode: RCODE.SERVFAIL });
  });
});

describe("builtinPodResolver: hosts, zones and the rest", () => {
  const withHosts = (options: string) =>
    KUBEADM.replace("    prometheus :9153", `    hosts {\n        10.0.0.5 db.example.com\n        fd00::5 db.example.com\n${options}    }\n    prometheus :9153`);

  it("answers hosts entries (A, AAAA and their PTR) before kubernetes and forward, with ttl 3600 by default", () => {
    const corefile = withHosts("        fallthrough\n");
    expect(ask(corefile, "DB.example.com.")).toMatchObject({ rcode: RCODE.NOERROR, authoritative: true, answers: [{ ttl: 3600, data: { kind: "A", address: "10.0.0.5" } }] });
    expect(datas(ask(corefile, "db.example.com.", "AAAA"))).toEqual([{ kind: "AAAA", address: "fd00::5" }]);
    expect(ask(corefile, "db.example.com.", "MX")).toMatchObject({ rcode: RCODE.NOERROR, answers: [] });
    expect(datas(ask(corefile, "5.0.0.10.in-addr.arpa.", "PTR"))).toEqual([{ kind: "PTR", target: "db.example.com." }]);
    expect(ask(corefile, "other.example.com.").note).toContain("forward");
  });

  it("without fallthrough, a name with no entry is SERVFAIL in hosts itself, as CoreDNS does", () => {
    const answer = ask(withHosts("        ttl 60\n"), "other.example.com.");
    expect(answer.rcode).toBe(RCODE.SERVFAIL);
    expect(answer.note).toContain("hosts");
    expect(ask(withHosts("        ttl 60\n"), "db.example.com.").answers[0]!.ttl).toBe(60);
  });

  it("routes by the longest zone over blocks on port 53, REFUSED when none serves the name", () => {
    const corefile = `example.com:53 {\n    hosts {\n        10.1.1.1 www.example.com\n    }\n}\nother.org:5353 {\n    hosts {\n        10.2.2.2 www.other.org\n    }\n}\n${KUBEADM.replace(".:53", "cluster.local:53")}`;
    expect(datas(ask(corefile, "www.example.com."))).toEqual([{ kind: "A", address: "10.1.1.1" }]);
    expect(ask(corefile, "www.other.org.")).toMatchObject({ rcode: RCODE.REFUSED, authoritative: false });
    expect(datas(ask(corefile, "kubernetes.default.svc.cluster.local."))).toEqual([{ kind: "A", address: "10.96.0.1" }]);
  });

  it("names the answering plugins it passes over, and never throws on a broken Corefile", () => {
    const corefile = ".:53 {\n    template IN A example.org {\n        answer \"{{ .Name }} 60 IN A 10.9.9.9\"\n    }\n    forward . 8.8.8.8\n}\n";
    expect(ask(corefile, "x.example.org.").note).toMatch(/passed over: template/);
    expect(ask(".:53 {\n    hosts {\n", "a.example.").rcode).toBeGreaterThan(0);
    expect(ask("", "a.example.")).toMatchObject({ rcode: RCODE.REFUSED });
  });
});
