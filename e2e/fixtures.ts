import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { test as base, expect } from "@playwright/test";

/**
 * Refuses to run against anything but the throw-away sandbox and database that playwright.config.ts
 * set up: these tests write to the cluster.
 */
function assertLocalTarget(): { sandboxUrl: string; dataDir: string } {
  const port = process.env.E2E_SANDBOX_PORT;
  const dataDir = process.env.E2E_DATA_DIR;
  if (!port || !dataDir || !path.resolve(dataDir).startsWith(os.tmpdir())) {
    throw new Error("The end-to-end tests only run against the sandbox and a temporary database started by playwright.config.ts.");
  }
  return { sandboxUrl: `http://127.0.0.1:${port}`, dataDir };
}

type Fixtures = {
  sandboxUrl: string;
  /** Every URL the page requested; checked to stay on 127.0.0.1. */
  requestedUrls: string[];
};

export const test = base.extend<Fixtures>({
  sandboxUrl: async ({}, use) => {
    await use(assertLocalTarget().sandboxUrl);
  },
  requestedUrls: async ({ page }, use) => {
    const urls: string[] = [];
    page.on("request", (request) => urls.push(request.url()));
    await use(urls);
  },
});

export { expect };

/** Reads the live Corefile and resourceVersion straight from the sandbox's Kubernetes API. */
export async function readSandboxCorefile(sandboxUrl: string): Promise<{ text: string; resourceVersion: string; body: Record<string, unknown> }> {
  const response = await fetch(`${sandboxUrl}/api/v1/namespaces/kube-system/configmaps/coredns`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: Record<string, string>; metadata: { resourceVersion: string } };
  return { text: body.data.Corefile ?? "", resourceVersion: body.metadata.resourceVersion, body };
}

/** Runs one read-only query against the test database. */
export function queryDb<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "coredeck.db"), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export type SandboxPod = { name: string; loadedHash: string; publishedHash: string; reloadFailures: number };

/** Each simulated pod as the sandbox reports it (loaded and published reload hashes, failed reloads). */
export async function readSandboxPods(sandboxUrl: string): Promise<SandboxPod[]> {
  const response = await fetch(`${sandboxUrl}/_sandbox/pods`);
  expect(response.status).toBe(200);
  return (await response.json()) as SandboxPod[];
}
