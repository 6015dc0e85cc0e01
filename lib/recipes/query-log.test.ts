import { describe, expect, it } from "vitest";
import { queryLogRecipe } from "./query-log";
import { buildAndApply, expectRefused, SAMPLES, type SampleName } from "./test-support";

describe("temporary query logging", () => {
  it.each<SampleName>(["kubeadm", "deployment", "dn42", "splitDns"])("adds a marked log rule for a zone in %s", (name) => {
    const { text } = buildAndApply(queryLogRecipe, SAMPLES[name], { zone: "example.org", classes: ["denial", "error"] });
    expect(text).toMatch(/\n( +)# Temporary query log for example\.org: remove when done\.\n\1log example\.org \{\n\1( +)class denial error\n\1\}\n/);
  });

  it("puts the rule before an existing log, whose first matching rule would otherwise win", () => {
    const { text, result } = buildAndApply(queryLogRecipe, SAMPLES.microk8s, { zone: "example.org" });
    expect(text).toContain("    ready\n    # Temporary query log for example.org: remove when done.\n    log example.org\n    log . {\n      class error\n    }\n");
    expect(result.warnings.join(" ")).toContain("takes precedence");
  });

  it("changes nothing when the zone is already logged", () => {
    expect(queryLogRecipe.build(SAMPLES.hostsAndComments, { zone: "example.org" })).toMatchObject({ ok: true, edits: [] });
    const once = buildAndApply(queryLogRecipe, SAMPLES.kubeadm, { zone: "example.org", classes: ["error"] });
    expect(queryLogRecipe.build(once.text, { zone: "example.org", classes: ["error"] })).toMatchObject({ ok: true, edits: [] });
  });

  it("rejects invalid forms with the field", () => {
    expectRefused(queryLogRecipe, SAMPLES.kubeadm, { zone: "bad zone" }, "zone");
    expectRefused(queryLogRecipe, SAMPLES.kubeadm, { zone: "example.org", classes: ["loud"] }, "classes.0");
    expectRefused(queryLogRecipe, SAMPLES.kubeadm, { zone: "example.org", block: "x.example:53" }, "block");
  });
});
