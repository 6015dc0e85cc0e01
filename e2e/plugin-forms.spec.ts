import { expect, readSandboxCorefile, test } from "./fixtures";
import { EditorPage } from "./pages/editor-page";
import { PluginFormPanel } from "./pages/plugin-form-panel";

// Monaco loads and type-checks in the browser; these journeys take longer than the default 30 s on 2 cores.
test.describe.configure({ timeout: 120_000 });

/** The lines of a Corefile that mention none of `words`: what the forms must leave byte for byte alone. */
function linesWithout(text: string, words: RegExp): string[] {
  return text.split("\n").filter((line) => !words.test(line));
}

test("edit the cache TTL and the forward policy through the plugin forms, apply, and read the ConfigMap back", async ({ page, sandboxUrl }) => {
  const before = await readSandboxCorefile(sandboxUrl);
  const ttlBefore = /^\s*cache (\d+)/m.exec(before.text)?.[1];
  expect(ttlBefore, "the live Corefile has a cache TTL").toBeDefined();
  const ttl = ttlBefore === "60" ? "75" : "60";
  expect(before.text).not.toContain("policy sequential");

  const editor = new EditorPage(page);
  const forms = new PluginFormPanel(page);
  await editor.open();
  await forms.showBoard();

  // cache: Escape closes the form without touching the text.
  let form = await forms.open("cache");
  await expect(form.getByRole("link", { name: /cache on coredns\.io/ })).toHaveAttribute("href", /coredns\.io\/plugins\/cache/);
  await page.keyboard.press("Escape");
  await expect(form).toBeHidden();

  // cache: a wrong TTL is reported next to the field while typing; a good one is applied to the text.
  form = await forms.open("cache");
  const ttlField = form.getByRole("textbox", { name: /^TTL/ });
  await expect(ttlField).toHaveValue(ttlBefore!);
  await ttlField.fill("soon");
  await expect(ttlField).toHaveAttribute("aria-invalid", "true");
  const describedBy = await ttlField.getAttribute("aria-describedby");
  expect(describedBy).toBeTruthy();
  await expect(page.locator(`[id="${describedBy!.split(" ")[0]}"]`)).toBeVisible();
  await ttlField.fill(ttl);
  await expect(ttlField).not.toHaveAttribute("aria-invalid", "true");
  await forms.apply(form);
  await expect(editor.viewLines).toContainText(`cache ${ttl}`);

  // forward: choose the sequential policy.
  form = await forms.open("forward");
  await form.getByRole("combobox", { name: /^Policy/ }).selectOption("sequential");
  await forms.apply(form);
  await expect(editor.viewLines).toContainText("policy sequential");

  await editor.applyWithMessage("Longer cache TTL, sequential upstreams");
  await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

  const after = await readSandboxCorefile(sandboxUrl);
  expect(after.resourceVersion).not.toBe(before.resourceVersion);
  expect(after.text).toMatch(new RegExp(`^\\s*cache ${ttl}\\b`, "m"));
  expect(after.text).toMatch(/forward [^{]*\{[^}]*\n\s*policy sequential\n[^}]*\}/);
  // Everything else, comments and indentation included, is as it was.
  expect(linesWithout(after.text, /^\s*cache \d+|policy sequential/)).toEqual(linesWithout(before.text, /^\s*cache \d+|policy sequential/));
});
