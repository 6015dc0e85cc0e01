/**
 * Lexer: caddy's own lexer test table (TestLexer, TestAllTokens), its quirks, positions, and losslessness.
 */
import { describe, expect, it } from "vitest";
import { lex, positionAt, tokenize } from "./lexer";
import { readCorpus } from "./test-helpers";

interface LexerCase {
  source: string;
  input: string;
  expected: Array<{ Line: number; Text: string }>;
}
interface AllTokensCase {
  name: string;
  input: string;
  expected_go?: string;
}

const cases = JSON.parse(readCorpus("caddyfile/parser-cases.json")) as {
  tests: { TestLexer: LexerCase[]; TestAllTokens: AllTokensCase[] };
};

/** caddy's view of a token list. */
const simple = (src: string) => tokenize(src).map((t) => ({ Line: t.line, Text: t.text }));

describe("caddy TestLexer cases", () => {
  it.each(cases.tests.TestLexer.map((c) => [c.source, c] as const))("%s", (_src, c) => {
    expect(simple(c.input)).toEqual(c.expected);
  });
});

describe("caddy TestAllTokens cases", () => {
  it.each(cases.tests.TestAllTokens.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const expected = c.expected_go ? [...c.expected_go.matchAll(/"([^"]*)"/g)].map((m) => m[1]) : [];
    expect(tokenize(c.input).map((t) => t.text)).toEqual(expected);
  });
});

describe("caddy lexer quirks", () => {
  const texts = (s: string) => tokenize(s).map((t) => t.text);

  it("ends a word at '#' but only comments out to the next space", () => {
    expect(texts("foo#bar baz\nqux")).toEqual(["foo", "baz", "qux"]);
    expect(texts("a # b c\nd")).toEqual(["a", "d"]);
    expect(texts("#x y\nz")).toEqual(["z"]);
  });

  it("drops \\r everywhere outside quotes without ending the word", () => {
    expect(texts("ab\rcd ef\r\n")).toEqual(["abcd", "ef"]);
    expect(texts('"a\rb"')).toEqual(["a\rb"]);
  });

  it("only unescapes \\\" inside quotes", () => {
    expect(texts('"a\\"b" "c\\\\" "d\\n"')).toEqual(['a"b', "c\\\\", "d\\n"]);
  });

  it("treats quotes inside a word as ordinary characters and splits adjacent quoted tokens", () => {
    expect(texts('a"b"c')).toEqual(['a"b"c']);
    expect(texts('"a"b')).toEqual(["a", "b"]);
    expect(texts('""x')).toEqual(["", "x"]);
  });

  it("handles unterminated quotes like caddy", () => {
    expect(texts('a "bc')).toEqual(["a", "bc"]);
    expect(texts('a "')).toEqual(["a"]);
    expect(texts('a "\\')).toEqual(["a"]);
    expect(texts('"bc\\')).toEqual(["bc"]);
    expect(tokenize('"x').at(0)?.unterminated).toBe(true);
  });

  it("uses Go's unicode.IsSpace", () => {
    expect(texts("a\u00a0b\u2003c\u3000d\u0085e\u000bf\u000cg")).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    expect(texts("a\u200bb")).toEqual(["a\u200bb"]); // zero-width space is not White_Space
  });

  it("keeps braces inside words", () => {
    expect(texts("a{ {b} { }")).toEqual(["a{", "{b}", "{", "}"]);
  });

  it("discards only a leading BOM", () => {
    expect(texts("\ufeffa \ufeffb")).toEqual(["a", "\ufeffb"]);
  });

  it("counts lines in quoted tokens and comments", () => {
    const toks = tokenize('a "b\nc" d\n# x\ne');
    expect(toks.map((t) => [t.text, t.line])).toEqual([
      ["a", 1],
      ["b\nc", 1],
      ["d", 2],
      ["e", 4],
    ]);
  });
});

describe("positions", () => {
  it("records offsets, 1-based lines and columns, exclusive ends", () => {
    const src = 'ab  "c\nd" e\n\tf';
    const toks = tokenize(src, "X");
    expect(toks.map((t) => [t.raw, t.start, t.end, t.line, t.column, t.endLine, t.endColumn, t.quoted, t.file])).toEqual([
      ["ab", 0, 2, 1, 1, 1, 3, false, "X"],
      ['"c\nd"', 4, 9, 1, 5, 2, 3, true, "X"],
      ["e", 10, 11, 2, 4, 2, 5, false, "X"],
      ["f", 13, 14, 3, 2, 3, 3, false, "X"],
    ]);
    for (const t of toks) expect(src.slice(t.start, t.end)).toBe(t.raw);
  });

  it("converts offsets with positionAt", () => {
    const { lineStarts } = lex("a\nbc\n\nd");
    expect(positionAt(lineStarts, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(lineStarts, 3)).toEqual({ line: 2, column: 2 });
    expect(positionAt(lineStarts, 5)).toEqual({ line: 3, column: 1 });
    expect(positionAt(lineStarts, 6)).toEqual({ line: 4, column: 1 });
  });
});

describe("lossless stream", () => {
  const samples = [
    "",
    "\ufeff. {\r\n  log # c\r\n}\r\n",
    'a "unterminated\n',
    'x "',
    "foo#bar baz\r\n#only\r",
    "\u0000\u0001 {{}} \ud800 \"\\",
    "a\r#b\rc d",
  ];
  it.each(samples)("pieces concatenate back to %j", (src) => {
    const { pieces, tokens } = lex(src);
    expect(pieces.map((p) => p.raw).join("")).toBe(src);
    let at = 0;
    for (const p of pieces) {
      expect(p.start).toBe(at);
      expect(p.end - p.start).toBe(p.raw.length);
      at = p.end;
    }
    expect(pieces.filter((p) => p.kind === "token")).toEqual(tokens);
  });

  it("classifies trivia", () => {
    const { pieces } = lex("\ufeffa #c\r\nb#d e");
    expect(pieces.map((p) => [p.kind, p.raw])).toEqual([
      ["bom", "\ufeff"],
      ["token", "a"],
      ["space", " "],
      ["comment", "#c"],
      ["space", "\r"],
      ["newline", "\n"],
      ["token", "b"],
      ["comment", "#d"],
      ["space", " "],
      ["token", "e"],
    ]);
    expect(pieces[7]).toMatchObject({ kind: "comment", inWord: true });
  });
});
