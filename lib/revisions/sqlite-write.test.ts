import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/db/generated/client";
import { databaseFilePath } from "@/lib/db/paths";
import { createTestDatabase } from "@/lib/db/test-database";
import { isSqliteBusyError, runWrite, runWriteTransaction } from "./sqlite-write";

let database: ReturnType<typeof createTestDatabase>;
/** A client that gives up on a held lock after 50 ms, so that the retry, not the busy timeout, has to cope. */
let impatient: PrismaClient;
/** Another process's connection, as far as SQLite can tell. */
let other: Database.Database;

beforeEach(() => {
  database = createTestDatabase();
  impatient = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: database.url, timeout: 50 }) });
  other = new Database(databaseFilePath(database.url));
});

afterEach(async () => {
  if (other.inTransaction) other.exec("ROLLBACK");
  other.close();
  await impatient.$disconnect();
  await database.dispose();
});

function holdWriteLock(ms: number): Promise<void> {
  other.exec("BEGIN IMMEDIATE");
  other.prepare(`INSERT INTO "Cluster" (id, name, connection, updatedAt) VALUES ('other', 'other', 'sandbox', 0)`).run();
  return new Promise((resolve) =>
    setTimeout(() => {
      other.exec("COMMIT");
      resolve();
    }, ms),
  );
}

describe("runWrite", () => {
  it("recognises SQLite's busy error as Prisma reports it", async () => {
    const released = holdWriteLock(300);
    const error = await impatient.cluster.create({ data: { name: "prod", connection: "sandbox" } }).catch((caught: unknown) => caught);
    expect(isSqliteBusyError(error)).toBe(true);
    expect(isSqliteBusyError(new Error("UNIQUE constraint failed"))).toBe(false);
    await released;
  });

  it("retries a write until another process releases the lock", async () => {
    const released = holdWriteLock(300);
    const created = await runWrite(() => impatient.cluster.create({ data: { name: "prod", connection: "sandbox" } }));
    await released;
    expect(await impatient.cluster.count()).toBe(2);
    expect(created.name).toBe("prod");
  });

  it("retries a whole transaction, and passes other errors through at once", async () => {
    const released = holdWriteLock(300);
    const count = await runWriteTransaction(impatient, async (tx) => {
      await tx.cluster.create({ data: { name: "prod", connection: "sandbox" } });
      return tx.cluster.count();
    });
    await released;
    expect(count).toBe(2);
    await expect(runWrite(() => impatient.cluster.create({ data: { name: "prod", connection: "sandbox" } }))).rejects.toThrow(/Unique constraint/i);
  });
});
