/**
 * Diagnostics: each code is raised in its situation, on the line/column CoreDNS reports, with CoreDNS's wording in
 * `corednsMessage`. Assertions are on code and position, not on our prose.
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./diagnostics";
import { parse, type ParseOptions } from "./parse";

const F = "/etc/coredns/Corefile";
const at = (d: Diagnostic | undefined) => d && { code: d.code, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn };
const first = (text: string, options: ParseOptions = {}) => parse(text, { filename: F, ...options }).corednsError;

describe("caddy parse errors", () => {
  it("UNKNOWN_DIRECTIVE, all of them, first one is CoreDNS's", () => {
    const r = parse(". {\n  proxy . 1.1.1.1\n  log\n  upstream\n}\n", { filename: F });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map(at)).toEqual([
      { code: "UNKNOWN_DIRECTIVE", line: 2, column: 3, endLine: 2, endColumn: 8 },
      { code: "UNKNOWN_DIRECTIVE", line: 4, column: 3, endLine: 4, endColumn: 11 },
    ]);
    expect(r.corednsError?.corednsMessage).toBe(`${F}:2 - Error during parsing: Unknown directive 'proxy'`);
    // the server blocks are still what the reload plugin sees
    expect(Object.keys(r.serverBlocks[0]?.tokens ?? {})).toEqual(["proxy", "log", "upstream"]);
  });

  it("UNEXPECTED_CLOSE_BRACE: a one-line server block is an error in CoreDNS", () => {
    const d = first(". { whoami }\n");
    expect(at(d)).toEqual({ code: "UNEXPECTED_CLOSE_BRACE", line: 1, column: 12, endLine: 1, endColumn: 13 });
    expect(d?.corednsMessage).toBe(`${F}:1 - Error during parsing: Unexpected '}' because no matching opening brace`);
  });

  it("UNEXPECTED_EOF: unclosed directive block, reported on the last token, pointing at the '{'", () => {
    const d = first(". {\n  forward . 1.1.1.1 {\n    max_fails 3\n");
    expect(at(d)).toEqual({ code: "UNEXPECTED_EOF", line: 3, column: 15, endLine: 3, endColumn: 16 });
    expect(d?.corednsMessage).toBe(`${F}:3 - Error during parsing: Unexpected EOF`);
    expect(d?.related?.[0]).toMatchObject({ line: 2, column: 21 });
  });

  it("UNEXPECTED_EOF: trailing comma at the end of the file", () => {
    expect(at(first("a.org,"))).toMatchObject({ code: "UNEXPECTED_EOF", line: 1, column: 1 });
  });

  it("UNMATCHED_BRACE: server block never closed", () => {
    const d = first(". {\n  log\n  errors\n");
    expect(at(d)).toEqual({ code: "UNMATCHED_BRACE", line: 3, column: 3, endLine: 3, endColumn: 9 });
    expect(d?.corednsMessage).toBe(`${F}:3 - Syntax error: Unexpected token 'errors', expecting '}'`);
  });

  it("a missing final '}' goes unnoticed when the last token closes a nested block (caddy quirk)", () => {
    expect(parse(". {\n  forward . 1.1.1.1 {\n  }\n").ok).toBe(true);
  });

  it("UNMATCHED_BRACE for an unclosed snippet, EXPECTED_OPEN_BRACE for a snippet without '{'", () => {
    expect(at(first("(s) {\n  log\n"))).toMatchObject({ code: "UNMATCHED_BRACE", line: 2 });
    const d = first("(s)\nlog\n");
    expect(at(d)).toMatchObject({ code: "EXPECTED_OPEN_BRACE", line: 2, column: 1 });
    expect(d?.corednsMessage).toBe(`${F}:2 - Syntax error: Unexpected token 'log', expecting '{'`);
  });

  it("EXTRA_COMMA", () => {
    const d = first("a.org, {\n}\n");
    expect(at(d)).toMatchObject({ code: "EXTRA_COMMA", line: 1, column: 8 });
    expect(d?.corednsMessage).toBe(`${F}:1 - Error during parsing: Expected another address but had '{' - check for extra comma`);
  });

  it("SNIPPET_REDECLARED", () => {
    const d = first("(s) {\n}\n(s) {\n}\n");
    expect(at(d)).toMatchObject({ code: "SNIPPET_REDECLARED", line: 3 });
    expect(d?.corednsMessage).toBe(`${F}:3 - Error during parsing: redeclaration of previously declared snippet s`);
  });

  it("IMPORT_MISSING_ARGUMENT / IMPORT_EMPTY_PATH / IMPORT_TOO_MANY_ARGUMENTS", () => {
    const a = first(". {\n  import\n}\n");
    expect(at(a)).toMatchObject({ code: "IMPORT_MISSING_ARGUMENT", line: 2, column: 3 });
    expect(a?.corednsMessage).toBe(`${F}:2 - Error during parsing: Wrong argument count or unexpected line ending after 'import'`);
    expect(at(first('. {\n  import ""\n}\n'))).toMatchObject({ code: "IMPORT_EMPTY_PATH", line: 2, column: 10 });
    expect(at(first(". {\n  import a b\n}\n"))).toMatchObject({ code: "IMPORT_TOO_MANY_ARGUMENTS", line: 2, column: 12 });
    // the one-line form fails too: '}' is a second argument
    expect(first(". { import s }")?.code).toBe("IMPORT_TOO_MANY_ARGUMENTS");
  });

  it("IMPORT_NOT_FOUND, relative to the importing file", () => {
    const d = first(". {\n  import conf/x.conf\n}\n");
    expect(at(d)).toMatchObject({ code: "IMPORT_NOT_FOUND", line: 2, column: 10 });
    expect(d?.corednsMessage).toBe(`${F}:2 - Error during parsing: File to import not found: conf/x.conf`);
    expect(parse(". {\n  import conf/x.conf\n}\n", { filename: F, files: { "/etc/coredns/conf/x.conf": "log" } }).ok).toBe(true);
    expect(parse(". {\n  import conf/x.conf\n}\n", { filename: F, files: { "conf/x.conf": "log" } }).ok).toBe(true);
  });

  it("IMPORT_GLOB_NO_MATCH is only a warning", () => {
    const r = parse(". {\n  import custom/*.override\n}\n", { filename: F });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map(at)).toEqual([{ code: "IMPORT_GLOB_NO_MATCH", line: 2, column: 10, endLine: 2, endColumn: 27 }]);
    expect(r.diagnostics[0]?.severity).toBe("warning");
  });

  it("IMPORT_GLOB_TOO_COMPLEX and IMPORT_BAD_PATTERN", () => {
    const d = first("import */*.conf\n");
    expect(d?.code).toBe("IMPORT_GLOB_TOO_COMPLEX");
    expect(d?.corednsMessage).toBe(`${F}:1 - Error during parsing: Glob pattern may only contain one wildcard (*), but has others: /etc/coredns/*/*.conf`);
    const b = first("import a[b*\n");
    expect(b?.code).toBe("IMPORT_BAD_PATTERN");
    expect(b?.corednsMessage).toBe(`${F}:1 - Error during parsing: Failed to use import pattern a[b*: syntax error in pattern`);
  });

  it("IMPORT_IS_DIRECTORY", () => {
    const d = first("import conf\n", { files: { "conf/a": "x" } });
    expect(d?.code).toBe("IMPORT_IS_DIRECTORY");
    expect(d?.corednsMessage).toBe(`${F}:1 - Error during parsing: Could not import /etc/coredns/conf: is a directory`);
  });

  it("IMPORT_CYCLE for snippets: caddy's definition-time guard, and indirect cycles", () => {
    const direct = first("(loop) {\n  import loop\n}\n");
    expect(at(direct)).toMatchObject({ code: "IMPORT_CYCLE", line: 3 });
    expect(direct?.corednsMessage).toBe(`${F}:3 - Error during parsing: maximum snippet import depth (10000) exceeded`);
    const indirect = parse("(a) {\n  import b\n}\n(b) {\n  import a\n}\n. {\n  import a\n}\n", { filename: F });
    expect(indirect.corednsError).toMatchObject({ code: "IMPORT_CYCLE", line: 5, column: 10 });
  });

  it("IMPORT_CYCLE for files, also a file importing itself", () => {
    const self = first("import Corefile\n");
    expect(self).toMatchObject({ code: "IMPORT_CYCLE", line: 1 });
    const r = parse(". {\n  import a.conf\n}\n", { filename: F, files: { "a.conf": "log\nimport b.conf", "b.conf": "import a.conf" } });
    expect(r.corednsError).toMatchObject({ code: "IMPORT_CYCLE", file: "/etc/coredns/b.conf", line: 1 });
    expect(r.corednsError?.related?.map((x) => [x.file, x.line])).toEqual([
      ["/etc/coredns/a.conf", 2],
      [F, 2],
    ]);
  });

  it("IMPORT_LIMIT when snippet expansions exceed caddy's cap without a cycle", () => {
    // 2^14 = 16384 expansions of s0 through a binary tree of snippets
    let src = "(s0) {\n  log\n}\n";
    for (let i = 1; i <= 14; i++) src += `(s${i}) {\n  import s${i - 1}\n  import s${i - 1}\n}\n`;
    src += ". {\n  import s14\n}\n";
    const d = first(src);
    expect(d?.code).toBe("IMPORT_LIMIT");
    expect(d?.corednsMessage).toMatch(/maximum snippet import depth \(10000\) exceeded$/);
  });
});

describe("warnings and information", () => {
  it("UNTERMINATED_QUOTE", () => {
    const r = parse('. {\n  log "x\n}\n', { filename: F });
    expect(r.diagnostics.map(at)).toContainEqual({ code: "UNTERMINATED_QUOTE", line: 2, column: 7, endLine: 4, endColumn: 1 });
  });

  it("COMMENT_IN_WORD", () => {
    const r = parse(". {\n  forward . 1.1.1.1#53 8.8.8.8\n}\n", { filename: F });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map(at)).toEqual([{ code: "COMMENT_IN_WORD", line: 2, column: 20, endLine: 2, endColumn: 23 }]);
    expect(r.serverBlocks[0]?.tokens["forward"]?.map((t) => t.text)).toEqual(["forward", ".", "1.1.1.1", "8.8.8.8"]);
  });

  it("EMPTY_COREFILE", () => {
    const r = parse("# nothing\n", { filename: F });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([["EMPTY_COREFILE", "info"]]);
  });
});

describe("server-block key checks (CoreDNS InspectServerBlocks / MakeServers)", () => {
  it("INVALID_SERVER_KEY", () => {
    const r = parse(":53 {\n}\nexample..org {\n}\nexample.org: {\n}\n", { filename: F });
    expect(r.diagnostics.map((d) => [d.code, d.line, d.corednsMessage])).toEqual([
      ["INVALID_SERVER_KEY", 1, "zone is not a valid domain name: "],
      ["INVALID_SERVER_KEY", 3, "zone is not a valid domain name: example..org"],
      ["INVALID_SERVER_KEY", 5, 'expecting data after last colon: "example.org:"'],
    ]);
  });

  it("DUPLICATE_SERVER_KEY, but not with different ports, binds or views", () => {
    const dup = parse("example.org {\n}\nEXAMPLE.org.:53 {\n}\n", { filename: F });
    expect(dup.diagnostics.map((d) => [d.code, d.line, d.column, d.corednsMessage])).toEqual([
      ["DUPLICATE_SERVER_KEY", 3, 1, "cannot serve dns://example.org.:53 - it is already defined"],
    ]);
    expect(parse("example.org {\n}\nexample.org:54 {\n}\ntls://example.org {\n}\n").ok).toBe(true);
    expect(parse(". {\n  bind 127.0.0.1\n}\n. {\n  bind 127.0.0.2\n}\n").ok).toBe(true);
    expect(parse(". {\n  view a {\n    expr true\n  }\n}\n. {\n}\n").ok).toBe(true);
    const overlap = parse(". {\n  bind 127.0.0.1\n}\n. {\n}\n", { filename: F });
    expect(overlap.diagnostics.map((d) => [d.code, d.line, d.corednsMessage])).toEqual([
      ["DUPLICATE_SERVER_KEY", 4, "cannot serve dns://.:53 - zone overlap listener capacity with dns://.:53 on 127.0.0.1"],
    ]);
  });

  it("only runs when the file parsed", () => {
    expect(parse("a {\n}\na {\n}\nb {\n").diagnostics.map((d) => d.code)).toEqual(["UNMATCHED_BRACE"]);
  });
});

describe("DIAGNOSTICS.md", () => {
  it("documents every code", async () => {
    const { readFileSync } = await import("node:fs");
    const { DIAGNOSTIC_CODES } = await import("./diagnostics");
    const doc = readFileSync(new URL("./DIAGNOSTICS.md", import.meta.url), "utf8");
    for (const code of DIAGNOSTIC_CODES) expect(doc, code).toContain("`" + code + "`");
  });
});
