import path from "node:path";
import Database from "better-sqlite3";
import { expect, readSandboxCorefile, test } from "./fixtures";
import { EditorPage } from "./pages/editor-page";
import { HistoryPage } from "./pages/history-page";

test.describe.configure({ timeout: 150_000 });

/** Revision 1 (the Corefile as Coredeck first saw it), read straight from the test database. */
function readFirstRevision(): { id: string; text: string } {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "coredeck.db"), { readonly: true });
  try {
    const row = db.prepare(`SELECT id, text FROM "Revision" WHERE number = 1`).get() as { id: string; text: string } | undefined;
    if (!row) throw new Error("no revision 1 recorded");
    return row;
  } finally {
    db.close();
  }
}

test("a change from kubectl shows up in history as external, with its author", async ({ page, sandboxUrl }) => {
  const history = new HistoryPage(page);
  await history.open();
  const live = await readSandboxCorefile(sandboxUrl);
  const changed = live.text.replace(/cache \d+/, "cache 47");
  const body = { ...live.body, data: { ...(live.body.data as Record<string, string>), Corefile: changed } };
  const response = await fetch(`${sandboxUrl}/api/v1/namespaces/kube-system/configmaps/coredns?fieldManager=kubectl-edit`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);

  const row = await history.waitForRow("kubectl-edit");
  await expect(row).toContainText("external");
  await expect(row).toContainText("+1");
  await expect(row).toContainText("−1");
});

test("apply a change, find it in history with its diff, and roll back to the first revision", async ({ page, sandboxUrl }) => {
  const first = readFirstRevision();

  // Apply a change from the editor.
  const editor = new EditorPage(page);
  await editor.open();
  await editor.goToEndOfLine(1);
  await page.keyboard.press("Enter");
  await page.keyboard.type("# history journey");
  await expect(editor.draftStatus).toHaveText("Draft saved");
  await editor.applyWithMessage("History journey change");
  await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

  // It is the newest row of the history, and its page shows the diff against the previous revision.
  const history = new HistoryPage(page);
  await history.open();
  await expect(history.rows.first()).toContainText("History journey change");
  await expect(history.rows.first()).toContainText("dashboard");
  await history.rows.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: /^Revision \d+$/ })).toBeVisible();
  const diff = page.getByTestId("corefile-diff").first();
  await expect(diff).toBeVisible();
  await expect(diff.locator(".monaco-diff-editor")).toBeVisible({ timeout: 45_000 });
  await expect(diff).toContainText("# history journey");

  // The filters find it by text and hide it by source.
  await page.goto(`/history?q=${encodeURIComponent("history journey")}`);
  await expect(history.rows).toHaveCount(1);
  await page.goto(`/history?q=${encodeURIComponent("history journey")}&source=external`);
  await expect(history.rows).toHaveCount(0);

  // Roll back to revision 1: the confirmation shows the diff to the live Corefile.
  await page.goto(`/history/${first.id}`);
  await expect(page.getByRole("heading", { level: 1, name: "Revision 1" })).toBeVisible();
  await page.getByRole("button", { name: "Roll back to revision 1…" }).click();
  await expect(page.getByRole("region", { name: "What the rollback changes" })).toBeVisible();
  await page.getByRole("button", { name: "Roll back now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Rolled back to revision 1" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("revision-facts")).toContainText("rollback");

  // The cluster holds revision 1's exact bytes again.
  const live = await readSandboxCorefile(sandboxUrl);
  expect(live.text).toBe(first.text);
  await history.open();
  await expect(history.rows.first()).toContainText("Roll back to revision 1");
  await expect(history.rows.first()).toContainText("rollback");
});
