import { readdirSync, readFileSync, statSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import { corpusPath } from "@/lib/testing/corpus";
import { explainQuery, prepareCorefile } from "./explain";
import type { CandidateTrace, ClusterData, ExplainTrace } from "./types";

const CORPUS_DIR = pathToFileURL(`${corpusPath("corefiles")}/`);

/** Every Corefile of the corpus (the `.conf` and `.txt` files), read in place. */
function corpusFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: URL, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const url = new URL(name, dir);
      if (statSync(url).isDirectory()) walk(new URL(`${name}/`, dir), `${rel}${name}/`);
      else if (name.endsWith(".conf") || name.endsWith(".txt")) out.push({ path: `${rel}${name}`, text: readFileSync(url, "utf8") });
    }
  };
  walk(CORPUS_DIR, "");
  return out;
}

const CLUSTER: ClusterData = {
  services: [
    { name: "frontend", namespace: "default", clusterIP: "10.96.1.10", ports: [{ name: "http", port: 80 }] },
    { name: "db", namespace: "data", clusterIP: "None", ports: [{ port: 5432 }], endpoints: [{ ip: "10.244.1.5", hostname: "db-0" }] },
    { name: "ext", namespace: "default", type: "ExternalName", externalName: "ext.example.com" },
  ],
};

/** Checks that a trace is well formed and that no part of it is an internal failure of the explainer. */
function checkTrace(t: ExplainTrace, text: string): void {
  expect(t.final.detail).not.toMatch(/failed unexpectedly/);
  const lines = text.split("\n").length;
  const visit = (c: CandidateTrace): void => {
    expect(c.outcome.detail.length).toBeGreaterThan(0);
    for (const s of c.steps) {
      expect(s.detail).not.toMatch(/explainer failed on this plugin/);
      expect(s.detail.length).toBeGreaterThan(0);
      if (s.range && !s.range.imported && s.range.file === "Corefile") {
        expect(s.range.line).toBeGreaterThanOrEqual(1);
        expect(s.range.line).toBeLessThanOrEqual(lines);
        expect(s.range.endOffset).toBeGreaterThanOrEqual(s.range.offset);
      }
      for (const n of s.nested ?? []) visit(n);
    }
  };
  for (const c of t.candidates) visit(c);
  expect(t.candidates.length).toBeGreaterThan(0);
}

describe("the explainer over the corpus", () => {
  const files = corpusFiles();

  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(300);
  });

  it("explains a cluster name, an external name and a reverse name in every corpus Corefile without failing", () => {
    const questions = [
      { name: "frontend", type: "A" },
      { name: "www.example.org.", type: "AAAA" },
      { name: "10.1.96.10.in-addr.arpa.", type: "PTR" },
      { name: "ext.default.svc.cluster.local.", type: "A" },
    ];
    let answered = 0;
    for (const f of files) {
      const prep = prepareCorefile(f.text);
      for (const q of questions) {
        const t = explainQuery(prep, q, { clientNamespace: "default", cluster: CLUSTER, clientIp: "10.244.0.9" });
        checkTrace(t, f.text);
        if (t.final.kind === "answer") answered++;
      }
    }
    // Kubernetes-style Corefiles in the corpus answer the Service names from the cluster data.
    expect(answered).toBeGreaterThan(50);
  });
});

/** Corefile-ish text: the words and punctuation that matter, in any order. */
const corefileish = fc
  .array(
    fc.oneof(
      fc.constantFrom("{", "}", " ", "\n", "#", '"', ".", ":53", ":1053", "example.org", "cluster.local", "10.0.0.0/8", "."),
      fc.constantFrom("forward", "cache", "hosts", "rewrite", "template", "kubernetes", "acl", "view", "file", "whoami", "local", "any", "loop", "errors"),
      fc.constantFrom("name", "regex", "suffix", "prefix", "exact", "substring", "answer", "auto", "continue", "stop", "type", "A", "AAAA", "IN", "ANY"),
      fc.constantFrom("fallthrough", "except", "policy", "sequential", "match", "rcode", "NXDOMAIN", "allow", "block", "filter", "drop", "net", "expr", "pods", "insecure"),
      fc.constantFrom("8.8.8.8", "10.0.0.1 a.example.org", "(.*)\\.x", "{1}.y", "'^a'", "incidr(client_ip(), '10.0.0.0/8')", "name() == 'a.'", "[", "(?P<n>x)"),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 50 },
  )
  .map((parts) => parts.join(" "));

const nameish = fc.oneof(
  fc.constantFrom("frontend", "a.example.org", "a.example.org.", "x.y", ".", "", "10.0.0.10.in-addr.arpa.", "db-0.db.data.svc.cluster.local.", "localhost"),
  fc.stringMatching(/^[a-z0-9.-]{0,30}$/),
);

describe("the explainer on arbitrary input", () => {
  it("never throws and never fails internally on random Corefiles and names", () => {
    fc.assert(
      fc.property(corefileish, nameish, fc.constantFrom("A", "AAAA", "SRV", "PTR", "ANY", "TXT", "MX"), fc.option(fc.constantFrom("10.1.2.3", "192.168.0.1", "::1")), (text, name, type, ip) => {
        const t = explainQuery(text, { name, type }, { clientNamespace: "default", cluster: CLUSTER, ...(ip ? { clientIp: ip } : {}) });
        checkTrace(t, text);
      }),
      { numRuns: 400 },
    );
  });
});
