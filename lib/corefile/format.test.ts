/**
 * The formatter: the canonical style on fixtures (exact output), and its guarantees on every corpus Corefile and on
 * seeded random input: same tokens, same parse decision and server blocks, same comments, idempotent, edits that
 * reproduce the output, and line structure changed only where caddy does not look at it.
 */
import { describe, expect, it } from "vitest";
import type { Document } from "./cst";
import { formatCorefile } from "./format";
import { lex, tokenize, type Token } from "./lexer";
import { parse } from "./parse";
import { applyEdits } from "./text-edit";
import { listCorpus, readCorpus, rng } from "./test-helpers";

const fmt = (s: string, indent?: string): string => formatCorefile(s, indent === undefined ? undefined : { indent }).text;
const lines = (...ls: string[]): string => ls.join("\n") + "\n";

describe("canonical style (fixtures)", () => {
  it("indents by nesting depth with four spaces, single spaces between arguments", () => {
    expect(
      fmt(".:53 {\nerrors\n\t\tforward   .\t8.8.8.8  1.1.1.1 {\n  except   example.org\n     max_fails 3\n }\ncache  30\n}"),
    ).toBe(
      lines(
        ".:53 {",
        "    errors",
        "    forward . 8.8.8.8 1.1.1.1 {",
        "        except example.org",
        "        max_fails 3",
        "    }",
        "    cache 30",
        "}",
      ),
    );
  });

  it("uses the indent option", () => {
    const src = ". {\n  kubernetes cluster.local {\n    pods insecure\n  }\n}\n";
    expect(fmt(src, "\t")).toBe(". {\n\tkubernetes cluster.local {\n\t\tpods insecure\n\t}\n}\n");
    expect(fmt(src, "  ")).toBe(src);
    expect(() => formatCorefile(src, { indent: "x" })).toThrow(RangeError);
  });

  it("joins a server block's `{` to its keys and puts its first directive on its own line", () => {
    expect(fmt("example.org\n{ whoami\n    log\n}\n")).toBe(lines("example.org {", "    whoami", "    log", "}"));
    expect(fmt("(snip)\n{ log }\n")).toBe(lines("(snip) {", "    log", "}"));
    expect(fmt(". { }\n")).toBe(lines(". {", "}"));
  });

  it("keeps a directive's `{` on the next line and one-line nested blocks as they are (plugins read lines)", () => {
    // caddy's NextBlock only opens a block whose `{` is on the directive's line; `{ a }` hands `a }` to the plugin.
    expect(fmt(". {\nforward . 1.1.1.1\n{\nexcept a\n}\nhealth { lameduck 5s }\n}\n")).toBe(
      lines(". {", "    forward . 1.1.1.1", "    {", "        except a", "    }", "    health { lameduck 5s }", "}"),
    );
    // `log }` is a caddy error: it stays an error (on the same line)
    expect(fmt(".:53 {\n  log }\n")).toBe(lines(".:53 {", "    log }"));
  });

  it("separates top-level blocks by one blank line, keeps at most one blank line between items", () => {
    expect(
      fmt("\n\n. {\n\n\n  log\n\n\n\n  errors\n\n}\nexample.org {\n  whoami\n} b.org {\n}\n\n\n"),
    ).toBe(lines(". {", "    log", "", "    errors", "}", "", "example.org {", "    whoami", "}", "", "b.org {", "}"));
  });

  it("keeps consecutive top-level imports together and separates them from blocks", () => {
    expect(fmt("import a.conf\nimport b.conf\n. {\n}\n(s) {\n}\nimport c.conf\n")).toBe(
      lines("import a.conf", "import b.conf", "", ". {", "}", "", "(s) {", "}", "", "import c.conf"),
    );
  });

  it("re-indents own-line comments to the depth of the item they precede, keeps end-of-line comments after one space", () => {
    expect(
      fmt("# top\n.:53 {   # the server\n# about log\n      log    # eol   \n  forward . 1.1.1.1 {\n# inside\n    except a\n  # last\n  }\n        # trailing\n}   # after\n"),
    ).toBe(
      lines(
        "# top",
        ".:53 { # the server",
        "    # about log",
        "    log # eol",
        "    forward . 1.1.1.1 {",
        "        # inside",
        "        except a",
        "        # last",
        "    }",
        "    # trailing",
        "} # after",
      ),
    );
  });

  it("puts the blank line between blocks before the comments of the next block", () => {
    expect(fmt("a {\n}\n# about b\nb {\n}\n")).toBe(lines("a {", "}", "", "# about b", "b {", "}"));
  });

  it("keeps CRLF files CRLF (dominant line ending) and the BOM", () => {
    expect(fmt(". {\r\n  log\r\n\r\n\r\n  errors\r\n}")).toBe(". {\r\n    log\r\n\r\n    errors\r\n}\r\n");
    expect(fmt("\ufeff. {\n log\n}")).toBe("\ufeff. {\n    log\n}\n");
    // mixed: the majority wins (3 CRLF, 1 LF); leading blank lines go
    expect(fmt("\ufeff\r\n. {\r\n log\r\n}\n")).toBe("\ufeff. {\r\n    log\r\n}\r\n");
    expect(fmt("\ufeff\n\n. {\r\n log\r\n}\n")).toBe("\ufeff. {\n    log\n}\n");
  });

  it("keeps a line break before a first word that starts with U+FEFF (at offset 0 it would become a byte-order mark)", () => {
    const once = fmt("\r\n\ufeff");
    expect(once).toBe("\r\n\ufeff\r\n");
    expect(fmt(once)).toBe(once);
    expect(parse(once).serverBlocks[0]?.keys).toEqual(["\ufeff"]);
    // After a real byte-order mark, a second U+FEFF is a word and may follow it directly.
    expect(fmt("\ufeff\ufeff {\n}")).toBe("\ufeff\ufeff {\n}\n");
  });

  it("replaces tabs and unusual spaces between tokens by one space", () => {
    expect(fmt(".\t{\n\tcache\u00a030\u2003\t# c\n}\n")).toBe(lines(". {", "    cache 30 # c", "}"));
  });

  it("never changes quoted values or their quoting", () => {
    const src = '. {\n  template IN A   "a  b"   {\n    answer "{{ .Name }} 60 IN A 1.2.3.4"\n  }\n  log "multi\n   line"   x\n}\n';
    expect(fmt(src)).toBe(
      '. {\n    template IN A "a  b" {\n        answer "{{ .Name }} 60 IN A 1.2.3.4"\n    }\n    log "multi\n   line" x\n}\n',
    );
  });

  it("keeps a comment glued to a word glued (`foo#bar` only comments out to the next space)", () => {
    expect(fmt(". {\n  log#x   errors\n  a\r#y b\n}\n")).toBe(". {\n    log#x errors\n    a\r#y b\n}\n");
  });

  it("adds a final newline, except inside an unterminated quote", () => {
    expect(fmt(". {\n}")).toBe(". {\n}\n");
    expect(fmt('. {\n}\nx "abc')).toBe('. {\n}\n\nx "abc');
    expect(fmt("")).toBe("");
    expect(fmt("\n \n\t\n")).toBe("");
    expect(fmt("# just a comment")).toBe("# just a comment\n");
  });

  it("leaves a file with broken braces unchanged and says why", () => {
    for (const src of [". {\n  log\n", ". {\n}\n}\n", ". {\n  forward . x {\n}\n", "log\n}\n"]) {
      const r = formatCorefile(src);
      expect(r.text).toBe(src);
      expect(r.changed).toBe(false);
      expect(r.edits).toEqual([]);
      expect(r.skipped?.reason).toMatch(/brace/);
    }
  });

  it("formats a file without braces (body at depth 0)", () => {
    expect(fmt(".:53\n  whoami\n    log\n")).toBe(lines(".:53", "whoami", "log"));
  });

  it("does not split `} import x` (that `import` is a key: caddy reads imports only at the start of a line)", () => {
    const src = "a {\n} import x {\n}\n";
    expect(fmt(src)).toBe(src);
  });

  it("returns minimal edits that reproduce the output", () => {
    const src = ".:53 {\n\terrors\n    log\n}";
    const r = formatCorefile(src);
    expect(r.changed).toBe(true);
    expect(r.edits).toEqual([
      { start: 7, end: 8, newText: "    " },
      { start: 24, end: 24, newText: "\n" },
    ]);
    expect(applyEdits(src, r.edits)).toBe(r.text);
    const again = formatCorefile(r.text);
    expect(again).toEqual({ text: r.text, changed: false, edits: [] });
  });
});

// ---- invariants ------------------------------------------------------------------------------------------------------

/** caddy-visible content: every server block's keys and directive token texts. */
function blocksView(text: string): string {
  return JSON.stringify(
    parse(text).serverBlocks.map((b) => [b.keys, Object.entries(b.tokens).map(([k, v]) => [k, v.map((t) => t.text)])]),
  );
}

function comments(text: string): string[] {
  return lex(text)
    .pieces.filter((p) => p.kind === "comment")
    .map((p) => p.raw.replace(/[\s\u0085\u00a0]+$/u, ""));
}

/** For each token: whether it starts on the line where the previous token ends. */
function sameLine(tokens: Token[]): boolean[] {
  return tokens.map((t, i) => i > 0 && (tokens[i - 1] as Token).endLine === t.line);
}

/** Tokens at which the formatter may change line structure: the braces of server blocks and snippets. */
function topBraces(doc: Document): Set<number> {
  const out = new Set<number>();
  for (const item of doc.items) {
    if (item.kind === "Import") continue;
    if (item.open) out.add(item.open.start);
    if (item.close) out.add(item.close.start);
  }
  return out;
}

function checkInvariants(text: string, label: string): { changed: boolean; skipped: boolean } {
  let r;
  try {
    r = formatCorefile(text);
  } catch (e) {
    throw new Error(`${label}: formatCorefile threw ${String(e)}`);
  }
  const out = r.text;
  const before = tokenize(text);
  const after = tokenize(out);
  expect(after.map((t) => t.raw), `${label}: tokens`).toEqual(before.map((t) => t.raw));
  expect(parse(out).ok, `${label}: parse.ok`).toBe(parse(text).ok);
  expect(blocksView(out), `${label}: server blocks`).toBe(blocksView(text));
  expect(comments(out), `${label}: comments`).toEqual(comments(text));
  expect(formatCorefile(out).text, `${label}: idempotent`).toBe(out);
  expect(applyEdits(text, r.edits), `${label}: edits`).toBe(out);
  expect(r.changed).toBe(out !== text);
  if (r.skipped) expect(out).toBe(text);
  // Line structure: only around server-block / snippet braces (all other same-line relations are what plugins read).
  const braces = topBraces(parse(text).cst);
  const a = sameLine(before);
  const b = sameLine(after);
  for (let i = 1; i < before.length; i++) {
    if (a[i] !== b[i]) {
      const prev = before[i - 1] as Token;
      const cur = before[i] as Token;
      const allowed = braces.has(prev.start) || braces.has(cur.start);
      expect(allowed, `${label}: line structure changed between '${prev.raw}' and '${cur.raw}'`).toBe(true);
    }
  }
  if (!r.skipped && out !== "") {
    expect(/[ \t]\r?\n/.test(out.replace(/"[^"]*"/g, '""')), `${label}: trailing whitespace`).toBe(false);
  }
  return { changed: r.changed, skipped: r.skipped !== undefined };
}

describe("every corpus Corefile", () => {
  const files = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));

  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(600);
  });

  it("keeps tokens, parse result, comments and line structure; is idempotent (LF, CRLF, BOM variants)", () => {
    let changed = 0;
    let skipped = 0;
    for (const f of files) {
      const text = readCorpus(f);
      for (const v of [text, text.replace(/\r?\n/g, "\r\n"), "\ufeff" + text]) {
        const s = checkInvariants(v, f);
        if (s.changed) changed++;
        if (s.skipped) skipped++;
      }
    }
    // Most real files are not in the canonical style; a few have broken braces (templates, issue reports).
    expect(changed).toBeGreaterThan(files.length);
    expect(skipped).toBeLessThan(files.length / 10);
  }, 120_000);

  it("keeps CRLF line endings of a CRLF file", () => {
    const text = readCorpus(files.find((f) => f.includes("kubeadm")) ?? (files[0] as string)).replace(/\r?\n/g, "\r\n");
    const out = formatCorefile(text).text;
    expect(out.replace(/\r\n/g, "")).not.toContain("\n");
  });
});

// ---- random input ----------------------------------------------------------------------------------------------------

const WS = [" ", "  ", "\t", " \t ", "\u00a0", ""];
const NL = ["\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n", "\n  \n"];
const WORDS = [".", ".:53", "example.org", "a,", "b", "log", "errors", "cache", "30", "forward", "1.1.1.1", '"q s"', "import", "x.conf", "(s)", "{$V}", "except", "foo#c", "#", "# comment", '"multi\nline"', "{", "}", "{", "}", "{}", '"{"', "\\", "é"];

/** Corefile-ish text: random words, braces, comments and whitespace (often unbalanced). */
function noise(next: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] as T;
  let s = next() < 0.1 ? "\ufeff" : "";
  const n = Math.floor(next() * 50);
  for (let i = 0; i < n; i++) {
    s += pick(WORDS);
    s += next() < 0.3 ? pick(NL) + pick(WS) : pick(WS) || " ";
  }
  return s;
}

/** A well-formed Corefile in a random (messy) layout. */
function messyCorefile(next: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(next() * a.length)] as T;
  const ws = (): string => (next() < 0.7 ? " " : pick(["  ", "\t", " \t", "   "]));
  const nl = (): string => pick(["\n", "\n", "\n", "\n\n", "\n\n\n", "\n \t\n"]);
  const ind = (d: number): string => (next() < 0.2 ? pick(["", " ", "\t\t", "      "]) : "  ".repeat(d));
  const comment = (): string => pick(["# note", "#x", "# a  b  ", "#"]);
  const directive = (d: number): string => {
    let s = ind(d) + pick(["log", "errors", "cache", "forward", "hosts", "rewrite", "template", "health"]);
    const nargs = Math.floor(next() * 4);
    for (let i = 0; i < nargs; i++) s += ws() + pick([".", "1.1.1.1", "30", '"a b"', "{1}", "name", "x#y"]);
    if (next() < 0.3 && d < 3) {
      s += ws() + "{" + (next() < 0.2 ? ws() + comment() : "") + nl();
      const m = Math.floor(next() * 3);
      for (let i = 0; i < m; i++) s += directive(d + 1) + nl();
      s += ind(d) + "}";
    }
    if (next() < 0.2) s += ws() + comment();
    return s;
  };
  let out = "";
  const blocks = 1 + Math.floor(next() * 3);
  for (let b = 0; b < blocks; b++) {
    if (next() < 0.3) out += comment() + nl();
    out += ind(0) + (next() < 0.2 ? `(snip${b})` : pick(["example.org", ".:53", "a.b:1053"]) + b);
    out += next() < 0.1 ? nl() + "{" : ws() + "{";
    out += next() < 0.2 ? ws() + directive(1).trimStart() : "";
    out += nl();
    const m = Math.floor(next() * 5);
    for (let i = 0; i < m; i++) {
      if (next() < 0.2) out += ind(1) + comment() + nl();
      out += directive(1) + nl();
    }
    out += ind(0) + "}" + (next() < 0.1 ? ws() : nl());
  }
  if (next() < 0.3) out = out.replace(/\n/g, "\r\n");
  return out;
}

describe("random input", () => {
  it("keeps every guarantee on 1,500 well-formed Corefiles in messy layouts", () => {
    const next = rng(4242);
    let changed = 0;
    for (let i = 0; i < 1500; i++) {
      const src = messyCorefile(next);
      const s = checkInvariants(src, `case ${i} ${JSON.stringify(src)}`);
      expect(s.skipped, `case ${i}`).toBe(false);
      if (s.changed) changed++;
    }
    expect(changed).toBeGreaterThan(1000);
  }, 120_000);

  it("never throws and keeps every guarantee on 3,000 noisy inputs", () => {
    const next = rng(777);
    let formatted = 0;
    for (let i = 0; i < 3000; i++) {
      const src = noise(next);
      const s = checkInvariants(src, `case ${i} ${JSON.stringify(src)}`);
      if (!s.skipped && s.changed) formatted++;
    }
    // Many noisy inputs have unbalanced braces (left alone); enough of them are formatted.
    expect(formatted).toBeGreaterThan(400);
  }, 120_000);
});
