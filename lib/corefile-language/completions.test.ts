/**
 * Completion at each kind of position: top level, line start in a server block, line start in a directive block,
 * after a directive or option name, inside comments and strings; replace ranges; snippets expand to valid Corefiles.
 */
import { describe, expect, it } from "vitest";
import { validateCorefile } from "@/lib/corefile/validate";
import { getCompletions } from "./completions";
import { COREFILE_SNIPPETS, expandSnippet } from "./snippets";

/** Splits `text` at its `|` (the cursor). */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf("|");
  if (offset < 0) throw new Error("no cursor");
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function complete(marked: string) {
  const { text, offset } = at(marked);
  return getCompletions(text, offset);
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe("top level", () => {
  it("offers server-block snippets in an empty file", () => {
    const items = complete("|");
    expect(items.every((i) => i.kind === "snippet" && i.isSnippet)).toBe(true);
    expect(labels(items)).toContain("stub-domain server block");
    const stub = items.find((i) => i.label === "stub-domain server block");
    expect(stub?.insertText).toBe("${1:example.com}:53 {\n\terrors\n\tcache 30\n\tforward . ${2:10.0.0.10}\n}");
  });

  it("offers server-block snippets between blocks, and import when a snippet exists", () => {
    const items = complete("(common) {\n    errors\n}\n\n|\n.:53 {\n    import common\n}\n");
    expect(labels(items)).toContain("server block");
    expect(labels(items)).toContain("import");
    expect(items.some((i) => i.kind === "directive" && i.label === "errors")).toBe(false);
  });

  it("offers nothing while server-block keys are being typed", () => {
    expect(complete("example.org |")).toEqual([]);
  });
});

describe("line start in a server block", () => {
  it("offers directives with their summary, and directive snippets", () => {
    const items = complete(".:53 {\n    |\n}\n");
    const errors = items.find((i) => i.label === "errors");
    expect(errors).toMatchObject({ kind: "directive", insertText: "errors", isSnippet: false });
    expect(errors?.detail).toMatch(/errors/i);
    expect(errors?.documentation).toContain("https://coredns.io/plugins/errors/");
    expect(labels(items)).toContain("kubernetes block");
    expect(labels(items)).toContain("forward to upstream");
    const forward = items.find((i) => i.label === "forward to upstream");
    expect(forward).toMatchObject({ kind: "snippet", insertText: "forward . ${1:8.8.8.8}", isSnippet: true });
    // Every stock directive is there once (nothing is written in the block yet).
    expect(items.filter((i) => i.kind === "directive")).toHaveLength(60);
  });

  it("puts the directives most Corefiles use first", () => {
    const items = complete(".:53 {\n    |\n}\n").filter((i) => i.kind === "directive");
    expect(labels(items).slice(0, 4)).toEqual(["errors", "health", "ready", "kubernetes"]);
  });

  it("replaces the partial word under the cursor", () => {
    const { text, offset } = at(".:53 {\n    ca|che\n}\n");
    const items = getCompletions(text, offset);
    expect(items[0]?.replace).toEqual({
      start: 11,
      end: 16,
      startLineNumber: 2,
      startColumn: 5,
      endLineNumber: 2,
      endColumn: 10,
    });
    expect(labels(items)).toContain("cache");
  });

  it("leaves out directives that may appear once and are already there, but keeps repeatable ones", () => {
    const items = complete(".:53 {\n    cache 30\n    forward . 1.1.1.1\n    |\n}\n");
    expect(labels(items)).not.toContain("cache");
    expect(labels(items)).not.toContain("cache with TTL");
    expect(labels(items)).toContain("forward");
    // The directive being retyped on the cursor's line still counts as absent.
    expect(labels(complete(".:53 {\n    cach|\n}\n"))).toContain("cache");
  });

  it("works after the `{` on the key line and in a block without a closing brace", () => {
    expect(labels(complete(".:53 { |"))).toContain("errors");
    expect(labels(complete(".:53 {\n    errors\n    |"))).toContain("forward");
  });

  it("gives directives with required arguments placeholders", () => {
    const forward = complete(".:53 {\n    |\n}\n").find((i) => i.label === "forward");
    expect(forward).toMatchObject({ isSnippet: true, insertText: "forward ${1:FROM} ${2:TO}" });
  });
});

describe("inside a directive's block", () => {
  it("offers that plugin's options", () => {
    const items = complete(".:53 {\n    kubernetes cluster.local {\n        |\n    }\n}\n");
    expect(items.every((i) => i.kind === "option")).toBe(true);
    expect(labels(items)).toContain("pods");
    expect(labels(items)).toContain("fallthrough");
    const pods = items.find((i) => i.label === "pods");
    expect(pods).toMatchObject({ detail: "pods POD-MODE", insertText: "pods ${1|disabled,insecure,verified|}", isSnippet: true });
    expect(pods?.documentation).toContain("Default: disabled.");
  });

  it("leaves out options already set that cannot repeat", () => {
    const items = complete(".:53 {\n    kubernetes {\n        pods insecure\n        |\n    }\n}\n");
    expect(labels(items)).not.toContain("pods");
    expect(labels(items)).toContain("ttl");
  });

  it("offers nothing for a plugin without options or an unknown directive", () => {
    expect(complete(".:53 {\n    whoami {\n        |\n    }\n}\n")).toEqual([]);
    expect(complete(".:53 {\n    nosuch {\n        |\n    }\n}\n")).toEqual([]);
  });
});

describe("after a directive or option name", () => {
  it("offers an enumerated option value", () => {
    const items = complete(".:53 {\n    kubernetes {\n        pods |\n    }\n}\n");
    expect(labels(items)).toEqual(["disabled", "insecure", "verified"]);
    expect(items.every((i) => i.kind === "value")).toBe(true);
  });

  it("filters nothing itself but replaces the value being typed", () => {
    const { text, offset } = at(".:53 {\n    forward . 1.1.1.1 {\n        policy ra|\n    }\n}\n");
    const items = getCompletions(text, offset);
    expect(labels(items)).toEqual(["random", "round_robin", "sequential"]);
    expect(items[0]?.replace.start).toBe(text.indexOf("ra\n"));
    expect(items[0]?.replace.end).toBe(text.indexOf("ra\n") + 2);
  });

  it("offers directive argument values, optional and required alike", () => {
    // rewrite [FLOW] RULE ...: the first argument is a flow or a rule.
    const items = complete(".:53 {\n    rewrite |\n}\n");
    expect(labels(items)).toEqual(expect.arrayContaining(["stop", "continue", "name", "type", "edns0"]));
    expect(labels(complete(".:53 {\n    loadbalance |\n}\n"))).toEqual(["round_robin", "weighted"]);
  });

  it("offers DNS codes for rcode arguments, common ones first", () => {
    const items = complete(".:53 {\n    forward . 1.1.1.1 {\n        next |\n    }\n}\n");
    expect(labels(items).slice(0, 3)).toEqual(["NOERROR", "NXDOMAIN", "SERVFAIL"]);
    const types = complete(".:53 {\n    template IN |\n}\n");
    expect(labels(types).slice(0, 2)).toEqual(["A", "AAAA"]);
  });

  it("offers snippet names after import", () => {
    const items = complete("(common) {\n    errors\n}\n.:53 {\n    import |\n}\n");
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ label: "common", kind: "value", insertText: "common" });
  });

  it("offers nothing for free-form arguments", () => {
    expect(complete(".:53 {\n    hosts {\n        10.0.0.1 |\n    }\n}\n")).toEqual([]);
  });
});

describe("inert positions", () => {
  it("offers nothing in a comment or a quoted string", () => {
    expect(complete(".:53 {\n    # cache |\n}\n")).toEqual([]);
    expect(complete('.:53 {\n    log . "{remote} |"\n}\n')).toEqual([]);
    expect(complete('.:53 {\n    template IN A {\n        answer "x 60 IN A\n        |1.2.3.4"\n    }\n}\n')).toEqual([]);
  });
});

describe("snippets", () => {
  it("each snippet, with its defaults filled in, is a Corefile CoreDNS accepts", () => {
    for (const s of COREFILE_SNIPPETS) {
      const fragment = expandSnippet(s.body);
      const text = s.scope === "top" ? `${fragment}\n` : `.:53 {\n${fragment}\n}\n`;
      const result = validateCorefile(text);
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect({ label: s.label, errors: errors.map((d) => `${d.code}: ${d.message}`) }).toEqual({ label: s.label, errors: [] });
    }
  });

  it("expands choices, mirrors and escapes", () => {
    expect(expandSnippet("a ${1|x,y|} ${2:b\\}c} $1 ${1} \\$0 $0")).toBe("a x b}c x x $0 ");
  });
});
