import { describe, expect, it } from "vitest";
import { applyEdits } from "./text-edit";

describe("applyEdits", () => {
  it("applies edits in any order and leaves other bytes untouched", () => {
    const source = ".:53 {\n    errors\n    cache 30\n}\n";
    const cacheAt = source.indexOf("30");
    const errorsAt = source.indexOf("errors");
    const result = applyEdits(source, [
      { start: cacheAt, end: cacheAt + 2, newText: "60" },
      { start: errorsAt, end: errorsAt, newText: "log\n    " },
    ]);
    expect(result).toBe(".:53 {\n    log\n    errors\n    cache 60\n}\n");
  });

  it("refuses overlapping edits", () => {
    expect(() =>
      applyEdits("abcdef", [
        { start: 1, end: 4, newText: "x" },
        { start: 3, end: 5, newText: "y" },
      ]),
    ).toThrow(RangeError);
  });
});
