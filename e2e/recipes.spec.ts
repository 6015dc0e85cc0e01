import path from "node:path";
import Database from "better-sqlite3";
import { expect, readSandboxCorefile, test } from "./fixtures";
import { EditorPage } from "./pages/editor-page";
import { RecipesPanel } from "./pages/recipes-panel";

// Monaco loads and type-checks in the browser; these journeys take longer than the default 30 s on 2 cores.
test.describe.configure({ timeout: 120_000 });

const FORWARD_RECIPE = "Forward a zone to in-cluster DNS or a service mesh";
const HOSTS_RECIPE = "Static overrides with hosts";

/** The saved draft's text, read straight from the test database ("" when there is none). */
function readDraftText(): string {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "coredeck.db"), { readonly: true });
  try {
    const row = db.prepare(`SELECT text FROM "Draft" ORDER BY updatedAt DESC LIMIT 1`).get() as { text: string } | undefined;
    return row?.text ?? "";
  } finally {
    db.close();
  }
}

test("forward a zone to the Linkerd mirror of the west cluster's DNS: find the Service, insert, undo, redo, apply", async ({ page, sandboxUrl }) => {
  const before = await readSandboxCorefile(sandboxUrl);
  expect(before.text).not.toContain("10.96.77.53");
  const editor = new EditorPage(page);
  const recipes = new RecipesPanel(page);
  await editor.open();

  const form = await recipes.open(FORWARD_RECIPE);
  const zone = form.getByLabel("Zone", { exact: true });
  await expect(zone).toBeFocused();

  await form.getByRole("button", { name: "Find DNS Services" }).click();
  const services = recipes.services(form);
  await expect(services).toBeVisible();
  // A headless Service is listed with the reason it cannot be used, and cannot be chosen.
  const headless = services.getByRole("listitem").filter({ hasText: "consul/consul-server" });
  await expect(headless).toContainText("headless");
  await expect(headless.getByRole("button")).toHaveCount(0);
  const west = services.getByRole("listitem").filter({ hasText: "kube-system/kube-dns-west" });
  await expect(west).toContainText("10.96.77.53:53");
  await expect(west).toContainText("Linkerd");
  await west.getByRole("button", { name: "Use kube-system/kube-dns-west" }).click();

  // Choosing the Service fills the address, the port, force_tcp (Linkerd's gateway is TCP only) and the zone.
  await expect(form.getByLabel("ClusterIP", { exact: true })).toHaveValue("10.96.77.53");
  await expect(form.getByLabel("Port", { exact: true })).toHaveValue("53");
  await expect(form.getByLabel("Force TCP")).toBeChecked();
  await expect(zone).toHaveValue("west.cluster.local");
  await expect(form).toContainText("gets a new ClusterIP");

  // What the recipe would refuse is pointed out at the field as you type.
  await zone.fill("west cluster");
  await expect(zone).toHaveAttribute("aria-invalid", "true");
  await expect(zone).toHaveAccessibleDescription(/Enter a DNS zone/);
  await zone.fill("west.cluster.local");
  await expect(zone).not.toHaveAttribute("aria-invalid");

  await form.getByRole("button", { name: "Preview" }).click();
  const preview = recipes.preview(form);
  await expect(preview).toContainText("west.cluster.local:53 {");
  await expect(preview).toContainText("forward . 10.96.77.53:53 {");
  await expect(preview).toContainText("force_tcp");
  await expect(preview).toContainText("kube-system/kube-dns-west ClusterIP: update if the Service is recreated");
  await expect(preview).toContainText("If the Service is deleted and created again it gets a new ClusterIP");

  await recipes.insert(form);
  await expect(recipes.outcome(form)).toContainText(/Inserted \d+ lines at line \d+/);
  await expect(recipes.outcome(form)).toContainText("Ctrl+Z");
  await expect(editor.viewLines).toContainText("forward . 10.96.77.53:53");
  await expect.poll(readDraftText).toContain("forward . 10.96.77.53:53");

  // The insert is one step of the editor's history (the editor has the focus after an insert).
  await expect(editor.monacoInput).toBeFocused();
  await page.keyboard.press("Control+z");
  await expect(editor.viewLines).not.toContainText("10.96.77.53");
  await expect.poll(readDraftText).not.toContain("10.96.77.53");
  await page.keyboard.press("Control+Shift+z");
  // Monaco renders only the lines in view (which ones depends on how long the shared Corefile has grown in earlier
  // journeys); the saved draft holds the whole text.
  await expect.poll(readDraftText).toContain("west.cluster.local:53 {");
  await expect.poll(readDraftText).toContain("forward . 10.96.77.53:53");

  await editor.applyWithMessage("Forward west.cluster.local to the west cluster's DNS through Linkerd");
  await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();

  const after = await readSandboxCorefile(sandboxUrl);
  expect(after.resourceVersion).not.toBe(before.resourceVersion);
  expect(after.text.startsWith(before.text)).toBe(true);
  expect(after.text).toMatch(
    /\nwest\.cluster\.local:53 \{\n\s+errors\n\s+prometheus :9153\n\s+cache 30\n\s+# kube-system\/kube-dns-west ClusterIP: update if the Service is recreated\n\s+forward \. 10\.96\.77\.53:53 \{\n\s+force_tcp\n\s+\}\n\}\n$/,
  );
});

test("static overrides with hosts: a bad address is flagged, the entry lands in .:53 once, and reaches the cluster", async ({ page, sandboxUrl }) => {
  const before = await readSandboxCorefile(sandboxUrl);
  const editor = new EditorPage(page);
  const recipes = new RecipesPanel(page);
  await editor.open();

  const form = await recipes.open(HOSTS_RECIPE);
  const address = form.getByLabel("Address", { exact: true });
  const names = form.getByLabel("Names", { exact: true });
  await expect(address).toBeFocused();
  await address.fill("10.0.0");
  await expect(address).toHaveAttribute("aria-invalid", "true");
  await expect(address).toHaveAccessibleDescription(/Enter an IPv4 or IPv6 address/);
  await address.fill("10.0.0.50");
  await expect(address).not.toHaveAttribute("aria-invalid");
  await names.fill("legacy.example.org db.legacy.example.org");
  await expect(form.getByLabel("Server block")).toHaveValue(".:53");

  await recipes.insert(form);
  await expect(recipes.outcome(form)).toContainText("Inserted 4 lines");
  await expect(editor.viewLines).toContainText("10.0.0.50 legacy.example.org db.legacy.example.org");
  await expect.poll(readDraftText).toContain("10.0.0.50 legacy.example.org db.legacy.example.org");

  // Running the recipe again changes nothing.
  await recipes.insert(form);
  await expect(recipes.outcome(form)).toContainText("Already in place, nothing to insert");

  // Escape closes the form and gives the focus back to its button.
  await names.focus();
  await page.keyboard.press("Escape");
  await expect(form).toBeHidden();
  await expect(recipes.recipeButton(HOSTS_RECIPE)).toBeFocused();
  await expect(recipes.recipeButton(HOSTS_RECIPE)).toHaveAttribute("aria-expanded", "false");

  await editor.applyWithMessage("Pin legacy.example.org");
  await expect(page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ })).toBeVisible();
  const after = await readSandboxCorefile(sandboxUrl);
  expect(after.resourceVersion).not.toBe(before.resourceVersion);
  expect(after.text).toMatch(/\n(\s+)hosts \{\n\1\s+10\.0\.0\.50 legacy\.example\.org db\.legacy\.example\.org\n\1\s+fallthrough\n\1\}\n/);
  // hosts runs before kubernetes in CoreDNS, and the recipe writes it there.
  expect(after.text.indexOf("hosts {")).toBeLessThan(after.text.indexOf("kubernetes cluster.local"));
});

test("a Service lookup refused by RBAC is explained, and the address can still be typed", async ({ page, sandboxUrl }) => {
  const response = await fetch(`${sandboxUrl}/_sandbox/faults/fail`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ status: 403, count: 1, pathPrefix: "/api/v1/services" }),
  });
  expect(response.ok).toBe(true);
  const editor = new EditorPage(page);
  const recipes = new RecipesPanel(page);
  await editor.open();

  const form = await recipes.open(FORWARD_RECIPE);
  await form.getByRole("button", { name: "Find DNS Services" }).click();
  const alert = form.getByRole("alert");
  await expect(alert).toContainText("Could not list the cluster's Services");
  await expect(alert).toContainText('"list" verb on "services"');

  await form.getByLabel("Zone", { exact: true }).fill("consul");
  await form.getByLabel("ClusterIP", { exact: true }).fill("10.96.200.53");
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(recipes.preview(form)).toContainText("consul:53 {");
  await expect(recipes.preview(form)).toContainText("forward . 10.96.200.53:53");

  // The lookup works again once the permission is there (the fault was for one request).
  await form.getByRole("button", { name: "Find DNS Services again" }).click();
  await expect(recipes.services(form)).toContainText("consul/consul-dns");
});
