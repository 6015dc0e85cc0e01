/**
 * Test-only helpers for the recipe tests: the corpus Corefiles they run on, and the checks every successful recipe
 * must pass (the result validates, every original byte and comment is still there, in order).
 */
import { expect } from "vitest";
import { applyEdits, validateCorefile } from "@/lib/corefile";
import { readCorpus } from "@/lib/corefile/test-helpers";
import type { Recipe, RecipeResult } from "./recipe";

/** Real Corefiles: the kubeadm default and a few from the wild (comments, several blocks, existing log/hosts/templates). */
export const SAMPLES = {
  kubeadm: readCorpus("corefiles/deployment/kubeadm-Corefile.rendered-cluster.local.conf"),
  deployment: readCorpus("corefiles/deployment/coredns-deployment-Corefile.rendered-defaults.conf"),
  microk8s: readCorpus("corefiles/wild/issue-charm-microk8s-1.conf"),
  hostsAndComments: readCorpus("corefiles/wild/issue-coredns-7.conf"),
  dn42: readCorpus("corefiles/wild/dn42-1.conf"),
  splitDns: readCorpus("corefiles/wild/sni-split-dns-1.conf"),
} as const;

export type SampleName = keyof typeof SAMPLES;

/** Whether `small` can be read off `big` left to right (every byte of `small` kept, in order). */
export function isSubsequence(small: string, big: string): boolean {
  let j = 0;
  for (let i = 0; i < big.length && j < small.length; i++) if (big[i] === small[j]) j++;
  return j === small.length;
}

/** The comment texts of a Corefile (lines' `#...` parts), in order. */
export function commentsOf(text: string): string[] {
  return text.split("\n").flatMap((line) => {
    const i = line.indexOf("#");
    return i >= 0 ? [line.slice(i).trim()] : [];
  });
}

/** Builds, expects success, applies, and checks the invariants every recipe result must satisfy. */
export function buildAndApply(recipe: Recipe, text: string, params: unknown): { text: string; result: Extract<RecipeResult, { ok: true }> } {
  const result = recipe.build(text, params);
  if (!result.ok) throw new Error(`${recipe.id} refused: ${result.reason}${result.field ? ` (${result.field})` : ""}`);
  const after = applyEdits(text, result.edits);
  expectPreserved(text, after);
  return { text: after, result };
}

/** The result validates with no errors, and keeps every original byte and comment. */
export function expectPreserved(before: string, after: string): void {
  expect(validateCorefile(after).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  expect(isSubsequence(before, after)).toBe(true);
  const kept = commentsOf(after);
  for (const comment of commentsOf(before)) expect(kept).toContain(comment);
}

/** Expects a refusal naming `field`. */
export function expectRefused(recipe: Recipe, text: string, params: unknown, field?: string): string {
  const result = recipe.build(text, params);
  expect(result.ok).toBe(false);
  if (result.ok) return "";
  if (field !== undefined) expect(result.field).toBe(field);
  return result.reason;
}
