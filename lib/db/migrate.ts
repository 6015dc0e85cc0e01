import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseFilePath, resolveDatabaseUrl, resolveMigrationsDir } from "./paths";

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

const MIGRATIONS_TABLE = "_coredeck_migrations";

/**
 * Applies the SQL migrations in `prisma/migrations` that this database has not seen yet, in name order.
 *
 * Prisma's own `migrate deploy` needs its native schema engine, which cannot be downloaded on
 * air-gapped machines; the SQL files keep Prisma's layout so that the schema engine can take over
 * where it is available. Each migration runs in its own transaction and is recorded with a checksum;
 * an applied migration whose file changed afterwards stops start-up rather than drifting silently.
 */
export function applyMigrations(options: { url?: string; migrationsDir?: string } = {}): MigrationResult {
  const file = databaseFilePath(options.url ?? resolveDatabaseUrl());
  const migrationsDir = options.migrationsDir ?? resolveMigrationsDir();
  mkdirSync(path.dirname(file), { recursive: true });

  const db = new Database(file);
  try {
    configureConnection(db);
    db.exec(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, appliedAt TEXT NOT NULL)`,
    );
    const recorded = new Map(
      (db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[]).map(
        (row) => [row.name, row.checksum],
      ),
    );
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const name of listMigrationNames(migrationsDir)) {
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const seen = recorded.get(name);
      if (seen !== undefined) {
        if (seen !== checksum) {
          throw new Error(
            `Migration ${name} was changed after it was applied to ${file}. Restore the original file and add a new migration instead.`,
          );
        }
        result.alreadyApplied.push(name);
        continue;
      }
      db.transaction(() => {
        db.exec(sql);
        db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, appliedAt) VALUES (?, ?, ?)`).run(
          name,
          checksum,
          new Date().toISOString(),
        );
      })();
      result.applied.push(name);
    }
    return result;
  } finally {
    db.close();
  }
}

/**
 * WAL lets the dashboard read while a write is in progress; the busy timeout makes a second
 * process wait for the lock instead of failing at once. WAL is persistent, so setting it once per
 * file is enough, but repeating it is harmless.
 */
export function configureConnection(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
}

function listMigrationNames(dir: string): string[] {
  if (!existsSync(dir)) {
    throw new Error(`No migrations folder at ${dir}; run from the project root or set COREDECK_MIGRATIONS_DIR.`);
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}
