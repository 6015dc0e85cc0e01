import { setTimeout as sleep } from "node:timers/promises";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { enqueueWrite } from "@/lib/db/write-queue";

/** How often a write that met another process's lock is tried in all. */
const BUSY_ATTEMPTS = 6;

/**
 * True for SQLite's "busy" family: another process holds the write lock, or (in WAL) this connection's
 * snapshot went stale. The better-sqlite3 adapter reports them as Prisma's P1008 "Operation has timed out".
 */
export function isSqliteBusyError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === "P1008" || code === "P2034") return true;
    if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
    if (typeof message === "string" && /SQLITE_BUSY|database is locked/.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a database write through the process's write queue (see lib/db/write-queue.ts) and tries it again,
 * with a growing pause, when another process holds SQLite's lock.
 */
export function runWrite<T>(work: () => Promise<T>): Promise<T> {
  return enqueueWrite(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (attempt >= BUSY_ATTEMPTS || !isSqliteBusyError(error)) throw error;
        await sleep(20 * 2 ** attempt + Math.random() * 20);
      }
    }
  });
}

/**
 * A short interactive transaction, queued and retried like {@link runWrite}. The callback must start with a
 * write (so that a second process cannot make its snapshot stale) and must not wait on the network.
 */
export function runWriteTransaction<T>(db: PrismaClient, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return runWrite(() => db.$transaction(work));
}
