/**
 * The index form of the tree (tree-index.ts) against the straightforward reference builder (reference/cst.ts, which
 * builds its objects from the lexer's pieces without the index): the same nodes in the same order, with the same kinds,
 * ranges, nesting, `{`/`}` tokens and trailing comments.
 */
import { describe, expect, it } from "vitest";
import { isNode, type Node } from "./cst";
import { parse } from "./parse";
import { referenceBuildCst } from "./reference/cst";
import { referenceLex } from "./reference/lexer";
import { rng, listCorpus, readCorpus } from "./test-helpers";
import { flatTreeIndex, NF_KEY_IMPORT, type TreeIndex } from "./tree-index";

/** The object tree's nodes in source (pre-)order. */
function preorder(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    out.push(n);
    for (const c of n.children) if (isNode(c)) walk(c);
  };
  walk(root);
  return out;
}

/** Checks every node of the index against the reference tree's node at the same position in preorder. */
function agrees(tree: TreeIndex, root: Node): void {
  const nodes = preorder(root);
  expect(tree.count).toBe(nodes.length);
  const tokenStart = (t: number) => (t === -1 ? undefined : tree.table.start[t]);
  nodes.forEach((node, i) => {
    expect(tree.kindName(i)).toBe(node.kind);
    expect([tree.start[i], tree.end[i]]).toEqual([node.start, node.end]);
    const kids = node.children.filter(isNode);
    expect(tree.childNodes(i).map((c) => nodes[c])).toEqual(kids);
    if (node.kind === "ServerBlock" || node.kind === "Snippet" || node.kind === "Block") {
      expect(tokenStart(tree.open[i] as number)).toBe(node.open?.start);
      expect(tokenStart(tree.close[i] as number)).toBe(node.close?.start);
    }
    if (node.kind === "Directive" || node.kind === "Import") {
      expect(tree.comment[i] === -1 ? undefined : tree.comment[i]).toBe(node.comment?.start);
      expect(tokenStart(tree.firstToken[i] as number)).toBe(node.kind === "Directive" ? node.name.start : node.keyword.start);
    }
  });
}

/** The reference builder's tree of a text (no env values, as parse() is called below). */
function referenceTree(text: string): Node {
  const lexed = referenceLex(text);
  return referenceBuildCst(lexed.pieces, { file: "Corefile", env: {}, source: text, lineStarts: lexed.lineStarts });
}

const ATOMS = ["{", "}", " ", "\n", "\r\n", "\t", "# c\n", '"', '"q s"', "(s)", ".", "a,", "log", "import", "a#b", "x {\n", "}\n", "import s\n"];

function randomText(next: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(next() * 40);
  for (let j = 0; j < n; j++) parts.push(ATOMS[Math.floor(next() * ATOMS.length)] as string);
  return parts.join("");
}

describe("tree index", () => {
  it("has the reference tree's nodes, ranges, braces and comments on the corpus and random input", { timeout: 120_000 }, () => {
    const next = rng(21);
    const texts = listCorpus("corefiles")
      .filter((f) => !f.endsWith(".json"))
      .map((f) => readCorpus(f));
    for (let i = 0; i < 800; i++) texts.push(randomText(next));
    for (const text of texts) {
      const r = parse(text);
      expect(r.tree.text(0)).toBe(text);
      agrees(r.tree, referenceTree(text));
    }
  });

  it("finds the innermost node at an offset", () => {
    const text = ". {\n  forward . 1.1.1.1 { # upstream\n    max_fails 3\n  }\n  log # all\n}\n";
    const { tree } = parse(text);
    const at = (needle: string) => tree.kindName(tree.nodeAt(text.indexOf(needle)));
    expect(at("max_fails")).toBe("Directive");
    expect(tree.text(tree.nodeAt(text.indexOf("max_fails")))).toBe("max_fails 3");
    expect(at("# upstream")).toBe("Block");
    expect(at("forward")).toBe("Directive");
    expect(tree.text(tree.nodeAt(text.indexOf("log")))).toBe("log # all");
    expect(at(". {")).toBe("ServerBlock");
    expect(tree.nodeAt(text.length)).toBe(0);
  });

  it("marks import lines that supply keys and keeps them out of the body", () => {
    const text = "(keys) {\n}\na,\nimport keys\n{\n  log\n}\n";
    const r = parse(text);
    const block = r.tree.childNodes(0)[1] as number;
    const [imp, directive] = r.tree.childNodes(block) as [number, number];
    expect(r.tree.kindName(imp)).toBe("Import");
    expect(r.tree.flags[imp]).toBe(NF_KEY_IMPORT);
    expect(r.tree.flags[directive]).toBe(0);
    const node = r.cst.items[1];
    expect(node?.kind === "ServerBlock" && node.body.map((b) => b.kind)).toEqual(["Directive"]);
  });

  it("ends a block left open at the end of the file there, trivia included", () => {
    const text = ". {\n  forward . 1.1.1.1 {\n    max_fails 3 # x\n\n# tail\n";
    const { tree } = parse(text);
    const [block] = tree.childNodes(0) as [number];
    expect(tree.end[block]).toBe(text.length);
    expect(tree.close[block]).toBe(-1);
  });

  it("covers an unparsed text with the document alone", () => {
    const tree = flatTreeIndex("a {\n", "Corefile");
    expect(tree.count).toBe(1);
    expect(tree.text(0)).toBe("a {\n");
    expect(tree.childNodes(0)).toEqual([]);
  });
});
