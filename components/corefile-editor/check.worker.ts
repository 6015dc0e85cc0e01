/**
 * Checks large Corefiles off the main thread (validation plus lint takes tens of milliseconds for thousands of lines),
 * so typing never stutters. Started by check-client.ts.
 */
import { checkCorefile } from "@/lib/corefile-language/check";
import type { CheckRequest, CheckResponse } from "./check-client";

self.onmessage = (event: MessageEvent<CheckRequest>) => {
  const { id, text, options } = event.data;
  const result = checkCorefile(text, options);
  const response: CheckResponse = { id, ok: result.ok, diagnostics: result.diagnostics, file: result.parse.cst.file };
  self.postMessage(response);
};
