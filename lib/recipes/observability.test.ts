import { describe, expect, it } from "vitest";
import { observabilityRecipe } from "./observability";
import { buildAndApply, expectRefused, SAMPLES } from "./test-support";

describe("observability baseline", () => {
  it("adds nothing to the kubeadm default, which has all of it", () => {
    expect(observabilityRecipe.build(SAMPLES.kubeadm, {})).toMatchObject({ ok: true, edits: [] });
  });

  it("adds only what is missing, in execution order, and a second run adds nothing", () => {
    const { text } = buildAndApply(observabilityRecipe, SAMPLES.splitDns, {});
    expect(text.slice(text.indexOf(".:53 {"))).toBe(
      ".:53 {\n    reload\n    ready\n    health\n    prometheus :9153\n    errors\n    template IN A {\n        match \".*\"\n        answer \"{{ .Name }} 60 IN A 10.8.0.1\"\n    }\n    \n    template IN AAAA {\n        match \".*\"\n        rcode NOERROR\n    }\n}\n",
    );
    expect(observabilityRecipe.build(text, {})).toMatchObject({ ok: true, edits: [] });
  });

  it("keeps health and reload once per process", () => {
    // dn42 has reload in its '.' block and no health anywhere.
    const { text, result } = buildAndApply(observabilityRecipe, SAMPLES.dn42, { block: "wyf.dn42" });
    const block = text.slice(text.indexOf("wyf.dn42 {"), text.indexOf("32/27"));
    expect(block).toBe("wyf.dn42 {\n    ready\n    health\n    prometheus :9153\n    file zones/db.wyf.dn42 {\n        reload 30s\n    }\n    log\n    errors\n}\n\n");
    expect(result.warnings.join(" ")).toContain("reload is already in server block '.'");
    const other = buildAndApply(observabilityRecipe, text, { block: "dn42" });
    expect(other.text.match(/^\s+health$/gm)).toHaveLength(1);
    expect(other.result.warnings.join(" ")).toContain("health is already in server block 'wyf.dn42'");
  });

  it("completes a partial block without touching what is there", () => {
    const { text } = buildAndApply(observabilityRecipe, SAMPLES.hostsAndComments, {});
    expect(text).toContain("  ready\n  hosts {");
  });

  it("refuses an unknown block", () => {
    expectRefused(observabilityRecipe, SAMPLES.kubeadm, { block: "example.org:53" }, "block");
    expectRefused(observabilityRecipe, SAMPLES.kubeadm, { block: "bad key:" }, "block");
  });
});
