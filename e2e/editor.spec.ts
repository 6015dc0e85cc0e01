import path from "node:path";
import Database from "better-sqlite3";
import { expect, readSandboxCorefile, test } from "./fixtures";
import { EditorPage } from "./pages/editor-page";

// Monaco loads and type-checks in the browser; these journeys take longer than the default 30 s on 2 cores.
test.describe.configure({ timeout: 120_000 });

/** The newest revision row, read straight from the test database. */
function readNewestRevision(): { text: string; message: string; resourceVersionAfter: string; source: string } | undefined {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "coredeck.db"), { readonly: true });
  try {
    return db
      .prepare(`SELECT text, message, resourceVersionAfter, source FROM "Revision" ORDER BY createdAt DESC LIMIT 1`)
      .get() as { text: string; message: string; resourceVersionAfter: string; source: string } | undefined;
  } finally {
    db.close();
  }
}

function lineNumberOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index === -1) throw new Error(`"${needle}" is not in the Corefile`);
  return index + 1;
}

test("edit in Monaco with a quick fix and a completion, review, apply, and find it in the cluster and the history", async ({
  page,
  sandboxUrl,
  requestedUrls,
}) => {
  const before = await readSandboxCorefile(sandboxUrl);
  const editor = new EditorPage(page);
  await editor.open();

  // A misspelt option gets a marker and a quick fix.
  await editor.insertLineAfter(lineNumberOf(before.text, "max_concurrent 1000"), "max_fail 3");
  await expect(editor.problems).toContainText("PLUGIN_UNKNOWN_OPTION");
  await expect(editor.monaco.locator(".squiggly-error").first()).toBeVisible();
  await editor.goToEndOfLine(lineNumberOf(before.text, "max_concurrent 1000") + 1);
  await page.keyboard.press("Home");
  await page.keyboard.press("Control+.");
  await page.getByRole("option", { name: /Change to 'max_fails'/ }).or(page.getByText("Change to 'max_fails'")).first().click();
  await expect(editor.viewLines).toContainText("max_fails 3");
  await expect(editor.problems).not.toContainText("PLUGIN_UNKNOWN_OPTION");

  // Completion offers directives at the start of a line in a server block.
  await editor.goToEndOfLine(lineNumberOf(before.text, "errors"));
  await page.keyboard.press("Enter");
  await page.keyboard.type("lo");
  await page.keyboard.press("Control+Space");
  const suggestions = page.locator(".suggest-widget");
  await expect(suggestions).toBeVisible();
  await expect(suggestions).toContainText("loop");
  await page.keyboard.press("Escape");
  await page.keyboard.type("g");
  await expect(editor.draftStatus).toHaveText("Draft saved");

  await editor.applyWithMessage("Tighten forward failures, log queries");
  await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

  const after = await readSandboxCorefile(sandboxUrl);
  expect(after.resourceVersion).not.toBe(before.resourceVersion);
  expect(after.text).toContain("max_fails 3");
  expect(after.text).toMatch(/\n\s+log\n/);
  const revision = readNewestRevision();
  expect(revision).toMatchObject({
    text: after.text,
    message: "Tighten forward failures, log queries",
    resourceVersionAfter: after.resourceVersion,
    source: "dashboard",
  });
  // Monaco, its workers and fonts are bundled: nothing was fetched from anywhere but the dashboard.
  expect(requestedUrls.some((url) => url.includes("/_next/static/"))).toBe(true);
  expect(requestedUrls.filter((url) => !/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:|about:)/.test(url))).toEqual([]);
});

test("two people editing at once: the second apply meets the conflict view and merges", async ({ browser, sandboxUrl }) => {
  const start = await readSandboxCorefile(sandboxUrl);
  const alice = await browser.newContext();
  const bob = await browser.newContext();
  try {
    const alicePage = await alice.newPage();
    const bobPage = await bob.newPage();
    const aliceEditor = new EditorPage(alicePage);
    const bobEditor = new EditorPage(bobPage);
    await aliceEditor.open();
    await bobEditor.open();

    await bobEditor.insertLineAfter(lineNumberOf(start.text, "ready"), "any");
    await bobEditor.applyWithMessage("Refuse ANY queries");
    await expect(bobPage.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

    await aliceEditor.insertLineAfter(lineNumberOf(start.text, "loop"), "# checked by alice");
    await aliceEditor.applyWithMessage("Note");
    await expect(alicePage.getByRole("region", { name: "Someone else changed the Corefile" })).toBeVisible();
    await expect(alicePage.getByTestId("merge-summary")).toContainText("merge cleanly");
    const unchanged = await readSandboxCorefile(sandboxUrl);
    expect(unchanged.text).not.toContain("# checked by alice");

    await alicePage.getByRole("button", { name: "Merge my changes onto the live Corefile" }).click();
    await aliceEditor.applyWithMessage("Note, merged");
    await expect(alicePage.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

    const merged = await readSandboxCorefile(sandboxUrl);
    expect(merged.text).toContain("# checked by alice");
    expect(merged.text).toMatch(/\n\s+any\n/);
    expect(readNewestRevision()).toMatchObject({ text: merged.text, message: "Note, merged" });
  } finally {
    await alice.close();
    await bob.close();
  }
});
