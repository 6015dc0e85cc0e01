/**
 * The execution order of the block under the cursor, folding ranges, formatting edits and the grammar's consistency.
 */
import { describe, expect, it } from "vitest";
import { DIRECTIVES } from "@/lib/corefile";
import { applyEdits } from "@/lib/corefile/text-edit";
import { getBlockExecutionOrder } from "./execution-order";
import { getFoldingRanges } from "./folding";
import { getFormattingEdits } from "./formatting";
import { COREFILE_MONARCH } from "./grammar";

const COREFILE = [
  "(common) {",
  "    errors",
  "    cache 30",
  "}",
  "",
  "example.org:53 {",
  "    forward . 10.0.0.10",
  "    import common",
  "}",
  "",
  ".:53 {",
  "    forward . /etc/resolv.conf",
  "    hosts {",
  "        10.0.0.1 db.internal",
  "        fallthrough",
  "    }",
  "    reload",
  "    nosuch",
  "    kubernetes cluster.local",
  "}",
  "",
].join("\n");

describe("getBlockExecutionOrder", () => {
  it("lists the block's plugins in plugin.cfg order with their roles", () => {
    const chain = getBlockExecutionOrder(COREFILE, COREFILE.indexOf("hosts {"));
    expect(chain).toMatchObject({ kind: "server", keys: [".:53"], index: 2, pipelineLength: 3 });
    expect(chain?.plugins.map((p) => [p.name, p.step])).toEqual([
      ["reload", undefined],
      ["hosts", 1],
      ["kubernetes", 2],
      ["forward", 3],
      ["nosuch", undefined],
    ]);
    const hosts = chain?.plugins.find((p) => p.name === "hosts");
    expect(hosts).toMatchObject({ canAnswer: true, canFallthrough: true, hasFallthrough: true, forwards: false, isKnown: true });
    expect(hosts?.range).toMatchObject({ startLineNumber: 13, startColumn: 5, endColumn: 10 });
    expect(chain?.plugins.find((p) => p.name === "forward")).toMatchObject({ forwards: true, docsUrl: "https://coredns.io/plugins/forward/" });
    expect(chain?.plugins.find((p) => p.name === "nosuch")).toMatchObject({ isKnown: false, order: -1 });
    expect(chain?.plugins.find((p) => p.name === "reload")).toMatchObject({ isServerSetting: true });
  });

  it("follows imports of snippets and points at the import line", () => {
    const chain = getBlockExecutionOrder(COREFILE, COREFILE.indexOf("forward . 10"));
    expect(chain?.keys).toEqual(["example.org:53"]);
    expect(chain?.plugins.map((p) => p.name)).toEqual(["errors", "cache", "forward"]);
    const cache = chain?.plugins.find((p) => p.name === "cache");
    expect(cache?.viaImport).toBe("common");
  });

  it("describes a snippet as a block of its own", () => {
    const chain = getBlockExecutionOrder(COREFILE, 3);
    expect(chain).toMatchObject({ kind: "snippet", keys: ["(common)"], index: 0 });
    expect(chain?.plugins.map((p) => p.name)).toEqual(["errors", "cache"]);
  });

  it("is null between blocks", () => {
    expect(getBlockExecutionOrder(COREFILE, COREFILE.indexOf("\n\nexample") + 1)).toBeNull();
  });
});

describe("getFoldingRanges", () => {
  it("folds every multi-line block, keeping the closing brace visible", () => {
    expect(getFoldingRanges(COREFILE)).toEqual([
      { startLine: 1, endLine: 3 },
      { startLine: 6, endLine: 8 },
      { startLine: 11, endLine: 19 },
      { startLine: 13, endLine: 15 },
    ]);
  });

  it("folds a block left open to the end of the file, and a `{` on the line after the keys", () => {
    const text = "example.org\n{\n  log\n}\n. {\n  forward . 1.1.1.1 {\n    max_fails 3\n\n";
    expect(getFoldingRanges(text)).toEqual([
      { startLine: 2, endLine: 3 },
      { startLine: 5, endLine: 9 },
      { startLine: 6, endLine: 9 },
    ]);
  });
});

describe("getFormattingEdits", () => {
  it("returns minimal edits that format the text", () => {
    const text = ".:53 {\nerrors\n  forward  . 8.8.8.8\n}\n";
    const result = getFormattingEdits(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(applyEdits(text, result.edits)).toBe(".:53 {\n    errors\n    forward . 8.8.8.8\n}\n");
  });

  it("refuses text whose braces do not balance", () => {
    const result = getFormattingEdits(".:53 {\n  errors\n");
    expect(result).toMatchObject({ ok: false, line: 1, column: 6 });
  });
});

describe("COREFILE_MONARCH", () => {
  it("colours exactly the stock directives", () => {
    expect(COREFILE_MONARCH.directives).toEqual([...DIRECTIVES]);
  });

  it("refers only to states it defines", () => {
    const states = new Set(Object.keys(COREFILE_MONARCH.tokenizer));
    const referenced: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === "string" && v.startsWith("@") && !["@pop", "@push", "@popall", "@open", "@close", "@default", "@directives", "@options", "@brackets"].includes(v)) {
        referenced.push(v.slice(1));
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object" && !(v instanceof RegExp)) Object.values(v).forEach(walk);
    };
    walk(COREFILE_MONARCH.tokenizer);
    expect(referenced.length).toBeGreaterThan(0);
    for (const r of referenced) expect(states).toContain(r);
  });
});
