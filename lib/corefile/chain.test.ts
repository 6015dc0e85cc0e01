import { describe, expect, it } from "vitest";
import { describeChain, executionChain, renderChain } from "./chain";
import { DIRECTIVES } from "./directives";
import { parse } from "./parse";
import { readCorpus } from "./test-helpers";

const kubeadm = readCorpus("corefiles/deployment/kubeadm-Corefile.rendered-cluster.local.conf");

describe("executionChain", () => {
  it("runs the kubeadm Corefile in plugin.cfg order, not in text order", () => {
    const p = parse(kubeadm);
    const chain = executionChain(p.serverBlocks[0]!, { parse: p });
    expect(chain.entries.map((e) => e.name)).toEqual([
      "reload",
      "ready",
      "health",
      "prometheus",
      "errors",
      "loadbalance",
      "cache",
      "kubernetes",
      "loop",
      "forward",
    ]);
    expect(chain.entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const e of chain.entries) expect(e.order).toBe(DIRECTIVES.indexOf(e.name));
    // text order: errors health ready kubernetes prometheus forward cache loop reload loadbalance
    expect(chain.entries.map((e) => e.textIndex)).toEqual([8, 2, 1, 4, 0, 9, 6, 3, 7, 5]);
    expect(chain.textOrderDiffers).toBe(true);
    expect(chain.keys).toEqual([".:53"]);
    expect(chain.zones).toEqual(["."]);
    expect(chain.unknown).toEqual([]);
  });

  it("gives positions and the catalog's flags", () => {
    const p = parse(kubeadm);
    const chain = executionChain(p.serverBlocks[0]!, { parse: p });
    const k8s = chain.entries.find((e) => e.name === "kubernetes")!;
    expect(k8s.occurrences).toEqual([{ file: "Corefile", line: 7, column: 5, offset: kubeadm.indexOf("kubernetes"), imported: false }]);
    expect([k8s.canAnswer, k8s.canFallthrough, k8s.forwards, k8s.serverSetting]).toEqual([true, true, false, false]);
    const fwd = chain.entries.find((e) => e.name === "forward")!;
    expect([fwd.canAnswer, fwd.canFallthrough, fwd.forwards]).toEqual([true, false, true]);
    expect(chain.entries.find((e) => e.name === "health")!.serverSetting).toBe(true);
  });

  it("a block written in execution order", () => {
    const p = parse(". {\n    log\n    cache 30\n    forward . 8.8.8.8\n}\n");
    const chain = executionChain(p.serverBlocks[0]!);
    expect(chain.entries.map((e) => [e.name, e.textIndex])).toEqual([
      ["log", 0],
      ["cache", 1],
      ["forward", 2],
    ]);
    expect(chain.textOrderDiffers).toBe(false);
  });

  it("a block whose text order differs: each entry keeps its text index", () => {
    const text = ". {\n    forward example.org 10.0.0.1\n    cache 30\n    forward . 8.8.8.8\n    log\n}\n";
    const p = parse(text);
    const chain = executionChain(p.serverBlocks[0]!, { parse: p });
    expect(chain.entries.map((e) => [e.name, e.index, e.textIndex])).toEqual([
      ["log", 0, 2],
      ["cache", 1, 1],
      ["forward", 2, 0],
    ]);
    expect(chain.textOrderDiffers).toBe(true);
    // several forward run in their written order, within forward's slot
    expect(chain.entries[2]!.occurrences.map((o) => o.line)).toEqual([2, 4]);
  });

  it("marks imported directives with the import line", () => {
    const text = "(common) {\n    errors\n    log\n}\n. {\n    import common\n    forward . 8.8.8.8\n}\n";
    const p = parse(text);
    const chain = executionChain(p.serverBlocks[0]!, { parse: p });
    const errors = chain.entries.find((e) => e.name === "errors")!;
    expect(errors.occurrences).toEqual([
      { file: "Corefile", line: 2, column: 5, offset: text.indexOf("errors"), imported: true, via: { file: "Corefile", line: 6, column: 5, offset: text.indexOf("import common") } },
    ]);
    expect(chain.entries.find((e) => e.name === "forward")!.occurrences[0]!.imported).toBe(false);
    // the imported directives sit where the import line is
    expect(chain.entries.map((e) => [e.name, e.textIndex])).toEqual([
      ["errors", 0],
      ["log", 1],
      ["forward", 2],
    ]);
  });

  it("takes a syntax-tree node, with or without the parse result", () => {
    const text = "(common) {\n    errors\n}\nexample.org {\n    import common\n    cache 30\n    whoami\n}\n";
    const p = parse(text);
    const node = p.cst.items.find((i) => i.kind === "ServerBlock");
    if (!node || node.kind !== "ServerBlock") throw new Error("no block");
    expect(executionChain(node, { parse: p }).entries.map((e) => e.name)).toEqual(["errors", "cache", "whoami"]);
    const bare = executionChain(node);
    expect(bare.entries.map((e) => [e.name, e.occurrences[0]!.imported])).toEqual([
      ["cache", false],
      ["whoami", false],
    ]);
    expect(bare.zones).toEqual(["example.org."]);
  });

  it("lists directives CoreDNS does not know apart", () => {
    const p = parse(". {\n    proxy . 8.8.8.8\n    whoami\n}\n");
    const chain = executionChain(p.serverBlocks[0]!);
    expect(chain.entries.map((e) => e.name)).toEqual(["whoami"]);
    expect(chain.unknown.map((u) => [u.name, u.occurrences[0]!.line])).toEqual([["proxy", 2]]);
  });
});

describe("describeChain / renderChain", () => {
  it("describes every server block", () => {
    const d = describeChain(". {\n    forward . 8.8.8.8\n}\nexample.org:1053 10.0.0.0/24 {\n    whoami\n}\n");
    expect(d.blocks.map((b) => [b.keys, b.zones, b.line, b.chain.map((e) => e.name), b.textOrderDiffers])).toEqual([
      [["."], ["."], 1, ["forward"], false],
      [["example.org:1053", "10.0.0.0/24"], ["example.org.", "0.0.10.in-addr.arpa."], 4, ["whoami"], false],
    ]);
  });

  it("renders one numbered line per plugin, marking what each can do", () => {
    const out = renderChain(describeChain(kubeadm));
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe(".:53  (zones: .)");
    expect(lines[1]).toContain("another order");
    expect(lines.slice(2).map((l) => /^\s*(\d+)\. (\S+)/.exec(l)?.slice(1, 3).join(" "))).toEqual([
      "1 reload",
      "2 ready",
      "3 health",
      "4 prometheus",
      "5 errors",
      "6 loadbalance",
      "7 cache",
      "8 kubernetes",
      "9 loop",
      "10 forward",
    ]);
    expect(lines.find((l) => l.includes(" kubernetes "))).toMatch(/answers, can fall through\s+Corefile:7$/);
    expect(lines.find((l) => l.includes(" forward "))).toMatch(/answers, forwards upstream\s+Corefile:13$/);
    expect(lines.find((l) => l.includes(" reload "))).toMatch(/setting\s+Corefile:21$/);
  });

  it("renders a single chain too", () => {
    const p = parse(". {\n    whoami\n}\n");
    expect(renderChain(executionChain(p.serverBlocks[0]!))).toBe(".  (zones: .)\n  1. whoami  answers  Corefile:2\n");
  });
});
