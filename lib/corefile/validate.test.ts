import { describe, expect, it } from "vitest";
import { applyEdits } from "./text-edit";
import { validateCorefile } from "./validate";

const GOOD = ".:53 {\n    errors\n    forward . 8.8.8.8\n    cache 30\n    loop\n    reload\n    prometheus :9153\n}\n";

describe("validateCorefile", () => {
  it("accepts a Corefile CoreDNS loads, with no warnings when it follows the advice", () => {
    const result = validateCorefile(GOOD);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
  });

  it("reports a typo once, with CoreDNS's wording and a quick fix that repairs it", () => {
    const text = GOOD.replace("forward", "forwrd");
    const result = validateCorefile(text);
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, d.line, d.column])).toEqual([["UNKNOWN_DIRECTIVE", 3, 5]]);
    expect(errors[0]?.corednsMessage).toBe("Corefile:3 - Error during parsing: Unknown directive 'forwrd'");
    const fixed = applyEdits(text, errors[0]!.fixes![0]!.edits);
    expect(fixed).toBe(GOOD);
    expect(validateCorefile(fixed).ok).toBe(true);
  });

  it("reports a removed plugin once as an error with a fix", () => {
    const text = GOOD.replace("forward . 8.8.8.8", "proxy . 8.8.8.8");
    const errors = validateCorefile(text).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.code)).toEqual(["PLUGIN_REMOVED"]);
    expect(errors[0]?.fixes?.length).toBeGreaterThan(0);
  });

  it("combines plugin set-up errors and lint advice with their sources", () => {
    const text = ".:53 {\n    forward . /etc/resolv.conf {\n        max_fails many\n    }\n}\n";
    const result = validateCorefile(text);
    const byCode = new Map(result.diagnostics.map((d) => [d.code, d]));
    expect(byCode.get("PLUGIN_INVALID_VALUE")).toMatchObject({ source: "plugin", severity: "error", line: 3 });
    expect(byCode.get("RESOLV_CONF_WITHOUT_LOOP")).toMatchObject({ source: "lint", severity: "warning" });
    expect(byCode.get("RELOAD_MISSING")).toMatchObject({ source: "lint", severity: "warning" });
  });

  it("gives ':53' a fix to '.:53'", () => {
    const text = GOOD.replace(".:53", ":53");
    const [first] = validateCorefile(text).diagnostics;
    expect(first).toMatchObject({ code: "INVALID_SERVER_KEY", severity: "error", line: 1, column: 1 });
    expect(applyEdits(text, first!.fixes![0]!.edits)).toBe(GOOD);
  });
});

describe("quick fixes for misspelt options", () => {
  it("offers the closest option name and the fix makes the Corefile valid", () => {
    const text = ".:53 {\n    forward . 8.8.8.8 {\n        max_fail 3\n    }\n    reload\n    prometheus :9153\n}\n";
    const result = validateCorefile(text);
    const unknown = result.diagnostics.find((d) => d.code === "PLUGIN_UNKNOWN_OPTION");
    expect(unknown).toMatchObject({ line: 3, column: 9, severity: "error" });
    expect(unknown?.fixes?.[0]?.title).toBe("Change to 'max_fails'");
    const fixed = applyEdits(text, unknown!.fixes![0]!.edits);
    expect(fixed).toBe(text.replace("max_fail ", "max_fails "));
    expect(validateCorefile(fixed).ok).toBe(true);
  });
});
