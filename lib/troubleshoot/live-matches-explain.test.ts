/**
 * "A live query against the sandbox pods returns what explain predicts": the trace is computed from the Corefile and
 * the cluster data read through the real Kubernetes client, the pods are asked over real UDP and TCP sockets, and
 * each pod's reply must be the explainer's final outcome (rcode and records).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatRecord, type ExplainTrace } from "@/lib/corefile";
import { liveQuery, type LivePodResult } from "@/lib/dns/live-query";
import { typeName, type DnsRecord } from "@/lib/dns/message";
import { createDriftEnvironment, type DriftEnvironment } from "@/lib/drift/test-environment";
import { applyCorefile } from "@/lib/revisions/apply-corefile";
import { eventually } from "@/sandbox/testing";
import { explainWith, loadClusterKnowledge, loadLiveCorefile, nameToQueryLive } from "./troubleshoot";

let env: DriftEnvironment;

beforeAll(async () => {
  env = await createDriftEnvironment({ sandbox: { reload: { kubeletSyncMs: 10, pollMs: 3_600_000, jitterMs: 0 } } });
});
afterAll(async () => {
  await env.dispose();
});

/** A wire record in the explainer's presentation form (owner lower-cased, fully qualified). */
function present(r: DnsRecord): string {
  const d = r.data;
  const data =
    d.kind === "A" || d.kind === "AAAA" ? d.address
    : d.kind === "CNAME" || d.kind === "NS" || d.kind === "PTR" ? d.target
    : d.kind === "SRV" ? `${d.priority} ${d.weight} ${d.port} ${d.target}`
    : d.kind === "MX" ? `${d.preference} ${d.exchange}`
    : d.kind === "TXT" ? d.text.map((t) => `"${t}"`).join(" ")
    : d.kind;
  return `${r.name.toLowerCase()} ${r.ttl} IN ${typeName(r.type)} ${data}`;
}

/** What the explainer says the pods answer: the rcode on the wire (forwarded/unknown: SERVFAIL) and the records. */
function predicted(trace: ExplainTrace): { rcode: string; records: string[] } {
  const f = trace.final;
  const rcode = f.kind === "forwarded" || f.kind === "unknown" ? "SERVFAIL" : (f.rcode ?? "");
  return { rcode, records: (f.records ?? []).map(formatRecord).sort() };
}

async function compareLive(name: string, type: string, namespace = "default") {
  const live = await loadLiveCorefile(env.cluster);
  if (!live.ok) throw new Error(live.message);
  const knowledge = await loadClusterKnowledge(env.cluster);
  const trace = explainWith(live.text, { name, type: type as "A", namespace }, knowledge);
  const result = await liveQuery(env.cluster, { name: nameToQueryLive(trace), type });
  if (!result.ok) throw new Error(result.message);
  const got = result.results.map((r: LivePodResult) => ({ rcode: r.rcodeName ?? r.error?.message ?? "", records: r.answers.map(present).sort() }));
  return { trace, got, expected: predicted(trace) };
}

describe("sandbox pods answer what explain predicts", () => {
  it("a Service: every pod, over UDP and TCP, gives the ClusterIP the kubernetes step writes", async () => {
    const { trace, got, expected } = await compareLive("frontend.default.svc.cluster.local", "A");
    expect(trace.final).toMatchObject({ kind: "answer", plugin: "kubernetes" });
    expect(expected.records).toEqual(["frontend.default.svc.cluster.local. 30 IN A 10.96.120.15"]);
    expect(got).toHaveLength(4);
    for (const g of got) expect(g).toEqual(expected);
  });

  it("a short name from a namespace: the pods are asked the candidate that decided, and agree", async () => {
    const { trace, got, expected } = await compareLive("frontend", "A", "default");
    expect(trace.final.candidate).toBe("frontend.default.svc.cluster.local.");
    for (const g of got) expect(g).toEqual(expected);
  });

  it("a missing Service: NXDOMAIN from kubernetes, on every pod", async () => {
    const { trace, got, expected } = await compareLive("missing.default.svc.cluster.local", "A");
    expect(trace.final).toMatchObject({ kind: "nxdomain", rcode: "NXDOMAIN" });
    for (const g of got) expect(g).toEqual(expected);
  });

  it("an SRV question for a named port", async () => {
    const { got, expected } = await compareLive("_http._tcp.frontend.default.svc.cluster.local", "SRV");
    expect(expected.records).toHaveLength(1);
    for (const g of got) expect(g).toEqual(expected);
  });

  it("an external name: explain says forwarded, the pods answer SERVFAIL", async () => {
    const { trace, got, expected } = await compareLive("example.com", "A");
    expect(trace.final.kind).toBe("forwarded");
    expect(expected.rcode).toBe("SERVFAIL");
    for (const g of got) expect(g).toEqual(expected);
  });

  it("a hosts entry after an apply: once the pods reload, they answer what the new trace predicts", async () => {
    const live = await loadLiveCorefile(env.cluster);
    if (!live.ok) throw new Error(live.message);
    const text = live.text.replace("    prometheus :9153", "    hosts {\n        10.20.30.40 legacy-db.corp.example\n        fallthrough\n    }\n    prometheus :9153");
    const applied = await applyCorefile(env.cluster, { text, baseResourceVersion: live.resourceVersion, author: "test" }, { db: env.db });
    expect(applied.ok).toBe(true);
    expect(await eventually(() => env.sandbox.pods().every((p) => p.mountedCorefile.includes("legacy-db")))).toBe(true);
    env.sandbox.pollPodsNow();
    expect(env.sandbox.pods().every((p) => p.loadedCorefile.includes("legacy-db"))).toBe(true);
    const { trace, got, expected } = await compareLive("legacy-db.corp.example", "A");
    expect(trace.final).toMatchObject({ kind: "answer", plugin: "hosts" });
    expect(expected.records).toEqual(["legacy-db.corp.example. 3600 IN A 10.20.30.40"]);
    for (const g of got) expect(g).toEqual(expected);
    // fallthrough: the Services still answer, and still agree.
    const svc = await compareLive("kubernetes.default.svc.cluster.local", "A");
    for (const g of svc.got) expect(g).toEqual(svc.expected);
  });
});
