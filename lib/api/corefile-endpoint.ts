import "server-only";
import { z } from "zod";
import { readCorefile } from "@/lib/k8s/corefile-configmap";
import { applyCorefile, corefileLocationOf } from "@/lib/revisions/apply-corefile";
import { recordApplyOutcome } from "@/lib/audit/record-apply";
import { authorizeApiRequest } from "./authorize";
import { respondToApplyResult } from "./apply-response";
import { refuseCrossOriginWrite } from "./cross-origin";
import { lookUpCluster, respondSafely, type ApiDeps, type ClusterParams } from "./lookups";
import { readJsonBody } from "./request-body";
import { errorResponse, jsonResponse, textResponse } from "./responses";

/**
 * `GET /api/v1/clusters/{cluster}/corefile` → 200 `{ cluster, corefile, resourceVersion, configMap, otherKeys }`;
 * with `?format=text`, the Corefile itself as text/plain. Both carry the resourceVersion as ETag.
 */
export function handleGetCorefile(request: Request, params: ClusterParams, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    const auth = await authorizeApiRequest(request, { cluster: params.cluster, role: "viewer" }, deps);
    if (!auth.ok) return auth.response;
    const format = new URL(request.url).searchParams.get("format") ?? "json";
    if (format !== "json" && format !== "text") {
      return errorResponse(400, "INVALID_REQUEST", `Unknown format "${format}". Use format=text for the bare Corefile, or leave it out for JSON.`);
    }
    const found = await lookUpCluster(params.cluster, deps.db);
    if (!found.ok) return found.response;
    const cluster = found.value;

    const location = corefileLocationOf(cluster);
    const live = await readCorefile(cluster, location, { timeoutMs: deps.timeoutMs });
    const etag = { ETag: `"${live.resourceVersion}"` };
    if (format === "text") return textResponse(live.text, { "Content-Type": "text/plain; charset=utf-8", ...etag });
    return jsonResponse(
      {
        cluster: cluster.name,
        corefile: live.text,
        resourceVersion: live.resourceVersion,
        configMap: location,
        otherKeys: live.otherKeys,
      },
      { headers: etag },
    );
  });
}

/** The body of `PUT .../corefile`. */
export const putCorefileBodySchema = z.strictObject({
  corefile: z.string({ error: 'Send the whole new Corefile as the string "corefile".' }),
  baseResourceVersion: z
    .string({ error: 'Send the resourceVersion your edit started from (from GET .../corefile) as "baseResourceVersion", or null to create a missing ConfigMap.' })
    .trim()
    .min(1, "baseResourceVersion is empty; send the resourceVersion from GET .../corefile.")
    .max(128)
    .nullable(),
  message: z.string({ error: '"message" must be a string.' }).trim().max(2000, "Keep the message under 2,000 characters.").default(""),
});

/**
 * `PUT /api/v1/clusters/{cluster}/corefile` with `{ corefile, baseResourceVersion, message }`: the same validated,
 * conflict-safe apply as the editor's, recorded as a revision. See {@link respondToApplyResult} for the answers.
 */
export function handlePutCorefile(request: Request, params: ClusterParams, deps: ApiDeps = {}): Promise<Response> {
  return respondSafely(async () => {
    const refusal = refuseCrossOriginWrite(request);
    if (refusal) return refusal;
    const auth = await authorizeApiRequest(request, { cluster: params.cluster, role: "editor", audit: "apply" }, deps);
    if (!auth.ok) return auth.response;
    const found = await lookUpCluster(params.cluster, deps.db);
    if (!found.ok) return found.response;
    const body = await readJsonBody(request, putCorefileBodySchema);
    if (!body.ok) return body.response;

    const result = await applyCorefile(
      found.value,
      {
        text: body.data.corefile,
        baseResourceVersion: body.data.baseResourceVersion,
        message: body.data.message,
        author: auth.value.principal.name,
        // A write with an API token is a script's; one with the dashboard's session cookie is the dashboard's.
        source: auth.value.principal.method === "token" ? "api" : "dashboard",
      },
      { db: deps.db, timeoutMs: deps.timeoutMs },
    );
    await recordApplyOutcome({ action: "apply", ...auth.value, cluster: found.value.name, result }, deps.db);
    return respondToApplyResult(result);
  });
}
