import { describe, expect, it } from "vitest";
import { getRecipe, RECIPES } from "./index";
import { SAMPLES } from "./test-support";

describe("RECIPES", () => {
  it("lists every recipe once, each with a title, a summary and notes linking to coredns.io", () => {
    const ids = RECIPES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      "forward-to-service",
      "stub-domain",
      "hosts-overrides",
      "rewrite-name",
      "cluster-domain-alias",
      "block-name",
      "query-log",
      "observability-baseline",
    ]);
    for (const recipe of RECIPES) {
      expect(recipe.title.length).toBeGreaterThan(5);
      expect(recipe.summary.length).toBeGreaterThan(10);
      expect(recipe.notes?.some((n) => n.includes("https://coredns.io/plugins/"))).toBe(true);
      expect(getRecipe(recipe.id)).toBe(recipe);
    }
  });

  it("refuses a form that is not an object without throwing", () => {
    for (const recipe of RECIPES) {
      const result = recipe.build(SAMPLES.kubeadm, "nonsense");
      expect(result.ok).toBe(false);
    }
  });

  it("never throws on a Corefile whose braces do not pair up, and refuses to edit it", () => {
    const broken = ".:53 {\n    errors\n";
    const params: Record<string, unknown> = {
      "forward-to-service": { zone: "a.example", clusterIPs: ["10.0.0.1"] },
      "stub-domain": { zone: "a.example", upstreams: ["10.0.0.1"] },
      "hosts-overrides": { entries: [{ ip: "10.0.0.1", names: ["a.example"] }] },
      "rewrite-name": { from: "a.example", to: "b.example" },
      "cluster-domain-alias": { alias: "cluster.example" },
      "block-name": { name: "a.example" },
      "query-log": { zone: "a.example" },
      "observability-baseline": {},
    };
    for (const recipe of RECIPES) {
      const result = recipe.build(broken, params[recipe.id]);
      expect(result.ok, recipe.id).toBe(false);
    }
  });
});
