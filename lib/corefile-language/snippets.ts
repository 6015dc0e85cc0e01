/**
 * Ready-made Corefile fragments offered by completion, in TextMate snippet syntax (`${1:placeholder}`, `${1|a,b|}`,
 * `$0`). Indentation is a tab: editors re-indent snippets to the cursor's line and the document's indent settings.
 *
 * Each snippet, with its placeholders filled by their defaults, is a valid Corefile fragment (the tests check it).
 */

/** A snippet and where it may be inserted. */
export type CorefileSnippet = {
  label: string;
  /** `top`: a whole server block; `directive`: a line inside a server block. */
  scope: "top" | "directive";
  /** The directive the snippet writes (for `directive` snippets); used to hide it where that directive cannot go. */
  directive?: string;
  detail: string;
  documentation: string;
  body: string;
};

export const COREFILE_SNIPPETS: readonly CorefileSnippet[] = [
  {
    label: "stub-domain server block",
    scope: "top",
    detail: "Send one domain to its own DNS server",
    documentation:
      "A server block for one domain (a *stub domain*) whose queries go to a specific resolver, for example a corporate DNS server reachable from the cluster. See [forward](https://coredns.io/plugins/forward/).",
    body: "${1:example.com}:53 {\n\terrors\n\tcache 30\n\tforward . ${2:10.0.0.10}\n}",
  },
  {
    label: "server block",
    scope: "top",
    detail: "An empty server block for a zone and port",
    documentation: "A server block: CoreDNS answers queries for the zone on the port with the plugins listed inside.",
    body: "${1:.}:${2:53} {\n\terrors\n\t$0\n}",
  },
  {
    label: "Kubernetes cluster DNS server block",
    scope: "top",
    detail: "The usual server block of cluster DNS (as kubeadm writes it)",
    documentation:
      "The root server block most clusters run: the [kubernetes](https://coredns.io/plugins/kubernetes/) plugin answers for the cluster domain and reverse zones, everything else is forwarded to the node's resolvers, with health, readiness, metrics, caching, loop detection and automatic reload.",
    body: [
      ".:53 {",
      "\terrors",
      "\thealth {",
      "\t\tlameduck 5s",
      "\t}",
      "\tready",
      "\tkubernetes ${1:cluster.local} in-addr.arpa ip6.arpa {",
      "\t\tpods insecure",
      "\t\tfallthrough in-addr.arpa ip6.arpa",
      "\t\tttl 30",
      "\t}",
      "\tprometheus :9153",
      "\tforward . ${2:/etc/resolv.conf} {",
      "\t\tmax_concurrent 1000",
      "\t}",
      "\tcache 30",
      "\tloop",
      "\treload",
      "\tloadbalance",
      "}",
    ].join("\n"),
  },
  {
    label: "snippet definition",
    scope: "top",
    detail: "(name) { ... } — reusable lines for `import name`",
    documentation:
      "A named group of directives that server blocks pull in with `import name`. It defines nothing by itself.",
    body: "(${1:common}) {\n\t${0:errors}\n}",
  },
  {
    label: "forward to upstream",
    scope: "directive",
    directive: "forward",
    detail: "forward . UPSTREAM",
    documentation: "Forward every query this block does not answer otherwise to an upstream resolver. See [forward](https://coredns.io/plugins/forward/).",
    body: "forward . ${1:8.8.8.8}",
  },
  {
    label: "forward to the node's resolvers",
    scope: "directive",
    directive: "forward",
    detail: "forward . /etc/resolv.conf",
    documentation: "Forward to the resolvers listed in the CoreDNS pod's /etc/resolv.conf (inherited from the node), capping concurrent queries.",
    body: "forward . /etc/resolv.conf {\n\tmax_concurrent ${1:1000}\n}",
  },
  {
    label: "forward over TLS",
    scope: "directive",
    directive: "forward",
    detail: "forward . tls://IP { tls_servername ... }",
    documentation: "Forward over DNS-over-TLS; `tls_servername` must match the upstream's certificate.",
    body: "forward . tls://${1:9.9.9.9} {\n\ttls_servername ${2:dns.quad9.net}\n\thealth_check ${3:5s}\n}",
  },
  {
    label: "kubernetes block",
    scope: "directive",
    directive: "kubernetes",
    detail: "kubernetes cluster.local in-addr.arpa ip6.arpa { ... }",
    documentation:
      "Answer for Services and Pods of the cluster, plus reverse lookups of their IPs; other reverse queries fall through to the next plugin. See [kubernetes](https://coredns.io/plugins/kubernetes/).",
    body: "kubernetes ${1:cluster.local} in-addr.arpa ip6.arpa {\n\tpods ${2|insecure,verified,disabled|}\n\tfallthrough in-addr.arpa ip6.arpa\n\tttl ${3:30}\n}",
  },
  {
    label: "cache with TTL",
    scope: "directive",
    directive: "cache",
    detail: "cache SECONDS",
    documentation: "Cache answers for at most this many seconds. See [cache](https://coredns.io/plugins/cache/).",
    body: "cache ${1:30}",
  },
  {
    label: "cache with prefetch",
    scope: "directive",
    directive: "cache",
    detail: "cache TTL { success ...; denial ...; prefetch ... }",
    documentation: "Cache with explicit capacities for positive and negative answers, refreshing popular entries before they expire.",
    body: "cache ${1:30} {\n\tsuccess ${2:9984} ${3:30}\n\tdenial ${4:9984} ${5:5}\n\tprefetch ${6:10}\n}",
  },
  {
    label: "hosts block",
    scope: "directive",
    directive: "hosts",
    detail: "hosts { IP NAME; fallthrough }",
    documentation: "Answer fixed names from inline /etc/hosts-style lines; other names fall through to the next plugin. See [hosts](https://coredns.io/plugins/hosts/).",
    body: "hosts {\n\t${1:10.0.0.1} ${2:host.example.com}\n\tfallthrough\n}",
  },
  {
    label: "health with lameduck",
    scope: "directive",
    directive: "health",
    detail: "health { lameduck DURATION }",
    documentation: "Serve the liveness endpoint on :8080 and keep answering for a while after a shutdown signal, so rolling updates drop no queries.",
    body: "health {\n\tlameduck ${1:5s}\n}",
  },
  {
    label: "prometheus metrics",
    scope: "directive",
    directive: "prometheus",
    detail: "prometheus :9153",
    documentation: "Expose Prometheus metrics. See [metrics](https://coredns.io/plugins/metrics/).",
    body: "prometheus :${1:9153}",
  },
  {
    label: "rewrite name",
    scope: "directive",
    directive: "rewrite",
    detail: "rewrite name FROM TO",
    documentation: "Answer a query for one name as if it were for another (for example an external name pointing at a Service). See [rewrite](https://coredns.io/plugins/rewrite/).",
    body: "rewrite name ${1:old.example.com} ${2:new.example.com}",
  },
  {
    label: "template answer",
    scope: "directive",
    directive: "template",
    detail: "template IN TYPE ZONE { answer ... }",
    documentation: "Synthesise answers from a Go template. See [template](https://coredns.io/plugins/template/).",
    body: 'template IN ${1|A,AAAA,TXT|} ${2:example.com} {\n\tanswer "{{ .Name }} 60 IN ${1} ${3:10.0.0.1}"\n}',
  },
  {
    label: "log one class",
    scope: "directive",
    directive: "log",
    detail: "log . { class CLASS }",
    documentation: "Log only some queries: `denial` (NXDOMAIN and empty answers), `error` or `success`. See [log](https://coredns.io/plugins/log/).",
    body: "log . {\n\tclass ${1|denial,error,success,all|}\n}",
  },
  {
    label: "acl allow network",
    scope: "directive",
    directive: "acl",
    detail: "acl { allow net CIDR; block }",
    documentation: "Allow queries from one network and refuse all others. See [acl](https://coredns.io/plugins/acl/).",
    body: "acl {\n\tallow net ${1:10.0.0.0/8}\n\tblock\n}",
  },
];

/** A snippet's text with every placeholder replaced by its default (or first choice): what accepting it inserts. */
export function expandSnippet(body: string): string {
  const values = new Map<string, string>();
  let out = body.replace(/\$\{(\d+)\|([^|]*)\|\}/g, (_, n: string, choices: string) => {
    const v = choices.split(",")[0] ?? "";
    values.set(n, v);
    return v;
  });
  out = out.replace(/\$\{(\d+):((?:\\.|[^}\\])*)\}/g, (_, n: string, def: string) => {
    const v = def.replace(/\\(.)/g, "$1");
    values.set(n, v);
    return v;
  });
  out = out.replace(/(?<!\\)\$\{(\d+)\}|(?<!\\)\$(\d+)/g, (_, a: string | undefined, b: string | undefined) => values.get(a ?? b ?? "") ?? "");
  return out.replace(/\\([\\$}])/g, "$1");
}
