import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyCorefile, type ApplyResult } from "./apply-corefile";
import { getRevision, insertRevision, listRevisionAuthors, listRevisions } from "./revisions";
import { rollbackToRevision, type RollbackResult } from "./rollback";
import { createApplyEnvironment, type ApplyEnvironment } from "./test-environment";

let env: ApplyEnvironment;
let seedCorefile: string;

beforeEach(async () => {
  env = await createApplyEnvironment();
  seedCorefile = env.configMap().data?.Corefile ?? "";
});

afterEach(async () => {
  await env.dispose();
});

function rv(): string {
  return env.configMap().metadata.resourceVersion;
}

function expectOk(result: ApplyResult | RollbackResult): Extract<ApplyResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result;
}

async function apply(text: string, author = "alice", message = "change") {
  return expectOk(await applyCorefile(env.cluster, { text, baseResourceVersion: rv(), message, author }, { db: env.db }));
}

describe("rollbackToRevision", () => {
  it("puts the chosen revision's exact bytes back and links the new revision to it", async () => {
    // Odd bytes on purpose: CRLF line ends, a tab, a trailing space and no final newline.
    const first = await apply(seedCorefile.replaceAll("\n", "\r\n").replace("cache 30", "cache\t30 ").trimEnd());
    await apply(seedCorefile.replace("cache 30", "cache 90"));
    await apply(seedCorefile.replace("cache 30", "cache 120"));

    const result = expectOk(await rollbackToRevision(env.cluster, { revisionId: first.revision.id, baseResourceVersion: rv(), author: "bob" }, { db: env.db }));

    expect(env.configMap().data?.Corefile).toBe(first.revision.text);
    expect(result.revision).toMatchObject({
      source: "rollback",
      restoredFromId: first.revision.id,
      author: "bob",
      message: `Roll back to revision #${first.revision.number}`,
      number: first.revision.number + 3,
      sha256: first.revision.sha256,
      reloadHash: first.revision.reloadHash,
    });
    expect((await getRevision(result.revision.id, env.db))?.text).toBe(first.revision.text);
  });

  it("is a CONFLICT when the ConfigMap changed after the user reviewed the rollback", async () => {
    const first = await apply(seedCorefile.replace("cache 30", "cache 60"));
    const reviewed = rv();
    await apply(seedCorefile.replace("cache 30", "cache 90"));

    const result = await rollbackToRevision(env.cluster, { revisionId: first.revision.id, baseResourceVersion: reviewed, author: "bob" }, { db: env.db });

    expect(result).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(result.ok === false && result.code === "CONFLICT" ? result.live?.text : null).toBe(seedCorefile.replace("cache 30", "cache 90"));
    expect(env.configMap().data?.Corefile).toBe(seedCorefile.replace("cache 30", "cache 90"));
  });

  it("without a base version, restores over whatever is live", async () => {
    const first = await apply(seedCorefile.replace("cache 30", "cache 60"));
    await apply(seedCorefile.replace("cache 30", "cache 90"));
    expectOk(await rollbackToRevision(env.cluster, { revisionId: first.revision.id, author: "ci" }, { db: env.db }));
    expect(env.configMap().data?.Corefile).toBe(first.revision.text);
  });

  it("refuses a revision that CoreDNS would refuse now, and writes nothing", async () => {
    const good = await apply(seedCorefile.replace("cache 30", "cache 60"));
    // A revision recorded from outside (say kubectl) with a Corefile CoreDNS rejects.
    const broken = await env.db.$transaction((tx) =>
      insertRevision(tx, {
        clusterId: env.cluster.id,
        author: "kubectl-edit",
        message: "edited by hand",
        source: "external",
        text: ".:53 {\n    forward . \n",
        resourceVersionBefore: good.resourceVersion,
        resourceVersionAfter: "999999",
      }),
    );
    const before = env.configMap().metadata.resourceVersion;

    const result = await rollbackToRevision(env.cluster, { revisionId: broken.id, baseResourceVersion: before, author: "bob" }, { db: env.db });

    expect(result).toMatchObject({ ok: false, code: "INVALID" });
    expect(env.configMap().metadata.resourceVersion).toBe(before);
  });

  it("answers NOT_FOUND for an unknown revision and UNCHANGED when it is live already", async () => {
    expect(await rollbackToRevision(env.cluster, { revisionId: "nope", author: "bob" }, { db: env.db })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    const live = await apply(seedCorefile.replace("cache 30", "cache 60"));
    expect(await rollbackToRevision(env.cluster, { revisionId: live.revision.id, baseResourceVersion: rv(), author: "bob" }, { db: env.db })).toMatchObject({
      ok: false,
      code: "UNCHANGED",
    });
  });
});

describe("listRevisions filters", () => {
  beforeEach(async () => {
    await apply(seedCorefile.replace("cache 30", "cache 60"), "alice", "longer cache");
    await apply(seedCorefile.replace("forward . /etc/resolv.conf", "forward . 10.0.0.53"), "bob", "use the corporate resolver");
    await apply(seedCorefile.replace("cache 30", "cache 5"), "alice", "short cache for the migration");
  });

  const numbers = (page: Awaited<ReturnType<typeof listRevisions>>) => page.revisions.map((r) => r.number);

  it("filters by author and by source", async () => {
    expect(numbers(await listRevisions(env.cluster.id, { filter: { author: "alice" } }, env.db))).toEqual([3, 1]);
    expect(numbers(await listRevisions(env.cluster.id, { filter: { source: "rollback" } }, env.db))).toEqual([]);
    expect(await listRevisionAuthors(env.cluster.id, env.db)).toEqual(["alice", "bob"]);
  });

  it("finds text in the Corefile, the message or the author, case-insensitively", async () => {
    expect(numbers(await listRevisions(env.cluster.id, { filter: { text: "10.0.0.53" } }, env.db))).toEqual([2]);
    expect(numbers(await listRevisions(env.cluster.id, { filter: { text: "CACHE" } }, env.db))).toEqual([3, 2, 1]);
    expect(numbers(await listRevisions(env.cluster.id, { filter: { text: "migration" } }, env.db))).toEqual([3]);
    // Two characters: too short for the trigram index, still found.
    expect(numbers(await listRevisions(env.cluster.id, { filter: { text: "bo" } }, env.db))).toEqual([2]);
    // LIKE wildcards and FTS syntax are plain text.
    expect(numbers(await listRevisions(env.cluster.id, { filter: { text: '"%_' } }, env.db))).toEqual([]);
    expect(numbers(await listRevisions(env.cluster.id, { filter: { text: "cache AND" } }, env.db))).toEqual([]);
  });

  it("pages through filtered results with the cursor", async () => {
    const first = await listRevisions(env.cluster.id, { limit: 1, filter: { text: "cache", author: "alice" } }, env.db);
    expect(numbers(first)).toEqual([3]);
    const second = await listRevisions(env.cluster.id, { limit: 1, cursor: first.nextCursor, filter: { text: "cache", author: "alice" } }, env.db);
    expect(numbers(second)).toEqual([1]);
    expect(second.nextCursor).toBeNull();
  });
});
