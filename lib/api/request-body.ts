import type { z } from "zod";
import { errorResponse } from "./responses";

/**
 * The largest request body the API reads: a Corefile can be at most 1 MiB (the ConfigMap limit), and JSON escaping
 * can nearly double it. Anything larger is refused before it is parsed.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A parsed body, or the error answer to send instead. */
export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * Reads a JSON body and validates it with `schema`. Answers 413 (BODY_TOO_LARGE) over {@link MAX_BODY_BYTES},
 * 400 (BAD_JSON) when it is not UTF-8 JSON, 400 (INVALID_REQUEST, with `issues`) when it does not match `schema`.
 * With `isOptional`, an empty body counts as `{}`.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  options: { isOptional?: boolean; limitBytes?: number } = {},
): Promise<BodyResult<z.output<Schema>>> {
  const limit = options.limitBytes ?? MAX_BODY_BYTES;
  const text = await readBodyText(request, limit);
  if (text === TOO_LARGE) {
    return {
      ok: false,
      response: errorResponse(
        413,
        "BODY_TOO_LARGE",
        `The request body is larger than ${formatBytes(limit)}, more than any Corefile can be (a ConfigMap holds at most 1 MiB). Nothing was applied; send a smaller Corefile.`,
      ),
    };
  }
  if (text === NOT_UTF8) {
    return { ok: false, response: errorResponse(400, "BAD_JSON", "The request body is not UTF-8 text. Send a UTF-8 encoded JSON object.") };
  }

  let value: unknown;
  if (text.trim() === "" && options.isOptional) {
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? ` (${error.message})` : "";
      return {
        ok: false,
        response: errorResponse(400, "BAD_JSON", `The request body is not valid JSON${detail}. Send a JSON object, e.g. with curl --data @body.json.`),
      };
    }
  }

  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    const first = issues[0];
    const where = first?.path ? `"${first.path}": ` : "";
    return {
      ok: false,
      response: errorResponse(400, "INVALID_REQUEST", `The request body is not what this endpoint takes: ${where}${first?.message ?? "invalid"}. Nothing was changed.`, {
        issues,
      }),
    };
  }
  return { ok: true, data: parsed.data };
}

const TOO_LARGE = Symbol("too large");
const NOT_UTF8 = Symbol("not UTF-8");

/** The body as text, reading no more than `limit` bytes (a declared Content-Length over it is refused unread). */
async function readBodyText(request: Request, limit: number): Promise<string | typeof TOO_LARGE | typeof NOT_UTF8> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  if (!request.body) return "";

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(concatBytes(chunks, size));
  } catch {
    return NOT_UTF8;
  }
}

function concatBytes(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
