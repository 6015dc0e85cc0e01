import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseFilePath } from "@/lib/db/paths";
import { Prisma } from "@/lib/db/generated/client";
import { createTestDatabase } from "@/lib/db/test-database";

let database: ReturnType<typeof createTestDatabase>;
let sqlite: Database.Database;

beforeEach(() => {
  database = createTestDatabase();
  sqlite = new Database(databaseFilePath(database.url));
  sqlite.pragma("foreign_keys = ON");
});

afterEach(async () => {
  sqlite.close();
  await database.dispose();
});

type Column = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
type ForeignKey = { table: string; from: string; to: string; on_update: string; on_delete: string };

function columns(table: string): Column[] {
  return sqlite.prepare(`PRAGMA table_info("${table}")`).all() as Column[];
}

function foreignKeys(table: string): Record<string, string> {
  const keys = sqlite.prepare(`PRAGMA foreign_key_list("${table}")`).all() as ForeignKey[];
  return Object.fromEntries(keys.map((key) => [key.from, `${key.table}.${key.to} ON DELETE ${key.on_delete} ON UPDATE ${key.on_update}`]));
}

function uniqueIndexes(table: string): string[] {
  const indexes = sqlite.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number }[];
  return indexes.filter((index) => index.unique === 1 && !index.name.startsWith("sqlite_autoindex")).map((index) => index.name).sort();
}

describe("the revisions migration", () => {
  it("has exactly the columns of the Prisma models", () => {
    const models = {
      Revision: Prisma.RevisionScalarFieldEnum,
      ApplyIntent: Prisma.ApplyIntentScalarFieldEnum,
      Draft: Prisma.DraftScalarFieldEnum,
    };
    for (const [table, fields] of Object.entries(models)) {
      expect(columns(table).map((column) => column.name), table).toEqual(Object.values(fields));
    }
  });

  it("makes the optional fields nullable and nothing else", () => {
    const nullable = (table: string) => columns(table).filter((column) => column.notnull === 0 && column.pk === 0).map((column) => column.name);
    expect(nullable("Revision")).toEqual(["reloadHash", "resourceVersionBefore", "parentId", "restoredFromId"]);
    expect(nullable("ApplyIntent")).toEqual(["baseResourceVersion", "restoredFromId", "error", "settledAt", "revisionId"]);
    expect(nullable("Draft")).toEqual(["baseResourceVersion"]);
    expect(columns("ApplyIntent").find((column) => column.name === "status")?.dflt_value).toBe("'pending'");
  });

  it("declares the relations with Prisma's referential actions", () => {
    expect(foreignKeys("Revision")).toEqual({
      clusterId: "Cluster.id ON DELETE CASCADE ON UPDATE CASCADE",
      parentId: "Revision.id ON DELETE SET NULL ON UPDATE CASCADE",
      restoredFromId: "Revision.id ON DELETE SET NULL ON UPDATE CASCADE",
    });
    expect(foreignKeys("ApplyIntent")).toEqual({
      clusterId: "Cluster.id ON DELETE CASCADE ON UPDATE CASCADE",
      revisionId: "Revision.id ON DELETE SET NULL ON UPDATE CASCADE",
    });
    expect(foreignKeys("Draft")).toEqual({ clusterId: "Cluster.id ON DELETE CASCADE ON UPDATE CASCADE" });
    expect(uniqueIndexes("Revision")).toEqual(["Revision_clusterId_number_key"]);
    expect(uniqueIndexes("ApplyIntent")).toEqual(["ApplyIntent_revisionId_key"]);
    expect(uniqueIndexes("Draft")).toEqual(["Draft_clusterId_userId_key"]);
  });

  it("keeps a cluster's history linear and removes it with the cluster", async () => {
    const { db } = database;
    const cluster = await db.cluster.create({ data: { name: "prod", connection: "sandbox", kubeconfigPath: "/k" } });
    const revision = (number: number, parentId: string | null) =>
      db.revision.create({
        data: { clusterId: cluster.id, number, author: "a", message: "", source: "dashboard", text: "", sha256: "", resourceVersionAfter: String(number), parentId, linesAdded: 0, linesRemoved: 0 },
      });
    const first = await revision(1, null);
    await revision(2, first.id);
    await expect(revision(2, first.id)).rejects.toThrow();

    await db.draft.create({ data: { clusterId: cluster.id, userId: "u", text: "", baseText: "" } });
    await db.applyIntent.create({
      data: { clusterId: cluster.id, author: "a", message: "", source: "dashboard", text: "", sha256: "", baseText: "", revisionId: first.id },
    });
    await db.cluster.delete({ where: { id: cluster.id } });
    expect([await db.revision.count(), await db.applyIntent.count(), await db.draft.count()]).toEqual([0, 0, 0]);
  });
});
