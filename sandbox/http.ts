/** Small helpers over `node:http`: JSON responses, Status responses, request bodies, content negotiation. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, badRequest, failure, type Status } from "./status";

/** The API server refuses request bodies over 3 MiB; a ConfigMap itself is capped at 1 MiB. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Sends `body` as JSON with the given status code (and any extra headers, e.g. `Warning`). */
export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends a Status body with its own `code` as the HTTP status. */
export function sendStatus(res: ServerResponse, status: Status): void {
  sendJson(res, status.code, status);
}

/** Sends plain text (metrics, health endpoints, proxied 404s). */
export function sendText(res: ServerResponse, code: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Converts anything thrown by a handler into a Status response; unexpected errors become 500 InternalError. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ApiError) {
    sendStatus(res, err.status);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendStatus(res, failure(500, "InternalError", `Internal error occurred: ${message}`, { causes: [{ message }] }));
}

/** Reads the whole request body as UTF-8 text, refusing oversized bodies with 413. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString("utf8");
}

/** Reads the whole request body as bytes (protobuf bodies are binary). */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(failure(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"));
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON request body; malformed JSON is a 400 with a decoder-style message, as on a real server. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") throw badRequest("the body of the request was empty");
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw badRequest(`error decoding request body: invalid JSON: ${detail}`);
  }
}

/** True when the client asked for the server-side Table rendering (`kubectl get`). */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return accept.split(",").some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

/** The media type of the request body, lower-cased, without parameters. */
export function contentType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

/** A plain-object check that narrows `unknown` for the JSON walkers. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
