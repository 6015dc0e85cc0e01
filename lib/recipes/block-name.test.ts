import { describe, expect, it } from "vitest";
import { blockNameRecipe } from "./block-name";
import { buildAndApply, expectRefused, SAMPLES, type SampleName } from "./test-support";

describe("block a name", () => {
  it.each<SampleName>(["kubeadm", "deployment", "microk8s", "hostsAndComments", "dn42"])("answers NXDOMAIN for a name and its subdomains in %s", (name) => {
    const { text } = buildAndApply(blockNameRecipe, SAMPLES[name], { name: "ads.example.com" });
    expect(text).toMatch(/\n( +)template ANY ANY ads\.example\.com \{\n\1( +)rcode NXDOMAIN\n\1\}\n/);
  });

  it("blocks the name alone with an exact match and fallthrough", () => {
    const { text } = buildAndApply(blockNameRecipe, SAMPLES.kubeadm, { name: "ads.example.com", includeSubdomains: false });
    expect(text).toContain("    template ANY ANY ads.example.com {\n        match ^ads\\.example\\.com\\.$\n        rcode NXDOMAIN\n        fallthrough\n    }\n    kubernetes");
  });

  it("goes before the block's other templates (a template without fallthrough would answer SERVFAIL first)", () => {
    const { text } = buildAndApply(blockNameRecipe, SAMPLES.splitDns, { name: "tracker.example" });
    const main = text.slice(text.indexOf(".:53 {"));
    expect(main.indexOf("template ANY ANY tracker.example")).toBeLessThan(main.indexOf("template IN A {"));
  });

  it("goes into the block that receives the name", () => {
    const { text } = buildAndApply(blockNameRecipe, SAMPLES.splitDns, { name: "ads.vk.com" });
    const vkBlock = text.slice(text.indexOf("vk.com vk.ru"), text.indexOf("# определялки"));
    expect(vkBlock).toContain("template ANY ANY ads.vk.com {");
  });

  it("is idempotent", () => {
    const once = buildAndApply(blockNameRecipe, SAMPLES.kubeadm, { name: "ads.example.com" });
    expect(blockNameRecipe.build(once.text, { name: "ads.example.com" })).toMatchObject({ ok: true, edits: [] });
  });

  it("rejects invalid forms with the field", () => {
    expectRefused(blockNameRecipe, SAMPLES.kubeadm, { name: "." }, "name");
    expectRefused(blockNameRecipe, SAMPLES.kubeadm, { name: "bad name" }, "name");
    expectRefused(blockNameRecipe, SAMPLES.kubeadm, { name: "a.example", block: "missing.example:53" }, "block");
  });
});
