import { handleGetRevision } from "@/lib/api/revisions-endpoint";

// Read per request (the revision's cluster is checked each time): never prerendered or cached.
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ cluster: string; id: string }> }) {
  return handleGetRevision(request, await params);
}
