import type { Browser } from "@playwright/test";
import { expect, test } from "./fixtures";
import { SignInPage } from "./pages/signin-page";

const EMPTY_STATE = { cookies: [], origins: [] };

function anonymousContext(browser: Browser, headers: Record<string, string> = {}) {
  return browser.newContext({ storageState: EMPTY_STATE, extraHTTPHeaders: headers });
}

test("without a session, pages send you to /signin and the REST API answers 401 JSON", async ({ browser }) => {
  const context = await anonymousContext(browser);
  try {
    const page = await context.newPage();
    await page.goto("/history?cluster=sandbox");
    await expect(page).toHaveURL(/\/signin\?next=%2Fhistory%3Fcluster%3Dsandbox$/);
    await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    const api = await context.request.get("/api/v1/clusters");
    expect(api.status()).toBe(401);
    expect(await api.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });

    await new SignInPage(page).signInLocally("admin", "not the password");
    await expect(page.getByRole("alert").filter({ hasText: "Not signed in" })).toContainText("That username and password do not match");
  } finally {
    await context.close();
  }
});

test("every answer carries the security headers, with a CSP that allows only Coredeck's own scripts and workers", async ({ page }) => {
  const response = await page.goto("/");
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("worker-src 'self' blob:");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
});

test("proxy headers sign in only with the proxy's shared secret", async ({ browser }) => {
  const identity = { "X-Forwarded-User": "pat", "X-Forwarded-Email": "pat@example.test", "X-Forwarded-Groups": "dns-viewers" };
  const forged = await anonymousContext(browser, identity);
  try {
    const page = await forged.newPage();
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  } finally {
    await forged.close();
  }
  const proxied = await anonymousContext(browser, { ...identity, "X-Coredeck-Proxy-Secret": process.env.E2E_PROXY_SECRET! });
  try {
    const page = await proxied.newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByText("signed in by the proxy")).toBeVisible();
  } finally {
    await proxied.close();
  }
});

test("an admin creates an account; its one-time password must be replaced; signing out ends the session", async ({ page, browser }) => {
  await page.goto("/settings/access");
  const create = page.getByRole("region", { name: "New local account" });
  await create.getByLabel("Username").fill("olga");
  await create.getByLabel("Role on all clusters").selectOption("viewer");
  await create.getByRole("button", { name: "Create account" }).click();
  const oneTime = (await create.locator("code").textContent())?.trim() ?? "";
  expect(oneTime).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);

  const context = await anonymousContext(browser);
  try {
    const olga = await context.newPage();
    await olga.goto("/");
    await new SignInPage(olga).signInLocally("olga", oneTime);
    await expect(olga.getByRole("heading", { name: "Choose your password" })).toBeVisible();
    // Nothing else opens before the password is changed.
    await olga.goto("/history");
    await expect(olga).toHaveURL(/\/account\/password$/);
    await olga.getByLabel("One-time password").fill(oneTime);
    await olga.getByLabel("New password (at least 12 characters)").fill("olga's own password");
    await olga.getByLabel("New password again").fill("olga's own password");
    await olga.getByRole("button", { name: "Set password" }).click();
    await expect(olga.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === "coredeck_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    await olga.getByRole("button", { name: "Sign out" }).click();
    await expect(olga).toHaveURL(/\/signin\?signedOut=1/);
    // The old cookie is dead on the server too, not only forgotten by the browser.
    const replay = await browser.newContext({ storageState: { cookies, origins: [] } });
    try {
      expect((await replay.request.get("/api/v1/clusters")).status()).toBe(401);
    } finally {
      await replay.close();
    }
  } finally {
    await context.close();
  }
});

test("an API token made in the UI works with Authorization: Bearer until it is revoked", async ({ page, playwright }) => {
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill("e2e-ci");
  await page.getByLabel("Role").selectOption("viewer");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^cdk_/);

  const script = await playwright.request.newContext({ baseURL: page.url().replace(/\/settings.*$/, ""), extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  try {
    expect((await script.get("/api/v1/clusters/sandbox/corefile?format=text")).status()).toBe(200);
    const put = await script.put("/api/v1/clusters/sandbox/corefile", { data: { corefile: "", baseResourceVersion: "1" } });
    expect(put.status()).toBe(403);

    await page.reload();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId("token-table").getByRole("row", { name: /e2e-ci/ }).getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByTestId("token-table").getByRole("row", { name: /e2e-ci/ })).toContainText("revoked");
    const refused = await script.get("/api/v1/clusters/sandbox/corefile?format=text");
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "TOKEN_REVOKED" } });
  } finally {
    await script.dispose();
  }
});
