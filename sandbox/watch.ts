/**
 * Watch streams: chunked JSON lines `{"type":..., "object":...}`. Resumes from a resourceVersion
 * through the store's event window; a resourceVersion older than the window gets, as from a real API
 * server, an HTTP 200 followed by one ERROR event holding a 410 `Expired` Status (client-node's Watch
 * and kubectl's reflector both expect it there, not as an HTTP status), and the stream ends.
 */
import type { ServerResponse } from "node:http";
import { badRequest, expired } from "./status";
import type { Predicate } from "./selectors";
import type { EventType, KubeObject, Store, StoreEvent } from "./store";
import { toTable } from "./table";

export type WatchRequest = {
  resource: string;
  kind: string;
  namespace?: string;
  match: Predicate;
  resourceVersion: string | null;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  /** Render each object as a one-row Table (`kubectl get -w`). */
  table: boolean;
  includeObject: string | null;
};

type WatchEventType = EventType | "BOOKMARK" | "ERROR";

/** Keeps track of the open watch streams so that they can be ended on demand (faults, close). */
export class WatchHub {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private readonly bookmarkIntervalMs: number,
  ) {}

  /** Number of watch streams currently open (handy in tests). */
  get count(): number {
    return this.open.size;
  }

  /** Ends every open watch stream cleanly, as an API server does on restart or timeout. */
  endAll(): void {
    for (const end of [...this.open]) end();
  }

  /** Validates the request, writes the 200 header and streams events until timeout, close or `endAll`. */
  serve(res: ServerResponse, w: WatchRequest): void {
    const fromRv = parseResourceVersion(w.resourceVersion);
    if (w.sendInitialEvents && !w.allowBookmarks) {
      throw badRequest("sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled and allowWatchBookmarks is set");
    }
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
    res.flushHeaders();

    const write = (type: WatchEventType, object: unknown) => {
      if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const render = (object: KubeObject): unknown =>
      w.table ? toTable(w.resource, [object], this.store.now(), object.metadata.resourceVersion, w.includeObject) : object;
    const inScope = (o: KubeObject | undefined) => o !== undefined && (w.namespace === undefined || o.metadata.namespace === w.namespace) && w.match(o);

    const deliver = (event: StoreEvent) => {
      if (event.resource !== w.resource) return;
      const now = inScope(event.object);
      const before = event.type === "ADDED" ? false : inScope(event.previous ?? event.object);
      // A filtered watch sees an object enter (ADDED) or leave (DELETED) its selection, as on a real server.
      if (event.type === "DELETED") {
        if (before) write("DELETED", render(event.object));
      } else if (now && before) write("MODIFIED", render(event.object));
      else if (now) write("ADDED", render(event.object));
      else if (before) write("DELETED", render(event.object));
    };

    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const unsubscribe = this.store.subscribe(deliver);
    const end = () => {
      if (finished) return;
      finished = true;
      unsubscribe();
      for (const t of timers) clearTimeout(t);
      this.open.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    res.on("close", end);

    if (fromRv === undefined) {
      // No resourceVersion (or "0"): synthetic ADDED events for the current state, then live events.
      for (const o of this.store.list(w.resource, w.namespace).filter(w.match)) write("ADDED", render(o));
      if (w.sendInitialEvents) this.bookmark(write, w.kind, true);
    } else {
      const backlog = this.store.eventsSince(fromRv);
      if (backlog === "expired") {
        write("ERROR", expired(fromRv, this.store.oldestResumable + 1));
        end();
        return;
      }
      for (const event of backlog) deliver(event);
    }

    if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
      const t = setTimeout(end, w.timeoutSeconds * 1000);
      t.unref();
      timers.push(t);
    }
    if (w.allowBookmarks) {
      const t = setInterval(() => this.bookmark(write, w.kind, false), this.bookmarkIntervalMs);
      t.unref();
      timers.push(t);
    }
  }

  /** A BOOKMARK carries only the resourceVersion the client may resume from. */
  private bookmark(write: (type: WatchEventType, object: unknown) => void, kind: string, initialEventsEnd: boolean): void {
    const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentResourceVersion) };
    if (initialEventsEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
    write("BOOKMARK", { kind, apiVersion: "v1", metadata });
  }
}

/** `undefined` means "from now, with the current state first" (no value, empty, or "0"). */
function parseResourceVersion(value: string | null): number | undefined {
  if (value === null || value === "" || value === "0") return undefined;
  if (!/^[0-9]+$/.test(value)) {
    throw badRequest(`resourceVersion: Invalid value: "${value}": strconv.ParseUint: parsing "${value}": invalid syntax`);
  }
  return Number(value);
}
