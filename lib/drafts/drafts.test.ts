import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { registerCluster } from "@/lib/clusters/clusters";
import type { ClusterSummary } from "@/lib/clusters/cluster-schema";
import { createTestDatabase } from "@/lib/db/test-database";
import { DRAFT_TEXT_LIMIT_BYTES, draftInputSchema } from "./draft-schema";
import { discardDraft, getDraft, saveDraft } from "./drafts";

let database: ReturnType<typeof createTestDatabase>;
let cluster: ClusterSummary;

beforeEach(async () => {
  database = createTestDatabase();
  cluster = await registerCluster({ name: "prod", connection: "kubeconfig", kubeconfigPath: "/k/config" }, database.db);
});

afterEach(async () => {
  await database.dispose();
});

const INPUT = { text: ".:53 {\n    forward . 1.1.1.1\n}\n", baseText: ".:53 {\n    forward . 8.8.8.8\n}\n", baseResourceVersion: "42" };

describe("drafts", () => {
  it("saves a draft and restores it byte for byte", async () => {
    const saved = await saveDraft(cluster.id, "alice", INPUT, database.db);
    expect(saved).toMatchObject({ clusterId: cluster.id, userId: "alice", ...INPUT });
    expect(saved.updatedAt).toBeInstanceOf(Date);
    expect(await getDraft(cluster.id, "alice", database.db)).toEqual(saved);
    expect(await getDraft(cluster.id, "bob", database.db)).toBeNull();
  });

  it("keeps one draft per user and cluster: a later save replaces it", async () => {
    const first = await saveDraft(cluster.id, "alice", INPUT, database.db);
    const second = await saveDraft(cluster.id, "alice", { ...INPUT, text: "# rewritten\n", baseResourceVersion: "43" }, database.db);
    expect(second.id).toBe(first.id);
    expect(await getDraft(cluster.id, "alice", database.db)).toMatchObject({ text: "# rewritten\n", baseResourceVersion: "43" });
    await saveDraft(cluster.id, "bob", INPUT, database.db);
    expect(await database.db.draft.count()).toBe(2);
  });

  it("discards a draft, and says whether there was one", async () => {
    await saveDraft(cluster.id, "alice", INPUT, database.db);
    expect(await discardDraft(cluster.id, "alice", database.db)).toBe(true);
    expect(await getDraft(cluster.id, "alice", database.db)).toBeNull();
    expect(await discardDraft(cluster.id, "alice", database.db)).toBe(false);
  });

  it("accepts a null base (the ConfigMap did not exist) and text up to 1 MiB", async () => {
    const text = "#".repeat(DRAFT_TEXT_LIMIT_BYTES);
    const saved = await saveDraft(cluster.id, "alice", { text, baseText: "", baseResourceVersion: null }, database.db);
    expect(saved.text).toHaveLength(DRAFT_TEXT_LIMIT_BYTES);
    expect(saved.baseResourceVersion).toBeNull();
  });

  it("refuses more than 1 MiB, counted in UTF-8 bytes", async () => {
    const tooLong = draftInputSchema.safeParse({ ...INPUT, text: "#".repeat(DRAFT_TEXT_LIMIT_BYTES + 1) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.path).toEqual(["text"]);
    // Half as many characters, but each is two bytes.
    const wide = draftInputSchema.safeParse({ ...INPUT, baseText: "é".repeat(DRAFT_TEXT_LIMIT_BYTES / 2 + 1) });
    expect(wide.error?.issues[0]?.path).toEqual(["baseText"]);
    await expect(saveDraft(cluster.id, "alice", { ...INPUT, text: "#".repeat(DRAFT_TEXT_LIMIT_BYTES + 1) }, database.db)).rejects.toThrow(
      ZodError,
    );
    expect(await database.db.draft.count()).toBe(0);
  });

  it("refuses an empty user or cluster id", async () => {
    await expect(saveDraft(cluster.id, " ", INPUT, database.db)).rejects.toThrow(ZodError);
    await expect(getDraft("", "alice", database.db)).rejects.toThrow(ZodError);
  });

  it("goes when its cluster is deleted", async () => {
    await saveDraft(cluster.id, "alice", INPUT, database.db);
    await database.db.cluster.delete({ where: { id: cluster.id } });
    expect(await database.db.draft.count()).toBe(0);
  });
});
