import { expect, readSandboxCorefile, test } from "./fixtures";
import { EditorPage } from "./pages/editor-page";
import { TroubleshootPage } from "./pages/troubleshoot-page";

// The editor journeys load Monaco; give a busy 2-core machine time.
test.describe.configure({ timeout: 120_000 });

test("explains frontend.default.svc.cluster.local and shows each pod's answer", async ({ page, requestedUrls }) => {
  const ts = new TroubleshootPage(page);
  await ts.open();
  await ts.ask("frontend.default.svc.cluster.local");
  // The URL carries the question (shareable).
  await expect(page).toHaveURL(/\/troubleshoot\?name=frontend\.default\.svc\.cluster\.local&type=A&ns=default/);
  await expect(ts.finalKind).toHaveText("Answer");
  await expect(ts.explanation.getByTestId("trace-final")).toContainText("kubernetes");
  await expect(ts.explanation.getByTestId("trace-final")).toContainText("10.96.120.15");
  await expect(ts.explanation.getByTestId("trace-block").first()).toHaveText(".:53");
  // ndots 5: the search list goes first; the name itself is the last candidate and the one that answers. Its block's
  // chain marks kubernetes as the plugin that decides, and the forward after it as not reached.
  const candidate = ts.explanation.getByRole("region", { name: "Candidate frontend.default.svc.cluster.local.", exact: true });
  await expect(candidate.getByTestId("trace-block")).toHaveText(".:53");
  const chain = candidate.getByTestId("pipeline-chain");
  await expect(chain.getByRole("listitem", { name: "kubernetes: answers (decides)" })).toBeVisible();
  await expect(chain.getByRole("listitem", { name: "forward: not reached" })).toBeVisible();

  await ts.queryPodsButton.click();
  await expect(ts.liveRows).toHaveCount(4);
  for (const row of await ts.liveRows.all()) {
    await expect(row).toContainText("NOERROR");
    await expect(row).toContainText("frontend.default.svc.cluster.local. 30 IN A 10.96.120.15");
    await expect(row).toContainText("yes");
  }
  await expect(page.getByRole("table", { name: "Answers of each CoreDNS pod" })).toContainText("UDP");
  await expect(page.getByRole("table", { name: "Answers of each CoreDNS pod" })).toContainText("TCP");
  expect(requestedUrls.every((u) => u.startsWith("http://127.0.0.1:"))).toBe(true);
});

test("a preset: a short name from a namespace goes through the search list", async ({ page }) => {
  const ts = new TroubleshootPage(page);
  await ts.open();
  await page.getByRole("navigation", { name: "Common questions" }).getByRole("link", { name: /A short name/ }).click();
  await expect(page).toHaveURL(/name=frontend&type=A&ns=default/);
  await expect(ts.nameField).toHaveValue("frontend");
  await expect(ts.finalKind).toHaveText("Answer");
  await expect(ts.explanation.getByTestId("trace-final")).toContainText("frontend.default.svc.cluster.local.");
  await expect(ts.explanation.getByRole("region", { name: "Candidate frontend.default.svc.cluster.local.", exact: true })).toContainText("sent");

  // The external-name preset: forwarded, and the pods of the sandbox answer SERVFAIL for it.
  await page.getByRole("navigation", { name: "Common questions" }).getByRole("link", { name: /An external name/ }).click();
  await expect(ts.finalKind).toHaveText("Forwarded upstream");
  await ts.queryPodsButton.click();
  await expect(ts.liveRows).toHaveCount(4);
  await expect(ts.liveRows.first()).toContainText("SERVFAIL");
});

test("a step links to its directive in the editor, which selects it", async ({ page, sandboxUrl }) => {
  const live = await readSandboxCorefile(sandboxUrl);
  const line = live.text.split("\n").findIndex((l) => l.includes("kubernetes cluster.local")) + 1;
  const ts = new TroubleshootPage(page);
  await ts.open("?name=frontend.default.svc.cluster.local&type=A&ns=default");
  await ts.explanation.getByRole("link", { name: `Open kubernetes at line ${line} in the editor` }).first().click();
  await expect(page).toHaveURL(new RegExp(`/editor\\?line=${line}&column=5&endLine=\\d+&endColumn=\\d+`));
  const editor = new EditorPage(page);
  await editor.monaco.waitFor({ timeout: 45_000 });
  // Monaco selects the whole directive (its line through the closing brace of its block) and has the focus.
  await expect(editor.monaco.locator(".selected-text").first()).toBeVisible();
  await expect(editor.monaco).toHaveClass(/\bfocused\b/);
  const selectedLines = await editor.monaco.evaluate((root) => {
    const tops = [...root.querySelectorAll<HTMLElement>(".view-overlays > div")].filter((d) => d.querySelector(".selected-text")).map((d) => d.style.top);
    return [...root.querySelectorAll<HTMLElement>(".view-lines > .view-line")]
      .filter((l) => tops.includes(l.style.top))
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((l) => (l.textContent ?? "").replace(/\u00a0/g, " ").trim());
  });
  expect(selectedLines).toEqual(["kubernetes cluster.local in-addr.arpa ip6.arpa {", "pods insecure", "fallthrough in-addr.arpa ip6.arpa", "ttl 30", "}"]);
});

test("a draft with a hosts entry: the review step and the troubleshoot page list the changed name", async ({ page, sandboxUrl }) => {
  const live = await readSandboxCorefile(sandboxUrl);
  const editor = new EditorPage(page);
  await editor.open();
  const lines = live.text.split("\n");
  // Earlier journeys share the sandbox: when the live Corefile already has a hosts block (the hosts recipe adds one),
  // the entry goes into it, since a second hosts directive in the block would be a different Corefile.
  const hostsLine = lines.findIndex((l) => /^\s*hosts\b[^#]*\{\s*$/.test(l)) + 1;
  if (hostsLine > 0) {
    await editor.insertLineAfter(hostsLine, "10.20.30.40 legacy-db.corp.example");
  } else {
    const line = lines.findIndex((l) => l.includes("prometheus :9153")) + 1;
    await editor.insertLineAfter(line, "hosts {");
    await page.keyboard.press("Enter");
    await page.keyboard.type("10.20.30.40 legacy-db.corp.example");
    await page.keyboard.press("Enter");
    await page.keyboard.type("fallthrough");
    await page.keyboard.press("Enter");
    await page.keyboard.type("}");
    await page.keyboard.press("Escape");
  }
  await expect(editor.draftStatus).toHaveText("Draft saved");

  await editor.reviewButton.click();
  const impact = page.getByTestId("draft-impact");
  await expect(impact.getByRole("list", { name: "Names the draft changes" })).toBeVisible({ timeout: 30_000 });
  await expect(impact.getByTestId("draft-change").filter({ hasText: "legacy-db.corp.example A" })).toContainText("10.20.30.40");

  const ts = new TroubleshootPage(page);
  await ts.open("?name=legacy-db.corp.example&type=A&ns=default&compare=draft");
  await expect(ts.compareBox).toBeChecked();
  const change = ts.draftChanges.getByTestId("draft-change").filter({ hasText: "legacy-db.corp.example A" });
  await expect(change).toContainText("your question");
  await expect(change).toContainText("10.20.30.40");
  // Live: forwarded; draft: hosts answers.
  await expect(ts.finalKind).toHaveText("Forwarded upstream");
  await expect(page.getByRole("region", { name: "Explanation against your draft" }).getByTestId("trace-final-kind")).toHaveText("Answer");

  // Leave no draft behind for other journeys.
  await editor.open();
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Discard draft" }).click();
  await expect(editor.draftStatus).not.toHaveText("Draft saved");
});
