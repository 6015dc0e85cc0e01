import { Alert } from "./ui/alert";

/** Shown when no cluster is registered yet, with the ways to add one. */
export function NoClusterNotice() {
  return (
    <Alert tone="info" title="No cluster registered yet">
      <p>
        Run <code>npm run demo</code> to start the sandbox cluster, or start Coredeck with <code>KUBECONFIG</code> pointing
        at your kubeconfig: every context in it is registered. Inside a cluster, the pod&apos;s service account is used.
      </p>
    </Alert>
  );
}
