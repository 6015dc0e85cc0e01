import "server-only";
import { getDriftStatus, readDriftSettings } from "@/lib/drift/drift-supervisor";
import { Alert } from "@/components/ui/alert";
import { formatUtc } from "./revision-time";

/**
 * Whether changes made outside Coredeck are being recorded for this cluster. Silent while the watch is healthy;
 * says so when capture is off or the watch cannot reach the cluster (changes made meanwhile are recorded once it
 * is back, by comparing with the newest revision).
 */
export function DriftStatusNote({ clusterId }: { clusterId: string }) {
  if (!readDriftSettings().isEnabled) {
    return (
      <div className="mb-4">
        <Alert tone="info" title="Changes made outside Coredeck are not recorded">
          <p>
            <code>COREDECK_DRIFT_WATCH=off</code> turned the watch of the Corefile ConfigMap off: this history shows only applies
            and rollbacks made in Coredeck.
          </p>
        </Alert>
      </div>
    );
  }
  const status = getDriftStatus(clusterId);
  if (!status || status.state !== "reconnecting") return null;
  return (
    <div className="mb-4" data-testid="drift-status">
      <Alert tone="warning" title="Not watching the cluster right now">
        <p>
          Coredeck cannot follow changes of the Corefile ConfigMap at the moment
          {status.lastError ? `: ${status.lastError}` : ""}. It keeps retrying; a change made meanwhile (with kubectl, say) is
          recorded as soon as the cluster answers again.
          {status.lastEventAt ? ` Last heard from the cluster at ${formatUtc(status.lastEventAt)}.` : ""}
        </p>
      </Alert>
    </div>
  );
}
