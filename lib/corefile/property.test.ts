import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCorefile } from "./format";
import { parse } from "./parse";
import { print } from "./print";
import { reloadHash } from "./reload-hash";
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
