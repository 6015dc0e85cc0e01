/**
 * Structured edits: explicit cases (comment ownership, quoting, indentation, refusals) and seeded property tests on
 * random well-formed Corefiles: each edit does what it says (checked on the parsed tree), keeps every other line byte
 * for byte, parses without new errors, and add/remove, create/delete and move/move-back round trips give back the
 * original text.
 */
import { describe, expect, it } from "vitest";
import type { BodyItem, ServerBlockNode } from "./cst";
import { formatCorefile } from "./format";
import {
  addDirective,
  addServerBlock,
  applyChange,
  createLineReader,
  moveDirective,
  moveServerBlock,
  quoteArg,
  removeDirective,
  removeServerBlock,
  setBlockOption,
  setDirectiveArgs,
  setOptionLines,
  setServerBlockKeys,
  type EditResult,
} from "./edits";
import { lex, tokenize } from "./lexer";
import { parse } from "./parse";
import type { TextEdit } from "./text-edit";
import { listCorpus, readCorpus, rng } from "./test-helpers";

/** Applies a result that must have succeeded. */
function run(text: string, r: EditResult): string {
  if (!r.ok) throw new Error(`edit refused: ${r.reason}`);
  return applyChange(text, r);
}

const lines = (...ls: string[]): string => ls.join("\n") + "\n";

const SRC = lines(
  "# Corefile header",
  "",
  ".:53 {",
  "    errors",
  "    # about the cache",
  "    # (two lines)",
  "    cache 30 # seconds",
  "",
  "    # ---- upstream ----",
  "",
  "    forward . 8.8.8.8 {",
  "        # never these",
  "        except example.org",
  "        max_fails 3",
  "    }",
  "    # trailing note",
  "}",
  "",
  "# the example zone",
  "example.org {",
  "    whoami",
  "}",
);

describe("comment ownership", () => {
  it("removes a directive with the comment lines right above it and its end-of-line comment", () => {
    expect(run(SRC, removeDirective(SRC, { block: 0, directive: 1 }))).toBe(
      SRC.replace("    # about the cache\n    # (two lines)\n    cache 30 # seconds\n", ""),
    );
  });

  it("leaves a comment separated by a blank line (a section header) where it is", () => {
    const out = run(SRC, removeDirective(SRC, { block: 0, directive: 2 }));
    expect(out).toContain("    # ---- upstream ----\n\n    # trailing note\n}");
    expect(out).not.toContain("never these");
  });

  it("leaves comments after the last directive (they belong to no directive)", () => {
    const src = lines(". {", "    log", "    # trailing", "}");
    expect(run(src, removeDirective(src, { block: 0, directive: 0 }))).toBe(lines(". {", "    # trailing", "}"));
  });

  it("moves the owned comments with the directive, within a block and across blocks", () => {
    const within = run(SRC, moveDirective(SRC, { from: { block: 0, directive: 1 }, to: { block: 0, index: 0 } }));
    expect(within).toContain(".:53 {\n    # about the cache\n    # (two lines)\n    cache 30 # seconds\n    errors\n");
    const across = run(SRC, moveDirective(SRC, { from: { block: 0, directive: 1 }, to: { block: 1, index: 1 } }));
    expect(across).toContain("example.org {\n    whoami\n    # about the cache\n    # (two lines)\n    cache 30 # seconds\n}\n");
    expect(across).not.toMatch(/errors\n\s*# about/);
  });

  it("removes a server block with the comments right above it and one blank line", () => {
    expect(run(SRC, removeServerBlock(SRC, { block: 1 }))).toBe(SRC.slice(0, SRC.indexOf("\n\n# the example zone") + 1));
    const first = run(SRC, removeServerBlock(SRC, { block: 0 }));
    // the header is separated by a blank line: it stays
    expect(first).toBe(lines("# Corefile header", "", "# the example zone", "example.org {", "    whoami", "}"));
  });
});

describe("addDirective", () => {
  it("matches the siblings' indentation and lays out a multi-line directive", () => {
    const src = lines(". {", "\terrors", "}");
    expect(run(src, addDirective(src, { block: 0, directive: "forward . 1.1.1.1 {\n   except a\n}" }))).toBe(
      lines(". {", "\terrors", "\tforward . 1.1.1.1 {", "\t\texcept a", "\t}", "}"),
    );
  });

  it("inserts at a position: after the previous directive, before the next one's comments", () => {
    const out = run(SRC, addDirective(SRC, { block: 0, index: 1, directive: "log" }));
    expect(out).toContain("    errors\n    log\n    # about the cache\n");
    const top = run(SRC, addDirective(SRC, { block: 0, index: 0, directive: "# first\nready" }));
    expect(top).toContain(".:53 {\n    # first\n    ready\n    errors\n");
  });

  it("fills an empty block, also `{ }` on one line, with one indentation step", () => {
    expect(run(lines("a {", "}"), addDirective(lines("a {", "}"), { block: 0, directive: "log" }))).toBe(lines("a {", "    log", "}"));
    expect(run(lines("a { }"), addDirective(lines("a { }"), { block: 0, directive: "log" }))).toBe(lines("a {", "    log", "}"));
  });

  it("keeps CRLF line endings", () => {
    const src = ". {\r\n  errors\r\n}\r\n";
    expect(run(src, addDirective(src, { block: 0, directive: "hosts {\nfallthrough\n}" }))).toBe(
      ". {\r\n  errors\r\n  hosts {\r\n    fallthrough\r\n  }\r\n}\r\n",
    );
  });

  it("refuses text that is not exactly one directive", () => {
    for (const d of ["", "log\nerrors", "forward . x {", "log }", "}"]) {
      expect(addDirective(SRC, { block: 0, directive: d }).ok, JSON.stringify(d)).toBe(false);
    }
    expect(addDirective(SRC, { block: 5, directive: "log" }).ok).toBe(false);
    expect(addDirective(SRC, { block: 0, index: 9, directive: "log" }).ok).toBe(false);
  });

  it("refuses to edit a file whose braces do not pair up, and lines it cannot isolate", () => {
    const r = addDirective(". {\n  log\n", { block: 0, directive: "errors" });
    expect(r.ok ? "" : r.reason).toMatch(/braces/);
    const same = ". { whoami\n}\n";
    expect(addDirective(same, { block: 0, index: 0, directive: "log" }).ok).toBe(false);
    expect(removeDirective(same, { block: 0, directive: 0 }).ok).toBe(false);
  });
});

describe("removeDirective blank lines", () => {
  it("does not leave two blank lines, nor a blank line before `}`", () => {
    const src = lines(". {", "    a", "", "    b", "", "    c", "", "    d", "}");
    expect(run(src, removeDirective(src, { block: 0, directive: 1 }))).toBe(lines(". {", "    a", "", "    c", "", "    d", "}"));
    expect(run(src, removeDirective(src, { block: 0, directive: 3 }))).toBe(lines(". {", "    a", "", "    b", "", "    c", "}"));
    const top = lines(". {", "    a", "", "    b", "}");
    expect(run(top, removeDirective(top, { block: 0, directive: 0 }))).toBe(lines(". {", "    b", "}"));
  });
});

describe("setDirectiveArgs", () => {
  it("replaces the arguments, keeping the block and the comment", () => {
    const out = run(SRC, setDirectiveArgs(SRC, { block: 0, directive: 2, args: [".", "1.1.1.1", "9.9.9.9"] }));
    expect(out).toContain("    forward . 1.1.1.1 9.9.9.9 {\n        # never these\n");
    const c = run(SRC, setDirectiveArgs(SRC, { block: 0, directive: 1, args: [] }));
    expect(c).toContain("    cache # seconds\n");
    const add = run(c, setDirectiveArgs(c, { block: 0, directive: 1, args: ["60"] }));
    expect(add).toBe(SRC.replace("cache 30", "cache 60"));
  });

  it("quotes values that need it", () => {
    const out = run(SRC, setDirectiveArgs(SRC, { block: 1, directive: 0, args: ["a b", "", 'say "hi"', "x#y", "{1}", "tab\there"] }));
    expect(out).toContain('    whoami "a b" "" "say \\"hi\\"" "x#y" {1} "tab\there"\n');
    const toks = parse(out).serverBlocks[1]?.tokens["whoami"]?.map((t) => t.text);
    expect(toks).toEqual(["whoami", "a b", "", 'say "hi"', "x#y", "{1}", "tab\there"]);
  });

  it("refuses values no spelling can express", () => {
    for (const v of ["{", "}", 'a\\"b c', "x y\\"]) {
      expect(quoteArg(v), v).toBe(null);
      expect(setDirectiveArgs(SRC, { block: 1, directive: 0, args: [v] }).ok).toBe(false);
    }
    expect(quoteArg("plain")).toBe("plain");
    expect(quoteArg("back\\slash")).toBe("back\\slash");
    expect(quoteArg("sp ace\\x")).toBe('"sp ace\\x"');
    expect(quoteArg("end\\ x")).toBe('"end\\ x"');
  });
});

describe("setBlockOption", () => {
  it("replaces an option's arguments", () => {
    const out = run(SRC, setBlockOption(SRC, { block: 0, directive: 2, option: "max_fails", args: ["5"] }));
    expect(out).toBe(SRC.replace("max_fails 3", "max_fails 5"));
  });

  it("adds an option at the end of the block", () => {
    const out = run(SRC, setBlockOption(SRC, { block: 0, directive: 2, option: "policy", args: ["sequential"] }));
    expect(out).toContain("        max_fails 3\n        policy sequential\n    }\n");
  });

  it("removes an option with its comment", () => {
    const out = run(SRC, setBlockOption(SRC, { block: 0, directive: 2, option: "except", args: null }));
    expect(out).toContain("    forward . 8.8.8.8 {\n        max_fails 3\n    }\n");
  });

  it("creates the block when missing, and removing its only option gives back the original", () => {
    const out = run(SRC, setBlockOption(SRC, { block: 0, directive: 1, option: "success", args: ["1000"] }));
    expect(out).toContain("    cache 30 {\n        success 1000\n    } # seconds\n");
    expect(run(out, setBlockOption(out, { block: 0, directive: 1, option: "success", args: null }))).toBe(SRC);
  });

  it("keeps an emptied block that holds a comment", () => {
    const src = lines(". {", "    hosts {", "        fallthrough", "        # keep me", "    }", "}");
    expect(run(src, setBlockOption(src, { block: 0, directive: 0, option: "fallthrough", args: null }))).toBe(
      lines(". {", "    hosts {", "        # keep me", "    }", "}"),
    );
  });
});

describe("setOptionLines", () => {
  const text = ". {\n    log {\n        # denials\n        class denial\n        class error\n    }\n    cache\n}\n";

  it("rewrites lines in place, removes surplus ones with their comments", () => {
    expect(run(text, setOptionLines(text, { block: 0, directive: 0, option: "class", lines: [["success"], ["error"]] }))).toBe(
      ". {\n    log {\n        # denials\n        class success\n        class error\n    }\n    cache\n}\n",
    );
    expect(run(text, setOptionLines(text, { block: 0, directive: 0, option: "class", lines: [["all"]] }))).toBe(
      ". {\n    log {\n        # denials\n        class all\n    }\n    cache\n}\n",
    );
  });

  it("adds missing lines after the last of their name, creating the block when needed", () => {
    expect(run(text, setOptionLines(text, { block: 0, directive: 0, option: "class", lines: [["denial"], ["error"], ["success"]] }))).toBe(
      ". {\n    log {\n        # denials\n        class denial\n        class error\n        class success\n    }\n    cache\n}\n",
    );
    expect(run(text, setOptionLines(text, { block: 0, directive: 1, option: "disable", lines: [["success"], ["denial"]] }))).toBe(
      ". {\n    log {\n        # denials\n        class denial\n        class error\n    }\n    cache {\n        disable success\n        disable denial\n    }\n}\n",
    );
  });

  it("with no lines removes them all, as setBlockOption does", () => {
    const r = setOptionLines(text, { block: 0, directive: 0, option: "class", lines: [] });
    expect(run(text, r)).toBe(run(text, setBlockOption(text, { block: 0, directive: 0, option: "class", args: null })));
  });
});

describe("createLineReader", () => {
  it("gives the lines an item owns, or null when it shares a line", () => {
    const text = ". {\n    # about log\n    log # eol\n    errors }\n}\n";
    const parsed = parse(text);
    const sb = parsed.cst.items[0] as ServerBlockNode;
    const reader = createLineReader(text, parsed);
    const ext = reader.itemLines(sb.body[0] as BodyItem);
    expect(ext && text.slice(ext.start, ext.end)).toBe("    # about log\n    log # eol\n");
    expect(reader.itemLines(sb.body[1] as BodyItem)).toBeNull();
    expect(reader.indentUnit).toBe("    ");
  });
});

describe("indentation of inserted blocks", () => {
  it("follows a tab-indented block in a space-indented file", () => {
    const text = ". {\n    log\n    errors\n}\nexample.org {\n\twhoami\n}\n";
    const out = run(text, addDirective(text, { block: 1, directive: "hosts {\n fallthrough\n}" }));
    expect(out).toContain("example.org {\n\twhoami\n\thosts {\n\t\tfallthrough\n\t}\n}\n");
  });
});

describe("server blocks", () => {
  it("adds a block with a laid-out body, before a block's comments or at the end", () => {
    const out = run(SRC, addServerBlock(SRC, { index: 1, keys: ["a.org:53", "b.org:53"], body: "log\nforward . 1.1.1.1 {\nmax_fails 2\n}" }));
    expect(out).toContain(
      "}\n\na.org:53 b.org:53 {\n    log\n    forward . 1.1.1.1 {\n        max_fails 2\n    }\n}\n\n# the example zone\n",
    );
    expect(run(SRC, addServerBlock(SRC, { keys: ["z.org"] })).endsWith("    whoami\n}\n\nz.org {\n}\n")).toBe(true);
    expect(run("", addServerBlock("", { keys: ["."], body: "whoami" }))).toBe(lines(". {", "    whoami", "}"));
  });

  it("validates keys", () => {
    for (const keys of [[], [""], ["a b"], ["{"], ["a,"], ["#x"]]) expect(addServerBlock(SRC, { keys }).ok, JSON.stringify(keys)).toBe(false);
  });

  it("moves a block with its comments", () => {
    const out = run(SRC, moveServerBlock(SRC, { from: 1, to: 0 }));
    expect(out).toBe(
      lines("# Corefile header", "", "# the example zone", "example.org {", "    whoami", "}", "") +
        SRC.slice(SRC.indexOf(".:53 {"), SRC.indexOf("\n\n# the example zone") + 1),
    );
    expect(run(out, moveServerBlock(out, { from: 0, to: 1 }))).toBe(SRC);
  });

  it("sets keys, keeping a comma style", () => {
    expect(run(SRC, setServerBlockKeys(SRC, { block: 1, keys: ["example.org", "example.net"] }))).toContain("example.org example.net {\n");
    const commas = lines("a.org, b.org {", "}");
    expect(run(commas, setServerBlockKeys(commas, { block: 0, keys: ["x.org", "y.org", "z.org"] }))).toBe(lines("x.org, y.org, z.org {", "}"));
  });

  it("keeps a byte-order mark first", () => {
    const src = "\ufeff# about a\na {\n}\n";
    expect(run(src, addServerBlock(src, { index: 0, keys: ["b"] }))).toBe("\ufeffb {\n}\n\n# about a\na {\n}\n");
    expect(run(src, removeServerBlock(src, { block: 0 }))).toBe("\ufeff");
    const two = run(src, addServerBlock(src, { keys: ["b"] }));
    expect(two).toBe("\ufeff# about a\na {\n}\n\nb {\n}\n");
    expect(run(two, moveServerBlock(two, { from: 1, to: 0 }))).toBe("\ufeffb {\n}\n\n# about a\na {\n}\n");
  });

  it("counts server blocks only (snippets are not addressable)", () => {
    const src = lines("(common) {", "    errors", "}", "", ". {", "    import common", "}");
    const out = run(src, addDirective(src, { block: 0, directive: "log" }));
    expect(out).toBe(lines("(common) {", "    errors", "}", "", ". {", "    import common", "    log", "}"));
    expect(removeDirective(src, { block: 0, directive: 0 }).ok).toBe(true);
  });
});

// ---- property tests --------------------------------------------------------------------------------------------------

type Next = () => number;
const pick = <T>(next: Next, a: readonly T[]): T => a[Math.floor(next() * a.length)] as T;

interface GenDirective {
  comments: string[];
  blankBefore: boolean;
  name: string;
  args: string[];
  eol: string | null;
  block: GenDirective[] | null;
}
interface GenBlock {
  comments: string[];
  keys: string[];
  body: GenDirective[];
}

const NAMES = ["errors", "log", "cache", "forward", "hosts", "rewrite", "template", "health", "ready", "reload", "loop", "whoami", "prometheus", "kubernetes", "file", "loadbalance"];
const ARGS = [".", "1.1.1.1", "30", '"a b"', "{1}", "name", "cluster.local", "/etc/hosts", ":9153", '"x # y"'];
const OPTS = ["fallthrough", "except", "max_fails", "pods", "ttl", "lameduck", "success", "answer"];

function genDirective(next: Next, depth: number, names: readonly string[]): GenDirective {
  const nargs = Math.floor(next() * 3);
  const d: GenDirective = {
    comments: next() < 0.3 ? Array.from({ length: 1 + Math.floor(next() * 2) }, (_, i) => `# c${i} ${Math.floor(next() * 100)}`) : [],
    blankBefore: next() < 0.2,
    name: pick(next, names),
    args: Array.from({ length: nargs }, () => pick(next, ARGS)),
    eol: next() < 0.2 ? "# eol" : null,
    block: null,
  };
  if (depth === 0 && next() < 0.3) {
    d.block = Array.from({ length: Math.floor(next() * 3) }, () => genDirective(next, 1, OPTS));
  }
  return d;
}

let zoneCounter = 0;

function genFile(next: Next): { text: string; blocks: GenBlock[] } {
  const blocks: GenBlock[] = [];
  const n = 1 + Math.floor(next() * 3);
  for (let b = 0; b < n; b++) {
    blocks.push({
      comments: next() < 0.3 ? ["# block comment"] : [],
      keys: Array.from({ length: 1 + Math.floor(next() * 2) }, () => `z${zoneCounter++}.example:53`),
      body: Array.from({ length: Math.floor(next() * 5) }, () => genDirective(next, 0, NAMES)),
    });
  }
  const unit = pick(next, ["    ", "  ", "\t"]);
  const eol = next() < 0.2 ? "\r\n" : "\n";
  const snippet = next() < 0.2;
  const out: string[] = [];
  if (next() < 0.3) out.push("# header", "");
  if (snippet) out.push("(common) {", `${unit}errors`, "}", "");
  const renderDirective = (d: GenDirective, depth: number): void => {
    const ind = unit.repeat(depth);
    if (d.blankBefore) out.push("");
    for (const c of d.comments) out.push(ind + c);
    let line = ind + [d.name, ...d.args].join(" ");
    if (d.block) {
      out.push(line + " {");
      for (const o of d.block) renderDirective(o, depth + 1);
      line = ind + "}";
    }
    out.push(line + (d.eol ? " " + d.eol : ""));
  };
  blocks.forEach((b, i) => {
    if (i > 0) out.push("");
    for (const c of b.comments) out.push(c);
    out.push(b.keys.join(" ") + " {");
    b.body.forEach((d, j) => {
      if (j === 0) d.blankBefore = false;
      renderDirective(d, 1);
    });
    if (snippet && next() < 0.5) out.push(`${unit}import common`);
    if (next() < 0.1) out.push(`${unit}# trailing`);
    out.push("}");
  });
  return { text: (next() < 0.1 ? "\ufeff" : "") + out.join(eol) + eol, blocks };
}

/** What the edits must get right, read back from the tree: keys and the directives' names, args and options. */
function shape(text: string): unknown {
  const item = (it: BodyItem): unknown =>
    it.kind === "Import"
      ? ["import", ...it.args.map((a) => a.text)]
      : [it.name.text, ...it.args.map((a) => a.text), ...it.blocks.map((b) => b.body.map(item))];
  return parse(text)
    .cst.items.filter((i) => i.kind === "ServerBlock")
    .map((sb) => ({ keys: sb.kind === "ServerBlock" ? sb.keys.map((k) => k.text) : [], body: sb.body.map(item) }));
}

type Shape = { keys: string[]; body: unknown[] }[];

function comments(text: string): string[] {
  return lex(text)
    .pieces.filter((p) => p.kind === "comment")
    .map((p) => p.raw)
    .sort();
}

function errorCount(text: string): number {
  return parse(text).diagnostics.filter((d) => d.severity === "error").length;
}

/**
 * Every line of `before` that no edit touches is in `after`, byte for byte, where the edits put it. Returns how many
 * lines were touched.
 */
function checkUntouched(before: string, edits: readonly TextEdit[], after: string, label: string): number {
  let touched = 0;
  for (let ls = 0; ls < before.length; ) {
    const nl = before.indexOf("\n", ls);
    const le = nl < 0 ? before.length : nl + 1;
    const hit = edits.some((e) => (e.start < le && e.end > ls) || (e.start > ls && e.start < le));
    if (hit) touched++;
    else {
      let shift = 0;
      for (const e of edits) if (e.end <= ls) shift += e.newText.length - (e.end - e.start);
      expect(after.slice(ls + shift, le + shift), `${label}: line at ${ls}`).toBe(before.slice(ls, le));
    }
    ls = le;
  }
  return touched;
}

function directiveText(next: Next): string {
  return pick(next, [
    "log",
    "cache 30",
    "# explain\nerrors",
    "forward . 1.1.1.1 {\n  max_fails 3\n  except a.org\n}",
    'template IN A "a b" {\nanswer "x y"\n} # eol',
    "hosts {\n}",
  ]);
}

const ARG_VALUES = ["a", "b c", "", 'q"uote', "x#y", "{1}", "1.1.1.1", "tab\tx", "\\back"];

describe("random edits on 1,200 random Corefiles", () => {
  it("each edit is minimal, correct and round-trips", () => {
    const next = rng(99);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1200; i++) {
      const { text, blocks } = genFile(next);
      const label = `case ${i} ${JSON.stringify(text)}`;
      expect(errorCount(text), label).toBe(0);
      const before = shape(text) as Shape;
      const op = Math.floor(next() * 9);
      const b = Math.floor(next() * blocks.length);
      const body = before[b]?.body ?? [];
      const check = (r: EditResult, what: string): string => {
        expect(r.ok, `${label} ${what}: ${r.ok ? "" : r.reason}`).toBe(true);
        if (!r.ok) return text;
        const after = applyChange(text, r);
        checkUntouched(text, r.edits, after, `${label} ${what}`);
        expect(errorCount(after), `${label} ${what}: errors`).toBe(0);
        counts[what] = (counts[what] ?? 0) + 1;
        return after;
      };
      if (op === 0) {
        const index = Math.floor(next() * (body.length + 1));
        const d = directiveText(next);
        const r = addDirective(text, { block: b, index, directive: d });
        const after = check(r, "add");
        expect(r.ok && r.edits.every((e) => e.start === e.end), label).toBe(true);
        const s = shape(after) as Shape;
        const want = structuredClone(before);
        (want[b] as Shape[number]).body.splice(index, 0, (shape(`x {\n${d}\n}\n`) as Shape)[0]?.body[0]);
        expect(s, label).toEqual(want);
        expect(run(after, removeDirective(after, { block: b, directive: index })), `${label} add+remove`).toBe(text);
      } else if (op === 1 && body.length > 0) {
        const k = Math.floor(next() * body.length);
        const gen = blocks[b]?.body[k];
        const after = check(removeDirective(text, { block: b, directive: k }), "remove");
        const want = structuredClone(before);
        (want[b] as Shape[number]).body.splice(k, 1);
        expect(shape(after), label).toEqual(want);
        if (gen) {
          // exactly the directive's own comments went: above it, at its end and inside its block
          const own = [...gen.comments, ...(gen.eol ? [gen.eol] : []), ...(gen.block ?? []).flatMap((o) => [...o.comments, ...(o.eol ? [o.eol] : [])])];
          const left = comments(text);
          for (const c of own) left.splice(left.indexOf(c), 1);
          expect(comments(after), label).toEqual(left.sort());
        }
      } else if (op === 2 && body.length > 0) {
        const k = Math.floor(next() * body.length);
        const tb = Math.floor(next() * blocks.length);
        const targetLen = (before[tb]?.body.length ?? 0) - (tb === b ? 1 : 0);
        const index = Math.floor(next() * (targetLen + 1));
        const after = check(moveDirective(text, { from: { block: b, directive: k }, to: { block: tb, index } }), "move");
        const want = structuredClone(before);
        const [moved] = (want[b] as Shape[number]).body.splice(k, 1);
        (want[tb] as Shape[number]).body.splice(index, 0, moved);
        expect(shape(after), label).toEqual(want);
        expect(comments(after), label).toEqual(comments(text));
        // The moved directive still has its own comments right above it.
        const gen = blocks[b]?.body[k];
        if (gen && gen.comments.length > 0) {
          const sb = parse(after).cst.items.filter((x) => x.kind === "ServerBlock")[tb];
          const node = sb?.kind === "ServerBlock" ? sb.body[index] : undefined;
          const above = after.slice(0, node?.start ?? 0).split(/\r?\n/).slice(-1 - gen.comments.length, -1);
          expect(above.map((l) => l.trim()), label).toEqual(gen.comments);
        }
        // Moving back restores the text when the directive was glued to the one before it (or, first, to the next).
        const back = moveDirective(after, { from: { block: tb, directive: index }, to: { block: b, index: k } });
        const restored = run(after, back);
        expect(shape(restored), label).toEqual(before);
        const glued = k > 0 ? !gen?.blankBefore : body.length > 1 && !blocks[b]?.body[1]?.blankBefore;
        if (glued) expect(restored, `${label} move back`).toBe(text);
      } else if (op === 3 && body.length > 0) {
        const k = Math.floor(next() * body.length);
        const isImport = (body[k] as unknown[])[0] === "import";
        const args = isImport ? ["common"] : Array.from({ length: Math.floor(next() * 4) }, () => pick(next, ARG_VALUES));
        if (isImport) expect(setDirectiveArgs(text, { block: b, directive: k, args: ["a", "b"] }).ok).toBe(false);
        const r = setDirectiveArgs(text, { block: b, directive: k, args });
        const after = check(r, "args");
        const want = structuredClone(before);
        const item = (want[b] as Shape[number]).body[k] as unknown[];
        const nested = item.slice(1).filter((x) => Array.isArray(x));
        (want[b] as Shape[number]).body[k] = [item[0], ...args, ...nested];
        expect(shape(after), label).toEqual(want);
        if (r.ok) expect(checkUntouched(text, r.edits, after, label)).toBeLessThanOrEqual(1);
      } else if (op === 4 && body.length > 0) {
        const k = Math.floor(next() * body.length);
        const gen = blocks[b]?.body[k];
        if (!gen || (before[b]?.body[k] as unknown[])[0] === "import") continue;
        const option = pick(next, OPTS);
        const args = next() < 0.3 ? null : Array.from({ length: Math.floor(next() * 3) }, () => pick(next, ARG_VALUES));
        const after = check(setBlockOption(text, { block: b, directive: k, option, args }), "option");
        const parsedAfter = parse(after).cst.items.filter((x) => x.kind === "ServerBlock")[b];
        const node = parsedAfter?.kind === "ServerBlock" ? parsedAfter.body[k] : undefined;
        const opts = node?.kind === "Directive" ? (node.blocks[0]?.body ?? []) : [];
        const named = opts.filter((o) => o.kind === "Directive" && o.name.text === option);
        if (args === null) expect(named.length, label).toBe(0);
        else {
          const first = named[0];
          expect(first?.kind === "Directive" ? first.args.map((a) => a.text) : null, label).toEqual(args);
          // Unsetting the last option removes the block: an empty block that was there before does not come back.
          const hadOption = (gen.block ?? []).some((o) => o.name === option);
          if (!hadOption && gen.block?.length !== 0) {
            expect(run(after, setBlockOption(after, { block: b, directive: k, option, args: null })), `${label} set+unset`).toBe(text);
          }
        }
      } else if (op === 5) {
        const index = Math.floor(next() * (blocks.length + 1));
        const keys = [`n${zoneCounter++}.example:53`];
        const bodyText = next() < 0.5 ? "" : "log\nforward . 1.1.1.1 {\nexcept a\n}";
        const r = addServerBlock(text, { index, keys, body: bodyText });
        const after = check(r, "addBlock");
        const s = shape(after) as Shape;
        expect(s.length, label).toBe(before.length + 1);
        expect(s[index]?.keys, label).toEqual(keys);
        expect(r.ok && r.edits.every((e) => e.start === e.end), label).toBe(true);
        expect(run(after, removeServerBlock(after, { block: index })), `${label} add+remove block`).toBe(text);
      } else if (op === 6) {
        const after = check(removeServerBlock(text, { block: b }), "removeBlock");
        const want = structuredClone(before);
        want.splice(b, 1);
        expect(shape(after), label).toEqual(want);
      } else if (op === 7 && blocks.length > 1) {
        const to = Math.floor(next() * blocks.length);
        const after = check(moveServerBlock(text, { from: b, to }), "moveBlock");
        const want = structuredClone(before);
        const [moved] = want.splice(b, 1);
        if (moved) want.splice(to, 0, moved);
        expect(shape(after), label).toEqual(want);
        expect(comments(after), label).toEqual(comments(text));
        expect(run(after, moveServerBlock(after, { from: to, to: b })), `${label} move block back`).toBe(text);
      } else if (op === 8) {
        const keys = Array.from({ length: 1 + Math.floor(next() * 3) }, () => `k${zoneCounter++}.example`);
        const r = setServerBlockKeys(text, { block: b, keys });
        const after = check(r, "keys");
        expect((shape(after) as Shape)[b]?.keys, label).toEqual(keys);
        if (r.ok) expect(checkUntouched(text, r.edits, after, label)).toBe(1);
      }
    }
    for (const what of ["add", "remove", "move", "args", "option", "addBlock", "removeBlock", "moveBlock", "keys"]) {
      expect(counts[what] ?? 0, what).toBeGreaterThan(50);
    }
  }, 120_000);
});

describe("tokens never leak", () => {
  it("a removed directive takes exactly its own tokens", () => {
    const r = removeDirective(SRC, { block: 0, directive: 2 });
    const after = run(SRC, r);
    const gone = tokenize(SRC).map((t) => t.raw);
    const kept = tokenize(after).map((t) => t.raw);
    expect(gone.length - kept.length).toBe(["forward", ".", "8.8.8.8", "{", "except", "example.org", "max_fails", "3", "}"].length);
  });
});

describe("every corpus Corefile", () => {
  const files = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));
  const view = (text: string): string =>
    JSON.stringify(parse(text).serverBlocks.map((b) => [b.keys, Object.entries(b.tokens).map(([k, v]) => [k, v.map((t) => t.text)])]));

  it("removes, moves, re-sets and adds directives in real layouts without losing anything else", () => {
    let edits = 0;
    for (const f of files) {
      // Real files as they are, and formatted (where every directive is on its own lines).
      for (const text of [readCorpus(f), formatCorefile(readCorpus(f)).text]) {
        const parsed = parse(text);
        const blocks = parsed.cst.items.filter((i): i is ServerBlockNode => i.kind === "ServerBlock");
        // (a fatal error hides later ones, so moving things around in a broken file may reveal more: only files
        // CoreDNS accepts must stay accepted)
        const ok = parsed.ok;
        const all = tokenize(text);
        const baseView = view(text);
        const baseComments = comments(text);
        blocks.forEach((sb, b) => {
          sb.body.forEach((item, k) => {
            const label = `${f} block ${b} directive ${k}`;
            const removed = removeDirective(text, { block: b, directive: k }, parsed);
            if (removed.ok) {
              edits++;
              const after = applyChange(text, removed);
              // exactly the directive's tokens are gone
              const rest = all.filter((t) => t.start < item.start || t.end > item.end).map((t) => t.raw);
              expect(rest.length, label).toBeLessThan(all.length);
              expect(tokenize(after).map((t) => t.raw), label).toEqual(rest);
              checkUntouched(text, removed.edits, after, label);
            }
            const same = setDirectiveArgs(text, { block: b, directive: k, args: item.args.map((a) => a.text) }, parsed);
            if (same.ok) expect(view(applyChange(text, same)), label).toBe(baseView);
            const to = { block: b, index: sb.body.length - 1 };
            const moved = moveDirective(text, { from: { block: b, directive: k }, to }, parsed);
            if (moved.ok) {
              const after = applyChange(text, moved);
              expect(tokenize(after).length, label).toBe(all.length);
              expect(comments(after), label).toEqual(baseComments);
              if (ok) expect(parse(after).ok, label).toBe(true);
            }
          });
          const added = addDirective(text, { block: b, index: 0, directive: "log" }, parsed);
          if (added.ok && ok) expect(parse(applyChange(text, added)).ok).toBe(true);
        });
      }
    }
    expect(edits).toBeGreaterThan(3000);
  }, 120_000);
});
