import { describe, expect, it } from "vitest";
import { rewriteRecipe } from "./rewrite";
import { buildAndApply, expectRefused, SAMPLES, type SampleName } from "./test-support";

describe("rewrite a name and its answer", () => {
  it.each<SampleName>(["kubeadm", "deployment", "microk8s", "hostsAndComments", "dn42", "splitDns"])("adds an exact rule to the main block of %s", (name) => {
    const { text } = buildAndApply(rewriteRecipe, SAMPLES[name], { from: "db.example.org", to: "db.prod.svc.cluster.local" });
    expect(text).toMatch(/\n +rewrite name exact db\.example\.org db\.prod\.svc\.cluster\.local\n/);
  });

  it("writes answer auto for a suffix rule, before kubernetes", () => {
    const { text } = buildAndApply(rewriteRecipe, SAMPLES.kubeadm, { match: "suffix", from: ".old.example", to: ".svc.cluster.local" });
    expect(text).toContain("    ready\n    rewrite name suffix .old.example .svc.cluster.local answer auto\n    kubernetes ");
  });

  it("writes an explicit answer name rule for a regex", () => {
    const { text } = buildAndApply(rewriteRecipe, SAMPLES.kubeadm, {
      match: "regex",
      from: "(.*)-(us-west-1)\\.example\\.org",
      to: "{1}.service.{2}.consul",
      answer: "name",
      answerFrom: "(.*)\\.service\\.(us-west-1)\\.consul",
      answerTo: "{1}-{2}.example.org",
    });
    expect(text).toContain(
      "    rewrite name regex (.*)-(us-west-1)\\.example\\.org {1}.service.{2}.consul answer name (.*)\\.service\\.(us-west-1)\\.consul {1}-{2}.example.org\n",
    );
  });

  it("goes into the block the original name reaches, and warns when the new name belongs to another block", () => {
    const { text, result } = buildAndApply(rewriteRecipe, SAMPLES.splitDns, { from: "www.vk.com", to: "www.example.org" });
    const vkBlock = text.slice(text.indexOf("vk.com vk.ru"), text.indexOf("# определялки"));
    expect(vkBlock).toContain("rewrite name exact www.vk.com www.example.org");
    expect(result.warnings.join(" ")).toContain("answered inside");
  });

  it("adds after existing rules and is idempotent", () => {
    const once = buildAndApply(rewriteRecipe, SAMPLES.kubeadm, { from: "a.example.org", to: "b.example.org" });
    const second = buildAndApply(rewriteRecipe, once.text, { from: "c.example.org", to: "d.example.org" });
    expect(second.text.indexOf("rewrite name exact a.example.org")).toBeLessThan(second.text.indexOf("rewrite name exact c.example.org"));
    expect(second.result.warnings.join(" ")).toContain("text order");
    expect(rewriteRecipe.build(second.text, { from: "c.example.org", to: "d.example.org" })).toMatchObject({ ok: true, edits: [] });
  });

  it("warns about a suffix without a leading dot", () => {
    const { result } = buildAndApply(rewriteRecipe, SAMPLES.kubeadm, { match: "suffix", from: "example.org", to: "example.net" });
    expect(result.warnings.join(" ")).toContain("leading dot");
  });

  it("refuses a regex CoreDNS cannot compile, with the reason from validation", () => {
    const reason = expectRefused(rewriteRecipe, SAMPLES.kubeadm, { match: "regex", from: "(unclosed", to: "x.example.org" });
    expect(reason).toContain("invalid");
  });

  it("rejects invalid forms with the field", () => {
    expectRefused(rewriteRecipe, SAMPLES.kubeadm, { from: "", to: "b.example" }, "from");
    expectRefused(rewriteRecipe, SAMPLES.kubeadm, { from: "a.example", to: "has space" }, "to");
    expectRefused(rewriteRecipe, SAMPLES.kubeadm, { match: "prefix", from: "a", to: "b" }, "match");
    expectRefused(rewriteRecipe, SAMPLES.kubeadm, { match: "regex", from: "a", to: "b", answer: "name" }, "answerFrom");
    expectRefused(rewriteRecipe, SAMPLES.kubeadm, { match: "suffix", from: "a", to: "b", answer: "name", answerFrom: "x", answerTo: "y" }, "answer");
    expectRefused(rewriteRecipe, SAMPLES.kubeadm, { from: "a.example", to: "A.example." }, "to");
  });
});
