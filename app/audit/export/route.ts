import { iterateAuditEvents } from "@/lib/audit/audit";
import { readAuditQuery, toAuditFilter } from "@/lib/audit/audit-filter";
import { authorizeApiRequest } from "@/lib/api/authorize";
import { errorResponse } from "@/lib/api/responses";

export const dynamic = "force-dynamic";

/**
 * `GET /audit/export?actor=&action=&outcome=&from=&to=`: the matching audit events as JSON lines, oldest first
 * (admins only; the dashboard session or an admin API token).
 */
export async function GET(request: Request) {
  const auth = await authorizeApiRequest(request, { cluster: "*", role: "admin" });
  if (!auth.ok) return auth.response;
  const query = readAuditQuery(Object.fromEntries(new URL(request.url).searchParams));
  if (!query) return errorResponse(400, "INVALID_REQUEST", "A filter value is malformed: times are ISO 8601 (2026-11-26 or 2026-11-26T12:00), outcome is success, failure or denied.");
  const filter = toAuditFilter(query);
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const event of iterateAuditEvents(filter)) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return new Response(stream, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="coredeck-audit-${stamp}.jsonl"`,
      "Cache-Control": "no-store",
    },
  });
}
