/**
 * `/_sandbox/...`: JSON endpoints for driving the sandbox from outside the process (the demo, a
 * browser test): inspect pods, arm faults, end watches, reset. Never subject to faults themselves.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DelaySpec, FailSpec, Faults, HangSpec } from "./faults";
import { isObject, parseJsonBody, readBody, sendJson } from "./http";
import type { CoreDnsFleet } from "./pods";
import { badRequest, failure, ApiError } from "./status";
import type { Store } from "./store";
import type { WatchHub } from "./watch";

export type AdminContext = { store: Store; faults: Faults; fleet: CoreDnsFleet; watches: WatchHub };

async function bodyObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (text.trim() === "") return {};
  const body = parseJsonBody(text);
  if (!isObject(body)) throw badRequest("expected a JSON object");
  return body;
}

/** State for `GET /_sandbox/state`. */
export function adminState(ctx: AdminContext): unknown {
  return {
    resourceVersion: String(ctx.store.currentResourceVersion),
    pods: ctx.fleet.snapshot(),
    faults: ctx.faults.describe(),
    openWatches: ctx.watches.count,
  };
}

/** Handles one `/_sandbox/...` request. */
export async function handleAdmin(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = `${req.method ?? "GET"} ${path.replace(/\/+$/, "")}`;
  const restart = /^POST \/_sandbox\/pods\/([^/]+)\/restart$/.exec(route);
  if (restart) {
    const name = decodeURIComponent(restart[1]!);
    const replacement = await ctx.fleet.restart(name);
    if (!replacement) throw new ApiError(failure(404, "NotFound", `pods "${name}" not found`));
    return sendJson(res, 200, replacement);
  }
  switch (route) {
    case "GET /_sandbox/state":
      return sendJson(res, 200, adminState(ctx));
    case "GET /_sandbox/pods":
      return sendJson(res, 200, ctx.fleet.snapshot());
    case "POST /_sandbox/pods/poll":
      ctx.fleet.pollNow();
      return sendJson(res, 200, ctx.fleet.snapshot());
    case "POST /_sandbox/faults/fail":
      ctx.faults.failNext((await bodyObject(req)) as FailSpec);
      return sendJson(res, 200, ctx.faults.describe());
    case "POST /_sandbox/faults/hang":
      ctx.faults.hangNext((await bodyObject(req)) as HangSpec);
      return sendJson(res, 200, ctx.faults.describe());
    case "POST /_sandbox/faults/delay": {
      const body = await bodyObject(req);
      if (typeof body.ms !== "number" || body.ms < 0) throw badRequest('"ms" must be a non-negative number');
      ctx.faults.delay(body as DelaySpec);
      return sendJson(res, 200, ctx.faults.describe());
    }
    case "GET /_sandbox/faults":
      return sendJson(res, 200, ctx.faults.describe());
    case "POST /_sandbox/watches/end": {
      const ended = ctx.watches.count;
      ctx.watches.endAll();
      return sendJson(res, 200, { ended });
    }
    case "POST /_sandbox/reset":
      ctx.faults.reset();
      return sendJson(res, 200, ctx.faults.describe());
    default:
      throw new ApiError(failure(404, "NotFound", `no sandbox admin endpoint ${route}`));
  }
}
