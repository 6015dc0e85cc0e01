import { handleListClusters } from "@/lib/api/clusters-endpoint";

// Live cluster state: never prerendered or cached.
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return handleListClusters(request);
}
