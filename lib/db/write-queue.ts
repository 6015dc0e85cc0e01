/**
 * Serialises the writes of this process. With the better-sqlite3 adapter, a write issued while
 * another caller's interactive transaction is open runs *inside* that transaction and disappears if
 * it rolls back; queueing every write removes that hazard (see STACK.md, "Two SQLite hazards").
 */
// On globalThis: Next may load this module once per bundle, and there must be one queue per process.
const queue = globalThis as unknown as { coredeckWriteTail?: Promise<unknown> };

/** Runs `work` after every write queued before it has settled; its result or error is passed through. */
export function enqueueWrite<T>(work: () => Promise<T>): Promise<T> {
  const run = (queue.coredeckWriteTail ?? Promise.resolve()).then(work, work);
  queue.coredeckWriteTail = run.catch(() => undefined);
  return run;
}
