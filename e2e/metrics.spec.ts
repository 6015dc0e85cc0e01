import { expect, queryDb, readSandboxCorefile, readSandboxPods, test } from "./fixtures";
import { EditorPage } from "./pages/editor-page";
import { MetricsPage } from "./pages/metrics-page";

test.describe.configure({ timeout: 150_000 });

test("the metrics page charts what the sandbox pods report", async ({ page }) => {
  const metrics = new MetricsPage(page);
  await metrics.open("15m");
  await expect(metrics.timeRange.getByRole("link", { name: "15 min" })).toHaveAttribute("aria-current", "page");
  await expect(metrics.autoRefresh).toHaveAttribute("aria-checked", "true");

  // The collector scrapes every 2 s here; the first rate needs two scrapes, and the page refreshes itself.
  await metrics.waitForPoints("Queries per second");
  for (const title of ["Responses per second by rcode", "SERVFAIL and NXDOMAIN share", "Latency p50, p90 and p99", "Resident memory"]) {
    await metrics.waitForPoints(title);
  }
  // The sandbox answers ~20 queries/s per pod: the cluster total is tens of queries per second.
  await expect(metrics.chartSummary("Queries per second")).toContainText(/latest: total \d{2}/);

  // The labelled charts: the zone of the loaded Corefile's server block, the plugins that answered, the forward upstream.
  const labelled = {
    zones: "Queries per second by zone and server",
    plugins: "Responses per second by answering plugin",
    latency: "Forward latency per upstream (p50, p99)",
    health: "Health-check failures per upstream",
  };
  for (const title of Object.values(labelled)) await metrics.waitForPoints(title);
  await expect(metrics.chartSummary(labelled.zones)).toContainText(/\. dns:\/\/:53 \d/);
  await expect(metrics.chartSummary(labelled.plugins)).toContainText(/loadbalance \d/);
  await expect(metrics.chartSummary(labelled.latency)).toContainText(/172\.18\.0\.1:53 p99 \d/);
  await expect(metrics.chartSummary(labelled.health)).toContainText(/172\.18\.0\.1:53 \d/);

  // What is drawn was stored: points for both pods, and the cluster's sum of every round.
  const pods = queryDb<{ name: string; points: number; isClusterSum: number }>(
    `SELECT p."name" AS name, p."isClusterSum" AS isClusterSum, COUNT(*) AS points FROM "MetricPoint" m JOIN "MetricPod" p ON p."id" = m."podId" GROUP BY p."name" ORDER BY p."name"`,
  );
  expect(pods.map((p) => [p.name, p.isClusterSum])).toEqual([
    ["(cluster)", 1],
    ["coredns-668d6bf9bc-9wq4d", 0],
    ["coredns-668d6bf9bc-x7k2p", 0],
  ]);
  for (const pod of pods) expect(pod.points).toBeGreaterThan(0);
  const kinds = queryDb<{ kind: string; label: string }>(`SELECT DISTINCT "kind" AS kind, "label" AS label FROM "MetricLabelPoint" ORDER BY 1, 2`);
  expect(kinds).toEqual(
    expect.arrayContaining([
      { kind: "zone", label: ". dns://:53" },
      { kind: "plugin", label: "loadbalance" },
      { kind: "upstream", label: "172.18.0.1:53" },
    ]),
  );

  // Plugins and scrape status come from the latest scrapes.
  await expect(metrics.pluginsSection).toContainText("kubernetes");
  await expect(metrics.pluginsSection).toContainText("forward");
  await expect(metrics.scrapeStatus.getByRole("row")).toHaveCount(3);
  await expect(metrics.scrapeStatus).not.toContainText("NOT_RUNNING");

  // One pod on its own.
  await metrics.podPicker.selectOption("coredns-668d6bf9bc-x7k2p");
  await expect(page).toHaveURL(/pod=coredns-668d6bf9bc-x7k2p/);
  await metrics.waitForPoints("Queries per second");
});

test("an apply is confirmed pod by pod, and marked on the charts", async ({ page, sandboxUrl }) => {
  // A new directive changes the reload hash (a comment would not), so both pods must reload.
  const editor = new EditorPage(page);
  await editor.open();
  await editor.insertLineAfter(1, "any");
  await expect(editor.draftStatus).toHaveText("Draft saved");
  await editor.applyWithMessage("Metrics journey: answer ANY queries minimally");

  const notice = page.getByRole("status").filter({ hasText: /Applied: resourceVersion/ });
  await expect(notice).toBeVisible();
  const link = notice.getByRole("link", { name: /^Open revision \d+$/ });
  const number = Number((await link.textContent())!.replace(/\D+/g, ""));

  // The live rollout line follows both pods until they load it.
  const rollout = notice.getByTestId("live-rollout");
  const podChips = rollout.getByTestId("rollout-pod");
  await expect(podChips).toHaveCount(2, { timeout: 30_000 });
  await expect(rollout).toHaveAttribute("data-overall", "loaded", { timeout: 30_000 });
  await expect(rollout).toHaveAttribute("data-settled", "true");
  for (const chip of await podChips.all()) await expect(chip).toContainText("loaded");
  await expect(rollout).toContainText("loaded on all 2 pods");

  // Stored and live agree: the revision's reload hash is what both sandbox pods loaded and what Coredeck observed.
  const [revision] = queryDb<{ id: string; reloadHash: string }>(`SELECT id, "reloadHash" FROM "Revision" WHERE number = ?`, number);
  expect(revision?.reloadHash).toBeTruthy();
  expect((await readSandboxCorefile(sandboxUrl)).text).toContain("any");
  const sandboxPods = await readSandboxPods(sandboxUrl);
  expect(sandboxPods.map((pod) => pod.loadedHash)).toEqual([revision!.reloadHash, revision!.reloadHash]);
  const observed = queryDb<{ name: string }>(
    `SELECT DISTINCT p."name" AS name FROM "MetricReloadObservation" o JOIN "MetricPod" p ON p."id" = o."podId" WHERE o."hash" = ? ORDER BY p."name"`,
    revision!.reloadHash,
  );
  expect(observed).toHaveLength(2);

  // The metrics page marks the revision on its charts, and lists it with its rollout.
  const metrics = new MetricsPage(page);
  await metrics.open("15m");
  const marker = metrics.revisionMarkers.getByRole("link", { name: new RegExp(`^r${number}\\b`) });
  await expect(marker).toBeVisible();
  await expect(marker).toContainText("loaded");
  await metrics.waitForPoints("Queries per second");
  await expect(metrics.chartSummary("Queries per second")).toContainText(/Changes in this range: r\d+/);
  await expect(metrics.chartSummary("Queries per second")).toContainText(`r${number}: revision ${number} by`);
  await expect(metrics.chartSummary("Latency p50, p90 and p99")).toContainText(`r${number}: revision ${number} by`);

  // The history list and the revision page say the same.
  await page.goto("/history");
  const row = page.getByTestId("revision-row").filter({ hasText: "Metrics journey" });
  await expect(row.getByTestId("rollout-status")).toHaveAttribute("data-overall", "loaded");
  await row.getByRole("link", { name: `Revision ${number}` }).click();
  const perPod = page.getByRole("region", { name: "Rollout per pod" });
  await expect(perPod.getByTestId("rollout-pod-row")).toHaveCount(2);
  for (const podRow of await perPod.getByTestId("rollout-pod-row").all()) await expect(podRow).toContainText("loaded");
});
