/**
 * The request pipeline: admin endpoints, then faults (delay, hang, fail), then discovery, OpenAPI,
 * the pod/service proxy and the resource verbs. Every error becomes a Status body.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleAdmin, type AdminContext } from "./admin";
import { apiGroupList, apiVersions, coreResourceList, SERVER_VERSION } from "./discovery";
import { sendError, sendJson, sendStatus, sendText } from "./http";
import { coreV1OpenApi, openApiRoot } from "./openapi";
import { handleProxy } from "./proxy";
import { parseRequestInfo, type RequestInfo } from "./request-info";
import { handleResource } from "./resources";
import { pathNotFound, methodNotAllowed } from "./status";

export type RouterContext = AdminContext & {
  /** `host:port` the server listens on, for `/api`'s serverAddressByClientCIDRs. */
  address: () => string;
  /** Responses parked by a hang fault or a delay; destroyed on close. */
  parked: Set<ServerResponse>;
};

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function sleep(ms: number, ctx: RouterContext, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    ctx.parked.add(res);
    const timer = setTimeout(() => {
      ctx.parked.delete(res);
      resolve();
    }, ms);
    timer.unref();
    res.on("close", () => clearTimeout(timer));
  });
}

/** Builds the `(req, res)` listener for `http.createServer`. */
export function createRouter(ctx: RouterContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    route(ctx, req, res).catch((err: unknown) => sendError(res, err));
  };
}

async function route(ctx: RouterContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const path = url.pathname;
  const method = req.method ?? "GET";
  if (path === "/_sandbox" || path.startsWith("/_sandbox/")) return handleAdmin(ctx, req, res, path);

  const segments = decodeSegments(path);
  let info: RequestInfo | undefined;
  if (segments && segments[0] === "api" && segments[1] === "v1" && segments.length > 2) {
    info = parseRequestInfo(method, segments.slice(2), url.searchParams);
  }

  const delay = ctx.faults.delayFor(method, path, info);
  if (delay > 0) await sleep(delay, ctx, res);
  const decision = ctx.faults.decide(method, path, info, req.headers["user-agent"]);
  if (decision.kind === "hang") {
    // Never answer: the client's timeout (or the sandbox closing) ends the request.
    ctx.parked.add(res);
    res.on("close", () => ctx.parked.delete(res));
    return;
  }
  if (decision.kind === "fail") return sendStatus(res, decision.status);

  if (!segments) throw pathNotFound();
  const isGet = method === "GET" || method === "HEAD";
  const joined = `/${segments.join("/")}`;
  switch (joined) {
    case "/version":
      if (!isGet) throw methodNotAllowed("version");
      return sendJson(res, 200, SERVER_VERSION);
    case "/healthz":
    case "/livez":
    case "/readyz":
      return sendText(res, 200, "ok");
    case "/api":
      return sendJson(res, 200, apiVersions(ctx.address()));
    case "/api/v1":
      return sendJson(res, 200, coreResourceList());
    case "/apis":
      return sendJson(res, 200, apiGroupList());
    case "/openapi/v3":
      return sendJson(res, 200, openApiRoot());
    case "/openapi/v3/api/v1": {
      const doc = coreV1OpenApi();
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "public, immutable", ETag: `"${doc.hash}"`, "Content-Length": Buffer.byteLength(doc.text) });
      res.end(doc.text);
      return;
    }
  }
  if (info) {
    if (info.verb === "proxy") return handleProxy(ctx.store, ctx.fleet, res, info);
    return handleResource(ctx, req, res, info, url.searchParams);
  }
  throw pathNotFound();
}
