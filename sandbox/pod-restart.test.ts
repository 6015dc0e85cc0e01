import { afterEach, describe, expect, it } from "vitest";
import { goFloat } from "./metrics";
import { startSandbox, type Sandbox } from "./server";
import { call, eventually } from "./testing";

const FAST = { kubeletSyncMs: 50, pollMs: 50, jitterMs: 10 };
const PODS = "/api/v1/namespaces/kube-system/pods";
const CM = "/api/v1/namespaces/kube-system/configmaps/coredns";
const BROKEN = ".:53 {\n    forward . 8.8.8.8 {\n        max_fails lots\n    }\n    reload\n}\n";

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const putCorefile = (s: Sandbox, corefile: string) =>
  call(s, "PATCH", CM, { data: { Corefile: corefile } }, { "Content-Type": "application/merge-patch+json" });

const scrape = async (s: Sandbox, pod: string) => {
  const res = await fetch(`${s.url}${PODS}/${pod}:9153/proxy/metrics`);
  return { status: res.status, text: await res.text() };
};

describe("POST /_sandbox/pods/<name>/restart", () => {
  it("replaces the pod with a new one that publishes no reload hash until its first reload", async () => {
    let now = Date.parse("2026-03-01T10:00:00Z");
    const s = (sb = await startSandbox({ reload: FAST, clock: () => now }));
    const [old, other] = s.pods().map((p) => p.name);
    now += 60_000;

    const restarted = await call(s, "POST", `/_sandbox/pods/${old}/restart`);
    expect(restarted.status).toBe(200);
    const name: string = restarted.body.name;
    expect(name).toMatch(/^coredns-668d6bf9bc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(name).not.toBe(old);

    const list = await call(s, "GET", `${PODS}?labelSelector=k8s-app%3Dkube-dns`);
    expect(list.body.items.map((p: { metadata: { name: string } }) => p.metadata.name).sort()).toEqual([name, other].sort());
    const pod = list.body.items.find((p: { metadata: { name: string } }) => p.metadata.name === name);
    expect(pod.status.startTime).toBe("2026-03-01T10:01:00Z");
    expect(pod.status.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 0 });
    expect((await scrape(s, old!)).status).toBe(404);

    const fresh = await scrape(s, name);
    expect(fresh.status).toBe(200);
    expect(fresh.text).not.toContain("coredns_reload_version_info");
    expect(fresh.text).toContain(`process_start_time_seconds ${goFloat(Math.floor(now / 1000))}`);

    await putCorefile(s, s.pods()[0]!.loadedCorefile.replace("cache 30", "cache 45"));
    expect(await eventually(async () => /coredns_reload_version_info\{hash="sha512",value="[0-9a-f]{128}"\} 1/.test((await scrape(s, name)).text))).toBe(true);
  });

  it("crash-loops a pod restarted into a Corefile CoreDNS rejects, until the Corefile is fixed", async () => {
    const s = (sb = await startSandbox({ reload: FAST }));
    const seeded = s.pods()[0]!.loadedCorefile;
    await putCorefile(s, BROKEN);
    expect(await eventually(() => s.pods().every((p) => p.reloadFailures === 1))).toBe(true);

    const name: string = (await call(s, "POST", `/_sandbox/pods/${s.pods()[0]!.name}/restart`)).body.name;
    const readPod = async () => (await call(s, "GET", `${PODS}/${name}`)).body;
    expect((await readPod()).status.conditions.find((c: { type: string }) => c.type === "Ready").status).toBe("False");
    expect((await scrape(s, name)).status).toBe(503);
    expect(await eventually(async () => (await readPod()).status.containerStatuses[0].restartCount >= 2)).toBe(true);
    expect((await readPod()).status.containerStatuses[0].state.waiting.reason).toBe("CrashLoopBackOff");

    await putCorefile(s, seeded);
    expect(await eventually(async () => (await readPod()).status.containerStatuses[0].ready === true)).toBe(true);
    expect((await scrape(s, name)).status).toBe(200);
  });

  it("answers 404 for a pod that does not exist", async () => {
    const s = (sb = await startSandbox());
    expect((await call(s, "POST", "/_sandbox/pods/coredns-nope-xxxxx/restart")).status).toBe(404);
  });
});
