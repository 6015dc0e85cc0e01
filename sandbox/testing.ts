/** Helpers shared by the sandbox's own tests (plain fetch against 127.0.0.1). */
import type { Sandbox } from "./server";

export type JsonResponse = { status: number; body: any; headers: Headers }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON

/** Sends a request to the sandbox and parses the JSON answer. */
export async function call(sandbox: Sandbox, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const init: RequestInit = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
  }
  const res = await fetch(`${sandbox.url}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (metrics, health): keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export type WatchLine = { type: string; object: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- see above

/**
 * Opens a watch and collects events until `until` returns true for the events so far, the server
 * ends the stream, or `timeoutMs` passes (then the events so far are returned; the caller asserts).
 * `onOpen` runs once the response headers arrived, e.g. to make a change.
 */
export async function collectWatch(
  sandbox: Sandbox,
  path: string,
  options: { until?: (events: WatchLine[]) => boolean; timeoutMs?: number; onOpen?: () => Promise<void> | void } = {},
): Promise<{ events: WatchLine[]; ended: boolean; status: number }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
  const events: WatchLine[] = [];
  let ended = false;
  let status = 0;
  try {
    const res = await fetch(`${sandbox.url}${path}`, { signal: controller.signal });
    status = res.status;
    if (options.onOpen) await options.onOpen();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      if (options.until?.(events)) break;
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) events.push(JSON.parse(line) as WatchLine);
      }
    }
  } catch (e) {
    if (!(e instanceof Error && e.name === "AbortError")) throw e;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { events, ended, status };
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Parses Prometheus text into `name{labels}` -> value (labels in the order printed). */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const idx = line.lastIndexOf(" ");
    out.set(line.slice(0, idx), Number(line.slice(idx + 1)));
  }
  return out;
}

/** Sum of every sample of `family` whose labels contain all `match` pairs. */
export function sumMetric(metrics: Map<string, number>, family: string, match: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of metrics) {
    const name = key.split("{")[0];
    if (name !== family) continue;
    if (Object.entries(match).every(([k, v]) => key.includes(`${k}="${v}"`))) total += value;
  }
  return total;
}
