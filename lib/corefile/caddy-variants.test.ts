/**
 * The engine against CoreDNS's own Corefile parser on 1,400 variants (fixtures/caddy-variants.json, see the README
 * there): the same reload hash for each text CoreDNS parses, a parse error for each text it does not, and the same
 * start-up verdict (an error, on the same line) with the stock directive list.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "./parse";
import { reloadHash } from "./reload-hash";

type Variant = { text: string; hash: string | null; parseError: string | null; verdictError: string | null };

const VARIANTS = JSON.parse(readFileSync(new URL("./fixtures/caddy-variants.json", import.meta.url), "utf8")) as Variant[];

/** Errors that come after caddy's parse in CoreDNS (server-key checks): not part of the parser's verdict. */
const AFTER_PARSE = new Set(["INVALID_SERVER_KEY", "DUPLICATE_SERVER_KEY", "EMPTY_COREFILE"]);

describe("CoreDNS's Corefile parser on 1,400 variants", () => {
  it("has them all", () => {
    expect(VARIANTS).toHaveLength(1400);
    expect(VARIANTS.filter((v) => v.hash !== null).length).toBeGreaterThan(500);
    expect(VARIANTS.filter((v) => v.verdictError !== null).length).toBeGreaterThan(500);
  });

  it("gives the reload hash CoreDNS computes, or fails where CoreDNS's parse fails", { timeout: 60_000 }, () => {
    const wrong: string[] = [];
    for (const v of VARIANTS) {
      const ours = reloadHash(v.text, { filename: "Corefile" });
      const same = v.hash === null ? !ours.ok : ours.ok && ours.hash === v.hash;
      if (!same) wrong.push(`${JSON.stringify(v.text.slice(0, 120))}: CoreDNS ${v.hash === null ? `fails (${v.parseError})` : "parses"}, ours ${ours.ok ? "parses" : `fails (${ours.error.message})`}`);
    }
    expect(wrong).toEqual([]);
  });

  it("rejects what CoreDNS's parser rejects at start-up, on the same line, and nothing else", { timeout: 60_000 }, () => {
    const wrong: string[] = [];
    for (const v of VARIANTS) {
      const result = parse(v.text, { filename: "Corefile" });
      const error = result.corednsError && !AFTER_PARSE.has(result.corednsError.code) ? result.corednsError : undefined;
      const expectedLine = v.verdictError?.match(/^Corefile:(\d+) - /)?.[1];
      if (!v.verdictError !== !error) wrong.push(`${JSON.stringify(v.text.slice(0, 120))}: CoreDNS ${v.verdictError ?? "accepts"}, ours ${error?.message ?? "accepts"}`);
      else if (error && expectedLine !== undefined && Number(expectedLine) !== error.line) {
        wrong.push(`${JSON.stringify(v.text.slice(0, 120))}: CoreDNS says line ${expectedLine}, ours ${error.line}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
