import { expect, readSandboxCorefile, test } from "./fixtures";
import { OverviewPage } from "./pages/overview-page";

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
}

test("the overview shows the sandbox cluster and its live Corefile, and nothing leaves 127.0.0.1", async ({
  page,
  sandboxUrl,
  requestedUrls,
}) => {
  const overview = new OverviewPage(page);
  await overview.open();

  await expect(overview.clusterSwitcher).toHaveValue("sandbox");
  const live = await readSandboxCorefile(sandboxUrl);
  await expect(overview.corefile).toHaveText(live.text.replace(/\n$/, ""));
  await expect(overview.livePanel.getByTestId("resource-version")).toHaveText(`resourceVersion ${live.resourceVersion}`);
  await expect(overview.podsPanel.getByRole("row")).toHaveCount(3); // header + two CoreDNS pods
  await expect(overview.podsPanel).toContainText("coredns/coredns:1.14.7");

  for (const path of ["/editor", "/history", "/metrics", "/settings"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  expect(requestedUrls.length).toBeGreaterThan(0);
  expect(requestedUrls.filter((url) => !isLoopback(url))).toEqual([]);
});

test("a change made outside the dashboard shows on reload", async ({ page, sandboxUrl }) => {
  const overview = new OverviewPage(page);
  await overview.open();

  const live = await readSandboxCorefile(sandboxUrl);
  const changed = `${live.text.trimEnd()}\n# changed by an e2e test\n`;
  const body = { ...live.body, data: { ...(live.body.data as Record<string, string>), Corefile: changed } };
  const response = await fetch(`${sandboxUrl}/api/v1/namespaces/kube-system/configmaps/coredns?fieldManager=kubectl-edit`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);

  await page.reload();
  await expect(overview.corefile).toContainText("# changed by an e2e test");
  const after = await readSandboxCorefile(sandboxUrl);
  await expect(overview.livePanel.getByTestId("resource-version")).toHaveText(`resourceVersion ${after.resourceVersion}`);
  await expect(overview.livePanel).toContainText("kubectl-edit");
});

test("the theme toggle switches between light and dark and is remembered", async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.open();
  const html = page.locator("html");
  const initial = await html.getAttribute("data-theme");
  const next = initial === "dark" ? "light" : "dark";

  await page.getByRole("button", { name: /Switch to (light|dark) theme/ }).click();
  await expect(html).toHaveAttribute("data-theme", next);
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", next);
});

test("a missing RBAC permission is explained on the page, and the page recovers", async ({ page, sandboxUrl }) => {
  const response = await fetch(`${sandboxUrl}/_sandbox/faults/fail`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    // Only the app's own calls (User-Agent exactly `coredeck/0.1`): the metrics collector and the drift watch, which
    // also read the Corefile in the background, say `(metrics)` / `(drift-watch)` and cannot take the refusal first.
    body: JSON.stringify({ status: 403, count: 1, userAgent: "coredeck/0.1", pathPrefix: "/api/v1/namespaces/kube-system/configmaps" }),
  });
  expect(response.ok).toBe(true);

  const overview = new OverviewPage(page);
  await overview.open();
  const alert = overview.livePanel.getByRole("alert");
  await expect(alert).toContainText("Permission missing");
  await expect(alert).toContainText('"get" verb on "configmaps"');
  // The pods were still read: one failure does not hide the rest of the page.
  await expect(overview.podsPanel.getByRole("row")).toHaveCount(3);

  // The refusal is used up: the next load reads the Corefile.
  await page.reload();
  await expect(overview.corefile).toContainText("kubernetes cluster.local");
});
