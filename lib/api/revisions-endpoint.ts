import "server-only";
import { z } from "zod";
import { corefileLocationOf } from "@/lib/revisions/apply-corefile";
import { listRevisions } from "@/lib/revisions/revisions";
import { authorizeApiRequest } from "./authorize";
import { renderConfigMapYaml } from "./configmap-yaml";
import { lookUpCluster, lookUpRevision, respondSafely, type ApiDeps, type ClusterParams, type RevisionParams } from "./lookups";
import { errorResponse, jsonResponse, textResponse } from "./responses";
import { toRevisionJson, toRevisionSummaryJson } from "./revision-json";

/** The query of `GET .../revisions`; empty parameters count as absent. */
export const listRevisionsQuerySchema = z.object({
  cursor: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce
    .number({ error: "limit must be a whole number from 1 to 200." })
    .int("limit must be a whole number from 1 to 200.")
    .min(1, "limit must be a whole number from 1 to 200.")
    .max(200, "limit must be a whole number from 1 to 200.")
    .optional(),
  author: z.string().trim().min(1).max(200).optional(),
  source: z.enum(["dashboard", "api", "external", "rollback"], { error: "source must be dashboard, api, external or rollback." }).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

/**
 * `GET /api/v1/clusters/{cluster}/revisions?cursor=&limit=&author=&source=&q=` → 200 `{ revisions, nextCursor }`,
 * newest first, without texts. Pass `nextCursor` as `cursor` for the next page; it is null on the last one.
 */
export function handleListRevisions(request: Request, params: ClusterParams, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    const auth = await authorizeApiRequest(request, { cluster: params.cluster, role: "viewer" }, deps);
    if (!auth.ok) return auth.response;
    const query = listRevisionsQuerySchema.safeParse(readQuery(request));
    if (!query.success) {
      const first = query.error.issues[0];
      return errorResponse(400, "INVALID_REQUEST", `Invalid query parameter ${String(first?.path[0] ?? "")}: ${first?.message ?? "invalid"}`);
    }
    const found = await lookUpCluster(params.cluster, deps.db);
    if (!found.ok) return found.response;

    const { cursor, limit, author, source, q } = query.data;
    const page = await listRevisions(found.value.id, { cursor, limit, filter: { author, source, text: q } }, deps.db);
    return jsonResponse({ revisions: page.revisions.map(toRevisionSummaryJson), nextCursor: page.nextCursor });
  });
}

/**
 * `GET /api/v1/clusters/{cluster}/revisions/{id}` → 200 `{ revision }` with its text. `?format=corefile` downloads
 * the text as `Corefile-r{number}`; `?format=configmap` downloads a ConfigMap manifest holding it. Both are exactly
 * the recorded bytes.
 */
export function handleGetRevision(request: Request, params: RevisionParams, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    const auth = await authorizeApiRequest(request, { cluster: params.cluster, role: "viewer" }, deps);
    if (!auth.ok) return auth.response;
    const format = new URL(request.url).searchParams.get("format") ?? "json";
    if (format !== "json" && format !== "corefile" && format !== "configmap") {
      return errorResponse(400, "INVALID_REQUEST", `Unknown format "${format}". Use format=corefile or format=configmap, or leave it out for JSON.`);
    }
    const cluster = await lookUpCluster(params.cluster, deps.db);
    if (!cluster.ok) return cluster.response;
    const found = await lookUpRevision(cluster.value, params.id, deps.db);
    if (!found.ok) return found.response;
    const revision = found.value;

    if (format === "corefile") {
      return textResponse(revision.text, {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="Corefile-r${revision.number}"`,
      });
    }
    if (format === "configmap") {
      const location = corefileLocationOf(cluster.value);
      return textResponse(renderConfigMapYaml(location, revision.text), {
        "Content-Type": "application/yaml; charset=utf-8",
        "Content-Disposition": `attachment; filename="${location.name}-configmap-r${revision.number}.yaml"`,
      });
    }
    return jsonResponse({ revision: toRevisionJson(revision) });
  });
}

/** Query parameters as an object, leaving out empty ones (`?author=` means no author filter). */
function readQuery(request: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URL(request.url).searchParams) {
    if (value.trim() !== "") query[name] = value;
  }
  return query;
}
