import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/corefile";
import { EditSession } from "./session";

describe("EditSession", () => {
  it("turns a series of edits into minimal edits of the original text", () => {
    const session = new EditSession("abcdefghij");
    session.apply([{ start: 2, end: 2, newText: "XY" }]); // abXYcdefghij
    session.apply([{ start: 10, end: 11, newText: "" }]); // abXYcdefgh j → drops "i"
    session.apply([{ start: 3, end: 3, newText: "-" }]); // abX-Ycdefghj
    expect(session.text).toBe("abX-Ycdefghj");
    const edits = session.edits();
    expect(edits).toEqual([
      { start: 2, end: 2, newText: "X-Y" },
      { start: 8, end: 9, newText: "" },
    ]);
    expect(applyEdits(session.original, edits)).toBe(session.text);
  });

  it("reports a refused structured edit and leaves the text alone", () => {
    const session = new EditSession("x");
    expect(session.apply({ ok: false, reason: "no" })).toBe("no");
    expect(session.changed).toBe(false);
    expect(session.edits()).toEqual([]);
  });

  it("handles inserts at both ends and replacing everything", () => {
    const session = new EditSession("mid");
    session.apply([
      { start: 0, end: 0, newText: "<" },
      { start: 3, end: 3, newText: ">" },
    ]);
    expect(session.edits()).toEqual([
      { start: 0, end: 0, newText: "<" },
      { start: 3, end: 3, newText: ">" },
    ]);
    session.apply([{ start: 0, end: 5, newText: "new" }]);
    expect(session.edits()).toEqual([{ start: 0, end: 3, newText: "new" }]);
  });
});
