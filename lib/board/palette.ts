/**
 * The palette: every plugin of the catalog, grouped, each with a short blurb (our words) and the directive text that
 * dropping it inserts. Each default validates in a plain `.:53` block (palette.test.ts checks it); where a plugin needs
 * something only the user knows (a file, an account, an address), the default holds a placeholder that still validates
 * and `needsInput` says what to fill in. Transport settings (quic, https...) need a block of their transport: the entry
 * names it in `transport`, and its default validates there.
 */
import { PLUGIN_CATALOG, type PluginGroup } from "@/lib/corefile/plugins";

/** One plugin in the palette. */
export type PaletteEntry = {
  name: string;
  group: PluginGroup;
  /** A few words for the palette tile. */
  blurb: string;
  /** The catalog's one-line summary, for a tooltip. */
  summary: string;
  /** The directive text inserted on drop (may span lines). */
  defaultText: string;
  /** What the user must replace in the default (a placeholder path, key, address...). */
  needsInput?: string;
  /** Only meaningful in a server block of this transport (e.g. `quic` for `quic://`). */
  transport?: string;
  /** May appear more than once in a server block. */
  repeatable: boolean;
  docsUrl: string;
};

/** One group of the palette. */
export type PaletteGroup = { group: PluginGroup; label: string; entries: PaletteEntry[] };

/** Display order and labels of the groups. */
export const PALETTE_GROUPS: readonly { group: PluginGroup; label: string }[] = [
  { group: "kubernetes", label: "Kubernetes" },
  { group: "forwarding", label: "Forwarding" },
  { group: "caching", label: "Caching" },
  { group: "records", label: "Records" },
  { group: "rewriting", label: "Rewriting" },
  { group: "observability", label: "Observability" },
  { group: "security", label: "Security" },
  { group: "operations", label: "Operations" },
];

type Defaults = { blurb: string; text: string; needsInput?: string; transport?: string };

/** Blurb and default text by plugin. */
const DEFAULTS: Readonly<Record<string, Defaults>> = {
  root: { blurb: "Base folder for relative file paths", text: "root /etc/coredns", needsInput: "the folder holding zone and key files" },
  metadata: { blurb: "Let plugins share per-query labels", text: "metadata" },
  geoip: { blurb: "Client location from a MaxMind database", text: "geoip /etc/coredns/GeoLite2-City.mmdb", needsInput: "the path of the MaxMind database" },
  cancel: { blurb: "Deadline for every query", text: "cancel 5s" },
  proxyproto: { blurb: "Real client address behind a load balancer", text: "proxyproto {\n    allow 10.0.0.0/8\n}", needsInput: "the load balancers' networks" },
  quic: { blurb: "Tune a DNS-over-QUIC listener", text: "quic {\n    max_streams 256\n}", transport: "quic" },
  grpc_server: { blurb: "Tune a DNS-over-gRPC listener", text: "grpc_server {\n    max_streams 256\n}", transport: "grpc" },
  https: { blurb: "Tune a DNS-over-HTTPS listener", text: "https {\n    max_connections 200\n}", transport: "https" },
  https3: { blurb: "Tune a DNS-over-HTTP/3 listener", text: "https3 {\n    max_streams 256\n}", transport: "https3" },
  timeouts: { blurb: "Timeouts of TCP/TLS/HTTPS listeners", text: "timeouts {\n    read 10s\n    write 20s\n    idle 60s\n}" },
  multisocket: { blurb: "Spread a port over several sockets", text: "multisocket" },
  reload: { blurb: "Reload when the Corefile changes", text: "reload" },
  nsid: { blurb: "Say which server answered (NSID)", text: "nsid coredns" },
  bufsize: { blurb: "Cap the EDNS buffer size", text: "bufsize 1232" },
  bind: { blurb: "Listen on chosen addresses only", text: "bind 127.0.0.1", needsInput: "the addresses or interfaces to listen on" },
  debug: { blurb: "Debug mode (no panic recovery)", text: "debug" },
  trace: { blurb: "Send query spans to Zipkin/Datadog", text: "trace zipkin localhost:9411", needsInput: "the trace collector's address" },
  ready: { blurb: "Readiness endpoint (/ready)", text: "ready" },
  health: { blurb: "Liveness endpoint (/health)", text: "health {\n    lameduck 5s\n}" },
  pprof: { blurb: "Go profiling endpoint", text: "pprof localhost:6053" },
  shed: { blurb: "Drop UDP queries under overload", text: "shed" },
  prometheus: { blurb: "Metrics for Prometheus on :9153", text: "prometheus :9153" },
  errors: { blurb: "Log errors of plugins", text: "errors" },
  log: { blurb: "One log line per query", text: "log" },
  dnstap: { blurb: "Stream queries in dnstap format", text: "dnstap /var/run/coredns/dnstap.sock full", needsInput: "the collector's socket or address" },
  local: { blurb: "Answer localhost names locally", text: "local" },
  dns64: { blurb: "Synthesise AAAA for IPv6-only clients", text: "dns64 64:ff9b::/96" },
  any: { blurb: "Short answer to ANY queries", text: "any" },
  chaos: { blurb: "Answer version.bind and friends", text: "chaos CoreDNS" },
  loadbalance: { blurb: "Shuffle A/AAAA/MX records", text: "loadbalance" },
  tsig: {
    blurb: "Check TSIG signatures",
    text: "tsig {\n    secret example.key. MTIzNDU2Nzg5MDEyMzQ1Ng==\n}",
    needsInput: "the key name and its base64 secret",
  },
  rewrite: { blurb: "Rewrite query names or types", text: "rewrite name exact old.example.org new.example.org", needsInput: "the names to map" },
  autopath: { blurb: "Resolve pod search paths server-side", text: "autopath @kubernetes" },
  acl: { blurb: "Allow or block clients by network", text: "acl {\n    allow net 10.0.0.0/8\n    block\n}", needsInput: "the networks to allow" },
  cache: { blurb: "Cache answers", text: "cache 30" },
  header: { blurb: "Set or clear header flags", text: "header {\n    response set ra\n}" },
  dnssec: { blurb: "Sign answers on the fly", text: "dnssec {\n    key file /etc/coredns/Kexample.org.+013+12345\n}", needsInput: "the DNSSEC key file" },
  tls: { blurb: "Certificate for DoT/DoH/gRPC/QUIC", text: "tls /etc/coredns/tls/cert.pem /etc/coredns/tls/key.pem", needsInput: "the certificate and key files" },
  minimal: { blurb: "Smaller responses", text: "minimal" },
  template: {
    blurb: "Answer from a template (e.g. block a name)",
    text: "template IN ANY blocked.example.org {\n    rcode NXDOMAIN\n}",
    needsInput: "the name or pattern to answer for",
  },
  transfer: { blurb: "Allow zone transfers out", text: "transfer {\n    to *\n}", needsInput: "who may transfer (addresses or *)" },
  hosts: { blurb: "Static entries, /etc/hosts style", text: "hosts {\n    fallthrough\n}", needsInput: "the host entries (IP NAME...)" },
  route53: { blurb: "Records from AWS Route 53", text: "route53 example.org.:Z0000000000000000000", needsInput: "the zone and its hosted-zone id" },
  azure: { blurb: "Records from Azure DNS", text: "azure resource-group:example.org", needsInput: "the resource group and zone, and credentials" },
  clouddns: { blurb: "Records from Google Cloud DNS", text: "clouddns example.org.:my-project:my-zone", needsInput: "the zone, project and managed zone" },
  k8s_external: { blurb: "External IPs of Services under your zone", text: "k8s_external example.org", needsInput: "the zone to serve them under" },
  kubernetes: {
    blurb: "Cluster DNS for Services and Pods",
    text: "kubernetes cluster.local in-addr.arpa ip6.arpa {\n    pods insecure\n    fallthrough in-addr.arpa ip6.arpa\n    ttl 30\n}",
  },
  file: { blurb: "Serve a zone file", text: "file /etc/coredns/db.example.org example.org", needsInput: "the zone file and its zone" },
  auto: { blurb: "Serve every zone file of a folder", text: "auto {\n    directory /etc/coredns/zones\n}", needsInput: "the folder of zone files" },
  secondary: {
    blurb: "Secondary of a primary server",
    text: "secondary example.org {\n    transfer from 192.0.2.1\n}",
    needsInput: "the zone and the primary's address",
  },
  etcd: { blurb: "Records stored in etcd", text: "etcd {\n    endpoint http://localhost:2379\n}", needsInput: "the etcd endpoints" },
  loop: { blurb: "Stop on forwarding loops", text: "loop" },
  forward: { blurb: "Send queries to upstream resolvers", text: "forward . /etc/resolv.conf" },
  grpc: { blurb: "Forward over gRPC", text: "grpc . 192.0.2.53:443", needsInput: "the gRPC upstream's address" },
  erratic: { blurb: "Testing: drop or delay answers", text: "erratic" },
  whoami: { blurb: "Testing: echo the client's address", text: "whoami" },
  on: { blurb: "Run a command at startup/shutdown", text: "on startup echo started", needsInput: "the command to run" },
  sign: { blurb: "Sign a zone file offline", text: "sign /etc/coredns/db.example.org example.org {\n    key file /etc/coredns/Kexample.org\n}", needsInput: "the zone file and key" },
  view: { blurb: "Answer only matching queries (split DNS)", text: "view internal {\n    expr incidr(client_ip(), '10.0.0.0/8')\n}", needsInput: "the view's condition" },
  nomad: { blurb: "Service records from HashiCorp Nomad", text: "nomad service.nomad {\n    address http://127.0.0.1:4646\n}", needsInput: "the Nomad address" },
};

/** Every catalog plugin as a palette entry, in plugin.cfg order. */
export const PALETTE: readonly PaletteEntry[] = PLUGIN_CATALOG.map((spec) => {
  const d = DEFAULTS[spec.name] ?? { blurb: spec.summary, text: spec.name, needsInput: "the plugin's arguments" };
  const entry: PaletteEntry = {
    name: spec.name,
    group: spec.group,
    blurb: d.blurb,
    summary: spec.summary,
    defaultText: d.text,
    repeatable: spec.repeatable,
    docsUrl: spec.docsUrl,
  };
  if (d.needsInput) entry.needsInput = d.needsInput;
  if (d.transport) entry.transport = d.transport;
  return entry;
});

/** The palette entry of a plugin, or undefined. */
export function getPaletteEntry(name: string): PaletteEntry | undefined {
  return PALETTE.find((e) => e.name === name);
}

/**
 * The palette grouped for display, optionally filtered by a search string (matched against name, blurb and summary,
 * case-insensitive). Empty groups are left out.
 */
export function listPalette(search = ""): PaletteGroup[] {
  const q = search.trim().toLowerCase();
  const match = (e: PaletteEntry): boolean =>
    q === "" || e.name.includes(q) || e.blurb.toLowerCase().includes(q) || e.summary.toLowerCase().includes(q);
  return PALETTE_GROUPS.map((g) => ({ ...g, entries: PALETTE.filter((e) => e.group === g.group && match(e)) })).filter(
    (g) => g.entries.length > 0,
  );
}
