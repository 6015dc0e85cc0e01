/**
 * Robustness: parse, print and reloadHash never throw on 2,000 seeded random Corefile-ish inputs, print round-trips,
 * and the parse is deterministic.
 */
import { describe, expect, it } from "vitest";
import { parse } from "./parse";
import { print } from "./print";
import { reloadHash } from "./reload-hash";
import { rng } from "./test-helpers";

const ATOMS = [
  "{", "}", "{ ", " }", "\n", "\r\n", "\r", " ", "\t", "#", "# comment\n", '"', '\\"', "\\", '"q s"', "import", "import s",
  "(s)", "(s) {\n", ".", ".:53", "example.org", ",", "a,", "log", "forward . 1.1.1.1", "cache 30", "{$VAR}", "{%V%}",
  "{$", "%}", "*", "?", "[", "]", "conf/*.conf", "\ufeff", "\u0000", "\u00a0", "\u2028", "\ud800", "😀", "é", "unknown",
  "kubernetes cluster.local {\n pods insecure\n}\n", ":", "dns://", "tls://.:853", "10.0.0.0/8", "import a.conf",
];

function garbage(next: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(next() * 60);
  for (let i = 0; i < n; i++) {
    if (next() < 0.1) parts.push(String.fromCharCode(Math.floor(next() * 0x3000)));
    else parts.push(ATOMS[Math.floor(next() * ATOMS.length)] as string);
  }
  return parts.join("");
}

describe("random input", () => {
  it("never throws and always round-trips (2,000 cases)", () => {
    const next = rng(20260820);
    const files = { "a.conf": "import s\nlog {", "conf/x.conf": "}\n(s) {\nimport a.conf\n}" };
    for (let i = 0; i < 2000; i++) {
      const src = garbage(next);
      const opts = { env: { VAR: "import", V: "{$VAR}" }, files };
      let result;
      try {
        result = parse(src, opts);
        reloadHash(src, opts);
      } catch (e) {
        throw new Error(`case ${i} threw on ${JSON.stringify(src)}: ${String(e)}`);
      }
      expect(print(result.cst), `case ${i}: ${JSON.stringify(src)}`).toBe(src);
      expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === "error"));
      for (const d of result.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.code).toMatch(/^[A-Z][A-Z_]+$/);
      }
    }
  });

  it("terminates on self-referencing env values", () => {
    expect(parse(". {\n  log {$A}\n}", { env: { A: "x{$A}{$A}" } }).ok).toBe(true);
  });
});

describe("safety net", () => {
  it("turns an unexpected exception into INTERNAL_ERROR with a lossless flat tree", () => {
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error("boom");
        },
      },
    );
    const src = ". {\n  log {$X}\n}\n";
    const r = parse(src, { env: hostile });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["INTERNAL_ERROR"]);
    expect(print(r.cst)).toBe(src);
    const h = reloadHash(src, { env: hostile });
    expect(h.ok ? "" : h.error.code).toBe("INTERNAL_ERROR");
  });
});
