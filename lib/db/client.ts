import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { resolveDatabaseUrl } from "./paths";

const globalForPrisma = globalThis as unknown as { coredeckPrisma?: PrismaClient };

/**
 * The one Prisma client of the process. Next's dev server re-evaluates modules on every change,
 * so the client is kept on `globalThis` to avoid opening a new SQLite connection each time.
 */
export function getDb(): PrismaClient {
  globalForPrisma.coredeckPrisma ??= createDb(resolveDatabaseUrl());
  return globalForPrisma.coredeckPrisma;
}

/** A new client on the given SQLite URL (tests and scripts use their own files). */
export function createDb(url: string): PrismaClient {
  // `timeout` is better-sqlite3's busy timeout: another process holding the write lock is waited for.
  const adapter = new PrismaBetterSqlite3({ url, timeout: 5000 });
  return new PrismaClient({ adapter });
}
