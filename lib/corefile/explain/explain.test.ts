import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { corpusPath } from "@/lib/testing/corpus";
import { explainQuery } from "./explain";
import type { CandidateTrace, ClusterData, ExplainTrace } from "./types";

const CORPUS = pathToFileURL(`${corpusPath("corefiles")}/`);
const SEED = new URL("../../../sandbox/seed/kubeadm-Corefile.conf", import.meta.url);
const SEED_LINKERD = new URL("../../../sandbox/seed/linkerd-Corefile.conf", import.meta.url);

function corpus(path: string): string {
  return readFileSync(new URL(path, CORPUS), "utf8");
}

/** The candidate sent for `name` (absolute, lower case). */
function cand(t: ExplainTrace, name: string): CandidateTrace {
  const c = t.candidates.find((x) => x.name === name);
  if (!c) throw new Error(`no candidate ${name} in ${t.candidates.map((x) => x.name).join(", ")}`);
  return c;
}

/** The plugins that acted on a candidate (not the unreached ones), with their actions. */
function path(c: CandidateTrace): string[] {
  return c.steps.filter((s) => !s.unreached).map((s) => `${s.plugin}:${s.action}`);
}

function data(t: ExplainTrace): string[] {
  return (t.final.records ?? []).map((r) => `${r.name} ${r.type} ${r.data}`);
}

const CLUSTER: ClusterData = {
  services: [
    { name: "frontend", namespace: "default", clusterIP: "10.96.1.10", ports: [{ name: "http", port: 80, protocol: "TCP" }] },
    { name: "kubernetes", namespace: "default", clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443 }] },
    { name: "kube-dns", namespace: "kube-system", clusterIP: "10.96.0.10", ports: [{ name: "dns", port: 53, protocol: "UDP" }] },
    {
      name: "db",
      namespace: "data",
      clusterIP: "None",
      ports: [{ name: "pg", port: 5432 }],
      endpoints: [
        { ip: "10.244.1.5", hostname: "db-0" },
        { ip: "10.244.2.6", hostname: "db-1" },
      ],
    },
    { name: "payments", namespace: "default", type: "ExternalName", externalName: "pay.example.com" },
    { name: "empty", namespace: "default", clusterIP: "None", ports: [{ port: 80 }], endpoints: [] },
  ],
  pods: [{ name: "web-1", namespace: "default", ip: "10.244.3.7" }],
};

describe("search-list expansion and the kubernetes plugin", () => {
  const seed = readFileSync(SEED, "utf8");

  it("expands a short name with the pod's search path and answers from the first candidate", () => {
    const t = explainQuery(seed, { name: "frontend", type: "A" }, { clientNamespace: "default", cluster: CLUSTER });
    expect(t.candidates.map((c) => c.name)).toEqual([
      "frontend.default.svc.cluster.local.",
      "frontend.svc.cluster.local.",
      "frontend.cluster.local.",
      "frontend.",
    ]);
    expect(t.final.kind).toBe("answer");
    expect(t.final.candidate).toBe("frontend.default.svc.cluster.local.");
    expect(data(t)).toEqual(["frontend.default.svc.cluster.local. A 10.96.1.10"]);
    expect(t.final.records?.[0]?.ttl).toBe(30); // kubeadm's `ttl 30`
    expect(t.candidates.map((c) => c.asked)).toEqual([true, false, false, false]);
    const first = cand(t, "frontend.default.svc.cluster.local.");
    expect(first.block?.zone).toBe(".");
    expect(path(first)).toContain("kubernetes:answer");
  });

  it("walks past NXDOMAIN candidates: service.namespace from another namespace", () => {
    const t = explainQuery(seed, { name: "db-0.db.data", type: "A" }, { clientNamespace: "default", cluster: CLUSTER });
    // 2 dots < ndots 5: search domains first
    expect(cand(t, "db-0.db.data.default.svc.cluster.local.").outcome.kind).toBe("nxdomain");
    expect(cand(t, "db-0.db.data.svc.cluster.local.").outcome.kind).toBe("answer");
    expect(t.final.candidate).toBe("db-0.db.data.svc.cluster.local.");
    expect(data(t)).toEqual(["db-0.db.data.svc.cluster.local. A 10.244.1.5"]);
  });

  it("answers a headless Service with every endpoint, SRV by named port, and pods insecure", () => {
    const ctx = { cluster: CLUSTER };
    const headless = explainQuery(seed, { name: "db.data.svc.cluster.local.", type: "A" }, ctx);
    expect(data(headless).sort()).toEqual(["db.data.svc.cluster.local. A 10.244.1.5", "db.data.svc.cluster.local. A 10.244.2.6"]);
    const srv = explainQuery(seed, { name: "_http._tcp.frontend.default.svc.cluster.local.", type: "SRV" }, ctx);
    expect(data(srv)).toEqual(["_http._tcp.frontend.default.svc.cluster.local. SRV 0 100 80 frontend.default.svc.cluster.local."]);
    const pod = explainQuery(seed, { name: "10-244-9-9.default.pod.cluster.local.", type: "A" }, ctx);
    expect(data(pod)).toEqual(["10-244-9-9.default.pod.cluster.local. A 10.244.9.9"]);
  });

  it("gives NXDOMAIN inside the zone, NODATA for a missing type, and falls through for reverse zones", () => {
    const ctx = { cluster: CLUSTER };
    const missing = explainQuery(seed, { name: "nope.default.svc.cluster.local.", type: "A" }, ctx);
    expect(missing.final.kind).toBe("nxdomain");
    expect(missing.final.plugin).toBe("kubernetes");
    const aaaa = explainQuery(seed, { name: "frontend.default.svc.cluster.local.", type: "AAAA" }, ctx);
    expect(aaaa.final.kind).toBe("nodata");
    const headlessEmpty = explainQuery(seed, { name: "empty.default.svc.cluster.local.", type: "A" }, ctx);
    expect(headlessEmpty.final.kind).toBe("nxdomain");
    const ptr = explainQuery(seed, { name: "10.1.96.10.in-addr.arpa.", type: "PTR" }, ctx);
    expect(data(ptr)).toEqual(["10.1.96.10.in-addr.arpa. PTR frontend.default.svc.cluster.local."]);
    const unknownPtr = explainQuery(seed, { name: "8.8.8.8.in-addr.arpa.", type: "PTR" }, ctx);
    const c = cand(unknownPtr, "8.8.8.8.in-addr.arpa.");
    expect(path(c)).toEqual(expect.arrayContaining(["kubernetes:fallthrough", "forward:forward"]));
    expect(unknownPtr.final.kind).toBe("forwarded");
  });

  it("follows an ExternalName Service's CNAME through the same server", () => {
    const t = explainQuery(seed, { name: "payments.default.svc.cluster.local.", type: "A" }, { cluster: CLUSTER });
    const step = cand(t, "payments.default.svc.cluster.local.").steps.find((s) => s.plugin === "kubernetes");
    expect(step?.records?.[0]).toMatchObject({ type: "CNAME", data: "pay.example.com." });
    expect(step?.nested?.[0]?.name).toBe("pay.example.com.");
    expect(step?.nested?.[0]?.outcome.kind).toBe("forwarded");
  });

  it("says what cannot be known without cluster data", () => {
    const t = explainQuery(seed, { name: "frontend.default.svc.cluster.local.", type: "A" }, {});
    expect(t.final.kind).toBe("unknown");
    expect(t.caveats.join(" ")).toMatch(/cluster data/);
  });

  it("sends names outside the cluster domain to forward, and says the answer is the upstream's", () => {
    const t = explainQuery(seed, { name: "example.com", type: "A" }, { clientNamespace: "default", cluster: CLUSTER });
    // 1 dot < 5: three search domains (NXDOMAIN in cluster.local) then the name itself, forwarded
    expect(t.candidates.slice(0, 3).map((c) => c.outcome.kind)).toEqual(["nxdomain", "nxdomain", "nxdomain"]);
    const last = cand(t, "example.com.");
    expect(last.outcome.kind).toBe("forwarded");
    const fwd = last.steps.find((s) => s.plugin === "forward");
    expect(fwd?.upstreams).toEqual(["/etc/resolv.conf"]);
    expect(fwd?.policy).toBe("random");
    expect(fwd?.range?.line).toBe(13);
    expect(t.final.kind).toBe("forwarded");
    expect(t.caveats.some((c) => c.includes("cannot be known statically"))).toBe(true);
  });

  it("reads resolv.conf from the file map", () => {
    const t = explainQuery(seed, { name: "example.com.", type: "A" }, { files: { "/etc/resolv.conf": "nameserver 172.18.0.1\n" } });
    expect(t.candidates[0]?.steps.find((s) => s.plugin === "forward")?.upstreams).toEqual(["172.18.0.1:53"]);
  });

  it("shows that forward cluster.local is never reached when kubernetes cluster.local answers first (Linkerd seed)", () => {
    // The seed's Linkerd Corefile: a forward for the cluster domain after the kubernetes plugin, and a block for the
    // linked cluster's domain.
    const linkerd = readFileSync(SEED_LINKERD, "utf8");
    const t = explainQuery(linkerd, { name: "frontend.default.svc.cluster.local.", type: "A" }, { cluster: CLUSTER });
    const c = t.candidates[0] as CandidateTrace;
    expect(c.outcome.plugin).toBe("kubernetes");
    const unreached = c.steps.filter((s) => s.unreached);
    // Both forwards (cluster.local first, then .) are shown as never reached, at their own lines.
    expect(unreached.map((s) => [s.plugin, s.range?.line])).toEqual([
      ["forward", 15],
      ["forward", 18],
    ]);
    expect(unreached[0]?.detail).toMatch(/Not reached: kubernetes runs earlier/);
    expect(unreached[0]?.detail).toMatch(/forward for cluster\.local/);
    // The same for a name that does not exist: kubernetes answers NXDOMAIN itself.
    const nx = explainQuery(linkerd, { name: "west-svc.default.svc.cluster.local.", type: "A" }, { cluster: CLUSTER });
    expect(nx.final.kind).toBe("nxdomain");
    expect(nx.candidates[0]?.steps.some((s) => s.unreached && s.plugin === "forward")).toBe(true);
    // Outside cluster.local, the first forward does not match and the second one takes it.
    const ext = explainQuery(linkerd, { name: "example.com.", type: "A" }, { cluster: CLUSTER });
    const fwd = ext.candidates[0]?.steps.filter((s) => s.plugin === "forward").map((s) => s.action);
    expect(fwd).toEqual(["pass", "forward"]);
    // The linked cluster's names go to their own block, and its forward sends them to the mirrored DNS Service.
    const west = explainQuery(linkerd, { name: "frontend.default.svc.west.cluster.local.", type: "A" }, { cluster: CLUSTER });
    expect(west.candidates[0]?.block?.keys).toEqual(["west.cluster.local:53"]);
    expect(west.final.kind).toBe("forwarded");
    expect(west.candidates[0]?.steps.find((s) => s.action === "forward")?.upstreams).toEqual(["10.96.77.53:53"]);
  });
});

describe("hosts", () => {
  const withFall = `. {
    hosts {
        10.0.0.1 db.corp.example
        fallthrough
    }
    forward . 8.8.8.8
}`;
  const noFall = `. {
    hosts {
        10.0.0.1 db.corp.example
    }
    forward . 8.8.8.8
}`;

  it("answers an inline entry", () => {
    const t = explainQuery(withFall, { name: "db.corp.example.", type: "A" });
    expect(data(t)).toEqual(["db.corp.example. A 10.0.0.1"]);
    expect(t.final.records?.[0]?.ttl).toBe(3600);
    expect(t.final.range?.line).toBe(2);
  });

  it("falls through to forward for other names with fallthrough", () => {
    const t = explainQuery(withFall, { name: "www.example.org.", type: "A" });
    expect(path(t.candidates[0] as CandidateTrace)).toEqual(["hosts:fallthrough", "forward:forward"]);
  });

  it("answers SERVFAIL for other names without fallthrough (no SOA for NXDOMAIN)", () => {
    const t = explainQuery(noFall, { name: "www.example.org.", type: "A" });
    expect(t.final.kind).toBe("servfail");
    expect(t.final.plugin).toBe("hosts");
    expect(t.candidates[0]?.steps.some((s) => s.unreached && s.plugin === "forward")).toBe(true);
  });

  it("answers NODATA for an entry without the asked family, and PTR from the same entries", () => {
    expect(explainQuery(noFall, { name: "db.corp.example.", type: "AAAA" }).final.kind).toBe("nodata");
    expect(data(explainQuery(noFall, { name: "1.0.0.10.in-addr.arpa.", type: "PTR" }))).toEqual(["1.0.0.10.in-addr.arpa. PTR db.corp.example."]);
  });

  it("reads a hosts file from the file map, and says when it is missing", () => {
    const text = corpus("readme/hosts-2.conf");
    const known = explainQuery(text, { name: "printer.lan.", type: "A" }, { files: { "example.hosts": "192.168.1.9 printer.lan # office\n" } });
    expect(data(known)).toEqual(["printer.lan. A 192.168.1.9"]);
    const unknown = explainQuery(text, { name: "printer.lan.", type: "A" });
    expect(unknown.final.kind).toBe("unknown");
    expect(unknown.final.detail).toMatch(/example\.hosts/);
  });

  it("runs before forward whatever the text order (kubespray corpus: hosts written last)", () => {
    const text = corpus("wild/kubespray-5.conf");
    const files = { "/etc/coredns/hosts": "10.1.1.1 box.example.io\n" };
    const t = explainQuery(text, { name: "box.example.io.", type: "A" }, { port: 1053, files });
    expect(data(t)).toEqual(["box.example.io. A 10.1.1.1"]);
    expect(t.candidates[0]?.block?.keys).toEqual(["example.com", "example.io:1053"]);
    expect(t.candidates[0]?.steps.some((s) => s.unreached && s.plugin === "forward")).toBe(true);
    const other = explainQuery(text, { name: "www.example.io.", type: "A" }, { port: 1053, files });
    expect(path(other.candidates[0] as CandidateTrace)).toEqual(expect.arrayContaining(["hosts:fallthrough", "forward:forward"]));
    expect(other.candidates[0]?.steps.find((s) => s.plugin === "forward")?.upstreams).toEqual(["1.1.1.1", "2.2.2.2"]);
  });
});

describe("server block choice", () => {
  const stubs = `. {
    forward . 8.8.8.8
}
example.org {
    forward . 10.0.0.1
}
corp.example.org {
    forward . 10.0.0.2 10.0.0.3 {
        policy sequential
    }
}
consul:53 {
    forward . 10.96.200.53
}
alt.example:1053 {
    whoami
}`;

  it("picks the most specific zone", () => {
    const t = explainQuery(stubs, { name: "db.corp.example.org.", type: "A" });
    const c = t.candidates[0] as CandidateTrace;
    expect(c.block?.zone).toBe("corp.example.org.");
    expect(c.block?.keys).toEqual(["corp.example.org"]);
    expect(c.block?.range?.line).toBe(7);
    const fwd = c.steps.find((s) => s.plugin === "forward");
    expect(fwd?.upstreams).toEqual(["10.0.0.2", "10.0.0.3"]);
    expect(fwd?.policy).toBe("sequential");
    expect(explainQuery(stubs, { name: "www.example.org.", type: "A" }).candidates[0]?.block?.zone).toBe("example.org.");
    expect(explainQuery(stubs, { name: "web.service.consul.", type: "A" }).candidates[0]?.block?.zone).toBe("consul.");
    expect(explainQuery(stubs, { name: "www.example.com.", type: "A" }).candidates[0]?.block?.zone).toBe(".");
  });

  it("matches blocks on the query's port only, and refuses names no block serves", () => {
    const other = explainQuery(stubs, { name: "x.alt.example.", type: "A" }, { port: 1053 });
    expect(other.candidates[0]?.block?.zone).toBe("alt.example.");
    expect(other.final.kind).toBe("nodata");
    const refused = explainQuery(stubs, { name: "www.example.com.", type: "A" }, { port: 1053 });
    expect(refused.final.kind).toBe("refused");
    const nothing = explainQuery(stubs, { name: "www.example.com.", type: "A" }, { port: 5353 });
    expect(nothing.final.kind).toBe("dropped");
  });

  it("expands CIDR keys to reverse zones", () => {
    const t = explainQuery(`10.0.0.0/8 {\n  whoami\n}\n. {\n  forward . 1.1.1.1\n}\n`, { name: "4.3.2.10.in-addr.arpa.", type: "PTR" });
    expect(t.candidates[0]?.block?.zone).toBe("10.in-addr.arpa.");
  });

  it("chooses between view blocks by their expressions (corpus view_test)", () => {
    const text = corpus("tests-resolved/view_test-2.conf");
    const a = explainQuery(text, { name: "test.split-type.", type: "A" }, { port: 40014 });
    expect(a.candidates[0]?.block?.view).toBe("test-view-a");
    expect(data(a)).toEqual(["test.split-type. A 1.2.3.4"]);
    const aaaa = explainQuery(text, { name: "test.split-type.", type: "AAAA" }, { port: 40014 });
    expect(aaaa.candidates[0]?.block?.view).toBe("test-view-aaaa");
    expect(aaaa.candidates[0]?.skipped.map((s) => s.reason)).toEqual([expect.stringContaining("test-view-a")]);
    expect(data(aaaa)).toEqual(["test.split-type. AAAA 1:2:3::4"]);
    const two = explainQuery(text, { name: "two.test.split-name.", type: "A" }, { port: 40014 });
    expect(two.candidates[0]?.block?.view).toBe("test-view-2");
    const fallback = explainQuery(text, { name: "default.test.split-name.", type: "A" }, { port: 40014 });
    expect(fallback.candidates[0]?.block?.view).toBeUndefined();
    expect(data(fallback)).toEqual(["default.test.split-name. A 3.3.3.3"]);
  });

  it("decides client-address views from clientIp, and says when it cannot", () => {
    const text = `. {
  view internal {
    expr incidr(client_ip(), '10.0.0.0/8')
  }
  hosts {
    10.1.1.1 app.example
  }
}
. {
  hosts {
    203.0.113.1 app.example
  }
}`;
    expect(data(explainQuery(text, { name: "app.example.", type: "A" }, { clientIp: "10.2.3.4" }))).toEqual(["app.example. A 10.1.1.1"]);
    expect(data(explainQuery(text, { name: "app.example.", type: "A" }, { clientIp: "192.0.2.7" }))).toEqual(["app.example. A 203.0.113.1"]);
    const unknown = explainQuery(text, { name: "app.example.", type: "A" });
    expect(unknown.candidates[0]?.block?.reason).toMatch(/client's address/);
  });
});

describe("rewrite", () => {
  it("applies continue rules in a chain and stops at a stop rule", () => {
    const text = `. {
    rewrite continue name suffix .internal.example .svc.cluster.local
    rewrite stop name regex (.*)\\.legacy\\.svc\\.cluster\\.local {1}.default.svc.cluster.local
    rewrite name exact frontend.default.svc.cluster.local never.example
    kubernetes cluster.local
}`;
    const t = explainQuery(text, { name: "frontend.legacy.internal.example.", type: "A" }, { cluster: CLUSTER });
    const c = t.candidates[0] as CandidateTrace;
    const rw = c.steps.filter((s) => s.plugin === "rewrite");
    expect(rw.map((s) => s.action)).toEqual(["rewrite", "rewrite"]);
    expect(rw[0]?.question?.name).toBe("frontend.legacy.svc.cluster.local.");
    expect(rw[1]?.question?.name).toBe("frontend.default.svc.cluster.local.");
    expect(rw[1]?.range?.line).toBe(3);
    // The suffix rule has no `answer auto`, and the regex rule no answer rule: the record keeps the rewritten name.
    expect(c.outcome.kind).toBe("answer");
    expect(c.outcome.records?.map((r) => r.name)).toEqual(["frontend.default.svc.cluster.local."]);
    // ... which the stub resolver drops: for the application there is no data.
    expect(c.outcome.ignoredByResolver).toMatch(/not for frontend\.legacy\.internal\.example\./);
    expect(t.final.kind).toBe("nodata");
    expect(t.caveats.join(" ")).toMatch(/stub resolvers drop/);
  });

  it("maps answers back with exact rules and answer auto", () => {
    const text = `. {
    rewrite name exact web.example.com frontend.default.svc.cluster.local
    rewrite name suffix .corp.local .svc.cluster.local answer auto
    kubernetes cluster.local
}`;
    expect(data(explainQuery(text, { name: "web.example.com.", type: "A" }, { cluster: CLUSTER }))).toEqual(["web.example.com. A 10.96.1.10"]);
    expect(data(explainQuery(text, { name: "frontend.default.corp.local.", type: "A" }, { cluster: CLUSTER }))).toEqual(["frontend.default.corp.local. A 10.96.1.10"]);
  });

  it("reads the block form and answer name rules (kubespray corpus)", () => {
    const text = corpus("wild/kubespray-5.conf");
    const t = explainQuery(text, { name: "frontend.default.my.domain.", type: "A" }, { cluster: CLUSTER, files: { "/etc/coredns/hosts": "" } });
    const c = t.candidates[0] as CandidateTrace;
    expect(c.block?.keys).toEqual([".:53"]);
    const rw = c.steps.find((s) => s.plugin === "rewrite");
    expect(rw?.question?.name).toBe("frontend.default.svc.cluster.local.");
    // hosts runs before kubernetes and falls through; kubernetes answers; `answer name` maps the record back
    expect(path(c)).toEqual(expect.arrayContaining(["hosts:fallthrough", "kubernetes:answer"]));
    // the unanchored regex also catches the search-path candidate, whose answer comes back under another name
    expect(c.name).toBe("frontend.default.my.domain.");
    expect(data(t)).toEqual(["frontend.default.my.domain. A 10.96.1.10"]);
    const withSearch = explainQuery(text, { name: "frontend.default.my.domain", type: "A" }, { clientNamespace: "default", cluster: CLUSTER, files: { "/etc/coredns/hosts": "" } });
    expect(withSearch.candidates[0]?.outcome.ignoredByResolver).toBeDefined();
    expect(withSearch.final.candidate).toBe("frontend.default.my.domain.");
    expect(withSearch.candidates.map((x) => x.asked)).toEqual([true, true, true, true]);
    // without the hosts file, hosts' answer cannot be known
    expect(explainQuery(text, { name: "frontend.default.my.domain.", type: "A" }, { cluster: CLUSTER }).final.plugin).toBe("hosts");
  });

  it("fully qualifies prefix and substring patterns as CoreDNS does (they only match whole labels at the dot)", () => {
    const text = `. {\n  rewrite name prefix api web\n  whoami\n}`;
    const hit = explainQuery(text, { name: "api.example.com.", type: "A" }).candidates[0]?.steps[0];
    expect(hit?.question?.name).toBe("web.example.com.");
    // "api." is the prefix CoreDNS compares: "api-v2.example.com." does not start with it
    expect(explainQuery(text, { name: "api-v2.example.com.", type: "A" }).candidates[0]?.steps[0]?.action).toBe("pass");
  });

  it("rewrites the query type", () => {
    const text = `. {\n  rewrite type ANY HINFO\n  whoami\n}`;
    const c = explainQuery(text, { name: "x.example.", type: "ANY" }).candidates[0] as CandidateTrace;
    expect(c.steps[0]?.question?.type).toBe("HINFO");
  });
});

describe("template", () => {
  const text = `. {
    template IN A example.net {
        match "^ip-(?P<a>[0-9]+)-(?P<b>[0-9]+)-(?P<c>[0-9]+)-(?P<d>[0-9]+)[.]example[.]net[.]$"
        answer "{{ .Name }} 60 IN A {{ .Group.a }}.{{ .Group.b }}.{{ .Group.c }}.{{ .Group.d }}"
        fallthrough
    }
    template IN AAAA example.net {
        rcode NXDOMAIN
    }
    forward . 9.9.9.9
}`;

  it("answers from a regex match with groups", () => {
    const t = explainQuery(text, { name: "ip-10-1-2-3.example.net.", type: "A" });
    expect(data(t)).toEqual(["ip-10-1-2-3.example.net. A 10.1.2.3"]);
    expect(t.final.records?.[0]?.ttl).toBe(60);
    expect(t.final.plugin).toBe("template");
  });

  it("falls through when the regex does not match, and answers the rcode for another type", () => {
    const miss = explainQuery(text, { name: "www.example.net.", type: "A" });
    expect(miss.final.kind).toBe("forwarded");
    expect(path(miss.candidates[0] as CandidateTrace)).toContain("template:fallthrough");
    expect(explainQuery(text, { name: "www.example.net.", type: "AAAA" }).final.kind).toBe("nxdomain");
  });

  it("answers SERVFAIL when the regex does not match and there is no fallthrough", () => {
    const strict = `. {\n  template IN A example.net {\n    match "^only[.]example[.]net[.]$"\n    answer "{{ .Name }} 60 IN A 192.0.2.1"\n  }\n}`;
    expect(explainQuery(strict, { name: "other.example.net.", type: "A" }).final.kind).toBe("servfail");
    expect(data(explainQuery(strict, { name: "only.example.net.", type: "A" }))).toEqual(["only.example.net. A 192.0.2.1"]);
  });

  it("reads the corpus templates (index .Match, rcode NXDOMAIN)", () => {
    const t = explainQuery(corpus("readme/template-4.conf"), { name: "example.com.dc1.example.com.", type: "A" });
    expect(t.final.kind).toBe("nxdomain");
    const all = explainQuery(corpus("readme/template-1.conf"), { name: "anything.", type: "MX" });
    expect(all.final.kind).toBe("nxdomain");
  });
});

describe("acl", () => {
  it("allows, blocks and filters by network and type (corpus acl-3, acl-2)", () => {
    const text = corpus("readme/acl-3.conf");
    // acl-3 has only acl: an allowed query reaches the end of the chain
    expect(explainQuery(text, { name: "x.example.", type: "A" }, { clientIp: "192.168.1.5" }).final.kind).toBe("servfail");
    const blocked = explainQuery(text, { name: "x.example.", type: "A" }, { clientIp: "192.168.7.5" });
    expect(blocked.final.kind).toBe("refused");
    expect(blocked.final.range?.line).toBe(4);
    const filtered = explainQuery(corpus("readme/acl-2.conf"), { name: "x.example.", type: "A" }, { clientIp: "192.168.7.5" });
    expect(filtered.final.kind).toBe("nodata");
  });

  it("drops by type for everyone, and assumes an unknown client is outside the listed networks", () => {
    const text = `. {\n  acl {\n    drop type ANY\n    block net 10.0.0.0/8\n  }\n  whoami\n}`;
    expect(explainQuery(text, { name: "x.", type: "ANY" }).final.kind).toBe("dropped");
    const t = explainQuery(text, { name: "x.", type: "A" });
    expect(t.final.plugin).toBe("whoami");
    expect(t.caveats.join(" ")).toMatch(/client's address was not given/);
  });
});

describe("file, local and the resolver's rules", () => {
  const text = `example.org {
    file db.example.org
}
. {
    local
    forward . 8.8.8.8
}`;
  const zone = `$ORIGIN example.org.
@ 3600 IN SOA ns.example.org. admin.example.org. ( 1 7200 3600 1209600 300 )
@ IN NS ns
www IN A 192.0.2.10
alias IN CNAME www
*.apps 60 IN A 192.0.2.20
`;

  it("answers from a zone file in the file map: records, CNAME, wildcard, NXDOMAIN", () => {
    const files = { "db.example.org": zone };
    expect(data(explainQuery(text, { name: "www.example.org.", type: "A" }, { files }))).toEqual(["www.example.org. A 192.0.2.10"]);
    expect(data(explainQuery(text, { name: "alias.example.org.", type: "A" }, { files }))).toEqual([
      "alias.example.org. CNAME www.example.org.",
      "www.example.org. A 192.0.2.10",
    ]);
    expect(data(explainQuery(text, { name: "x.apps.example.org.", type: "A" }, { files }))).toEqual(["x.apps.example.org. A 192.0.2.20"]);
    expect(explainQuery(text, { name: "nope.example.org.", type: "A" }, { files }).final.kind).toBe("nxdomain");
    expect(explainQuery(text, { name: "www.example.org.", type: "MX" }, { files }).final.kind).toBe("nodata");
  });

  it("says a zone file that was not given cannot be known", () => {
    const t = explainQuery(text, { name: "www.example.org.", type: "A" });
    expect(t.final.kind).toBe("unknown");
    expect(t.final.detail).toMatch(/db\.example\.org/);
  });

  it("answers localhost with local", () => {
    expect(data(explainQuery(text, { name: "localhost.", type: "A" }))).toEqual(["localhost. A 127.0.0.1"]);
  });

  it("musl stops at NODATA, glibc goes on", () => {
    const seed = readFileSync(SEED, "utf8");
    const ctx = { clientNamespace: "default", cluster: CLUSTER };
    // `default` as a short name: default.default.svc... NXDOMAIN, default.svc.cluster.local NODATA (a namespace)
    const glibc = explainQuery(seed, { name: "default", type: "A" }, ctx);
    expect(cand(glibc, "default.svc.cluster.local.").outcome.kind).toBe("nodata");
    expect(glibc.final.kind).toBe("forwarded"); // goes on to default. upstream
    const musl = explainQuery(seed, { name: "default", type: "A" }, { ...ctx, resolver: "musl" });
    expect(musl.final.kind).toBe("nodata");
    expect(musl.final.candidate).toBe("default.svc.cluster.local.");
  });

  it("adds Istio and NodeLocal DNSCache caveats", () => {
    const seed = readFileSync(SEED, "utf8");
    const t = explainQuery(seed, { name: "frontend", type: "A" }, { clientNamespace: "default", cluster: CLUSTER, istioDnsProxy: true, nodeLocalDnsCache: true });
    expect(t.caveats.some((c) => c.includes("Istio") && c.includes("frontend.default.svc.cluster.local."))).toBe(true);
    expect(t.caveats.some((c) => c.includes("NodeLocal DNSCache"))).toBe(true);
  });

  it("reports a Corefile CoreDNS would refuse", () => {
    const t = explainQuery(". {\n  bogus\n}\n", { name: "x.", type: "A" });
    expect(t.corefileError).toMatch(/refuse/);
  });
});

describe("DS and ExternalName corners", () => {
  it("routes a DS query to the parent zone's block", () => {
    const text = `example.org {\n  whoami\n}\nsub.example.org {\n  forward . 10.0.0.1\n}\n`;
    expect(explainQuery(text, { name: "sub.example.org.", type: "DS" }).candidates[0]?.block?.zone).toBe("example.org.");
    expect(explainQuery(text, { name: "sub.example.org.", type: "A" }).candidates[0]?.block?.zone).toBe("sub.example.org.");
  });

  it("makes an ExternalName answer depend on the upstream when its target is forwarded", () => {
    const seed = readFileSync(SEED, "utf8");
    const t = explainQuery(seed, { name: "payments.default.svc.cluster.local.", type: "A" }, { cluster: CLUSTER });
    expect(t.final.kind).toBe("forwarded");
    expect(t.final.records?.map((r) => r.type)).toEqual(["CNAME"]);
    const inCluster = explainQuery(seed, { name: "alias.default.svc.cluster.local.", type: "A" }, {
      cluster: { services: [...CLUSTER.services, { name: "alias", namespace: "default", type: "ExternalName", externalName: "frontend.default.svc.cluster.local" }] },
    });
    expect(data(inCluster)).toEqual([
      "alias.default.svc.cluster.local. CNAME frontend.default.svc.cluster.local.",
      "frontend.default.svc.cluster.local. A 10.96.1.10",
    ]);
  });
});

describe("template CNAME answers", () => {
  it("resolves a CNAME answer through the server and adds the target's records", () => {
    const text = `. {
    template IN A alias.example {
        answer "{{ .Name }} 30 IN CNAME web.internal.example." "{{ .Name }} 30 IN TXT extra"
    }
    hosts {
        10.9.9.9 web.internal.example
    }
}`;
    const t = explainQuery(text, { name: "x.alias.example.", type: "A" });
    expect(data(t)).toEqual(["x.alias.example. CNAME web.internal.example.", "x.alias.example. TXT extra", "web.internal.example. A 10.9.9.9"]);
    expect(t.candidates[0]?.steps.find((s) => s.plugin === "template")?.nested?.[0]?.name).toBe("web.internal.example.");
  });
});

describe("renderTrace", () => {
  it("prints each name, each step with its line, the reply and the notes", async () => {
    const { renderTrace } = await import("./render");
    const seed = readFileSync(SEED, "utf8");
    const text = renderTrace(explainQuery(seed, { name: "frontend", type: "A" }, { clientNamespace: "default", cluster: CLUSTER }));
    expect(text).toContain("frontend.default.svc.cluster.local. A → block .:53: answer NOERROR");
    expect(text).toContain("- kubernetes [answer] (line 7)");
    expect(text).toContain("· forward [pass] (line 13) Not reached");
    expect(text).toContain("frontend.svc.cluster.local. A (not sent: an earlier name decided)");
    expect(text).toContain("Reply: answer NOERROR for frontend.default.svc.cluster.local.");
    expect(text).toContain("  frontend.default.svc.cluster.local. 30 IN A 10.96.1.10");
  });
});

describe("imported files (AKS coredns-custom)", () => {
  it("runs directives from imported override and server files, with their own file in the range", () => {
    const text = corpus("wild/aks-engine-1.conf").replace('{{ContainerConfig "domain"}}', "cluster.local");
    const files = {
      "custom/test.override": "hosts {\n  10.5.5.5 printer.corp.example\n  fallthrough\n}\n",
      "custom/corp.server": "corp.example:53 {\n  forward . 10.20.0.53\n}\n",
    };
    const printer = explainQuery(text, { name: "printer.corp.example.", type: "A" }, { files, cluster: CLUSTER });
    // the .server file adds a block for corp.example, which is more specific than the root block with the override
    expect(printer.candidates[0]?.block?.zone).toBe("corp.example.");
    expect(printer.final.kind).toBe("forwarded");
    const other = explainQuery(text, { name: "printer.lab.example.", type: "A" }, { files: { ...files, "custom/test.override": "hosts {\n  10.5.5.6 printer.lab.example\n  fallthrough\n}\n" }, cluster: CLUSTER });
    const step = other.candidates[0]?.steps.find((s) => s.plugin === "hosts");
    expect(step?.action).toBe("answer");
    expect(step?.range?.imported).toBe(true);
    expect(step?.range?.file).toMatch(/test\.override$/);
    expect(step?.range?.line).toBe(1);
  });
});
