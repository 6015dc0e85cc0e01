import { handleRollbackRevision } from "@/lib/api/rollback-endpoint";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ cluster: string; id: string }> }) {
  return handleRollbackRevision(request, await params);
}
