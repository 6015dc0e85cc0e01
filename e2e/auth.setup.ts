import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test as setup, expect } from "@playwright/test";
import { ADMIN_STATE } from "../playwright.config";
import { ADMIN_PASSWORD_FILE, SignInPage } from "./pages/signin-page";

/**
 * The demo's zero-setup sign-in, as a person walks it: the one-time password `npm run demo` printed (and wrote to the
 * data folder) signs in once and must be replaced; the browser state is then kept for every other spec.
 */
setup("sign in as the demo admin with the one-time password and choose a new one", async ({ page }) => {
  const oneTime = readFileSync(path.join(process.env.E2E_DATA_DIR!, "demo-admin-password"), "utf8").trim();
  const signIn = new SignInPage(page);

  await page.goto("/editor");
  await expect(page).toHaveURL(/\/signin\?next=%2Feditor/);
  await signIn.signInLocally("admin", oneTime);

  await expect(page.getByRole("heading", { name: "Choose your password" })).toBeVisible();
  const chosen = `e2e-${Date.now()}-password`;
  await page.getByLabel("One-time password").fill(oneTime);
  await page.getByLabel("New password (at least 12 characters)").fill(chosen);
  await page.getByLabel("New password again").fill(chosen);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("admin", { exact: true })).toBeVisible();

  await page.context().storageState({ path: ADMIN_STATE });
  writeFileSync(ADMIN_PASSWORD_FILE(), chosen, { mode: 0o600 });
});
