import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCorefile } from "./format";
import { parse, parseFull } from "./parse";
import { print } from "./print";
import { reloadHash, reloadJson } from "./reload-hash";
import { sha512Hex } from "./sha512";
import { listCorpus, readCorpus } from "./test-helpers";
import { validateCorefile } from "./validate";

/** Corefile-ish text: the characters and words that matter to the grammar, in any order. */
const corefileish = fc
  .array(
    fc.oneof(
      fc.constantFrom("{", "}", " ", "\t", "\n", "\r\n", "#", '"', "\\", ",", ":53", ".", "import", "(snip)", "{$X}", "{%Y%}", "\uFEFF"),
      fc.constantFrom("forward", "cache", "errors", "kubernetes", "hosts", "reload", "prometheus", "loop", "log", "rewrite", "bogus"),
      fc.constantFrom("8.8.8.8", "cluster.local", "example.org:53", "30", "fallthrough", "max_fails", "policy", "random"),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

describe("engine properties on arbitrary input", () => {
  it("parse never throws and prints every input back byte for byte", () => {
    fc.assert(
      fc.property(corefileish, (text) => {
        const result = parse(text, { env: { X: "x", Y: "y" } });
        expect(print(result.cst)).toBe(text);
        expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === "error"));
      }),
      { numRuns: 500 },
    );
  });

  it("validation and the reload hash never throw", () => {
    fc.assert(
      fc.property(corefileish, (text) => {
        const validation = validateCorefile(text);
        expect(Array.isArray(validation.diagnostics)).toBe(true);
        const hash = reloadHash(text);
        if (hash.ok) expect(hash.hash).toMatch(/^[0-9a-f]{128}$/);
      }),
      { numRuns: 300 },
    );
  });

  it("formatting is idempotent and keeps the token sequence", () => {
    fc.assert(
      fc.property(corefileish, (text) => {
        const once = formatCorefile(text);
        expect(formatCorefile(once.text).text).toBe(once.text);
        const before = parse(text).serverBlocks.map((b) => Object.values(b.tokens).flat().map((t) => t.text));
        const after = parse(once.text).serverBlocks.map((b) => Object.values(b.tokens).flat().map((t) => t.text));
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Corefile-shaped text the fast paths accept (no import, snippet or env reference), mixed with everything that makes
 * them give up, so both sides of every fast-path test are exercised.
 */
const blockish = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("example.org", ".:53", "a,", "b.", "dns://c:5353", "10.0.0.0/8", "\"q s\"", '""') },
      { weight: 8, arbitrary: fc.constantFrom(" {\n", "}\n", "\n", " ", "\t", "\r\n", "# note\n", "a#b ", " {", "{ ", " }") },
      { weight: 8, arbitrary: fc.constantFrom("log", "errors", "cache 30", "forward . 8.8.8.8", "hosts {", "bogus x", "<&>", "\u2028", "\ud800", "é") },
      { weight: 1, arbitrary: fc.constantFrom("import s", "(s) {\n log\n}\n", "{$X}", "{%Y%}", '"', "\\") },
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(""));

/** The fast path's result against the full parser's, field by field (the tree as printed and as data). */
function expectSameAsFull(text: string, options?: { directives?: null }): void {
  const fast = parse(text, options);
  const full = parseFull(text, options);
  expect(fast.ok).toBe(full.ok);
  expect(fast.diagnostics).toEqual(full.diagnostics);
  expect(fast.corednsError).toEqual(full.corednsError);
  expect(JSON.stringify(fast.serverBlocks)).toBe(JSON.stringify(full.serverBlocks));
  expect(print(fast.cst)).toBe(text);
  expect(JSON.stringify(fast.cst)).toBe(JSON.stringify(full.cst));
}

/** reloadHash (fast path where it applies) against the hash of the full parser's JSON (reloadJson). */
function expectHashOfFullParse(text: string): void {
  const hash = reloadHash(text);
  const json = reloadJson(text);
  expect(hash.ok).toBe(json.ok);
  if (hash.ok && json.ok) expect(hash.hash).toBe(sha512Hex(json.json));
  if (!hash.ok && !json.ok) expect(hash.error).toEqual(json.error);
}

describe("fast paths against the full parser", () => {
  it("parse: same verdict, diagnostics, server blocks and tree on random input", () => {
    fc.assert(
      fc.property(blockish, fc.boolean(), (text, anyDirective) => expectSameAsFull(text, anyDirective ? { directives: null } : undefined)),
      { numRuns: 400 },
    );
  });

  it("reloadHash: the hash of the full parse on random input", () => {
    fc.assert(fc.property(blockish, (text) => expectHashOfFullParse(text)), { numRuns: 400 });
  });

  it("parse and reloadHash: same as the full parser on every corpus Corefile", { timeout: 120_000 }, () => {
    const files = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));
    for (const f of files) {
      const text = readCorpus(f);
      expectSameAsFull(text);
      expectHashOfFullParse(text);
    }
  });
});
