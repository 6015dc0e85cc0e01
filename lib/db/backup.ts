import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { configureConnection } from "./migrate";
import { databaseFilePath, resolveDatabaseUrl, resolveDataDir } from "./paths";

export type BackupResult = { source: string; destination: string; bytes: number; pages: number };

/** Why a backup was refused or failed; `message` says what to do. */
export class BackupError extends Error {
  constructor(
    readonly code: "NO_DATABASE" | "DESTINATION_EXISTS" | "CORRUPT_COPY" | "FAILED",
    message: string,
  ) {
    super(message);
    this.name = "BackupError";
  }
}

/** `<data dir>/backups/coredeck-<UTC time>.db`, e.g. `coredeck-20261126T120000Z.db`. */
export function defaultBackupPath(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return path.join(resolveDataDir(), "backups", `coredeck-${stamp}.db`);
}

/**
 * Copies the SQLite database with SQLite's online backup API (better-sqlite3's `backup()`), which is consistent
 * while the server keeps reading and writing, WAL included. The copy is written next to the destination as
 * `<destination>.partial`, checked with `PRAGMA integrity_check`, then renamed into place, so a failed backup
 * never leaves a half-written file under the destination's name. An existing destination is never overwritten.
 * @throws BackupError
 */
export async function backupDatabase(options: { url?: string; destination?: string } = {}): Promise<BackupResult> {
  const source = databaseFilePath(options.url ?? resolveDatabaseUrl());
  const destination = path.resolve(options.destination ?? defaultBackupPath());
  if (!existsSync(source)) {
    throw new BackupError("NO_DATABASE", `There is no database at ${source}. Set DATABASE_URL or COREDECK_DATA_DIR to the one to back up.`);
  }
  if (existsSync(destination)) {
    throw new BackupError("DESTINATION_EXISTS", `${destination} exists already; nothing was overwritten. Choose another file name.`);
  }
  mkdirSync(path.dirname(destination), { recursive: true });
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });

  const db = new Database(source, { fileMustExist: true });
  let pages = 0;
  try {
    configureConnection(db);
    await db.backup(partial, {
      progress: ({ totalPages }) => {
        pages = totalPages;
        // Copy in steps of 1000 pages so that the server's writes are not held up by one long copy.
        return 1000;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupError("FAILED", `The backup of ${source} failed: ${error instanceof Error ? error.message : String(error)}. Nothing was written.`);
  } finally {
    db.close();
  }

  const copy = new Database(partial, { fileMustExist: true });
  let verdict: string;
  try {
    // The copy is a standalone file: no WAL to carry around.
    copy.pragma("journal_mode = DELETE");
    verdict = String(copy.pragma("integrity_check", { simple: true }));
  } finally {
    copy.close();
  }
  if (verdict !== "ok") {
    rmSync(partial, { force: true });
    throw new BackupError("CORRUPT_COPY", `The copy of ${source} failed SQLite's integrity check (${verdict}); it was removed. Retry the backup.`);
  }
  renameSync(partial, destination);
  return { source, destination, bytes: statSync(destination).size, pages };
}
