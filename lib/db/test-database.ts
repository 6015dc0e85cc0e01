import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "./client";
import { applyMigrations } from "./migrate";

/** A migrated SQLite file in a temporary folder, with a Prisma client on it; for integration tests. */
export function createTestDatabase() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "coredeck-db-"));
  const url = `file:${path.join(dir, "test.db")}`;
  applyMigrations({ url, migrationsDir: path.resolve(import.meta.dirname, "../../prisma/migrations") });
  const db = createDb(url);
  return {
    db,
    url,
    dir,
    async dispose() {
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
