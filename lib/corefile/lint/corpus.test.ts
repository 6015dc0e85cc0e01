/**
 * The linter over every Corefile of the corpus: it never throws, every quick fix applies cleanly and leaves no new
 * parse error. Prints how often each code was raised (for information).
 */
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "../parse";
import { listCorpus, readCorpus } from "../test-helpers";
import { applyEdits } from "../text-edit";
import { LINT_RULES, lintCorefile } from "./index";

// As in ../corpus.test.ts: CoreDNS parsed each file as /etc/coredns/Corefile.
const OPTIONS = { filename: "/etc/coredns/Corefile" };

const counts = new Map<string, number>();
let files = 0;

function errorCodes(text: string): string[] {
  return parse(text, OPTIONS)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => d.code);
}

describe("lint over the corpus", () => {
  const all = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));

  it("finds the corpus", () => {
    expect(all.length).toBeGreaterThan(600);
  });

  it.each(all)("%s", (file) => {
    const text = readCorpus(file);
    const parsed = parse(text, OPTIONS);
    let ds: ReturnType<typeof lintCorefile> = [];
    expect(() => {
      ds = lintCorefile(text, { ...OPTIONS, parse: parsed });
    }).not.toThrow();
    files++;
    const before = errorCodes(text);
    for (const d of ds) {
      counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
      expect(d.line).toBeGreaterThan(0);
      expect(d.column).toBeGreaterThan(0);
      if (d.code !== "DUPLICATE_DIRECTIVE") expect(d.severity).toBe(LINT_RULES[d.code].severity);
      if (d.fixes) expect(LINT_RULES[d.code].fix).toBe(true);
      for (const change of d.fixes ?? []) {
        const fixed = applyEdits(text, change.edits);
        for (const c of errorCodes(fixed)) expect(before).toContain(c);
      }
    }
  });

  afterAll(() => {
    const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((n, [, c]) => n + c, 0);
    console.log(
      `lint over ${files} corpus Corefiles: ${total} findings\n` + rows.map(([code, n]) => `  ${code.padEnd(34)} ${n}`).join("\n"),
    );
  });
});
