/**
 * Every Kubernetes API operation Coredeck performs, in one table: the source of its RBAC. `deploy/rbac.yaml` must grant
 * exactly what this table lists for the in-cluster deployment, and `deploy/rbac.test.ts` reads lib/ for client-node
 * calls and raw API paths so that a new call without a row here (or a row whose call is gone) fails the tests.
 */

/** Where an operation's permission must be granted. */
export type OperationScope =
  /** A Role in the namespace of the Corefile ConfigMap (kube-system by default). */
  | "corefile-namespace"
  /** A ClusterRole: the call spans every namespace. */
  | "cluster";

export type KubernetesOperation = {
  /** The client-node method (`readNamespacedConfigMap`) or, for a request made by hand, `raw:<method> <path>`. */
  call: string;
  apiGroup: "";
  /** Plural resource, with its subresource (`pods/proxy`). */
  resource: string;
  /** The RBAC verb the API server checks. */
  verb: "get" | "list" | "watch" | "create" | "update" | "patch" | "delete";
  scope: OperationScope;
  /** True when the request names the Corefile ConfigMap (by name, or `fieldSelector=metadata.name=`): RBAC can then restrict it with resourceNames. */
  isNamedConfigMap?: boolean;
  /** Only when Coredeck runs outside the cluster (through a kubeconfig): the in-cluster deployment does not need it. */
  isOutsideClusterOnly?: boolean;
  /** What needs it, in the user's words (the README's RBAC section says the same). */
  purpose: string;
};

export const KUBERNETES_OPERATIONS: readonly KubernetesOperation[] = [
  {
    call: "readNamespacedConfigMap",
    apiGroup: "",
    resource: "configmaps",
    verb: "get",
    scope: "corefile-namespace",
    isNamedConfigMap: true,
    purpose: "read the Corefile (overview, editor, apply, health check)",
  },
  {
    call: "listNamespacedConfigMap",
    apiGroup: "",
    resource: "configmaps",
    verb: "list",
    scope: "corefile-namespace",
    isNamedConfigMap: true,
    purpose: "start the drift watch from a list (fieldSelector metadata.name)",
  },
  {
    call: "raw:GET /api/v1/namespaces/{namespace}/configmaps?watch=true",
    apiGroup: "",
    resource: "configmaps",
    verb: "watch",
    scope: "corefile-namespace",
    isNamedConfigMap: true,
    purpose: "record changes made outside Coredeck (drift watch, fieldSelector metadata.name)",
  },
  {
    call: "replaceNamespacedConfigMap",
    apiGroup: "",
    resource: "configmaps",
    verb: "update",
    scope: "corefile-namespace",
    isNamedConfigMap: true,
    purpose: "apply a Corefile or roll one back (a PUT with the resourceVersion that was read)",
  },
  {
    call: "createNamespacedConfigMap",
    apiGroup: "",
    resource: "configmaps",
    verb: "create",
    scope: "corefile-namespace",
    purpose: "create the Corefile ConfigMap when it does not exist (RBAC cannot limit create to one name)",
  },
  {
    call: "listNamespacedPod",
    apiGroup: "",
    resource: "pods",
    verb: "list",
    scope: "corefile-namespace",
    purpose: "find the CoreDNS pods (label selector) for the overview, metrics and rollout",
  },
  {
    call: "raw:GET /api/v1/namespaces/{namespace}/pods/{pod}:{port}/proxy/metrics",
    apiGroup: "",
    resource: "pods/proxy",
    verb: "get",
    scope: "corefile-namespace",
    isOutsideClusterOnly: true,
    purpose: "scrape CoreDNS metrics through the API server when Coredeck runs outside the cluster (in-cluster it scrapes the pods directly)",
  },
  {
    call: "listServiceForAllNamespaces",
    apiGroup: "",
    resource: "services",
    verb: "list",
    scope: "cluster",
    purpose: "the editor's \"forward a zone to a Service\" recipe and the troubleshoot page list the Services of every namespace",
  },
  {
    call: "listEndpointsForAllNamespaces",
    apiGroup: "",
    resource: "endpoints",
    verb: "list",
    scope: "cluster",
    purpose: "the troubleshoot page's explain answers headless Services with their endpoint addresses",
  },
  {
    call: "listPodForAllNamespaces",
    apiGroup: "",
    resource: "pods",
    verb: "list",
    scope: "cluster",
    purpose: "the troubleshoot page's explain answers pod names (kubernetes `pods verified`) and client namespaces",
  },
  {
    call: "listNamespace",
    apiGroup: "",
    resource: "namespaces",
    verb: "list",
    scope: "cluster",
    purpose: "the troubleshoot page's explain knows which namespaces exist (search-path names, `pods verified`)",
  },
  {
    call: "listNamespacedService",
    apiGroup: "",
    resource: "services",
    verb: "list",
    scope: "cluster",
    purpose: "the same list narrowed to one namespace (covered by the cluster-wide grant)",
  },
];

/** Files whose `/api/v1/...` strings are not Kubernetes API paths, and why. */
export const NON_KUBERNETES_API_PATHS: Readonly<Record<string, string>> = {
  "lib/metrics/prometheus-source.ts": "Prometheus's HTTP API (/api/v1/query_range), not the Kubernetes API",
};
