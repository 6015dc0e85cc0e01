import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countChangedLines, diffLines, splitLines } from "./line-diff";
import { mergeThreeWay } from "./merge3";

const BASE = ".:53 {\n    errors\n    health\n    forward . /etc/resolv.conf\n    cache 30\n    reload\n}\n";

describe("diffLines", () => {
  it("rebuilds both sides from the edit script", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a\n", "b\n", "c\n", "d\n"), { maxLength: 30 }), fc.array(fc.constantFrom("a\n", "b\n", "c\n", "e\n"), { maxLength: 30 }), (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((op) => op.kind !== "insert").flatMap((op) => op.lines)).toEqual(a);
        expect(ops.filter((op) => op.kind !== "delete").flatMap((op) => op.lines)).toEqual(b);
      }),
    );
  });

  it("finds a shortest script: as many kept lines as the longest common subsequence", () => {
    const lcs = (a: string[], b: string[]) => {
      const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          table[i]![j] = a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
        }
      }
      return table[a.length]![b.length]!;
    };
    const lines = fc.array(fc.constantFrom("a\n", "b\n", "c\n", "d\n"), { maxLength: 25 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const kept = diffLines(a, b).filter((op) => op.kind === "equal").reduce((sum, op) => sum + op.lines.length, 0);
        expect(kept).toBe(lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it("aligns a few scattered changes in 5,000-line texts, and gives up cleanly on texts with nothing in common", () => {
    const before = Array.from({ length: 5000 }, (_, i) => `10.2.0.${i} node-${i}\n`);
    const after = before.map((line, i) => (i % 97 === 0 ? `changed ${i}\n` : line));
    const ops = diffLines(before, after);
    const count = (kind: string) => ops.filter((op) => op.kind === kind).reduce((sum, op) => sum + op.lines.length, 0);
    expect([count("delete"), count("insert"), count("equal")]).toEqual([52, 52, 4948]);

    const other = before.map((line) => `x ${line}`);
    const replaced = diffLines(before, other);
    expect(replaced.map((op) => [op.kind, op.lines.length])).toEqual([["delete", 5000], ["insert", 5000]]);
  });

  it("counts added and removed lines", () => {
    const after = BASE.replace("    cache 30\n", "    cache 60\n    loop\n");
    expect(countChangedLines(BASE, after)).toEqual({ added: 2, removed: 1 });
    expect(countChangedLines("", "a\nb\n")).toEqual({ added: 2, removed: 0 });
    expect(splitLines("a\nb")).toEqual(["a\n", "b"]);
  });
});

describe("mergeThreeWay", () => {
  it("takes both sides when they change different lines", () => {
    const theirs = BASE.replace("    errors\n", "    errors\n    log\n");
    const mine = BASE.replace("cache 30", "cache 60");
    const result = mergeThreeWay(BASE, theirs, mine);
    expect(result.conflicts).toEqual([]);
    expect(result.text).toBe(BASE.replace("    errors\n", "    errors\n    log\n").replace("cache 30", "cache 60"));
  });

  it("reports a conflict and keeps both versions when both change the same line", () => {
    const theirs = BASE.replace("cache 30", "cache 10");
    const mine = BASE.replace("cache 30", "cache 60");
    const result = mergeThreeWay(BASE, theirs, mine);
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ base: "    cache 30\n", theirs: "    cache 10\n", mine: "    cache 60\n", line: 5 });
    expect(result.text).toContain("<<<<<<< draft\n    cache 60\n=======\n    cache 10\n>>>>>>> live\n");
  });

  it("merges identical changes silently and is the identity when only one side changed", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("x\n", "y\n", "z\n"), { maxLength: 20 }), fc.array(fc.constantFrom("x\n", "y\n", "w\n"), { maxLength: 20 }), (base, other) => {
        const b = base.join("");
        const o = other.join("");
        expect(mergeThreeWay(b, o, b)).toEqual({ text: o, conflicts: [] });
        expect(mergeThreeWay(b, b, o)).toEqual({ text: o, conflicts: [] });
        expect(mergeThreeWay(b, o, o)).toEqual({ text: o, conflicts: [] });
      }),
    );
  });

  it("never loses a line of either side: every conflict region holds both", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a\n", "b\n", "c\n"), { maxLength: 12 }),
        fc.array(fc.constantFrom("a\n", "b\n", "d\n"), { maxLength: 12 }),
        fc.array(fc.constantFrom("a\n", "c\n", "e\n"), { maxLength: 12 }),
        (base, theirs, mine) => {
          const result = mergeThreeWay(base.join(""), theirs.join(""), mine.join(""));
          for (const conflict of result.conflicts) {
            expect(result.text).toContain(conflict.mine);
            expect(result.text).toContain(conflict.theirs);
          }
        },
      ),
    );
  });
});
