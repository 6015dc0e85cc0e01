import path from "node:path";
import type { Page } from "@playwright/test";

/** Where auth.setup.ts keeps the admin's chosen password (the data folder is a throw-away temporary folder). */
export const ADMIN_PASSWORD_FILE = () => path.join(process.env.E2E_DATA_DIR!, "e2e-admin-password");

/** The /signin page. */
export class SignInPage {
  constructor(private readonly page: Page) {}

  async open(next = "/") {
    await this.page.goto(`/signin?next=${encodeURIComponent(next)}`);
  }

  async signInLocally(username: string, password: string) {
    await this.page.getByLabel("Username").fill(username);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  /** Single sign-on through oidc-provider's development login and consent pages. */
  async signInWithOidc(login: string) {
    await this.page.getByRole("link", { name: "Sign in with single sign-on" }).click();
    await this.page.locator('input[name="login"]').fill(login);
    await this.page.locator('input[name="password"]').fill("any password");
    await this.page.getByRole("button", { name: "Sign-in" }).click();
    await this.page.getByRole("button", { name: "Continue" }).click();
  }
}
