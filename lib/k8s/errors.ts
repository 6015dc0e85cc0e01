/** What kind of failure a Kubernetes call met, in terms a user can act on. */
export type KubernetesErrorCode =
  | "UNREACHABLE"
  | "TIMEOUT"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID"
  | "SERVER_ERROR"
  | "CONFIG";

/** Where a Kubernetes call was aimed; every error carries it so a message can name it. */
export type KubernetesTarget = {
  cluster: string;
  namespace?: string;
  /** Plural resource, e.g. `configmaps` or `pods/proxy`. */
  resource: string;
  name?: string;
  /** RBAC verb of the call: get, list, watch, update, patch, create. */
  verb: string;
};

/**
 * A failed Kubernetes call with its HTTP status, target and a message that says what to do next.
 * The message never contains credentials: it is built from the target and the API's Status reason.
 */
export class KubernetesError extends Error {
  readonly code: KubernetesErrorCode;
  readonly status: number | undefined;
  readonly target: KubernetesTarget;
  /** The API server's own Status message, when it sent one. */
  readonly serverMessage: string | undefined;

  constructor(code: KubernetesErrorCode, message: string, target: KubernetesTarget, status?: number, serverMessage?: string) {
    super(message);
    this.name = "KubernetesError";
    this.code = code;
    this.status = status;
    this.target = target;
    this.serverMessage = serverMessage;
  }

  get cluster(): string {
    return this.target.cluster;
  }

  get namespace(): string | undefined {
    return this.target.namespace;
  }
}

/** A plain object safe to hand to the browser (no stack, no kubeconfig). */
export type KubernetesErrorView = {
  code: KubernetesErrorCode;
  status?: number;
  cluster: string;
  namespace?: string;
  resource: string;
  message: string;
};

/** Turns a {@link KubernetesError} into a serialisable view for Server Components and actions. */
export function toErrorView(error: KubernetesError): KubernetesErrorView {
  return {
    code: error.code,
    ...(error.status === undefined ? {} : { status: error.status }),
    cluster: error.target.cluster,
    ...(error.target.namespace === undefined ? {} : { namespace: error.target.namespace }),
    resource: error.target.resource,
    message: error.message,
  };
}

type ApiExceptionLike = { code: number; body?: unknown };

function isApiException(error: unknown): error is ApiExceptionLike {
  return typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "number";
}

function describeTarget(target: KubernetesTarget): string {
  const object = target.name ? `${target.resource} "${target.name}"` : target.resource;
  const where = target.namespace ? ` in namespace "${target.namespace}"` : "";
  return `${object}${where} of cluster "${target.cluster}"`;
}

/** Reads the `message` of a Kubernetes Status body, which client-node hands over as a string. */
export function readStatusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      const raw = body as string;
      return raw.trim() ? raw.trim().slice(0, 500) : undefined;
    }
  }
  if (typeof value === "object" && value !== null && typeof (value as { message?: unknown }).message === "string") {
    return (value as { message: string }).message;
  }
  return undefined;
}

/**
 * The RBAC rule that a 403 on `target` asks for, phrased as the fix.
 * The README lists the full Role the app needs.
 */
export function describeMissingPermission(target: KubernetesTarget): string {
  const [resource, subresource] = target.resource.split("/");
  const resourceText = subresource ? `${resource}/${subresource}` : resource;
  const scope = target.namespace ? `a Role in namespace "${target.namespace}"` : "a ClusterRole";
  return `Grant Coredeck's identity the "${target.verb}" verb on "${resourceText}" through ${scope} and a RoleBinding (see "RBAC" in the README).`;
}

function findNetworkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const errno = (current as { errno?: unknown }).errno;
    if (typeof errno === "string") return errno;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Classifies anything a client-node call can throw (ApiException, fetch errors, aborts) into a
 * {@link KubernetesError} whose message names the cluster and says what to do.
 */
export function toKubernetesError(error: unknown, target: KubernetesTarget): KubernetesError {
  if (error instanceof KubernetesError) return error;
  const where = describeTarget(target);

  if (isApiException(error)) {
    const status = error.code;
    const serverMessage = readStatusMessage(error.body);
    switch (status) {
      case 401:
        return new KubernetesError(
          "UNAUTHORIZED",
          `Cluster "${target.cluster}" did not accept Coredeck's credentials (401). Refresh the kubeconfig token or the service account, then retry.`,
          target,
          status,
          serverMessage,
        );
      case 403:
        return new KubernetesError(
          "FORBIDDEN",
          `Coredeck may not ${target.verb} ${where} (403 Forbidden). ${describeMissingPermission(target)}`,
          target,
          status,
          serverMessage,
        );
      case 404:
        return new KubernetesError(
          "NOT_FOUND",
          `${capitalise(where)} does not exist (404). Check the cluster's ConfigMap namespace, name and key in Settings.`,
          target,
          status,
          serverMessage,
        );
      case 409:
        return new KubernetesError(
          "CONFLICT",
          `${capitalise(where)} was changed by someone else since it was read (409 Conflict). Reload it and apply your change again.`,
          target,
          status,
          serverMessage,
        );
      case 400:
      case 422:
        return new KubernetesError(
          "INVALID",
          `Cluster "${target.cluster}" refused the request for ${where} (${status}): ${serverMessage ?? "invalid request"}.`,
          target,
          status,
          serverMessage,
        );
      default:
        return new KubernetesError(
          "SERVER_ERROR",
          `The API server of cluster "${target.cluster}" failed on ${where} (${status}${serverMessage ? `: ${serverMessage}` : ""}). Retry in a moment; if it persists, check the API server's health.`,
          target,
          status,
          serverMessage,
        );
    }
  }

  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  const networkCode = findNetworkCode(error);
  if (name === "AbortError" || name === "TimeoutError" || networkCode === "ETIMEDOUT") {
    return new KubernetesError(
      "TIMEOUT",
      `The API server of cluster "${target.cluster}" did not answer in time (${target.verb} ${where}). Check that it is reachable and not overloaded, then retry.`,
      target,
    );
  }
  if (networkCode && ["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ECONNRESET", "EAI_AGAIN", "ENETUNREACH"].includes(networkCode)) {
    return new KubernetesError(
      "UNREACHABLE",
      `Cannot reach the API server of cluster "${target.cluster}" (${networkCode}). Check the server address in the kubeconfig, the network path, and that the cluster is running.`,
      target,
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new KubernetesError(
    "UNREACHABLE",
    `The call to cluster "${target.cluster}" for ${where} failed: ${detail}. Check the connection settings of this cluster.`,
    target,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
