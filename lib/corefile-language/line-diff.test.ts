import { describe, expect, it } from "vitest";
import { diffLines, type DiffLine } from "./line-diff";

const compact = (lines: DiffLine[]) =>
  lines.map((l) => (l.kind === "same" ? `  ${l.text}` : l.kind === "removed" ? `- ${l.text}` : `+ ${l.text}`));

describe("diffLines", () => {
  it("marks a changed line as removed then added, with line numbers on each side", () => {
    const lines = diffLines(".:53 {\n    cache 30\n    forward . 8.8.8.8\n}\n", ".:53 {\n    cache 60\n    forward . 8.8.8.8\n    reload\n}\n");
    expect(compact(lines)).toEqual(["  .:53 {", "-     cache 30", "+     cache 60", "      forward . 8.8.8.8", "+     reload", "  }"]);
    expect(lines[2]).toEqual({ kind: "added", text: "    cache 60", newLine: 2 });
    expect(lines[4]).toEqual({ kind: "added", text: "    reload", newLine: 4 });
    expect(lines[5]).toEqual({ kind: "same", text: "}", oldLine: 4, newLine: 5 });
  });

  it("handles empty sides and identical texts", () => {
    expect(compact(diffLines("", "a\nb\n"))).toEqual(["+ a", "+ b"]);
    expect(compact(diffLines("a\n", ""))).toEqual(["- a"]);
    expect(diffLines("a\nb", "a\nb\n").every((l) => l.kind === "same")).toBe(true);
  });

  it("aligns moved and interleaved lines by longest common subsequence", () => {
    expect(compact(diffLines("a\nb\nc\nd\n", "a\nc\nb\nd\n"))).toEqual(["  a", "- b", "  c", "+ b", "  d"]);
  });
});
