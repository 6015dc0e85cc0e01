import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Browser, BrowserContext } from "@playwright/test";
import { expect, readSandboxCorefile, test } from "./fixtures";
import { startOidcProvider } from "./oidc-provider";
import { EditorPage } from "./pages/editor-page";
import { SignInPage } from "./pages/signin-page";

const appUrl = `http://127.0.0.1:${process.env.E2E_APP_PORT}`;

/** The id Next gave a Server Action in this build: calling it directly is what a hand-made request would do. */
function actionId(filename: string, exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(".next", "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename?: string; exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, action]) => action.filename === filename && action.exportedName === exportedName);
  if (!entry) throw new Error(`no Server Action ${exportedName} in ${filename} in this build`);
  return entry[0];
}

function readRevisions(): { id: string; number: number; author: string; source: string }[] {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "coredeck.db"), { readonly: true });
  try {
    return db.prepare(`SELECT id, number, author, source FROM "Revision" ORDER BY number`).all() as { id: string; number: number; author: string; source: string }[];
  } finally {
    db.close();
  }
}

function lineNumberOf(text: string, needle: string): number {
  return text.split("\n").findIndex((line) => line.includes(needle)) + 1;
}

/** A browser with no session (the config's default state is the admin's). */
async function signInWithOidc(browser: Browser, login: string): Promise<BrowserContext> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/history");
  await expect(page).toHaveURL(/\/signin\?next=%2Fhistory/);
  await new SignInPage(page).signInWithOidc(login);
  await expect(page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
  return context;
}

let closeProvider: (() => Promise<void>) | undefined;

test.beforeAll(async () => {
  closeProvider = (await startOidcProvider(appUrl)).close;
});

test.afterAll(async () => {
  await closeProvider?.();
});

test.describe.configure({ mode: "serial" });
// Two OIDC round trips and Monaco (about 1 MB of script) per test, on a busy CI machine.
test.describe.configure({ timeout: 120_000 });

test("an editor signed in through OIDC applies, and the revision carries their name", async ({ browser, sandboxUrl }) => {
  const context = await signInWithOidc(browser, "eddie");
  try {
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByText("Eddie Editor")).toBeVisible();
    const start = await readSandboxCorefile(sandboxUrl);
    const editor = new EditorPage(page);
    await editor.open();
    await editor.insertLineAfter(lineNumberOf(start.text, "ready"), "# changed by eddie");
    await editor.applyWithMessage("Eddie's change");
    await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();
    expect((await readSandboxCorefile(sandboxUrl)).text).toContain("# changed by eddie");
    expect(readRevisions().at(-1)).toMatchObject({ author: "Eddie Editor", source: "dashboard" });
  } finally {
    await context.close();
  }
});

test("a viewer signed in through OIDC can neither apply nor roll back: UI, Server Action and REST all refuse", async ({ browser, sandboxUrl }) => {
  const context = await signInWithOidc(browser, "vera");
  try {
    const page = await context.newPage();
    const before = await readSandboxCorefile(sandboxUrl);
    const baseline = readRevisions()[0]!;

    // The UI: read-only editor and a disabled rollback, each saying why.
    const editor = new EditorPage(page);
    await editor.open();
    await expect(page.getByTestId("editor-readonly-reason")).toContainText("you are a viewer there");
    await expect(editor.reviewButton).toBeDisabled();
    await expect(editor.reviewButton).toHaveAttribute("aria-describedby", "editor-readonly-reason");
    await page.goto(`/history/${baseline.id}`);
    const rollback = page.getByRole("button", { name: `Roll back to revision ${baseline.number}…` });
    await expect(rollback).toBeDisabled();
    await expect(page.getByTestId("rollback-blocked-reason")).toContainText("need the editor role");

    // The Server Actions, called directly as a script in the viewer's session would.
    const callAction = async (route: string, filename: string, name: string, input: unknown) => {
      const response = await context.request.post(route, {
        headers: { "Next-Action": actionId(filename, name), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: appUrl },
        data: JSON.stringify([input]),
      });
      return response.text();
    };
    const applyAnswer = await callAction("/editor", "app/editor/actions.ts", "applyCorefileAction", {
      cluster: "sandbox",
      text: `${before.text}# by vera\n`,
      baseResourceVersion: before.resourceVersion,
      message: "viewer's try",
    });
    expect(applyAnswer).toContain('"code":"FORBIDDEN"');
    const rollbackAnswer = await callAction(`/history/${baseline.id}`, "app/history/actions.ts", "rollbackAction", {
      cluster: "sandbox",
      revisionId: baseline.id,
      baseResourceVersion: before.resourceVersion,
      message: "viewer's rollback",
    });
    expect(rollbackAnswer).toContain('"code":"FORBIDDEN"');

    // The REST API with the viewer's session cookie.
    const put = await context.request.put("/api/v1/clusters/sandbox/corefile", {
      data: { corefile: `${before.text}# by vera\n`, baseResourceVersion: before.resourceVersion },
    });
    expect(put.status()).toBe(403);
    expect(await put.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const restRollback = await context.request.post(`/api/v1/clusters/sandbox/revisions/${baseline.id}/rollback`, { data: {} });
    expect(restRollback.status()).toBe(403);

    // Nothing reached the ConfigMap.
    const after = await readSandboxCorefile(sandboxUrl);
    expect(after.resourceVersion).toBe(before.resourceVersion);
    expect(after.text).toBe(before.text);
  } finally {
    await context.close();
  }
});

test("the editor can roll back what the viewer could not", async ({ browser, sandboxUrl }) => {
  const context = await signInWithOidc(browser, "eddie");
  try {
    const page = await context.newPage();
    const baseline = readRevisions()[0]!;
    await page.goto(`/history/${baseline.id}`);
    await page.getByRole("button", { name: `Roll back to revision ${baseline.number}…` }).click();
    await page.getByRole("button", { name: "Roll back now" }).click();
    await expect(page.getByTestId("revision-facts")).toContainText("rollback");
    expect((await readSandboxCorefile(sandboxUrl)).text).not.toContain("# changed by eddie");
    expect(readRevisions().at(-1)).toMatchObject({ author: "Eddie Editor", source: "rollback" });
  } finally {
    await context.close();
  }
});

test("the audit page lists the sign-ins, the editor's apply and rollback, and the viewer's refused attempts", async ({ page }) => {
  const table = page.getByTestId("audit-table");
  const rowsWith = (action: string, outcome: string) =>
    table
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: action, exact: true }) })
      .filter({ has: page.getByRole("cell", { name: outcome, exact: true }) });

  await page.goto("/audit?actor=Vera");
  await expect(rowsWith("apply", "denied").first()).toContainText("needs editor, has viewer");
  await expect(rowsWith("rollback", "denied").first()).toBeVisible();
  await expect(rowsWith("signin", "success").first()).toContainText("oidc");

  await page.getByLabel("Actor").fill("Eddie");
  await page.getByLabel("Outcome").selectOption("success");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/actor=Eddie/);
  await expect(rowsWith("apply", "success").first()).toContainText("+1 −0 lines");
  await expect(rowsWith("rollback", "success").first()).toBeVisible();
  await expect(table.getByRole("cell", { name: "denied", exact: true })).toHaveCount(0);

  // The export: the same events as JSON lines, each one an object.
  const exported = await page.request.get("/audit/export?actor=Vera&outcome=denied");
  expect(exported.headers()["content-type"]).toContain("application/x-ndjson");
  const lines = (await exported.text()).trim().split("\n").map((line) => JSON.parse(line) as { action: string; outcome: string; actor: string });
  expect(lines.map((event) => event.action)).toEqual(expect.arrayContaining(["apply", "rollback"]));
  expect(lines.every((event) => event.outcome === "denied" && event.actor === "Vera Viewer")).toBe(true);
});
