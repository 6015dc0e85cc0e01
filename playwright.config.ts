import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Each Playwright worker re-reads this file, so the ports and the data folder are chosen once, in
 * the runner, and handed on through environment variables that the workers inherit.
 */
function pickFreePort(): string {
  return execFileSync(process.execPath, [
    "-e",
    "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
}

process.env.E2E_APP_PORT ??= pickFreePort();
process.env.E2E_SANDBOX_PORT ??= pickFreePort();
process.env.E2E_OIDC_PORT ??= pickFreePort();
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "coredeck-e2e-"));
process.env.E2E_PROXY_SECRET ??= randomBytes(24).toString("base64url");

const appUrl = `http://127.0.0.1:${process.env.E2E_APP_PORT}`;
/** The demo admin's signed-in browser state, written by e2e/auth.setup.ts; every spec starts signed in as admin. */
export const ADMIN_STATE = path.join(process.env.E2E_DATA_DIR, "admin-state.json");

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: appUrl,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      ],
    },
  },
  projects: [
    // Signs in as the demo's admin with the one-time password `npm run demo` wrote to the data folder.
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: { browserName: "chromium" } },
    {
      name: "chromium",
      testIgnore: /auth\.setup\.ts$/,
      dependencies: ["setup"],
      use: { browserName: "chromium", storageState: ADMIN_STATE },
    },
  ],
  webServer: {
    // The demo script without its build step (npm test builds first): sandbox + dashboard on
    // 127.0.0.1 with a throw-away data folder, so the tests never touch a real database or cluster.
    command: "npx tsx --conditions=react-server scripts/demo.ts",
    url: appUrl,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DEMO_SKIP_BUILD: "1",
      HOST: "127.0.0.1",
      PORT: process.env.E2E_APP_PORT,
      SANDBOX_PORT: process.env.E2E_SANDBOX_PORT,
      COREDECK_DATA_DIR: process.env.E2E_DATA_DIR,
      DATABASE_URL: `file:${path.join(process.env.E2E_DATA_DIR, "coredeck.db")}`,
      KUBECONFIG: path.join(process.env.E2E_DATA_DIR, "no-user-kubeconfig"),
      SANDBOX_RELOAD_SCALE: "0.01",
      // Metrics points within seconds instead of the default 15 s (e2e/metrics.spec.ts waits for them).
      COREDECK_SCRAPE_INTERVAL_SECONDS: "2",
      // Sign-in: local accounts (the demo admin), OIDC against the provider e2e/oidc.spec.ts starts on 127.0.0.1,
      // and proxy headers with a shared secret.
      COREDECK_AUTH: "local,oidc,proxy",
      COREDECK_PUBLIC_URL: appUrl,
      COREDECK_OIDC_ISSUER: `http://127.0.0.1:${process.env.E2E_OIDC_PORT}`,
      COREDECK_OIDC_CLIENT_ID: "coredeck-e2e",
      COREDECK_PROXY_SECRET: process.env.E2E_PROXY_SECRET,
      COREDECK_ROLE_GROUPS: "dns-editors=editor,dns-viewers=viewer",
    },
  },
});
