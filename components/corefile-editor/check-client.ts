"use client";

/**
 * Runs the editor's check (validateCorefile plus the lint): on the main thread for ordinary Corefiles, in a Web
 * Worker for large ones. Falls back to the main thread when a worker cannot be started.
 */
import { checkCorefile } from "@/lib/corefile-language";
import type { CorefileDiagnostic, ValidateOptions } from "@/lib/corefile/validate";

/** What the editor reports after each check. */
export type CheckResult = {
  /** CoreDNS would load the text: no diagnostic is an error. */
  ok: boolean;
  /** Sorted by file (the edited one first), then position. */
  diagnostics: CorefileDiagnostic[];
  /** The name the text was checked under (diagnostics of other files come from imports). */
  file: string;
};

export type CheckRequest = { id: number; text: string; options?: ValidateOptions };
export type CheckResponse = CheckResult & { id: number };

/** Texts longer than this (about 700 lines) are checked in the worker. */
export const WORKER_THRESHOLD_CHARS = 20_000;

/** Checks on the main thread. */
export function checkNow(text: string, options?: ValidateOptions): CheckResult {
  const result = checkCorefile(text, options);
  return { ok: result.ok, diagnostics: result.diagnostics, file: result.parse.cst.file };
}

/** A checker that uses a worker for large texts; call `dispose` when done. */
export function createChecker(): { check(text: string, options?: ValidateOptions): Promise<CheckResult>; dispose(): void } {
  let worker: Worker | null | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: CheckResult) => void; request: CheckRequest }>();

  const startWorker = (): Worker | null => {
    if (worker !== undefined) return worker;
    try {
      worker = new Worker(new URL("./check.worker.ts", import.meta.url), { type: "module", name: "corefile-check" });
      worker.onmessage = (event: MessageEvent<CheckResponse>) => {
        const { id, ...result } = event.data;
        pending.get(id)?.resolve(result);
        pending.delete(id);
      };
      worker.onerror = () => {
        // The worker could not load or crashed: finish what is pending here and stop using it.
        worker?.terminate();
        worker = null;
        for (const { resolve, request } of pending.values()) resolve(checkNow(request.text, request.options));
        pending.clear();
      };
    } catch {
      worker = null;
    }
    return worker;
  };

  return {
    check(text, options) {
      const w = text.length > WORKER_THRESHOLD_CHARS ? startWorker() : null;
      if (!w) return Promise.resolve(checkNow(text, options));
      const id = ++nextId;
      return new Promise((resolve) => {
        const request: CheckRequest = { id, text, options };
        pending.set(id, { resolve, request });
        w.postMessage(request);
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      pending.clear();
    },
  };
}
