import { handleListRevisions } from "@/lib/api/revisions-endpoint";

// Live history: never prerendered or cached.
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ cluster: string }> }) {
  return handleListRevisions(request, await params);
}
