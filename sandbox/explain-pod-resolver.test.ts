import { describe, expect, it } from "vitest";
import { RCODE, TYPE_CODES } from "@/lib/dns/message";
import { explainPodResolver, recordFromExplain } from "./explain-pod-resolver";
import type { ClusterData } from "./pod-resolver";

const CLUSTER: ClusterData = {
  services: [{ namespace: "default", name: "frontend", type: "ClusterIP", clusterIPs: ["10.96.120.15"], ports: [{ name: "http", port: 80, protocol: "TCP" }] }],
  namespaces: ["default", "kube-system"],
};
const q = (name: string, type = "A") => ({ name, type: TYPE_CODES[type]!, class: 1 });

describe("explainPodResolver", () => {
  const corefile = `.:53 {
    acl {
        drop type AAAA
    }
    hosts {
        10.0.0.9 db.corp.example
        fallthrough
    }
    template IN TXT corp.example {
        answer "{{ .Name }} 60 IN TXT \\"hello\\""
    }
    kubernetes cluster.local
    forward . 8.8.8.8
}`;

  it("answers what the explainer decides: hosts, kubernetes, template", () => {
    const hosts = explainPodResolver(corefile, q("DB.corp.example."), CLUSTER);
    expect(hosts).toMatchObject({ rcode: RCODE.NOERROR, authoritative: true });
    expect(hosts.answers).toEqual([{ name: "DB.corp.example.", type: 1, class: 1, ttl: 3600, data: { kind: "A", address: "10.0.0.9" } }]);
    const svc = explainPodResolver(corefile, q("frontend.default.svc.cluster.local."), CLUSTER);
    expect(svc.answers.map((a) => a.data)).toEqual([{ kind: "A", address: "10.96.120.15" }]);
    const txt = explainPodResolver(corefile, q("x.corp.example.", "TXT"), CLUSTER);
    expect(txt.answers.map((a) => a.data)).toEqual([{ kind: "TXT", text: ["hello"] }]);
  });

  it("gives NXDOMAIN with the zone's SOA, SERVFAIL for forwarded names, and drops what acl drops", () => {
    const nx = explainPodResolver(corefile, q("missing.default.svc.cluster.local."), CLUSTER);
    expect(nx.rcode).toBe(RCODE.NXDOMAIN);
    expect(nx.authority?.map((r) => [r.name, r.type])).toEqual([["cluster.local.", TYPE_CODES.SOA]]);
    const fwd = explainPodResolver(corefile, q("example.com."), CLUSTER);
    expect(fwd).toMatchObject({ rcode: RCODE.SERVFAIL, answers: [] });
    expect(fwd.note).toMatch(/not reachable from the sandbox/);
    expect(explainPodResolver(corefile, q("frontend.default.svc.cluster.local.", "AAAA"), CLUSTER).dropped).toBe(true);
  });

  it("answers REFUSED when no block serves the name, and never throws on a broken Corefile", () => {
    expect(explainPodResolver("example.org {\n whoami\n}", q("a.example.com."), CLUSTER).rcode).toBe(RCODE.REFUSED);
    expect(() => explainPodResolver("{{{ }", q("a."), CLUSTER)).not.toThrow();
  });
});

describe("recordFromExplain", () => {
  it("turns presentation records into wire records; unknown types are left out", () => {
    expect(recordFromExplain({ name: "a.", ttl: 5, class: "IN", type: "SRV", data: "0 100 80 b.example." }, "a.")?.data).toEqual({ kind: "SRV", priority: 0, weight: 100, port: 80, target: "b.example." });
    expect(recordFromExplain({ name: "z.", ttl: 5, class: "IN", type: "SOA", data: "ns.dns.z. hostmaster.z. <serial> 7200 1800 86400 5" }, "z.")?.data).toMatchObject({ kind: "SOA", serial: 1_700_000_000, minimum: 5 });
    expect(recordFromExplain({ name: "a.", ttl: 5, class: "IN", type: "NAPTR", data: "x" }, "a.")).toBeUndefined();
  });
});
