/**
 * The lossless tree: shape of typical Corefiles, trivia placement, tolerance, and print(parse(x).cst) === x.
 */
import { describe, expect, it } from "vitest";
import type { BodyItem, Child, DirectiveNode, Document, ImportNode, ServerBlockNode, SnippetNode } from "./cst";
import { isNode } from "./cst";
import { lex } from "./lexer";
import { parse } from "./parse";
import { print } from "./print";

const cst = (s: string, files?: Record<string, string>): Document => parse(s, { files }).cst;

/** A compact view of a body: directive name + args (+ nested bodies). */
function shape(items: BodyItem[]): unknown[] {
  return items.map((it) =>
    it.kind === "Import"
      ? ["import", ...it.args.map((a) => a.text)]
      : [it.name.text, ...it.args.map((a) => a.text), ...it.blocks.map((b) => shape(b.body))],
  );
}

/** Every piece under a node, in order. */
function pieces(children: Child[]): string[] {
  return children.flatMap((c) => (isNode(c) ? pieces(c.children) : [c.kind]));
}

describe("tree shape", () => {
  const src = [
    "# top comment",
    "",
    "(common) {",
    "  errors",
    "}",
    "",
    "cluster.local:53 in-addr.arpa {",
    "  import common # shared",
    "  kubernetes cluster.local {",
    "    pods insecure",
    "    fallthrough in-addr.arpa",
    "  }",
    "  forward . /etc/resolv.conf # upstream",
    "",
    "  # cache",
    "  cache 30",
    "}",
    "",
  ].join("\n");
  const doc = cst(src);

  it("has a snippet and a server block at the top", () => {
    expect(doc.items.map((i) => i.kind)).toEqual(["Snippet", "ServerBlock"]);
    const snip = doc.items[0] as SnippetNode;
    expect(snip.name).toBe("common");
    expect(shape(snip.body)).toEqual([["errors"]]);
  });

  it("groups keys, directives, args and nested blocks", () => {
    const sb = doc.items[1] as ServerBlockNode;
    expect(sb.keys.map((k) => k.text)).toEqual(["cluster.local:53", "in-addr.arpa"]);
    expect(sb.open?.line).toBe(7);
    expect(sb.close?.line).toBe(17);
    expect(shape(sb.body)).toEqual([
      ["import", "common"],
      ["kubernetes", "cluster.local", [["pods", "insecure"], ["fallthrough", "in-addr.arpa"]]],
      ["forward", ".", "/etc/resolv.conf"],
      ["cache", "30"],
    ]);
  });

  it("keeps end-of-line comments in the directive and other comments in the body", () => {
    const sb = doc.items[1] as ServerBlockNode;
    expect((sb.body[0] as ImportNode).comment?.raw).toBe("# shared");
    expect((sb.body[2] as DirectiveNode).comment?.raw).toBe("# upstream");
    expect(sb.children.filter((c) => !isNode(c) && c.kind === "comment").map((c) => (c as { raw: string }).raw)).toEqual([
      "# cache",
    ]);
    expect(doc.children[0]).toMatchObject({ kind: "comment", raw: "# top comment" });
  });

  it("has correct ranges", () => {
    const sb = doc.items[1] as ServerBlockNode;
    expect(src.slice(sb.start, sb.end)).toBe(print(sb));
    expect(print(sb).startsWith("cluster.local:53")).toBe(true);
    expect(print(sb).endsWith("}")).toBe(true);
    const k8s = sb.body[1] as DirectiveNode;
    expect(src.slice(k8s.start, k8s.end)).toBe(
      "kubernetes cluster.local {\n    pods insecure\n    fallthrough in-addr.arpa\n  }",
    );
  });

  it("prints back exactly", () => {
    expect(print(doc)).toBe(src);
    // every lexer piece appears exactly once in the tree
    expect(pieces(doc.children)).toEqual(lex(src).pieces.map((p) => p.kind));
  });
});

describe("caddy grammar corners", () => {
  it("a '{' on the next line opens the server block and continues a directive", () => {
    const doc = cst(".\n{\n  forward .\n  {\n    max_fails 1\n  }\n}\n");
    const sb = doc.items[0] as ServerBlockNode;
    expect(sb.open?.line).toBe(2);
    expect(shape(sb.body)).toEqual([["forward", ".", [["max_fails", "1"]]]]);
  });

  it("a server block without braces runs to the end", () => {
    const sb = cst("example.org\nlog\nerrors\n").items[0] as ServerBlockNode;
    expect(sb.open).toBeUndefined();
    expect(shape(sb.body)).toEqual([["log"], ["errors"]]);
  });

  it("keys continue after a trailing comma", () => {
    const sb = cst("a.org,\n b.org {\n}\n").items[0] as ServerBlockNode;
    expect(sb.keys.map((k) => k.text)).toEqual(["a.org,", "b.org"]);
  });

  it("a stray top-level '}' becomes a key, as in caddy", () => {
    const doc = cst(". {\n}\n}\n. {\n  log\n}\n");
    expect(doc.items.map((i) => (i.kind === "ServerBlock" ? i.keys.map((k) => k.text) : i.kind))).toEqual([["."], ["}"]]);
  });

  it("records what imports resolved to", () => {
    const doc = cst("(s) {\n}\n. {\n  import s\n  import conf/*.conf\n}\n", { "conf/a.conf": "log", "conf/b.conf": "errors" });
    const sb = doc.items[1] as ServerBlockNode;
    expect((sb.body[0] as ImportNode).resolved).toEqual({ kind: "snippet", name: "s" });
    expect((sb.body[1] as ImportNode).resolved).toEqual({ kind: "files", pattern: "conf/*.conf", files: ["conf/a.conf", "conf/b.conf"] });
  });

  it("survives deep nesting", () => {
    const src = ". {\n d " + "{ ".repeat(5000) + "}".repeat(10);
    const doc = cst(src);
    expect(print(doc)).toBe(src);
    const open = "{".repeat(100000);
    expect(print(cst(open))).toBe(open);
  });
});
