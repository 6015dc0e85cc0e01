/**
 * The board against the real Corefiles of the corpus: pipelines follow plugin.cfg (read from the corpus, not from
 * directives.ts), and random board actions keep every byte they do not own, keep the text parsing, and carry comments
 * with their directive.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEdits, parse } from "@/lib/corefile";
import { listCorpus, readCorpus } from "../corefile/test-helpers";
import { duplicateDirective, insertPlugin, moveBlock, moveDirective, removeDirective, sortBlockByExecutionOrder } from "./actions";
import { buildBoard } from "./build-board";
import { PALETTE } from "./palette";
import type { Board, BoardActionResult, DirectiveCard, OffsetEdit, ServerBlockCard } from "./types";

const OPTIONS = { filename: "/etc/coredns/Corefile" };
const FILES = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));

/** plugin.cfg from the corpus: `name:package` lines, comments and blanks skipped. */
const PLUGIN_CFG: string[] = readCorpus("coredns/plugin.cfg")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"))
  .map((l) => l.split(":")[0] as string);

function blocksOf(board: Board): ServerBlockCard[] {
  return board.items.filter((i): i is ServerBlockCard => i.kind === "server");
}

describe("pipelines of every corpus Corefile that parses", () => {
  const parsing = FILES.filter((f) => parse(readCorpus(f), OPTIONS).ok);

  it("finds the corpus", () => {
    expect(PLUGIN_CFG.length).toBe(60);
    expect(parsing.length).toBeGreaterThan(400);
  });

  it("each block's pipeline is in plugin.cfg order and lists exactly the block's plugins", () => {
    let readOnly = 0;
    for (const file of parsing) {
      const text = readCorpus(file);
      const board = buildBoard(text, OPTIONS);
      if (board.status === "read-only") {
        // CoreDNS accepts a server block left open when the file ends with a nested block's `}` (a caddy quirk);
        // the board refuses to edit such text, as every structured edit does.
        expect(board.error?.code, file).toBe("UNBALANCED_BRACES");
        readOnly++;
        continue;
      }
      const parsed = parse(text, OPTIONS);
      // The blocks of the root file, as CoreDNS sees them (imports expanded), in order.
      const rootBlocks = parsed.serverBlocks.filter((b) => b.keyTokens[0]?.file === parsed.cst.file);
      const cards = blocksOf(board);
      expect(cards.length, file).toBe(rootBlocks.length);
      cards.forEach((card, i) => {
        const names = card.pipeline.map((s) => s.name);
        const ranks = names.map((n) => PLUGIN_CFG.indexOf(n));
        expect(ranks.every((r) => r >= 0), `${file} ${names.join(",")}`).toBe(true);
        for (let k = 1; k < ranks.length; k++) expect(ranks[k] as number, `${file}: ${names.join(" ")}`).toBeGreaterThan(ranks[k - 1] as number);
        const expected = Object.keys(rootBlocks[i]?.tokens ?? {}).filter((n) => PLUGIN_CFG.includes(n)).sort();
        expect([...names].sort(), file).toEqual(expected);
      });
    }
    expect(readOnly).toBeLessThan(5);
  });
});

// ---- random board actions ------------------------------------------------------------------------------------------

/** A deterministic sample of the corpus: every 4th file that gives an editable board with a movable directive. */
const SAMPLE = FILES.filter((_, i) => i % 4 === 0)
  .map((f) => ({ file: f, text: readCorpus(f) }))
  .filter(({ text }) => {
    const b = buildBoard(text, OPTIONS);
    return b.status === "ok" && blocksOf(b).some((c) => c.items.some((it) => it.canMove));
  });

type Action = { kind: string; run: (text: string, board: Board) => { result: BoardActionResult; allowed: [number, number][]; moved?: DirectiveCard; removed?: DirectiveCard } | null };

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

/** Byte ranges an action may change: the card's lines plus one blank line on each side. */
function around(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  const prevLine = text.lastIndexOf("\n", s - 2) + 1;
  if (s > 0 && text.slice(prevLine, s).trim() === "") s = prevLine;
  const nl = text.indexOf("\n", e);
  if (nl >= 0 && text.slice(e, nl).trim() === "") e = nl + 1;
  return [s, e];
}

function commentsOf(text: string): string[] {
  const out: string[] = [];
  const walk = (children: ReturnType<typeof parse>["cst"]["children"]): void => {
    for (const c of children) {
      if ("children" in c) walk(c.children);
      else if (c.kind === "comment") out.push(c.raw);
    }
  };
  walk(parse(text).cst.children);
  return out.sort();
}

function actionFor(a: number, b: number, c: number, d: number): Action {
  const movable = (board: Board) => blocksOf(board).flatMap((bl) => bl.items.filter((it): it is DirectiveCard => it.kind === "directive" && it.canMove));
  const actions: Action[] = [
    {
      kind: "move within block",
      run: (text, board) => {
        const card = pick(movable(board), b);
        const block = blocksOf(board).find((x) => x.id === card?.blockId);
        if (!card || !block) return null;
        const to = c % block.items.length;
        return { result: moveDirective(text, { id: card.id, toIndex: to }, OPTIONS), allowed: [around(text, card.fullRange.start, card.fullRange.end)], moved: card };
      },
    },
    {
      kind: "move to another block",
      run: (text, board) => {
        const card = pick(movable(board), b);
        const target = pick(blocksOf(board), c);
        if (!card || !target) return null;
        const to = d % (target.items.length + 1);
        return {
          result: moveDirective(text, { id: card.id, toBlockId: target.id, toIndex: target.id === card.blockId ? to % target.items.length : to }, OPTIONS),
          allowed: [around(text, card.fullRange.start, card.fullRange.end)],
          moved: card,
        };
      },
    },
    {
      kind: "remove",
      run: (text, board) => {
        const card = pick(movable(board), b);
        if (!card) return null;
        return { result: removeDirective(text, { id: card.id }, OPTIONS), allowed: [around(text, card.fullRange.start, card.fullRange.end)], removed: card };
      },
    },
    {
      kind: "duplicate",
      run: (text, board) => {
        const card = pick(movable(board), b);
        if (!card) return null;
        return { result: duplicateDirective(text, { id: card.id }, OPTIONS), allowed: [] };
      },
    },
    {
      kind: "insert plugin",
      run: (text, board) => {
        const block = pick(blocksOf(board), b);
        const entry = pick(PALETTE, c);
        if (!block || !entry) return null;
        return { result: insertPlugin(text, { blockId: block.id, plugin: entry.name }, OPTIONS), allowed: [[block.range.start, block.range.end]] };
      },
    },
    {
      kind: "sort block",
      run: (text, board) => {
        const block = pick(blocksOf(board), b);
        if (!block) return null;
        return { result: sortBlockByExecutionOrder(text, { blockId: block.id }, OPTIONS), allowed: [[block.range.start, block.range.end]] };
      },
    },
    {
      kind: "move block",
      run: (text, board) => {
        const blocks = blocksOf(board);
        const block = pick(blocks, b);
        if (!block || !block.extent) return null;
        return { result: moveBlock(text, { id: block.id, toIndex: c % blocks.length }, OPTIONS), allowed: [around(text, block.extent.start, block.extent.end)] };
      },
    },
  ];
  return actions[a % actions.length] as Action;
}

/** Whether every edit that deletes or replaces bytes stays inside the allowed ranges. */
function confined(edits: readonly OffsetEdit[], allowed: readonly [number, number][]): boolean {
  return edits.every((e) => e.end === e.start || allowed.some(([s, t]) => e.start >= s && e.end <= t));
}

describe("random board actions on corpus Corefiles", () => {
  it("has a sample", () => {
    expect(SAMPLE.length).toBeGreaterThan(100);
  });

  it("keep untouched bytes, keep the text parsing, and carry comments with their directive", () => {
    const applied = new Map<string, number>();
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(), (fi, a, b, c, d) => {
        const sample = SAMPLE[fi % SAMPLE.length];
        if (!sample) return;
        const { file, text } = sample;
        const board = buildBoard(text, OPTIONS);
        const action = actionFor(a, b, c, d);
        const run = action.run(text, board);
        if (!run || !run.result.ok) return;
        const { result } = run;
        const out = applyEdits(text, result.edits);
        const label = `${file}: ${action.kind} ${JSON.stringify(result.edits)}`;
        expect(confined(result.edits, run.allowed), label).toBe(true);
        const after = buildBoard(out, OPTIONS);
        expect(after.status, label).toBe("ok");
        expect(blocksOf(after).length, label).toBe(blocksOf(board).length);
        const before = commentsOf(text);
        const now = commentsOf(out);
        if (run.removed) {
          const expected = [...before];
          for (const cm of run.removed.comments) expected.splice(expected.indexOf(cm), 1);
          // Comments inside the removed directive's block go too.
          expect(now.every((cm) => expected.includes(cm)), label).toBe(true);
        } else if (action.kind === "duplicate" || action.kind === "insert plugin") {
          expect(before.every((cm) => now.includes(cm)), label).toBe(true);
        } else {
          expect(now, label).toEqual(before);
        }
        if (run.moved && result.edits.length > 0) {
          const moved = blocksOf(after)
            .flatMap((bl) => bl.items)
            .find((it) => it.id === result.focus);
          expect(moved, label).toBeDefined();
          expect(moved?.comments, label).toEqual(run.moved.comments);
          expect(moved?.kind === "directive" && moved.name, label).toBe(run.moved.name);
        }
        applied.set(action.kind, (applied.get(action.kind) ?? 0) + 1);
      }),
      { numRuns: 400, seed: 20260901 },
    );
    // Every kind of action was really applied, not only refused.
    expect(applied.size).toBe(7);
    for (const [kind, n] of applied) expect(n, kind).toBeGreaterThan(10);
  });
});
