/**
 * The library against real CoreDNS: every answer in expected/coredns-parser.json (accept/reject, the error and its
 * line, the reload hash) and a lossless round trip of every real Corefile in the corpus.
 */
import { describe, expect, it } from "vitest";
import { parse, print, reloadHash } from "./index";
import { listCorpus, readCorpus } from "./test-helpers";

interface Expected {
  ok: boolean;
  error?: string;
  hash?: string;
  hashError?: string;
}

const expected = JSON.parse(readCorpus("expected/coredns-parser.json")) as Record<string, Expected>;
// expected/README.md: CoreDNS parsed each file as /etc/coredns/Corefile, with no env variables set.
const OPTIONS = { filename: "/etc/coredns/Corefile" };

describe("expected/coredns-parser.json (CoreDNS 1.14.7's own answers)", () => {
  const entries = Object.entries(expected);

  it("covers 245 Corefiles", () => {
    expect(entries.length).toBe(245);
  });

  it.each(entries)("%s: same decision, error and hash", (file, exp) => {
    const text = readCorpus(file);
    const result = parse(text, OPTIONS);
    expect(result.ok).toBe(exp.ok);
    if (exp.ok) {
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    } else {
      const err = result.corednsError;
      expect(err?.corednsMessage).toBe(exp.error);
      // the diagnostic sits on the line CoreDNS names
      const line = Number(/:(\d+) - /.exec(exp.error ?? "")?.[1]);
      expect(err?.line).toBe(line);
    }
    const hash = reloadHash(text, OPTIONS);
    if (exp.hash !== undefined) expect(hash).toEqual({ ok: true, hash: exp.hash });
    if (exp.hashError !== undefined) {
      expect(hash.ok).toBe(false);
      if (!hash.ok) expect(hash.error.corednsMessage).toBe(exp.hashError);
    }
  });
});

describe("lossless round trip of every corpus Corefile", () => {
  const files = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));

  it("finds the corpus", () => {
    expect(files.length).toBeGreaterThan(600);
  });

  it.each(files)("%s", (file) => {
    const text = readCorpus(file);
    const crlf = text.replace(/\r?\n/g, "\r\n");
    const variants = [text, crlf, "\ufeff" + text, "\ufeff" + crlf];
    for (const v of variants) expect(print(parse(v, OPTIONS).cst)).toBe(v);
    // CRLF line endings and a BOM change nothing CoreDNS sees (caddy drops \r and the BOM).
    const base = parse(text, OPTIONS);
    for (const v of variants.slice(1)) {
      const r = parse(v, OPTIONS);
      expect(r.ok).toBe(base.ok);
      const h = reloadHash(v, OPTIONS);
      const h0 = reloadHash(text, OPTIONS);
      expect(h.ok ? h.hash : h.error.corednsMessage).toBe(h0.ok ? h0.hash : h0.error.corednsMessage);
    }
  });
});
