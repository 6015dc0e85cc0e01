/**
 * The scanner (table.ts) and the tree built from its table (cst.ts) against the straightforward reference lexer and
 * tree builder (reference/), and parse()'s fast path (fast-parse.ts) against the full parser: same tokens, pieces and
 * line table; same decisions, diagnostics, server blocks and tree; shared token objects.
 */
import { describe, expect, it } from "vitest";
import type { Node } from "./cst";
import { lex, type Token } from "./lexer";
import { referenceBuildCst } from "./reference/cst";
import { referenceLex } from "./reference/lexer";
import { parse, parseFull, type ParseOptions } from "./parse";
import { print } from "./print";
import { scanTable } from "./table";
import { listCorpus, readCorpus, rng } from "./test-helpers";

const ATOMS = [
  "{", "}", "{ ", " }", "\n", "\r\n", "\r", " ", "\t", "#", "# comment\n", '"', '\\"', "\\", '"q s"', "(s)", ".", ".:53",
  "example.org", ",", "a,", "log", "forward . 1.1.1.1", "cache 30", "{$", "%}", "*", "\ufeff", "\u0000", "\u00a0",
  "\u2028", "😀", "é", "unknown", "kubernetes cluster.local {\n pods insecure\n}\n", ":", "dns://", "tls://.:853",
  "10.0.0.0/8", "bind 127.0.0.1", "view x", "bind lo", "a#b", '"{"', '"}"', '"import"', '"a\nb"', "}\n", "{\n", "x {\n",
  "\r#", "a\r#b", "a\rb", "import", '"\\\\"', '"{\\"$X}"', "{$X}",
];

function randomTexts(count: number, seed: number): string[] {
  const next = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const n = Math.floor(next() * 50);
    for (let j = 0; j < n; j++) {
      if (next() < 0.05) parts.push(String.fromCharCode(Math.floor(next() * 0x3000)));
      else parts.push(ATOMS[Math.floor(next() * ATOMS.length)] as string);
    }
    out.push(parts.join(""));
  }
  return out;
}

const corpus = listCorpus("corefiles")
  .filter((f) => !f.endsWith(".json"))
  .map((f) => readCorpus(f));

function tokensOf(node: Node, out: Set<Token>): Set<Token> {
  const stack: Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    for (const c of n.children) {
      if ("children" in c) stack.push(c);
      else if (c.kind === "token") out.add(c);
    }
  }
  return out;
}

function sameAsFull(text: string, options?: ParseOptions): void {
  const fast = parse(text, options);
  const full = parseFull(text, options);
  expect(fast.ok).toBe(full.ok);
  expect(JSON.stringify(fast.diagnostics)).toBe(JSON.stringify(full.diagnostics));
  expect(JSON.stringify(fast.corednsError)).toBe(JSON.stringify(full.corednsError));
  expect(JSON.stringify(fast.serverBlocks)).toBe(JSON.stringify(full.serverBlocks));
  expect(JSON.stringify(fast.cst)).toBe(JSON.stringify(full.cst));
  expect(print(fast.cst)).toBe(text);
  // The server blocks' tokens are the tree's own objects (when no import or substitution made copies).
  const inTree = tokensOf(fast.cst, new Set());
  for (const b of fast.serverBlocks) {
    for (const t of b.keyTokens) if (t.caddyFile === "" && t.text === t.raw) expect(inTree.has(t)).toBe(true);
  }
}

describe("token table", () => {
  it("has the reference lexer's tokens, pieces and line table", { timeout: 120_000 }, () => {
    for (const text of [...randomTexts(1000, 7), ...corpus]) {
      const lexed = referenceLex(text);
      const table = scanTable(text);
      expect(table.count).toBe(lexed.tokens.length);
      expect(JSON.stringify(table.tokens())).toBe(JSON.stringify(lexed.tokens));
      const { pieces, lineStarts } = table.pieces();
      expect(JSON.stringify(pieces)).toBe(JSON.stringify(lexed.pieces));
      expect(lineStarts).toEqual(lexed.lineStarts);
      // One object per token, whichever way it is reached.
      const all = table.tokens();
      for (let i = 0; i < table.count; i++) if (table.token(i) !== all[i]) expect.unreachable(`token ${i} is not shared`);
    }
  });

  it("gives lex() the reference lexer's output", { timeout: 120_000 }, () => {
    for (const text of [...randomTexts(500, 9), ...corpus]) {
      const ref = referenceLex(text, "F");
      const lexed = lex(text, "F");
      expect(JSON.stringify(lexed)).toBe(JSON.stringify({ tokens: ref.tokens, pieces: ref.pieces, lineStarts: ref.lineStarts }));
    }
  });
});

/** The tree without what imports resolved to (the reference builder is run without the parser's import map). */
function treeJson(doc: Node): string {
  return JSON.stringify(doc, (key, value: unknown) => (key === "resolved" ? undefined : value));
}

describe("tree built from the table", () => {
  const ENVS = [{}, { X: "import", Y: "{" }, { X: "a,", Y: "(s)" }];

  it("is the reference builder's tree, on random input and the corpus, with and without env values", { timeout: 120_000 }, () => {
    const texts = [...randomTexts(600, 13), ...corpus];
    texts.forEach((text, i) => {
      const env = ENVS[i % ENVS.length] as Record<string, string>;
      const ref = referenceLex(text);
      const expected = treeJson(referenceBuildCst(ref.pieces, { file: "Corefile", env, source: text, lineStarts: ref.lineStarts }));
      expect(treeJson(parse(text, { env }).cst)).toBe(expected);
      expect(treeJson(parseFull(text, { env }).cst)).toBe(expected);
    });
  });
});

describe("parse fast path", () => {
  // Generous timeouts: these compare complete results on a loaded 2-core machine.
  it("gives the full parser's result on random input", { timeout: 120_000 }, () => {
    for (const text of randomTexts(1000, 11)) sameAsFull(text);
  });

  it("gives the full parser's result on the corpus", { timeout: 120_000 }, () => {
    for (const text of corpus) sameAsFull(text, { filename: "/etc/coredns/Corefile" });
  });

  it("gives the full parser's result without a directive list", { timeout: 120_000 }, () => {
    corpus.forEach((text, i) => {
      if (i % 4 === 0) sameAsFull(text, { directives: null });
    });
  });

  it("reads server blocks lazily but like plain data", () => {
    const r = parse(". {\n  log\n  bind 127.0.0.1\n  forward . 1.1.1.1 {\n    max_fails 3\n  }\n}\n");
    const copy = { ...r.serverBlocks[0] };
    expect(Object.keys(copy)).toEqual(["keys", "keyTokens", "tokens"]);
    expect(Object.keys(copy.tokens ?? {})).toEqual(["log", "bind", "forward"]);
    expect(r.serverBlocks[0]?.tokens).toBe(r.serverBlocks[0]?.tokens);
    expect(Object.keys(r)).toEqual(["ok", "serverBlocks", "cst", "tree", "diagnostics"]);
  });
});
