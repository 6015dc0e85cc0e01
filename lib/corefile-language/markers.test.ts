/**
 * Diagnostics → markers, quick fixes → code actions, and the editor's combined check (validation + lint).
 */
import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/corefile/text-edit";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";
import { checkCorefile } from "./check";
import { getCodeActions, toMarkers } from "./markers";

const diagnostic = (over: Partial<CorefileDiagnostic>): CorefileDiagnostic => ({
  code: "UNKNOWN_DIRECTIVE",
  severity: "error",
  source: "parser",
  message: "Unknown directive.",
  file: "Corefile",
  line: 2,
  column: 5,
  endLine: 2,
  endColumn: 11,
  ...over,
});

describe("toMarkers", () => {
  it("keeps range, severity, code and source, and appends CoreDNS's wording", () => {
    const markers = toMarkers([
      diagnostic({ corednsMessage: "Corefile:2 - Error during parsing: Unknown directive 'forwrd'" }),
      diagnostic({ code: "RELOAD_MISSING", severity: "warning", source: "lint", message: "No reload.", line: 1, column: 1, endLine: 1, endColumn: 5 }),
    ]);
    expect(markers).toEqual([
      {
        severity: "error",
        code: "UNKNOWN_DIRECTIVE",
        source: "parser",
        message: "Unknown directive.\nCoreDNS says: Corefile:2 - Error during parsing: Unknown directive 'forwrd'",
        startLineNumber: 2,
        startColumn: 5,
        endLineNumber: 2,
        endColumn: 11,
      },
      {
        severity: "warning",
        code: "RELOAD_MISSING",
        source: "lint",
        message: "No reload.",
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: 1,
        endColumn: 5,
      },
    ]);
  });

  it("leaves out diagnostics located in other files", () => {
    const markers = toMarkers([diagnostic({}), diagnostic({ file: "/etc/coredns/custom/extra.server" })]);
    expect(markers).toHaveLength(1);
    expect(toMarkers([diagnostic({ file: "Corefile.d" })], { file: "Corefile.d" })).toHaveLength(1);
  });
});

describe("getCodeActions", () => {
  const fixable = diagnostic({
    code: "DID_YOU_MEAN",
    severity: "info",
    source: "lint",
    fixes: [{ title: "Replace 'forwrd' with 'forward'", edits: [{ start: 11, end: 17, newText: "forward" }] }],
  });
  const twoFixes = diagnostic({
    code: "X",
    severity: "error",
    line: 4,
    column: 1,
    endLine: 4,
    endColumn: 3,
    fixes: [
      { title: "A", edits: [{ start: 40, end: 41, newText: "a" }] },
      { title: "B", edits: [{ start: 40, end: 41, newText: "b" }] },
    ],
  });

  it("offers the fixes of diagnostics under the cursor", () => {
    const actions = getCodeActions([fixable, twoFixes], { startLineNumber: 2, startColumn: 7, endLineNumber: 2, endColumn: 7 });
    expect(actions).toEqual([
      {
        title: "Replace 'forwrd' with 'forward'",
        kind: "quickfix",
        marker: expect.objectContaining({ code: "DID_YOU_MEAN", startLineNumber: 2 }),
        edits: [{ start: 11, end: 17, newText: "forward" }],
        isPreferred: true,
      },
    ]);
  });

  it("counts a cursor touching either end, and a selection spanning several diagnostics", () => {
    expect(getCodeActions([fixable], { startLineNumber: 2, startColumn: 11, endLineNumber: 2, endColumn: 11 })).toHaveLength(1);
    expect(getCodeActions([fixable], { startLineNumber: 2, startColumn: 12, endLineNumber: 2, endColumn: 12 })).toHaveLength(0);
    const all = getCodeActions([fixable, twoFixes], { startLineNumber: 1, startColumn: 1, endLineNumber: 9, endColumn: 1 });
    // Errors first; several fixes of one diagnostic are not "preferred".
    expect(all.map((a) => [a.title, a.isPreferred])).toEqual([
      ["A", false],
      ["B", false],
      ["Replace 'forwrd' with 'forward'", true],
    ]);
  });

  it("ignores diagnostics without fixes", () => {
    expect(getCodeActions([diagnostic({})], { startLineNumber: 2, startColumn: 5, endLineNumber: 2, endColumn: 5 })).toEqual([]);
  });

  it("turns real lint fixes into edits that apply", () => {
    const text = ".:53 {\n    forwrd . 8.8.8.8\n    reload\n    prometheus :9153\n}\n";
    const { diagnostics } = checkCorefile(text);
    const actions = getCodeActions(diagnostics, { startLineNumber: 2, startColumn: 6, endLineNumber: 2, endColumn: 6 });
    const fix = actions.find((a) => a.title.includes("'forward'"));
    expect(fix).toBeDefined();
    expect(applyEdits(text, fix?.edits ?? [])).toBe(text.replace("forwrd", "forward"));
  });
});

describe("checkCorefile", () => {
  it("adds the lint's findings to CoreDNS's verdict once, sorted by position", () => {
    const { ok, diagnostics } = checkCorefile(".:53 {\n    forwrd . 8.8.8.8\n}\n");
    expect(ok).toBe(false);
    const sources = new Set(diagnostics.map((d) => d.source));
    expect(sources).toContain("parser");
    expect(sources).toContain("lint");
    const lines = diagnostics.map((d) => d.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    const lintCodes = diagnostics.filter((d) => d.source === "lint").map((d) => `${d.code}@${d.line}:${d.column}`);
    expect(new Set(lintCodes).size).toBe(lintCodes.length);
  });
});
