/**
 * Agreement with CoreDNS: every setup case extracted from CoreDNS's own plugin tests (corpus `setup-cases/`) is run
 * through tokenize + validatePlugin and "has an error" is compared with the real outcome (`shouldErr`). Cases whose
 * outcome depends on the test machine are listed, with reasons, in setup-case-exclusions.ts.
 *
 * Also: every README Corefile that CoreDNS's TestReadme starts must produce no error-severity diagnostic.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { corpusRoot } from "@/lib/testing/corpus";
import { tokenize, type Token } from "../lexer";
import { getPluginSpec, validatePlugin } from "./index";
import { NEWRULE_EXCLUSIONS, SETUP_CASE_EXCLUSIONS, isExcluded, isNewRuleExcluded } from "./setup-case-exclusions";
import type { PluginDiagnostic, ValidateContext } from "./types";

const CORPUS = corpusRoot();
const CASES_DIR = path.join(CORPUS, "setup-cases");

interface SetupCase {
  input?: string;
  args?: string[];
  shouldErr: boolean;
  source: string;
  test: string;
  calls: string;
  note?: string;
  expectedErr?: string;
  directiveLine?: string;
}

const corpusAvailable = fs.existsSync(CASES_DIR);

/** The plugin a corpus file belongs to (file names are plugin directories; `metrics` is the prometheus directive). */
function pluginOfFile(file: string): string {
  const base = file.replace(/\.json$/, "");
  return base === "metrics" ? "prometheus" : base;
}

/** Server-block keys that specific tests set on the controller before calling setup. */
const KEY_OVERRIDES: Record<string, string[]> = {
  // shed: TestSetupRejectsNonDNSTransport (first key of its loop) and TestSetupAcceptsPlainDNSKeys.
  "plugin/shed/setup_test.go:34": ["tls://.:853"],
  "plugin/shed/setup_test.go:48": ["example.org.:53", "dns://.:53"],
};

function contextFor(c: SetupCase): ValidateContext {
  const keys = KEY_OVERRIDES[c.source];
  if (keys) return { serverBlockKeys: keys };
  // NewTestController starts with no keys; tests that add zones (or mutate the controller) leave them unknown here.
  if (c.note && /ServerBlockKeys|NewTestControllerWithZones|mutates/.test(c.note)) return {};
  return { serverBlockKeys: [] };
}

function errorsOf(diags: readonly PluginDiagnostic[]): PluginDiagnostic[] {
  return diags.filter((d) => d.severity === "error");
}

function runCase(file: string, c: SetupCase): PluginDiagnostic[] {
  let input = c.input ?? "";
  let plugin = pluginOfFile(file);
  if (file === "pkg_parse.json") {
    // parse.TransferIn is what `secondary { transfer ... }` calls for its `transfer` line.
    input = `secondary {\ntransfer ${input}\n}`;
    plugin = "secondary";
  }
  const tokens = tokenize(input, "Corefile");
  const first = tokens[0]?.text;
  // Most inputs start with the directive; some tests use another directive (forward's dnstap test) or a misspelt
  // name (the plugin's setup never looks at it), in which case the file's plugin is meant.
  const name = first !== undefined && getPluginSpec(first) ? first : plugin;
  return validatePlugin(name, tokens, contextFor(c));
}

/**
 * The tokens of `rewrite ARGS...` on one line. Args that need quoting (spaces, quotes, braces, `#`) are written as
 * caddy quoted tokens; the test checks that the lexer gives back exactly the args.
 */
function rewriteTokens(args: readonly string[]): Token[] {
  const line = ["rewrite", ...args.map((a) => (/^[^\s"#{}]+$/.test(a) ? a : `"${a.replace(/"/g, '\\"')}"`))].join(" ");
  const tokens = tokenize(line, "Corefile");
  expect(tokens.map((t) => t.text)).toEqual(["rewrite", ...args]);
  return tokens;
}

interface Tally {
  total: number;
  agree: number;
  excluded: number;
  disagreements: string[];
}

describe.skipIf(!corpusAvailable)("agreement with CoreDNS setup tests", () => {
  it("matches shouldErr for every setup case (≥ 95%)", () => {
    const files = fs.readdirSync(CASES_DIR).filter((f) => f.endsWith(".json") && f !== "index.json" && f !== "rewrite-newRule.json");
    const perPlugin = new Map<string, Tally>();
    const tally = (key: string): Tally => {
      let t = perPlugin.get(key);
      if (!t) perPlugin.set(key, (t = { total: 0, agree: 0, excluded: 0, disagreements: [] }));
      return t;
    };
    for (const file of files.sort()) {
      const cases = JSON.parse(fs.readFileSync(path.join(CASES_DIR, file), "utf8")) as SetupCase[];
      const t = tally(file.replace(/\.json$/, ""));
      cases.forEach((c, i) => {
        if (isExcluded(file, i)) {
          t.excluded++;
          return;
        }
        const errs = errorsOf(runCase(file, c));
        const hasErr = errs.length > 0;
        t.total++;
        if (hasErr === c.shouldErr) t.agree++;
        else
          t.disagreements.push(
            `${file}#${i} (${c.source}) expected ${c.shouldErr ? "an error" : "no error"}, got ${
              hasErr ? errs.map((e) => `${e.code}: ${e.message}`).join(" | ") : "none"
            } — input ${JSON.stringify(c.input)}`,
          );
      });
    }

    // rewrite newRule cases: `rewrite ARGS...` on one line (directiveLine when given, otherwise synthesised tokens).
    const nr = JSON.parse(fs.readFileSync(path.join(CASES_DIR, "rewrite-newRule.json"), "utf8")) as SetupCase[];
    const t = tally("rewrite-newRule");
    nr.forEach((c, i) => {
      if (isNewRuleExcluded(i)) {
        t.excluded++;
        return;
      }
      const tokens = c.directiveLine ? tokenize(c.directiveLine, "Corefile") : rewriteTokens(c.args ?? []);
      const errs = errorsOf(validatePlugin("rewrite", tokens, { serverBlockKeys: [] }));
      t.total++;
      if (errs.length > 0 === c.shouldErr) t.agree++;
      else t.disagreements.push(`rewrite-newRule#${i} (${c.source}) expected ${c.shouldErr ? "an error" : "no error"} for ${JSON.stringify(c.args)}`);
    });

    let total = 0;
    let agree = 0;
    let excluded = 0;
    const lines: string[] = [];
    const all: string[] = [];
    for (const [name, v] of [...perPlugin.entries()].sort((a, b) => a[1].agree / Math.max(1, a[1].total) - b[1].agree / Math.max(1, b[1].total) || a[0].localeCompare(b[0]))) {
      total += v.total;
      agree += v.agree;
      excluded += v.excluded;
      lines.push(`${name.padEnd(16)} ${String(v.agree).padStart(4)}/${String(v.total).padEnd(4)} ${((100 * v.agree) / Math.max(1, v.total)).toFixed(1).padStart(5)}%  (excluded ${v.excluded})`);
      all.push(...v.disagreements);
    }
    const rate = agree / total;
    console.log(
      [
        `Setup-case agreement: ${agree}/${total} = ${(rate * 100).toFixed(2)}% (excluded ${excluded}: ${SETUP_CASE_EXCLUSIONS.length + NEWRULE_EXCLUSIONS.length} listed)`,
        ...lines,
        all.length ? `Disagreements (${all.length}):\n  ${all.join("\n  ")}` : "No disagreements.",
      ].join("\n"),
    );
    expect(excluded).toBe(SETUP_CASE_EXCLUSIONS.length + NEWRULE_EXCLUSIONS.length);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// README Corefiles

interface ReadmeEntry {
  file: string;
  plugin: string;
  tested_by_coredns_TestReadme?: boolean;
}

interface MiniBlock {
  keys: string[];
  directives: Map<string, Token[]>;
}

/**
 * A tiny stand-in for caddy's parser, enough for README examples: server-block keys up to `{`, then directives; a
 * directive runs to the end of its line plus any `{ ... }` it opens (nested braces belong to it), as caddy's
 * `directive()` does.
 */
function splitCorefile(text: string): MiniBlock[] {
  const toks = tokenize(text, "Corefile");
  const blocks: MiniBlock[] = [];
  let i = 0;
  const newLine = (k: number): boolean => {
    const a = toks[k - 1];
    const b = toks[k];
    if (!a || !b) return true;
    return b.line > a.line + (a.text.match(/\n/g)?.length ?? 0);
  };
  while (i < toks.length) {
    const keys: string[] = [];
    while (i < toks.length && toks[i]!.text !== "{") {
      if (toks[i]!.text !== "}") keys.push(toks[i]!.text.replace(/,$/, ""));
      i++;
    }
    i++; // {
    const directives = new Map<string, Token[]>();
    while (i < toks.length && toks[i]!.text !== "}") {
      const name = toks[i]!.text;
      const list = directives.get(name) ?? [];
      list.push(toks[i]!);
      i++;
      let nesting = 0;
      while (i < toks.length) {
        const t = toks[i]!;
        if (t.text === "{") nesting++;
        else if (newLine(i) && nesting === 0) break;
        else if (t.text === "}") {
          if (nesting === 0) break;
          nesting--;
        }
        list.push(t);
        i++;
      }
      directives.set(name, list);
    }
    i++; // }
    blocks.push({ keys, directives });
  }
  return blocks;
}

const readmeIndex = path.join(CORPUS, "corefiles/readme/index.json");

describe.skipIf(!fs.existsSync(readmeIndex))("README Corefiles started by CoreDNS's TestReadme", () => {
  it("produce no error-severity diagnostics", () => {
    const entries = (JSON.parse(fs.readFileSync(readmeIndex, "utf8")) as ReadmeEntry[]).filter((e) => e.tested_by_coredns_TestReadme);
    expect(entries.length).toBeGreaterThan(100);
    const problems: string[] = [];
    let directives = 0;
    for (const e of entries) {
      const text = fs.readFileSync(path.join(CORPUS, e.file), "utf8");
      for (const b of splitCorefile(text)) {
        for (const [name, toks] of b.directives) {
          if (!getPluginSpec(name)) continue; // unknown directives are the parser's business
          directives++;
          for (const d of validatePlugin(name, toks, { serverBlockKeys: b.keys })) {
            if (d.severity === "error") problems.push(`${e.file}:${d.line}:${d.column} ${name}: ${d.code} ${d.message}`);
          }
        }
      }
    }
    console.log(`README Corefiles: ${entries.length} files, ${directives} directive groups validated, ${problems.length} errors`);
    expect(problems).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Corefiles from CoreDNS's integration tests (test/*.go) that must start

const testsIndex = path.join(CORPUS, "corefiles/tests-index.json");

describe.skipIf(!fs.existsSync(testsIndex))("Corefiles CoreDNS's integration tests start", () => {
  it("produce no error-severity diagnostics", () => {
    const index = JSON.parse(fs.readFileSync(testsIndex, "utf8")) as { corefiles: { file: string; expect: string }[] };
    const entries = index.corefiles.filter((e) => e.expect.startsWith("start-ok") && !e.expect.includes("ONLY because"));
    expect(entries.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const e of entries) {
      const text = fs.readFileSync(path.join(CORPUS, e.file), "utf8");
      for (const b of splitCorefile(text)) {
        for (const [name, toks] of b.directives) {
          if (!getPluginSpec(name)) continue;
          for (const d of validatePlugin(name, toks, { serverBlockKeys: b.keys })) {
            if (d.severity === "error") problems.push(`${e.file}:${d.line}:${d.column} ${name}: ${d.code} ${d.message}`);
          }
        }
      }
    }
    console.log(`Integration-test Corefiles: ${entries.length} files, ${problems.length} errors`);
    expect(problems).toEqual([]);
  });
});
