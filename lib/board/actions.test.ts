import { describe, expect, it } from "vitest";
import { applyEdits, validateCorefile } from "@/lib/corefile";
import { addBlock, duplicateDirective, insertPlugin, moveBlock, moveDirective, removeDirective, setBlockKeys, sortBlockByExecutionOrder } from "./actions";
import { buildBoard } from "./build-board";
import type { Board, BoardActionResult, ServerBlockCard } from "./types";

function blocks(board: Board): ServerBlockCard[] {
  return board.items.filter((i): i is ServerBlockCard => i.kind === "server");
}

/** The id of the n-th item of the b-th block. */
function idOf(text: string, b: number, n: number): string {
  return blocks(buildBoard(text))[b]?.items[n]?.id as string;
}

function blockId(text: string, b: number): string {
  return blocks(buildBoard(text))[b]?.id as string;
}

function apply(text: string, r: BoardActionResult): string {
  if (!r.ok) throw new Error(r.reason);
  return applyEdits(text, r.edits);
}

const TEXT = `.:53 {
    errors
    # upstream for example.org
    forward example.org 10.0.0.1 # primary
    forward . 8.8.8.8
    cache 30
}

example.org {
	whoami
}
`;

describe("moveDirective", () => {
  it("reorders within a block, comments travelling, and reports an order-sensitive reorder", () => {
    const r = moveDirective(TEXT, { id: idOf(TEXT, 0, 1), toIndex: 2 });
    const out = apply(TEXT, r);
    expect(out).toBe(`.:53 {
    errors
    forward . 8.8.8.8
    # upstream for example.org
    forward example.org 10.0.0.1 # primary
    cache 30
}

example.org {
	whoami
}
`);
    expect(r.ok && r.behaviourChange).toContain("forward");
    expect(r.ok && r.focus).toBe(idOf(out, 0, 2));
  });

  it("reports no behaviour change when only the text order of different plugins changes", () => {
    const r = moveDirective(TEXT, { id: idOf(TEXT, 0, 3), toIndex: 0 });
    expect(r.ok).toBe(true);
    expect(r.ok && r.behaviourChange).toBeUndefined();
    expect(apply(TEXT, r).split("\n")[1]).toBe("    cache 30");
  });

  it("moves to another block with that block's indentation, and says it changes behaviour", () => {
    const r = moveDirective(TEXT, { id: idOf(TEXT, 0, 1), toBlockId: blockId(TEXT, 1), toIndex: 1 });
    const out = apply(TEXT, r);
    expect(out).toContain("example.org {\n\twhoami\n\t# upstream for example.org\n\tforward example.org 10.0.0.1 # primary\n}\n");
    expect(r.ok && r.behaviourChange).toContain("example.org");
    const moved = blocks(buildBoard(out))[1]?.items[1];
    expect(moved?.id).toBe(r.ok && r.focus);
    expect(moved?.comments).toEqual(["# upstream for example.org", "# primary"]);
  });

  it("refuses to bring a second copy of a once-only plugin into a block", () => {
    const text = ". {\n    cache 30\n}\nexample.org {\n    cache 10\n}\n";
    const r = moveDirective(text, { id: idOf(text, 0, 0), toBlockId: blockId(text, 1), toIndex: 0 });
    expect(r.ok).toBe(false);
  });

  it("fails for an unknown id", () => {
    expect(moveDirective(TEXT, { id: "nope", toIndex: 0 }).ok).toBe(false);
  });
});

describe("removeDirective and duplicateDirective", () => {
  it("removes a directive with its comments", () => {
    const out = apply(TEXT, removeDirective(TEXT, { id: idOf(TEXT, 0, 1) }));
    expect(out).not.toContain("upstream for example.org");
    expect(out).not.toContain("primary");
    expect(out).toContain("    errors\n    forward . 8.8.8.8\n");
  });

  it("duplicates a directive right after it, without its comments", () => {
    const r = duplicateDirective(TEXT, { id: idOf(TEXT, 0, 2) });
    const out = apply(TEXT, r);
    expect(out).toContain("    forward . 8.8.8.8\n    forward . 8.8.8.8\n    cache 30\n");
    expect(r.ok && r.focus).toBe(idOf(out, 0, 3));
  });

  it("refuses to duplicate a once-only plugin into the same block", () => {
    expect(duplicateDirective(TEXT, { id: idOf(TEXT, 0, 3) }).ok).toBe(false);
  });

  it("copies a once-only plugin into another block at its execution-order place", () => {
    const out = apply(TEXT, duplicateDirective(TEXT, { id: idOf(TEXT, 0, 3), toBlockId: blockId(TEXT, 1) }));
    expect(out).toContain("example.org {\n\tcache 30\n\twhoami\n}");
  });
});

describe("insertPlugin", () => {
  it("inserts the palette default where it keeps execution order", () => {
    const r = insertPlugin(TEXT, { blockId: blockId(TEXT, 0), plugin: "log" });
    const out = apply(TEXT, r);
    expect(out.split("\n").slice(1, 3)).toEqual(["    errors", "    log"]);
    expect(r.ok && r.focus).toBe(idOf(out, 0, 1));
  });

  it("inserts at a given index, laid out at the block's indentation", () => {
    const out = apply(TEXT, insertPlugin(TEXT, { blockId: blockId(TEXT, 1), plugin: "hosts", index: 0 }));
    expect(out).toContain("example.org {\n\thosts {\n\t\tfallthrough\n\t}\n\twhoami\n}");
  });

  it("refuses a second cache and an unknown plugin", () => {
    expect(insertPlugin(TEXT, { blockId: blockId(TEXT, 0), plugin: "cache" }).ok).toBe(false);
    expect(insertPlugin(TEXT, { blockId: blockId(TEXT, 0), plugin: "proxy" }).ok).toBe(false);
  });
});

describe("sortBlockByExecutionOrder", () => {
  const text = `. {
    forward . 8.8.8.8
    # cache answers
    cache 30

    # the rest
    log
    errors
    whoami
}
`;

  it("sorts directives by plugin.cfg, comments travelling, blank lines staying", () => {
    const r = sortBlockByExecutionOrder(text, { blockId: blockId(text, 0) });
    const out = apply(text, r);
    // "# the rest" sits right above log, so it is log's; the blank line stays where it was.
    expect(out).toBe(`. {
    errors
    # the rest
    log

    # cache answers
    cache 30
    forward . 8.8.8.8
    whoami
}
`);
    expect(r.ok && r.behaviourChange).toBeUndefined();
    expect(blocks(buildBoard(out))[0]?.textOrderDiffers).toBe(false);
  });

  it("keeps the order of repeated plugins, and does nothing on a sorted block", () => {
    const t = ". {\n    forward example.org 10.0.0.1\n    cache\n    forward . 8.8.8.8\n}\n";
    const out = apply(t, sortBlockByExecutionOrder(t, { blockId: blockId(t, 0) }));
    expect(out).toBe(". {\n    cache\n    forward example.org 10.0.0.1\n    forward . 8.8.8.8\n}\n");
    const again = sortBlockByExecutionOrder(out, { blockId: blockId(out, 0) });
    expect(again.ok && again.edits).toEqual([]);
  });

  it("reports a behaviour change when sorting reorders a forward across an imported one", () => {
    const t = "(up) {\n    forward example.org 10.0.0.1\n}\n. {\n    forward . 8.8.8.8\n    import up\n    cache\n}\n";
    const r = sortBlockByExecutionOrder(t, { blockId: blockId(t, 0) });
    expect(r.ok && r.behaviourChange).toContain("forward");
  });
});

describe("moveBlock", () => {
  const text = `# catch-all
. {
    forward . 8.8.8.8
}

# internal clients
. {
    view internal {
        expr incidr(client_ip(), '10.0.0.0/8')
    }
    whoami
}

example.org {
    whoami
}
`;

  it("moves a block with its comments and reports a view-order change", () => {
    const r = moveBlock(text, { id: blockId(text, 1), toIndex: 0 });
    const out = apply(text, r);
    expect(out.startsWith("# internal clients\n. {\n    view internal")).toBe(true);
    expect(out).toContain("# catch-all\n. {\n    forward");
    expect(r.ok && r.behaviourChange).toContain("top to bottom");
    expect(r.ok && r.focus).toBe(blockId(out, 0));
  });

  it("reports nothing when the order of unrelated blocks changes", () => {
    const r = moveBlock(text, { id: blockId(text, 2), toIndex: 0 });
    expect(r.ok).toBe(true);
    expect(r.ok && r.behaviourChange).toBeUndefined();
  });
});

describe("addBlock and setBlockKeys", () => {
  it("adds a block at the end and focuses it", () => {
    const r = addBlock(TEXT, { keys: ["internal.example:53"], body: "forward . 10.0.0.53" });
    const out = apply(TEXT, r);
    expect(out.endsWith("\ninternal.example:53 {\n    forward . 10.0.0.53\n}\n")).toBe(true);
    expect(r.ok && r.focus).toBe(blockId(out, 2));
    expect(validateCorefile(out).ok).toBe(true);
  });

  it("refuses invalid keys and keys another block serves", () => {
    expect(addBlock(TEXT, { keys: ["exa mple"] }).ok).toBe(false);
    expect(addBlock(TEXT, { keys: ["a..b"] }).ok).toBe(false);
    const dup = addBlock(TEXT, { keys: ["EXAMPLE.org."] });
    expect(dup.ok).toBe(false);
    expect(!dup.ok && dup.reason).toContain("example.org");
  });

  it("sets keys", () => {
    const out = apply(TEXT, setBlockKeys(TEXT, { id: blockId(TEXT, 1), keys: ["example.net"] }));
    expect(out).toContain("example.net {\n\twhoami");
  });
});
