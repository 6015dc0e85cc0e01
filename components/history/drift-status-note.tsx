/**
 * Whether changes made outside Coredeck are being recorded for this cluster. Filled in once the drift watch reports
 * its state; renders nothing while everything is fine.
 */
export function DriftStatusNote({ clusterId }: { clusterId: string }) {
  void clusterId;
  return null;
}
