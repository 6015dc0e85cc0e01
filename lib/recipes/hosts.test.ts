import { describe, expect, it } from "vitest";
import { hostsRecipe } from "./hosts";
import { buildAndApply, expectRefused, SAMPLES, type SampleName } from "./test-support";

const ENTRIES = [
  { ip: "10.1.2.3", names: ["app.example.org", "*.apps.example.org"] },
  { ip: "fd00::5", names: ["v6.example.org"] },
];

describe("static overrides with hosts", () => {
  it.each<SampleName>(["kubeadm", "deployment", "microk8s", "dn42", "splitDns"])("adds a hosts directive with fallthrough to .:53 of %s", (name) => {
    const { text } = buildAndApply(hostsRecipe, SAMPLES[name], { entries: ENTRIES });
    expect(text).toMatch(/\n( +)hosts \{\n\1( +)10\.1\.2\.3 app\.example\.org \*\.apps\.example\.org\n\1\2fd00::5 v6\.example\.org\n\1\2fallthrough\n\1\}\n/);
  });

  it("puts hosts where it runs: before kubernetes in the kubeadm Corefile", () => {
    const { text, result } = buildAndApply(hostsRecipe, SAMPLES.kubeadm, { entries: ENTRIES });
    expect(text.indexOf("    hosts {")).toBeLessThan(text.indexOf("    kubernetes "));
    expect(text.indexOf("    hosts {")).toBeGreaterThan(text.indexOf("    ready"));
    expect(result.focus).toEqual({ line: text.slice(0, text.indexOf("    hosts {")).split("\n").length, column: 5 });
  });

  it("adds entries to an existing hosts directive, above its fallthrough, instead of a second hosts", () => {
    const { text } = buildAndApply(hostsRecipe, SAMPLES.hostsAndComments, { entries: ENTRIES });
    expect(text.match(/\bhosts \{/g)).toHaveLength(1);
    expect(text).toContain(". {\n  hosts {\n    10.1.2.3 app.example.org *.apps.example.org\n    fd00::5 v6.example.org\n    fallthrough\n  }\n");
  });

  it("adds after the last existing entry, skips entries already there, and adds fallthrough when asked", () => {
    const base = ".:53 {\n    hosts /etc/coredns/hosts {\n        # the gateway\n        10.0.0.1 gw.example.org\n        ttl 60\n    }\n    forward . 9.9.9.9\n}\n";
    const { text, result } = buildAndApply(hostsRecipe, base, {
      entries: [
        { ip: "10.0.0.1", names: ["gw.example.org"] },
        { ip: "10.0.0.2", names: ["db.example.org"] },
      ],
    });
    expect(text).toBe(
      ".:53 {\n    hosts /etc/coredns/hosts {\n        # the gateway\n        10.0.0.1 gw.example.org\n        10.0.0.2 db.example.org\n        ttl 60\n        fallthrough\n    }\n    forward . 9.9.9.9\n}\n",
    );
    expect(result.warnings.join(" ")).toContain("had no fallthrough");
  });

  it("opens a block on a hosts directive that has none", () => {
    const { text } = buildAndApply(hostsRecipe, ".:53 {\n    hosts /etc/coredns/hosts # managed\n    forward . 9.9.9.9\n}\n", {
      entries: [{ ip: "10.0.0.2", names: ["db.example.org"] }],
    });
    expect(text).toBe(".:53 {\n    hosts /etc/coredns/hosts {\n        10.0.0.2 db.example.org\n        fallthrough\n    } # managed\n    forward . 9.9.9.9\n}\n");
  });

  it("is idempotent", () => {
    const once = buildAndApply(hostsRecipe, SAMPLES.kubeadm, { entries: ENTRIES });
    const twice = hostsRecipe.build(once.text, { entries: ENTRIES });
    expect(twice).toMatchObject({ ok: true, edits: [] });
  });

  it("refuses to turn fallthrough off where hosts would hide kubernetes and forward", () => {
    const reason = expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: ENTRIES, fallthrough: false }, "fallthrough");
    expect(reason).toContain("kubernetes");
  });

  it("writes no fallthrough in a block of its own zone", () => {
    const base = `${SAMPLES.kubeadm}\nexample.org:53 {\n    errors\n}\n`;
    const { text } = buildAndApply(hostsRecipe, base, { entries: [ENTRIES[0]], fallthrough: false, block: "example.org:53" });
    expect(text).toContain("example.org:53 {\n    errors\n    hosts {\n        10.1.2.3 app.example.org *.apps.example.org\n    }\n}\n");
  });

  it("warns about names outside the block's zones", () => {
    const base = `${SAMPLES.kubeadm}\nexample.org:53 {\n    errors\n}\n`;
    const { result } = buildAndApply(hostsRecipe, base, { entries: [{ ip: "10.0.0.9", names: ["other.test"] }], fallthrough: false, block: "example.org:53" });
    expect(result.warnings.join(" ")).toContain("other.test");
  });

  it("rejects invalid forms with the field", () => {
    expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: [] }, "entries");
    expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: [{ ip: "10.0.0.300", names: ["a.example"] }] }, "entries.0.ip");
    expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: [{ ip: "10.0.0.3", names: [] }] }, "entries.0.names");
    expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: [{ ip: "10.0.0.3", names: ["a b"] }] }, "entries.0.names.0");
    expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: [{ ip: "10.0.0.3", names: ["a.*.example"] }] }, "entries.0.names.0");
    expectRefused(hostsRecipe, SAMPLES.kubeadm, { entries: ENTRIES, block: "nowhere.example:53" }, "block");
  });
});
