import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countChangedLines, splitLines } from "./line-diff";

describe("countChangedLines", () => {
  it("counts nothing for equal texts", () => {
    expect(countChangedLines("a\nb\n", "a\nb\n")).toEqual({ added: 0, removed: 0 });
    expect(countChangedLines("", "")).toEqual({ added: 0, removed: 0 });
  });

  it("counts a changed line as one removed and one added", () => {
    expect(countChangedLines("a\nb\nc\n", "a\nB\nc\n")).toEqual({ added: 1, removed: 1 });
  });

  it("counts insertions and deletions in the middle", () => {
    expect(countChangedLines("a\nb\nc\nd\n", "a\nx\ny\nb\nd\n")).toEqual({ added: 2, removed: 1 });
  });

  it("counts every line of a new or emptied text", () => {
    expect(countChangedLines("", "a\nb\nc")).toEqual({ added: 3, removed: 0 });
    expect(countChangedLines("a\nb\n", "")).toEqual({ added: 0, removed: 2 });
  });

  it("counts a missing final newline as a changed last line, as git does", () => {
    expect(countChangedLines("a\nb", "a\nb\n")).toEqual({ added: 1, removed: 1 });
  });

  it("finds the shortest script, not a prefix/suffix guess", () => {
    // Moving one line down: one deletion and one insertion.
    expect(countChangedLines("x\na\nb\nc\n", "a\nb\nc\nx\n")).toEqual({ added: 1, removed: 1 });
    // A duplicated block: only the copy is added.
    expect(countChangedLines("a\nb\n", "a\nb\na\nb\n")).toEqual({ added: 2, removed: 0 });
  });

  it("stays fast and bounded on large, completely different texts", () => {
    const before = Array.from({ length: 20_000 }, (_, i) => `old ${i}\n`).join("");
    const after = Array.from({ length: 20_000 }, (_, i) => `new ${i}\n`).join("");
    expect(countChangedLines(before, after)).toEqual({ added: 20_000, removed: 20_000 });
  });

  it("agrees with a brute-force LCS on random small texts", () => {
    const lcs = (a: string[], b: string[]) => {
      const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          const row = table[i]!;
          row[j] = a[i - 1] === b[j - 1] ? table[i - 1]![j - 1]! + 1 : Math.max(table[i - 1]![j]!, row[j - 1]!);
        }
      }
      return table[a.length]![b.length]!;
    };
    const text = fc.array(fc.constantFrom("a\n", "b\n", "c\n", "d\n", "e"), { maxLength: 14 }).map((lines) => lines.join(""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const a = splitLines(before);
        const b = splitLines(after);
        const common = lcs(a, b);
        expect(countChangedLines(before, after)).toEqual({ added: b.length - common, removed: a.length - common });
      }),
      { numRuns: 500 },
    );
  });
});
