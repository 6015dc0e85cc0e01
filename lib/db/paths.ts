import path from "node:path";

/** Folder for the SQLite file, the sandbox kubeconfig and other local state (`COREDECK_DATA_DIR`, default `.data`). */
export function resolveDataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.COREDECK_DATA_DIR ?? ".data");
}

/**
 * The SQLite URL Prisma and the migration runner use: `DATABASE_URL` when set
 * (`file:/abs/path.db` or `file:./relative.db`), otherwise `<data dir>/coredeck.db`.
 */
export function resolveDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? `file:${path.join(/*turbopackIgnore: true*/ resolveDataDir(), "coredeck.db")}`;
}

/** The file system path behind a `file:` SQLite URL. */
export function databaseFilePath(url: string = resolveDatabaseUrl()): string {
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a SQLite file: URL, got "${url}"`);
  }
  const withoutScheme = url.slice("file:".length).replace(/^\/\/(?=\/)/, "");
  return path.resolve(/*turbopackIgnore: true*/ withoutScheme.split("?")[0] ?? withoutScheme);
}

/** Folder holding Prisma-layout migrations (`prisma/migrations/<timestamp>_<name>/migration.sql`). */
export function resolveMigrationsDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.COREDECK_MIGRATIONS_DIR ?? path.join("prisma", "migrations"));
}
