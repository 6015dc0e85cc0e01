import { expect, queryDb, readSandboxCorefile, readSandboxPods, test } from "./fixtures";
import { HistoryPage } from "./pages/history-page";

test.describe.configure({ timeout: 150_000 });

type RevisionRow = { id: string; number: number; source: string; author: string; reloadHash: string | null; parentId: string | null; restoredFromId: string | null; text: string };

test("a Corefile the pods reject is shown rejected per pod, and one rollback puts the previous one back", async ({ page, sandboxUrl }) => {
  // Written outside Coredeck (Coredeck's own apply would refuse it): through the cluster's API, as `kubectl edit` does.
  // The forward option's value is not a number: CoreDNS parses the file (so it has a reload hash) but its forward
  // plugin refuses to set up, so every pod keeps the Corefile it runs and counts a failed reload.
  const live = await readSandboxCorefile(sandboxUrl);
  const broken = live.text.replace(/(forward [^\n{]*\{)/, "$1\n       max_fails lots");
  expect(broken, "the live Corefile has a forward block with options").not.toBe(live.text);
  const failuresBefore = new Map((await readSandboxPods(sandboxUrl)).map((pod) => [pod.name, pod.reloadFailures]));
  const body = live.body as { data: Record<string, string> };
  const put = await fetch(`${sandboxUrl}/api/v1/namespaces/kube-system/configmaps/coredns?fieldManager=kubectl-edit`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, data: { ...body.data, Corefile: broken } }),
  });
  expect(put.status).toBe(200);

  // Coredeck's watch records it as an external revision.
  let rejected: RevisionRow | undefined;
  await expect
    .poll(() => (rejected = queryDb<RevisionRow>(`SELECT * FROM "Revision" WHERE "text" = ? ORDER BY "number" DESC`, broken)[0]), { timeout: 30_000 })
    .toBeTruthy();
  expect(rejected).toMatchObject({ source: "external", author: "kubectl-edit" });
  expect(rejected!.reloadHash).toBeTruthy();
  const [previous] = queryDb<RevisionRow>(`SELECT * FROM "Revision" WHERE "id" = ?`, rejected!.parentId);
  expect(previous?.text).toBe(live.text);

  // The history list says rejected, with the rollback offer.
  const history = new HistoryPage(page);
  await history.open();
  const row = history.rows.filter({ has: page.getByRole("link", { name: `Revision ${rejected!.number}`, exact: true }) });
  await expect(async () => {
    await page.reload();
    await expect(row.getByTestId("rollout-status")).toHaveAttribute("data-overall", "rejected", { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(row.getByRole("link", { name: "Roll back…" })).toBeVisible();

  // The revision page: rejected on each pod, with the failed-reload counter, and the rollback.
  await history.openRevision(rejected!.number);
  const perPod = page.getByRole("region", { name: "Rollout per pod" });
  const podRows = perPod.getByTestId("rollout-pod-row");
  await expect(podRows).toHaveCount(2);
  for (const [pod, before] of failuresBefore) {
    const podRow = podRows.filter({ hasText: pod });
    await expect(podRow).toContainText("rejected");
    await expect(podRow).toContainText(`coredns_reload_failed_total rose from ${before} to ${before + 1}`);
  }
  for (const pod of await readSandboxPods(sandboxUrl)) expect(pod.reloadFailures).toBe(failuresBefore.get(pod.name)! + 1);

  await perPod.getByRole("button", { name: `Roll back to revision ${previous!.number}…` }).click();
  await perPod.getByRole("button", { name: "Roll back now" }).click();

  // The rollback is a new revision, and its page follows the pods until they load it.
  await expect(page).toHaveURL(/\/history\/[^/?]+\?restored=1$/, { timeout: 20_000 });
  const restoredId = new URL(page.url()).pathname.split("/").at(-1)!;
  const [restored] = queryDb<RevisionRow>(`SELECT * FROM "Revision" WHERE "id" = ?`, restoredId);
  expect(restored).toMatchObject({ source: "rollback", restoredFromId: previous!.id, text: previous!.text, reloadHash: previous!.reloadHash });
  expect((await readSandboxCorefile(sandboxUrl)).text).toBe(previous!.text);

  const restoredRollout = page.getByRole("region", { name: "Rollout per pod" });
  await expect(restoredRollout.getByTestId("live-rollout")).toHaveAttribute("data-overall", "loaded", { timeout: 60_000 });
  await expect(restoredRollout.getByTestId("rollout-pod-row")).toHaveCount(2);
  for (const podRow of await restoredRollout.getByTestId("rollout-pod-row").all()) await expect(podRow).toContainText("loaded");
  // The pods run the restored Corefile again.
  for (const pod of await readSandboxPods(sandboxUrl)) expect(pod.loadedHash).toBe(previous!.reloadHash);
});
