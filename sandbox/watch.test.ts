import { afterEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./server";
import { call, collectWatch } from "./testing";

const CM = "/api/v1/namespaces/kube-system/configmaps";
let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const setKey = (s: Sandbox, name: string, key: string, value: string) =>
  call(s, "PATCH", `${CM}/${name}`, { data: { [key]: value } }, { "Content-Type": "application/merge-patch+json" });

describe("watch", () => {
  it("starts with ADDED events for the current state when no resourceVersion is given, then streams changes", async () => {
    sb = await startSandbox();
    const s = sb;
    const { events, status } = await collectWatch(s, `${CM}?watch=true&fieldSelector=metadata.name%3Dcoredns`, {
      onOpen: () => void setKey(s, "coredns", "k", "v"),
      until: (ev) => ev.length >= 2,
    });
    expect(status).toBe(200);
    expect(events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED"]);
    expect(events[1]!.object.data.k).toBe("v");
  });

  it("resumes from a resourceVersion with only the later events, and timeoutSeconds ends the stream", async () => {
    sb = await startSandbox();
    const first = await setKey(sb, "coredns", "n", "1");
    await setKey(sb, "coredns", "n", "2");
    await setKey(sb, "kube-proxy", "n", "3");
    const from = first.body.metadata.resourceVersion as string;
    const { events, ended } = await collectWatch(sb, `${CM}?watch=1&resourceVersion=${from}&timeoutSeconds=1`, { timeoutMs: 5000 });
    expect(ended).toBe(true);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.data.n}`)).toEqual(["MODIFIED coredns 2", "MODIFIED kube-proxy 3"]);
    expect(events.every((e) => Number(e.object.metadata.resourceVersion) > Number(from))).toBe(true);
  });

  it("answers a resourceVersion older than the event window with an ERROR event holding 410 Expired", async () => {
    sb = await startSandbox({ watchCacheSize: 3 });
    const early = await setKey(sb, "coredns", "n", "0");
    for (let i = 1; i <= 5; i++) await setKey(sb, "coredns", "n", String(i));
    const { events, ended, status } = await collectWatch(sb, `${CM}?watch=true&resourceVersion=${early.body.metadata.resourceVersion}`);
    expect(status).toBe(200);
    expect(ended).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe("ERROR");
    expect(events[0]!.object).toMatchObject({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "Expired", code: 410 });
    expect(events[0]!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });

  it("turns an object leaving a label selection into DELETED and entering it into ADDED", async () => {
    sb = await startSandbox();
    const s = sb;
    await call(s, "POST", CM, { metadata: { name: "sel", labels: { pick: "yes" } } });
    const rv = s.resourceVersion();
    const relabel = (value: string) => call(s, "PATCH", `${CM}/sel`, { metadata: { labels: { pick: value } } }, { "Content-Type": "application/merge-patch+json" });
    const { events } = await collectWatch(s, `${CM}?watch=true&labelSelector=pick%3Dyes&resourceVersion=${rv}`, {
      onOpen: async () => {
        await relabel("no");
        await relabel("yes");
        await call(s, "DELETE", `${CM}/sel`);
      },
      until: (ev) => ev.length >= 3,
    });
    expect(events.map((e) => e.type)).toEqual(["DELETED", "ADDED", "DELETED"]);
  });

  it("sends BOOKMARK events when asked, with the current resourceVersion", async () => {
    sb = await startSandbox({ bookmarkIntervalMs: 30 });
    const rv = sb.resourceVersion();
    const { events } = await collectWatch(sb, `${CM}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`, { until: (ev) => ev.length >= 1 });
    expect(events[0]).toEqual({ type: "BOOKMARK", object: { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: rv } } });
  });

  it("serves the legacy /watch/ prefix and rejects a malformed resourceVersion", async () => {
    sb = await startSandbox();
    const s = sb;
    const { events } = await collectWatch(s, "/api/v1/watch/namespaces/kube-system/configmaps/coredns", { until: (ev) => ev.length >= 1 });
    expect(events[0]).toMatchObject({ type: "ADDED", object: { metadata: { name: "coredns" } } });
    const bad = await call(s, "GET", `${CM}?watch=true&resourceVersion=abc`);
    expect(bad.status).toBe(400);
  });

  it("ends every open watch on demand, and on close", async () => {
    sb = await startSandbox();
    const s = sb;
    const watching = collectWatch(s, `${CM}?watch=true`, { timeoutMs: 5000 });
    await expect.poll(() => s.openWatches()).toBe(1);
    s.faults.endWatches();
    const { ended } = await watching;
    expect(ended).toBe(true);
    expect(s.openWatches()).toBe(0);
  });
});
