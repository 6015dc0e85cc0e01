import { createHealthEndpoint } from "@/lib/health/health-endpoint";

// Probes must see the live state: never prerendered or cached.
export const dynamic = "force-dynamic";

const handleHealth = createHealthEndpoint();

/** Liveness (`?probe=live`) and readiness (default) for Kubernetes probes; reachable without sign-in. */
export function GET(request: Request) {
  return handleHealth(request);
}
