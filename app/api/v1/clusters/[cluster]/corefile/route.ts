import { handleGetCorefile, handlePutCorefile } from "@/lib/api/corefile-endpoint";

// Live cluster state: never prerendered or cached.
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ cluster: string }> };

export async function GET(request: Request, { params }: Context) {
  return handleGetCorefile(request, await params);
}

export async function PUT(request: Request, { params }: Context) {
  return handlePutCorefile(request, await params);
}
