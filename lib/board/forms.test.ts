import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/corefile";
import { buildBoard } from "./build-board";
import { argsToFields, describePluginForm, fieldsToArgs, readForm, validateForm, writeForm } from "./forms";
import type { ServerBlockCard } from "./types";

const TEXT = `. {
    # cache for a while
    cache 30 example.org {
        success 1000
        disable denial
        disable success example.org
    } # end
    log
}
`;

function idOf(text: string, n: number): string {
  const b = buildBoard(text).items[0] as ServerBlockCard;
  return b.items[n]?.id as string;
}

describe("describePluginForm", () => {
  it("describes arguments and options from the catalog", () => {
    const f = describePluginForm("forward");
    expect(f?.args.map((a) => [a.key, a.required, a.repeatable])).toEqual([
      ["FROM", true, false],
      ["TO", true, true],
    ]);
    const policy = f?.options.find((o) => o.name === "policy");
    expect(policy?.fields[0]?.choices).toContain("round_robin");
    expect(f?.options.find((o) => o.name === "force_tcp")?.isFlag).toBe(true);
    expect(describePluginForm("cache")?.options.find((o) => o.name === "disable")?.repeatable).toBe(true);
    expect(describePluginForm("proxy")).toBeUndefined();
  });

  it("marks removed options", () => {
    expect(describePluginForm("kubernetes")?.options.find((o) => o.name === "upstream")?.deprecated).toBeDefined();
  });
});

describe("argsToFields / fieldsToArgs", () => {
  const cache = describePluginForm("cache")!;
  it("skips an optional field a value does not fit", () => {
    expect(argsToFields(cache, ["30", "example.org"])).toEqual({ TTL: ["30"], ZONES: ["example.org"] });
    expect(argsToFields(cache, ["example.org", "example.net"])).toEqual({ TTL: [], ZONES: ["example.org", "example.net"] });
    expect(argsToFields(cache, [])).toEqual({ TTL: [], ZONES: [] });
  });

  it("gives null when the values do not fit the fields, and round-trips when they do", () => {
    const fwd = describePluginForm("forward")!;
    expect(argsToFields(fwd, ["."])).toBeNull();
    const fields = argsToFields(fwd, [".", "1.1.1.1", "8.8.8.8"])!;
    expect(fields).toEqual({ FROM: ["."], TO: ["1.1.1.1", "8.8.8.8"] });
    expect(fieldsToArgs(fwd, fields)).toEqual([".", "1.1.1.1", "8.8.8.8"]);
  });
});

describe("readForm / writeForm", () => {
  it("reads a directive's values", () => {
    const r = readForm(TEXT, { id: idOf(TEXT, 0) });
    expect(r.ok && r.values).toEqual({
      args: ["30", "example.org"],
      options: [
        { name: "success", args: ["1000"] },
        { name: "disable", args: ["denial"] },
        { name: "disable", args: ["success", "example.org"] },
      ],
    });
    expect(r.ok && r.fields).toEqual({ TTL: ["30"], ZONES: ["example.org"] });
    expect(r.ok && r.serverBlockKeys).toEqual(["."]);
  });

  it("writes only what changed, as one edit inside the directive", () => {
    const id = idOf(TEXT, 0);
    const r = writeForm(TEXT, {
      id,
      values: {
        args: ["60", "example.org"],
        options: [
          { name: "success", args: ["1000"] },
          { name: "disable", args: ["denial"] },
          { name: "prefetch", args: ["10"] },
        ],
      },
    });
    if (!r.ok) throw new Error(r.reason);
    expect(r.edits).toHaveLength(1);
    const out = applyEdits(TEXT, r.edits);
    expect(out).toBe(`. {
    # cache for a while
    cache 60 example.org {
        success 1000
        disable denial
        prefetch 10
    } # end
    log
}
`);
    expect(r.focus).toBe(id);
    const edit = r.edits[0]!;
    expect(edit.start).toBeGreaterThan(TEXT.indexOf("cache 30"));
    expect(edit.end).toBeLessThan(TEXT.indexOf("} # end"));
  });

  it("adds repeated option lines and creates the block when needed", () => {
    const id = idOf(TEXT, 1);
    const r = writeForm(TEXT, { id, values: { args: [], options: [{ name: "class", args: ["denial"] }, { name: "class", args: ["error"] }] } });
    const out = r.ok ? applyEdits(TEXT, r.edits) : r.reason;
    expect(out).toContain("    log {\n        class denial\n        class error\n    }\n}");
  });

  it("removes options, collapsing an emptied block", () => {
    const text = ". {\n    log {\n        class denial\n    }\n}\n";
    const r = writeForm(text, { id: idOf(text, 0), values: { args: [], options: [] } });
    expect(r.ok && applyEdits(text, r.edits)).toBe(". {\n    log\n}\n");
  });

  it("returns no edit when nothing changed", () => {
    const read = readForm(TEXT, { id: idOf(TEXT, 0) });
    if (!read.ok) throw new Error(read.reason);
    const r = writeForm(TEXT, { id: idOf(TEXT, 0), values: read.values });
    expect(r.ok && r.edits).toEqual([]);
  });
});

describe("validateForm", () => {
  it("attaches each finding to its field", () => {
    const r = validateForm("cache", { args: ["30"], options: [{ name: "success", args: ["lots"] }, { name: "bogus", args: [] }] });
    expect(r.ok).toBe(false);
    expect(r.messages.map((m) => [m.field, m.code])).toEqual([
      ["options.0.args.0", "PLUGIN_INVALID_VALUE"],
      ["options.1", "PLUGIN_UNKNOWN_OPTION"],
    ]);
  });

  it("reports argument problems on the argument and passes valid values", () => {
    const bad = validateForm("forward", { args: [".", "1.1.1.1"], options: [{ name: "policy", args: ["fastest"] }] });
    expect(bad.messages.map((m) => m.field)).toEqual(["options.0.args.0"]);
    expect(validateForm("cancel", { args: ["soon"], options: [] }).messages.map((m) => [m.field, m.code])).toEqual([["args.0", "PLUGIN_INVALID_VALUE"]]);
    expect(validateForm("forward", { args: [".", "1.1.1.1"], options: [{ name: "policy", args: ["sequential"] }] })).toEqual({ ok: true, messages: [] });
  });

  it("refuses values that cannot be written", () => {
    const r = validateForm("log", { args: ["{"], options: [] });
    expect(r.messages[0]).toMatchObject({ field: "args.0", code: "UNWRITABLE_VALUE" });
  });
});
