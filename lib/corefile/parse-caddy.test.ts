/**
 * The parser against coredns/caddy's own test tables (parse_test.go), run through `parse` with no directive list (as
 * caddy's tests do) and caddy's testdata files given as virtual files.
 */
import { describe, expect, it } from "vitest";
import { parse } from "./parse";
import { listCorpus, readCorpus } from "./test-helpers";

interface OneCase {
  source: string;
  input: string;
  shouldErr: boolean;
  keys_go: string;
  tokens_go: string;
}
interface AllCase {
  source: string;
  input: string;
  shouldErr: boolean;
  keys_go: string;
}
interface CycleCase {
  name: string;
  input: string;
}

const cases = JSON.parse(readCorpus("caddyfile/parser-cases.json")) as {
  tests: { TestParseOneAndImport: OneCase[]; TestParseAll: AllCase[]; TestSnippetImportCycle: CycleCase[] };
};

// caddy's tests parse a file named "Caddyfile" in the package directory, so "testdata/x" resolves next to it.
const files: Record<string, string> = {};
for (const f of listCorpus("caddyfile/testdata")) files["testdata/" + f.split("/").pop()] = readCorpus(f);
const OPTIONS = { filename: "Caddyfile", directives: null, files };

/** The Go string literals of a Go expression such as `[]string{"a", "b"}`. */
const goStrings = (go: string): string[] => [...go.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);

describe("caddy TestParseOneAndImport", () => {
  it.each(cases.tests.TestParseOneAndImport.map((c) => [c.source, c] as const))("%s", (_src, c) => {
    const r = parse(c.input, OPTIONS);
    expect(r.ok).toBe(!c.shouldErr);
    if (c.shouldErr) return; // caddy's table then checks the half-built block, which parse does not return
    const block = r.serverBlocks[0];
    const keys = goStrings(c.keys_go);
    expect(block?.keys ?? []).toEqual(keys);
    const counts: Record<string, number> = {};
    for (const m of c.tokens_go.matchAll(/"([^"]*)"\s*:\s*(\d+)/g)) counts[m[1] as string] = Number(m[2]);
    const actual: Record<string, number> = {};
    for (const [name, toks] of Object.entries(block?.tokens ?? {})) actual[name] = toks.length;
    expect(actual).toEqual(counts);
  });
});

describe("caddy TestParseAll", () => {
  it.each(cases.tests.TestParseAll.map((c) => [c.source, c] as const))("%s", (_src, c) => {
    const r = parse(c.input, OPTIONS);
    expect(r.ok).toBe(!c.shouldErr);
    // `[][]string{ {"a", "b"}, {"c"} }`: one inner brace group per server block
    const inner = c.keys_go.replace(/^\s*\[\s*\]\s*\[\s*\]\s*string\s*\{/, "").replace(/\}\s*$/, "");
    const groups = [...inner.matchAll(/\{([^}]*)\}/g)].map((m) => goStrings(m[1] as string));
    expect(r.serverBlocks.map((b) => b.keys)).toEqual(groups);
  });
});

describe("caddy TestSnippetImportCycle", () => {
  it.each(cases.tests.TestSnippetImportCycle.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const r = parse(c.input, OPTIONS);
    expect(r.ok).toBe(false);
    expect(r.corednsError?.code).toBe("IMPORT_CYCLE");
    expect(r.corednsError?.corednsMessage).toMatch(/maximum snippet import depth \(10000\) exceeded$/);
  });
});

describe("caddy TestEnvironmentReplacement (env from options, not the process)", () => {
  const env = { PORT: "8080", ADDRESS: "servername.com", FOOBAR: "foobar", PARTIAL_DIR: "r1" };
  const p = (s: string) => parse(s, { directives: null, env });
  it.each([
    ["{$ADDRESS}", "servername.com"],
    ["di{$PARTIAL_DIR}", "dir1"],
    ["{$ADDRESS}:{$PORT}", "servername.com:8080"],
    ["{%ADDRESS%}:{$PORT}", "servername.com:8080"],
    ["{$ADDRESS}:{%PORT%}", "servername.com:8080"],
    [":{$PORT$}", ":"],
  ])("key %s", (input, key) => {
    expect(p(input).serverBlocks[0]?.keys[0]).toBe(key);
  });
  it.each([
    [":{%PORT%}\ndir1 {$FOOBAR}", "dir1", "foobar"],
    [":{%PORT%}\ndir1 {%ADDRESS%}/{%FOOBAR%}", "dir1", "servername.com/foobar"],
    [":1234\ndir1 {%ADDRESS}", "dir1", "{%ADDRESS}"],
    [':1234\ndir1 "Test {$FOOBAR} test"', "dir1", "Test foobar test"],
    [':1234\nanswer "{{ .Name }} {$FOOBAR}"', "answer", "{{ .Name }} foobar"],
  ])("argument in %j", (input, dir, arg) => {
    expect(p(input).serverBlocks[0]?.tokens[dir]?.[1]?.text).toBe(arg);
  });
});

describe("caddy snippet tests", () => {
  it("TestSnippets", () => {
    const r = parse(
      "\n\t\t(common) {\n\t\t\tgzip foo\n\t\t\terrors stderr\n\t\t}\n\t\thttp://example.com {\n\t\t\timport common\n\t\t}\n\t",
      { directives: null },
    );
    expect(r.ok).toBe(true);
    expect(r.serverBlocks).toHaveLength(1);
    expect(r.serverBlocks[0]?.keys).toEqual(["http://example.com"]);
    expect(Object.keys(r.serverBlocks[0]?.tokens ?? {})).toEqual(["gzip", "errors"]);
    expect(r.serverBlocks[0]?.tokens["errors"]?.[1]?.text).toBe("stderr");
  });

  it("TestImportedFilesIgnoreNonDirectiveImportTokens", () => {
    const imported = "\n\t\thttp://example.com {\n\t\t\t# comment\n\t\t\tbasicauth / import password\n\t\t}\n\t";
    const r = parse("import /tmp/x", { directives: null, files: { "/tmp/x": imported } });
    expect(r.serverBlocks[0]?.tokens["basicauth"]?.map((t) => t.text)).toEqual(["basicauth", "/", "import", "password"]);
  });

  it("TestSnippetAcrossMultipleFiles", () => {
    const r = parse("\n\t\t(common) {\n\t\t\tgzip foo\n\t\t}\n\t\timport /tmp/derived\n\t", {
      directives: null,
      files: { "/tmp/derived": "\n\t\thttp://example.com {\n\t\t\timport common\n\t\t}\n\t" },
    });
    expect(r.ok).toBe(true);
    expect(r.serverBlocks.map((b) => [b.keys, Object.keys(b.tokens)])).toEqual([[["http://example.com"], ["gzip"]]]);
  });

  it("TestRecursiveImport and TestDirectiveImport", () => {
    const files = {
      "/w/testdata/recursive_import_test1": "localhost\n\t\tdir1\n\t\timport recursive_import_test2",
      "/w/testdata/recursive_import_test2": "dir2 1",
      "/w/testdata/directive_import_test": "prop1 1\n\tprop2 2",
    };
    const opts = { filename: "/w/Caddyfile", directives: null, files };
    for (const input of ["import /w/testdata/recursive_import_test1", "import testdata/recursive_import_test1"]) {
      const b = parse(input, opts).serverBlocks[0];
      expect(b?.keys).toEqual(["localhost"]);
      expect(Object.fromEntries(Object.entries(b?.tokens ?? {}).map(([k, v]) => [k, v.length]))).toEqual({ dir1: 1, dir2: 2 });
    }
    const d = parse("localhost\n\tdir1\n\tproxy {\n\t\timport testdata/directive_import_test\n\t\ttransparent\n\t}", opts);
    expect(d.serverBlocks[0]?.tokens["proxy"]).toHaveLength(8);
    const missing = parse("localhost\n\tdir1\n\tproxy {\n\t\timport testdata/nonexistent_file\n\t\ttransparent\n\t}", opts);
    expect(missing.corednsError?.code).toBe("IMPORT_NOT_FOUND");
  });

  it("TestFileImportCycleError", () => {
    const r = parse("import /tmp/a", { directives: null, files: { "/tmp/a": "import /tmp/b", "/tmp/b": "import /tmp/a" } });
    expect(r.ok).toBe(false);
    expect(r.corednsError).toMatchObject({ code: "IMPORT_CYCLE", file: "/tmp/b", line: 1, column: 8 });
  });
});
