import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clusterAliasRecipe, forwardToServiceRecipe, hostsRecipe, type Recipe } from "@/lib/recipes";
import { applyOffsetEdits, countHunkLines, describeEdits } from "./preview-hunks";

const KUBEADM = readFileSync(new URL("../../sandbox/seed/kubeadm-Corefile.conf", import.meta.url), "utf8");

function build(recipe: Recipe, params: unknown) {
  const result = recipe.build(KUBEADM, params);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe("describeEdits", () => {
  it("shows a block appended at the end as added lines after the last line", () => {
    const result = build(forwardToServiceRecipe, { zone: "west.cluster.local", clusterIPs: ["10.96.77.53"], forceTcp: true });
    const hunks = describeEdits(KUBEADM, result.edits);
    expect(hunks).toHaveLength(1);
    const [hunk] = hunks;
    expect(hunk?.removed).toEqual([]);
    expect(hunk?.before).toBe("}");
    expect(hunk?.added[0]).toBe("");
    expect(hunk?.added).toContain("west.cluster.local:53 {");
    expect(hunk?.added).toContain("    forward . 10.96.77.53:53 {");
    expect(hunk?.added[hunk.added.length - 1]).toBe("}");
    expect(hunk?.after).toBeUndefined();
    // Every added line is in the result, at the line the hunk names.
    const lines = applyOffsetEdits(KUBEADM, result.edits).split("\n");
    expect(lines.slice(hunk!.newLine - 1, hunk!.newLine - 1 + hunk!.added.length)).toEqual(hunk!.added);
  });

  it("shows a directive inserted inside a block with its neighbours as context", () => {
    const result = build(hostsRecipe, { entries: [{ ip: "10.0.0.50", names: ["legacy.example.org"] }] });
    const [hunk] = describeEdits(KUBEADM, result.edits);
    expect(hunk?.removed).toEqual([]);
    expect(hunk?.added.map((l) => l.trim())).toEqual(["hosts {", "10.0.0.50 legacy.example.org", "fallthrough", "}"]);
    expect(countHunkLines(describeEdits(KUBEADM, result.edits))).toEqual({ added: 4, removed: 0 });
    const lines = KUBEADM.split("\n");
    expect(lines[hunk!.oldLine - 2]).toBe(hunk?.before);
    expect(lines[hunk!.oldLine - 1]).toBe(hunk?.after);
  });

  it("shows a changed line as removed and added", () => {
    const result = build(clusterAliasRecipe, { alias: "cluster.example" });
    const [hunk] = describeEdits(KUBEADM, result.edits);
    expect(hunk?.removed).toEqual(["    kubernetes cluster.local in-addr.arpa ip6.arpa {"]);
    expect(hunk?.added).toEqual(["    kubernetes cluster.local cluster.example in-addr.arpa ip6.arpa {"]);
    expect(hunk?.oldLine).toBe(7);
  });

  it("keeps separate places apart and merges edits on the same line", () => {
    const text = "a\nb\nc\nd\ne\n";
    const hunks = describeEdits(text, [
      { start: 0, end: 1, newText: "A" },
      { start: 8, end: 9, newText: "E" },
      { start: 2, end: 2, newText: "x" },
    ]);
    expect(hunks.map((h) => [h.oldLine, h.removed, h.added])).toEqual([
      [1, ["a", "b"], ["A", "xb"]],
      [5, ["e"], ["E"]],
    ]);
  });

  it("is empty for no edits", () => {
    expect(describeEdits(KUBEADM, [])).toEqual([]);
  });
});
