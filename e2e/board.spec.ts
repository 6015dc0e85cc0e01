import path from "node:path";
import Database from "better-sqlite3";
import { expect, readSandboxCorefile, test } from "./fixtures";
import { BoardPage } from "./pages/board-page";
import { EditorPage } from "./pages/editor-page";

// Monaco loads and type-checks in the browser; these journeys take longer than the default 30 s on 2 cores.
test.describe.configure({ timeout: 120_000 });

const NEW_BLOCK = "board-e2e.example:53";

/** The saved draft: the text editor's text, read straight from the test database ("" when there is none). */
function readDraftText(): string {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "coredeck.db"), { readonly: true });
  try {
    const row = db.prepare(`SELECT text FROM "Draft" ORDER BY updatedAt DESC LIMIT 1`).get() as { text: string } | undefined;
    return row?.text ?? "";
  } finally {
    db.close();
  }
}

/** Where the first line starting with `name` is among the lines of a block. */
function lineIndex(lines: string[], name: string): number {
  return lines.findIndex((line) => line.startsWith(`${name} `) || line === name);
}

/** The lines of the server block whose keys line starts with `keys`. */
function blockLines(text: string, keys: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(`${keys} {`));
  if (start === -1) return [];
  const end = lines.findIndex((line, i) => i > start && line === "}");
  return lines.slice(start, end + 1).map((line) => line.trim());
}

test("build a second block, drag a plugin into it with the mouse, move another by keyboard, undo, apply", async ({ page, sandboxUrl }) => {
  const before = await readSandboxCorefile(sandboxUrl);
  expect(before.text).toContain(".:53 {");
  expect(before.text).not.toContain(NEW_BLOCK);
  const editor = new EditorPage(page);
  const board = new BoardPage(page);
  await editor.open();
  await board.showBesideText();

  // The pipeline of the default block: CoreDNS's order, numbered, whatever the text order.
  const main = board.block(".:53");
  await expect(main.getByRole("list", { name: "Query path of .:53" })).toContainText("kubernetes");
  await expect(main.getByRole("list", { name: "Server settings of .:53" })).toContainText("health");
  await expect(main.getByTestId("order-note")).toContainText("not the execution order");

  await board.addBlock(NEW_BLOCK);
  await expect(board.status).toContainText(`Added server block ${NEW_BLOCK}.`);
  await expect.poll(readDraftText).toContain(`${NEW_BLOCK} {\n}`);

  // Mouse: loadbalance goes from .:53 into the new block; the board says it now applies to that block's queries.
  await board.dragCardToEndOf(".:53", "loadbalance", NEW_BLOCK);
  await expect(board.status).toContainText(`Moved loadbalance to position 1 of 1 in block ${NEW_BLOCK}.`);
  await expect(board.status).toContainText("changes what CoreDNS does");
  await expect(board.card(NEW_BLOCK, "loadbalance")).toBeVisible();
  await expect(board.card(".:53", "loadbalance")).toHaveCount(0);
  await expect.poll(() => blockLines(readDraftText(), NEW_BLOCK)).toEqual([`${NEW_BLOCK} {`, "loadbalance", "}"]);
  await expect(editor.viewLines).toContainText(NEW_BLOCK);

  // Keyboard: cache goes one place up (above forward). Text order only: the pipeline stays as it was.
  const namesBefore = await board.cardNames(".:53");
  const pipelineBefore = (await main.getByRole("list", { name: "Query path of .:53" }).textContent()) ?? "";
  const cacheAt = namesBefore.indexOf("cache");
  expect(namesBefore[cacheAt - 1]).toBe("forward");
  await board.moveCardByKeyboard(".:53", "cache", "ArrowUp", 1);
  await expect(board.status).toContainText(`Moved cache to position ${cacheAt} of ${namesBefore.length} in block .:53.`);
  await expect(board.card(".:53", "cache")).toBeFocused();
  await expect.poll(() => board.cardNames(".:53")).toEqual([...namesBefore.slice(0, cacheAt - 1), "cache", "forward", ...namesBefore.slice(cacheAt + 1)]);
  await expect(board.announcement).toContainText(`Moved cache to position ${cacheAt} of ${namesBefore.length} in block .:53.`);
  await expect
    .poll(() => {
      const lines = blockLines(readDraftText(), ".:53");
      return lineIndex(lines, "cache") < lineIndex(lines, "forward");
    })
    .toBe(true);
  await expect(editor.viewLines).toContainText("cache 30");
  // Text order only: the pipeline CoreDNS runs is the same.
  await expect(main.getByRole("list", { name: "Query path of .:53" })).toHaveText(pipelineBefore);

  // Undo on the board takes the keyboard move back (the text editor's history).
  await board.undoButton.click();
  await expect
    .poll(() => {
      const lines = blockLines(readDraftText(), ".:53");
      return lineIndex(lines, "forward") < lineIndex(lines, "cache");
    })
    .toBe(true);
  await expect.poll(() => board.cardNames(".:53")).toEqual(namesBefore);

  await expect(editor.draftStatus).toHaveText("Draft saved");
  await editor.applyWithMessage("Serve board-e2e.example with loadbalance");
  await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

  const after = await readSandboxCorefile(sandboxUrl);
  expect(after.resourceVersion).not.toBe(before.resourceVersion);
  expect(blockLines(after.text, NEW_BLOCK)).toEqual([`${NEW_BLOCK} {`, "loadbalance", "}"]);
  expect(blockLines(after.text, ".:53")).not.toContain("loadbalance");
  // The undone move left the rest of .:53 exactly as it was.
  expect(blockLines(after.text, ".:53")).toEqual(blockLines(before.text, ".:53").filter((line) => line !== "loadbalance"));
});
