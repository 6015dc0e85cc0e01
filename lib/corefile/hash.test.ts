/**
 * SHA-512 against known vectors and node:crypto, Go's JSON encoding, and reload-hash behaviour.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { goJsonString, marshalServerBlocks } from "./gojson";
import { reloadHash, reloadJson } from "./reload-hash";
import { sha512, sha512Hex, toHex, utf8Encode } from "./sha512";
import { rng } from "./test-helpers";

describe("sha512", () => {
  it("matches the FIPS 180-2 vectors", () => {
    expect(sha512Hex("")).toBe(
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    );
    expect(sha512Hex("abc")).toBe(
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    );
    expect(sha512Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")).toBe(
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
    );
  });

  it("agrees with node:crypto on every length around the block boundaries and on random data", () => {
    const next = rng(42);
    for (let len = 0; len < 300; len++) {
      const data = new Uint8Array(len).map(() => Math.floor(next() * 256));
      expect(toHex(sha512(data))).toBe(createHash("sha512").update(data).digest("hex"));
    }
    const big = new Uint8Array(100_003).map((_, i) => (i * 31) & 0xff);
    expect(toHex(sha512(big))).toBe(createHash("sha512").update(big).digest("hex"));
  });

  it("encodes UTF-8 like Buffer, with U+FFFD for lone surrogates", () => {
    for (const s of ["a", "é", "€", "😀", "a\ud800b", "\udc00", "x\ud83d"]) {
      expect(Buffer.from(utf8Encode(s)).toString("hex")).toBe(Buffer.from(s, "utf8").toString("hex"));
    }
  });
});

describe("Go encoding/json strings", () => {
  it.each([
    ["plain", '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ["<a&b>", '"\\u003ca\\u0026b\\u003e"'],
    ["\u2028\u2029", '"\\u2028\\u2029"'],
    ["\n\r\t\b\f\u0000\u001f\u007f", '"\\n\\r\\t\\b\\f\\u0000\\u001f\u007f"'],
    ["é😀", '"é😀"'],
    ["a\ud800", '"a\ufffd"'],
  ])("%j", (input, out) => {
    expect(goJsonString(input)).toBe(out);
  });

  it("marshals no server blocks as null (caddy returns a nil slice)", () => {
    expect(marshalServerBlocks([])).toBe("null");
    expect(reloadJson("# empty")).toEqual({ ok: true, json: "null" });
  });
});

describe("reload hash inputs", () => {
  it("serialises caddy's structs with sorted directive names and empty File for the root file", () => {
    const r = reloadJson(". {\n  log\n  errors\n  forward . {$UP}\n}\n", { env: { UP: "1.1.1.1" } });
    expect(r).toEqual({
      ok: true,
      json:
        '[{"Keys":["."],"Tokens":{"errors":[{"File":"","Line":3,"Text":"errors"}],' +
        '"forward":[{"File":"","Line":4,"Text":"forward"},{"File":"","Line":4,"Text":"."},{"File":"","Line":4,"Text":"1.1.1.1"}],' +
        '"log":[{"File":"","Line":2,"Text":"log"}]}}]',
    });
  });

  it("records the absolute path of imported files", () => {
    const r = reloadJson(". {\n  import extra.conf\n}\n", { filename: "/etc/coredns/Corefile", files: { "extra.conf": "log" } });
    expect(r.ok && r.json).toBe('[{"Keys":["."],"Tokens":{"log":[{"File":"/etc/coredns/extra.conf","Line":1,"Text":"log"}]}}]');
  });

  it("ignores comments, whitespace, CRLF, BOM and unknown directives but not lines", () => {
    const base = reloadHash(". {\n  log\n}\n");
    expect(reloadHash("\ufeff. {   # c\r\n  log\t\r\n}")).toEqual(base);
    expect(reloadHash(". {\n  log\n\n}\n")).toEqual(base);
    expect(reloadHash(". {\n\n  log\n}\n")).not.toEqual(base);
    expect(reloadHash(". {\n  nosuchplugin\n}\n").ok).toBe(true);
  });

  it("fails like the reload plugin on a caddy syntax error", () => {
    const r = reloadHash(". {\n  log\n", { filename: "/etc/coredns/Corefile" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.corednsMessage).toBe("/etc/coredns/Corefile:2 - Syntax error: Unexpected token 'log', expecting '}'");
  });
});
