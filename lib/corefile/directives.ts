/**
 * The directives CoreDNS 1.14.7 accepts, in execution order.
 *
 * Transcribed by hand from `plugin.cfg` (identical to the generated `core/dnsserver/zdirectives.go`). The order matters:
 * it is the order in which CoreDNS chains plugins inside a server block, whatever order the Corefile lists them in. The
 * list has 60 entries: 59 in-tree plugins plus `on` (github.com/coredns/caddy/onevent), which is an external plugin but
 * is compiled into every stock build. Note that the `prometheus` directive is implemented by the `metrics` plugin.
 *
 * caddy's parser rejects any directive name that is not in this list ("Unknown directive 'x'"), which is why a
 * Corefile written for a custom build (or using a removed plugin such as `proxy`) fails to load on a stock CoreDNS.
 */
export const DIRECTIVES: readonly string[] = Object.freeze([
  "root",
  "metadata",
  "geoip",
  "cancel",
  "proxyproto",
  "quic",
  "grpc_server",
  "https",
  "https3",
  "timeouts",
  "multisocket",
  "reload",
  "nsid",
  "bufsize",
  "bind",
  "debug",
  "trace",
  "ready",
  "health",
  "pprof",
  "shed",
  "prometheus",
  "errors",
  "log",
  "dnstap",
  "local",
  "dns64",
  "any",
  "chaos",
  "loadbalance",
  "tsig",
  "rewrite",
  "autopath",
  "acl",
  "cache",
  "header",
  "dnssec",
  "tls",
  "minimal",
  "template",
  "transfer",
  "hosts",
  "route53",
  "azure",
  "clouddns",
  "k8s_external",
  "kubernetes",
  "file",
  "auto",
  "secondary",
  "etcd",
  "loop",
  "forward",
  "grpc",
  "erratic",
  "whoami",
  "on",
  "sign",
  "view",
  "nomad",
]);

/** The CoreDNS version whose directive list {@link DIRECTIVES} reproduces. */
export const DIRECTIVES_VERSION = "1.14.7";

const DIRECTIVE_SET: ReadonlySet<string> = new Set(DIRECTIVES);

/** Whether `name` is a directive a stock CoreDNS build accepts (exact, case-sensitive match, as caddy does). */
export function isKnownDirective(name: string): boolean {
  return DIRECTIVE_SET.has(name);
}

/** The execution-order index of a directive, or -1 when it is not a stock directive. */
export function directiveOrder(name: string): number {
  return DIRECTIVES.indexOf(name);
}
