/**
 * Types of the query explainer: what a caller passes in (the query, the client's context, cluster data) and the trace
 * that comes back (per candidate name: the server block that receives it, each plugin's step, the outcome; then the
 * outcome a stub resolver reports).
 */

/** A DNS question. `type` and `class` are mnemonics (`A`, `AAAA`, `SRV`... and `IN`, `CH`...). */
export type ExplainQuery = {
  /** The name as the application asks for it: short (`frontend`), partly qualified, or absolute (`a.b.` with a dot). */
  name: string;
  type: string;
  /** Default `IN`. */
  class?: string;
};

/** One port of a Service. */
export type ClusterServicePort = { name?: string; port: number; protocol?: "TCP" | "UDP" | "SCTP" };

/** One endpoint address behind a Service (used for headless Services and endpoint names). */
export type ClusterEndpoint = {
  ip: string;
  /** `spec.hostname` of the pod, which names the endpoint (`<hostname>.<svc>.<ns>.svc.<zone>`). */
  hostname?: string;
  /** Name of the pod behind the address (for `endpoint_pod_names`). */
  podName?: string;
  /** Not-ready addresses are only published when the Service sets `publishNotReadyAddresses` (default true here). */
  ready?: boolean;
};

/** A Kubernetes Service as the `kubernetes` plugin sees it. */
export type ClusterService = {
  name: string;
  namespace: string;
  /** `None` (or empty) for a headless Service. */
  clusterIP?: string;
  /** Every cluster IP (dual stack); defaults to `[clusterIP]`. */
  clusterIPs?: string[];
  type?: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  /** The target of an ExternalName Service. */
  externalName?: string;
  ports?: ClusterServicePort[];
  /** Endpoint addresses (answers for headless Services and endpoint names). */
  endpoints?: ClusterEndpoint[];
  /** Load-balancer ingress IPs and external IPs (what `k8s_external` publishes). */
  externalIPs?: string[];
};

/** A pod (for `pods verified` and reverse lookups). */
export type ClusterPod = { name: string; namespace: string; ip: string };

/**
 * What the cluster holds, as far as the explainer is told. Treat an object as read-only once it has been passed in:
 * the explainer indexes it on first use (build a new object when the cluster changes).
 */
export type ClusterData = {
  services: ClusterService[];
  pods?: ClusterPod[];
  /**
   * Namespaces that exist. The `kubernetes` plugin answers NXDOMAIN for a namespace that does not exist; when this is
   * left out, the namespaces of the Services and pods (and the client's namespace) are taken as the list.
   */
  namespaces?: string[];
  /** Istio ServiceEntry hosts (answered by the sidecar's DNS proxy when `istioDnsProxy` is on). */
  serviceEntryHosts?: string[];
};

/** Which stub resolver library the client uses; they differ in what stops the search list. */
export type ResolverFlavor = "glibc" | "musl";

/** Where the query comes from and what the explainer may assume. */
export type ExplainContext = {
  /** The client pod's namespace: gives the default search path. */
  clientNamespace?: string;
  /** The search path; default for a namespace `<ns>.svc.<domain> svc.<domain> <domain>`, else none. */
  searchPath?: string[];
  /** The cluster domain used for the default search path (default `cluster.local`). */
  clusterDomain?: string;
  /** resolv.conf `ndots` (default 5, what kubelet writes for pods). */
  ndots?: number;
  /** Default glibc. */
  resolver?: ResolverFlavor;
  /** The client's address (for `acl`, `view` and `whoami`); unknown when left out. */
  clientIp?: string;
  /** The port the query is sent to (default 53). */
  port?: number;
  /** The transport (default `dns`; also tls, quic, grpc, https, https3). */
  transport?: string;
  /** Cluster data for the `kubernetes` plugin; without it, its answers cannot be known. */
  cluster?: ClusterData;
  /** Files the Corefile names (hosts files, zone files, resolv.conf, imports), by path. */
  files?: Record<string, string>;
  /** Environment variables for `{$VAR}` in the Corefile. */
  env?: Record<string, string | undefined>;
  /** The client pod runs an Istio sidecar with DNS capture (`ISTIO_META_DNS_CAPTURE`). */
  istioDnsProxy?: boolean;
  /** The node runs NodeLocal DNSCache (pods' queries go to a node-local cache first). */
  nodeLocalDnsCache?: boolean;
  /** How many nested lookups (CNAME targets of ExternalName Services, template upstream) to follow (default 3). */
  maxDepth?: number;
};

/** A place in the Corefile (1-based lines and columns, end exclusive; 0-based offsets). */
export type SourceRange = {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
  /** The text comes from an `import` (a snippet or another file). */
  imported: boolean;
};

/** A resource record in presentation form. */
export type ExplainRecord = { name: string; ttl: number; class: string; type: string; data: string };

/** What a plugin did with the query. */
export type StepAction =
  /** Wrote an answer (NOERROR with records). */
  | "answer"
  /** Wrote NOERROR without records for this type (the name exists). */
  | "nodata"
  | "nxdomain"
  | "servfail"
  | "refuse"
  /** Wrote no response at all (acl `drop`). */
  | "drop"
  /** Passed the query on because of its `fallthrough`. */
  | "fallthrough"
  /** Did not apply to this query and passed it on. */
  | "pass"
  /** Changed the question (name, type or class) and passed it on. */
  | "rewrite"
  /** Sent the query to upstream servers: the answer comes from them. */
  | "forward"
  /** Does something to the response on its way back (cache, loadbalance, minimal...) or observes it (log, errors...). */
  | "observe"
  /** What it does cannot be known from the Corefile alone. */
  | "unknown";

/** One plugin's part in a query's path. */
export type ExplainStep = {
  plugin: string;
  /** The directive (or, for a rule, its option line) in the Corefile. */
  range?: SourceRange;
  action: StepAction;
  /** What happened and why (plain words). */
  detail: string;
  /** The question as the next plugin sees it (after a rewrite). */
  question?: { name: string; type: string; class: string };
  /** Records written, when known. */
  records?: ExplainRecord[];
  /** Upstreams for `forward`/`grpc`, in the order the policy tries them (or all, for random). */
  upstreams?: string[];
  /** For `forward`: the policy that picks the upstream. */
  policy?: string;
  /** A plugin that would have handled the query but is never reached, because an earlier one already replied. */
  unreached?: boolean;
  /** Explanations of nested lookups this step made (the target of a CNAME, through the same server). */
  nested?: CandidateTrace[];
};

/** How one query ends. */
export type OutcomeKind =
  | "answer"
  | "nodata"
  | "nxdomain"
  | "servfail"
  | "refused"
  | "dropped"
  /** Forwarded upstream: the answer depends on the upstream server. */
  | "forwarded"
  /** Cannot be known statically (a plugin whose data is not available here). */
  | "unknown";

export type Outcome = {
  kind: OutcomeKind;
  /** The rcode the client receives, when known (`NOERROR`, `NXDOMAIN`...). */
  rcode?: string;
  records?: ExplainRecord[];
  /** The plugin that decided, when one did. */
  plugin?: string;
  /** The directive that decided. */
  range?: SourceRange;
  detail: string;
  /**
   * Set when the reply's answer records are not for the asked name (nor reachable from it through CNAMEs), typically
   * after a rewrite that does not map answers back: stub resolvers drop such records, so for the client this reply
   * carries no data. Says why.
   */
  ignoredByResolver?: string;
};

/** The server block a query lands in. */
export type BlockChoice = {
  /** Index among the parse result's server blocks. */
  index: number;
  keys: string[];
  /** The zone of the block that matched. */
  zone: string;
  /** The first key of the block. */
  range?: SourceRange;
  /** The `view` that selected the block, if it has one. */
  view?: string;
  /** Why this block (plain words). */
  reason: string;
};

/** A block that was considered and skipped (a `view` whose filter fails, a block on another port...). */
export type BlockSkip = { index: number; keys: string[]; reason: string; range?: SourceRange };

/** The path of one name (one candidate of the search list) through the Corefile. */
export type CandidateTrace = {
  /** The absolute name sent to CoreDNS. */
  name: string;
  type: string;
  class: string;
  /** The block that receives it; absent when none does (REFUSED). */
  block?: BlockChoice;
  /** Blocks with the same zone that were considered and skipped. */
  skipped: BlockSkip[];
  steps: ExplainStep[];
  outcome: Outcome;
  /**
   * Whether the resolver sends this name at all: false for the names after the one whose reply ends the search (they
   * are still explained, for comparison).
   */
  asked: boolean;
};

/** What the application finally gets. */
export type FinalOutcome = Outcome & {
  /** The candidate whose reply the resolver returns (absent when no candidate was asked). */
  candidate?: string;
};

/** The whole explanation of one query. */
export type ExplainTrace = {
  query: { name: string; type: string; class: string };
  /** The names the resolver sends, in order (search-list expansion). */
  candidates: CandidateTrace[];
  /** How the resolver walks the candidates (in plain words). */
  search: string;
  final: FinalOutcome;
  /** Things outside the Corefile that change the answer (sidecars, node caches, upstreams, caches). */
  caveats: string[];
  /** The Corefile does not load in CoreDNS: the trace shows what it says, but a running CoreDNS keeps its old config. */
  corefileError?: string;
};
