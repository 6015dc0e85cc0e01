/**
 * How a simulated CoreDNS pod answers a DNS question: a small, swappable interface (`PodResolver`) and a first
 * built-in implementation that reads the pod's *loaded* Corefile the way CoreDNS routes a query:
 *
 * 1. the server block: among the blocks on port 53 over plain DNS, the one whose zone is the longest suffix of the
 *    name (no block → REFUSED, as CoreDNS answers a zone it does not serve);
 * 2. the block's plugins in plugin.cfg order; the ones simulated here are
 *    - `hosts` (inline entries; the hosts file itself is not read): A/AAAA, PTR for the entries' addresses unless
 *      `no_reverse`, `ttl`, `fallthrough`; a name in its zones without an entry is SERVFAIL, as in CoreDNS (it has
 *      no SOA to give an NXDOMAIN with);
 *    - `kubernetes`: Services (A/AAAA from ClusterIPs, CNAME for ExternalName, SRV per port, PTR for ClusterIPs),
 *      `pods insecure` names, the zone's SOA and NS, `dns-version` TXT, NXDOMAIN/NODATA with the SOA, `namespaces`,
 *      `ttl`, `fallthrough`; Endpoints are not simulated, so headless Services have no addresses;
 *    - `forward`: its upstreams cannot be reached from the sandbox, so a name it would forward is SERVFAIL;
 * 3. a chain that ends without an answer is SERVFAIL, as in CoreDNS.
 *
 * Other answering plugins (`template`, `file`, `rewrite`...) are passed over and named in `note`. The pods use the
 * explain engine's resolver (explain-pod-resolver.ts) by default; this one stays for `podResolver: builtinPodResolver`.
 */
import { parse, type ClusterObjects, type ParseResult, type ServerBlock, type Token } from "@/lib/corefile";
import { directiveOrder } from "@/lib/corefile/directives";
import { normalizeServerKey } from "@/lib/corefile/keys";
import { canonicalName, parseIpv6, RCODE, TYPE_CODES, type DnsQuestion, type DnsRecord } from "@/lib/dns/message";

/** A Service as the resolver needs it. */
export type ClusterService = {
  namespace: string;
  name: string;
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  type: string;
  /** Empty or `["None"]` for a headless Service. */
  clusterIPs: string[];
  externalName?: string;
  ports: { name?: string; port: number; protocol: string }[];
};

/**
 * What the sandbox knows about its cluster when a question comes in. `objects` carries the store's Services,
 * EndpointSlices, Endpoints, Pods and Namespaces as the API returns them (what the explain-based resolver reads).
 */
export type ClusterData = { services: ClusterService[]; namespaces: string[]; objects?: ClusterObjects };

/** A pod's answer: the rcode, the answer records, whether the pod is authoritative for them, and why (for people). */
export type PodAnswer = {
  rcode: number;
  answers: DnsRecord[];
  authoritative: boolean;
  /** The SOA of the zone with NXDOMAIN and NODATA answers. */
  authority?: DnsRecord[];
  /** What decided the answer, e.g. "forward: upstreams are not reachable from the sandbox". */
  note?: string;
  /** Send no reply at all (acl `drop`): UDP stays silent, TCP is reset. */
  dropped?: boolean;
};

/** Answers one question from a Corefile and the cluster's data. Must not throw on any Corefile or question. */
export type PodResolver = (corefileText: string, question: DnsQuestion, clusterData: ClusterData) => PodAnswer;

const COREFILE_PATH = "/etc/coredns/Corefile";
const SIMULATED = new Set(["hosts", "kubernetes", "forward"]);
/** Plugins that can write an answer of their own; the sandbox passes over them (and says so). */
const NOT_SIMULATED = new Set([
  "local", "dns64", "any", "chaos", "rewrite", "autopath", "acl", "template", "route53", "azure", "clouddns", "k8s_external",
  "file", "auto", "secondary", "etcd", "grpc", "erratic", "whoami", "sign", "nomad", "view",
]);
/** CoreDNS's kubernetes plugin's SOA timers (refresh, retry, expire) and its fixed names. */
const SOA_TIMERS = { refresh: 7200, retry: 1800, expire: 86400 };
const SOA_SERIAL = 1_700_000_000;
const DNS_SCHEMA_VERSION = "1.1.0";

// -------------------------------------------------------------------------------------------------------------
// Reading the Corefile

type Occurrence = { args: string[]; lines: string[][] };

/** Splits a block's tokens for one directive into its occurrences: the arguments, and the lines of its `{ }` block. */
function occurrencesOf(tokens: readonly Token[] | undefined, name: string): Occurrence[] {
  if (!tokens) return [];
  const out: Occurrence[] = [];
  let current: Occurrence | undefined;
  let depth = 0;
  let line: string[] | undefined;
  let prev: Token | undefined;
  for (const token of tokens) {
    const newLine = !prev || prev.file !== token.file || prev.endLine < token.line;
    prev = token;
    if (depth === 0 && token.text === name && newLine) {
      current = { args: [], lines: [] };
      out.push(current);
      continue;
    }
    if (!current) continue;
    if (token.text === "{") {
      depth++;
      continue;
    }
    if (token.text === "}") {
      depth = Math.max(0, depth - 1);
      line = undefined;
      continue;
    }
    if (depth === 0) current.args.push(token.text);
    else if (depth === 1) {
      if (newLine || !line) {
        line = [];
        current.lines.push(line);
      }
      line.push(token.text);
    }
  }
  return out;
}

/** Zones written as arguments (names or CIDRs), normalised; invalid ones are dropped. */
function zonesOf(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    const key = normalizeServerKey(arg);
    return "error" in key ? [] : key.zones;
  });
}

/** `name` is `zone` or below it. */
function isInZone(name: string, zone: string): boolean {
  return zone === "." || name === zone || name.endsWith(`.${zone}`);
}

/** The longest of `zones` that holds `name`, as CoreDNS's `plugin.Zones.Matches`. */
function matchZone(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const zone of zones) if (isInZone(name, zone) && (!best || zone.length > best.length)) best = zone;
  return best;
}

/** `fallthrough` with no zones covers every name. */
function fallsThrough(zones: readonly string[] | undefined, name: string): boolean {
  if (!zones) return false;
  return zones.length === 0 || zones.some((z) => isInZone(name, z));
}

type Block = { block: ServerBlock; zones: string[] };

const parsed = new Map<string, { result: ParseResult; blocks: Block[] }>();

/** Parses a Corefile once; the few most recent are kept (pods answer many queries from the same text). */
function readCorefile(text: string): { result: ParseResult; blocks: Block[] } {
  const hit = parsed.get(text);
  if (hit) return hit;
  const result = parse(text, { filename: COREFILE_PATH });
  const blocks: Block[] = [];
  for (const block of result.serverBlocks) {
    const zones: string[] = [];
    for (const key of block.keys) {
      const normalized = normalizeServerKey(key);
      // The pod's DNS port is CoreDNS's port 53 over plain DNS; other listeners are not simulated.
      if ("error" in normalized || normalized.transport !== "dns" || normalized.port !== "53") continue;
      zones.push(...normalized.zones);
    }
    if (zones.length > 0) blocks.push({ block, zones });
  }
  const entry = { result, blocks };
  parsed.set(text, entry);
  if (parsed.size > 8) parsed.delete(parsed.keys().next().value as string);
  return entry;
}

// -------------------------------------------------------------------------------------------------------------
// Answers

const record = (name: string, type: number, ttl: number, data: DnsRecord["data"]): DnsRecord => ({ name, type, class: 1, ttl, data });

function addressRecord(name: string, ip: string, ttl: number): DnsRecord | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return record(name, TYPE_CODES.A!, ttl, { kind: "A", address: ip });
  if (ip.includes(":") && parseIpv6(ip)) return record(name, TYPE_CODES.AAAA!, ttl, { kind: "AAAA", address: ip });
  return undefined;
}

/** The address a reverse name stands for (`4.3.2.1.in-addr.arpa.` → `1.2.3.4`), or undefined. */
function addressOfReverse(name: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.$/.exec(name);
  if (v4) return [v4[4], v4[3], v4[2], v4[1]].map(Number).join(".");
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa\.$/.exec(name);
  if (!v6) return undefined;
  const nibbles = v6[1]!.split(".").filter(Boolean).reverse().join("");
  return nibbles.match(/.{4}/g)!.join(":");
}

/** Two address texts name the same address (IPv6 in any form). */
function sameAddress(a: string, b: string): boolean {
  if (a === b) return true;
  const x = a.includes(":") ? parseIpv6(a) : null;
  const y = b.includes(":") ? parseIpv6(b) : null;
  return !!x && !!y && x.every((v, i) => v === y[i]);
}

type Step = { kind: "answer"; answer: PodAnswer } | { kind: "next" };

function resolveHosts(occ: Occurrence, blockZones: string[], name: string, qtype: number, asked: string): Step {
  // `hosts [FILE [ZONES...]]`: the first argument is the file, the rest zones.
  const zones = occ.args.length > 1 ? zonesOf(occ.args.slice(1)) : blockZones;
  let ttl = 3600;
  let reverse = true;
  let fallthrough: string[] | undefined;
  const entries: { ip: string; names: string[] }[] = [];
  for (const line of occ.lines) {
    const [head, ...rest] = line;
    if (head === "ttl") ttl = Number(rest[0]) || ttl;
    else if (head === "no_reverse") reverse = false;
    else if (head === "fallthrough") fallthrough = zonesOf(rest);
    else if (head === "reload") continue;
    else if (head !== undefined && rest.length > 0) entries.push({ ip: head, names: rest.map(canonicalName) });
  }
  const zone = matchZone(name, zones);
  if (!zone && qtype !== TYPE_CODES.PTR) return { kind: "next" };
  if (qtype === TYPE_CODES.PTR) {
    const address = addressOfReverse(name);
    const owners = reverse && address ? entries.filter((e) => sameAddress(e.ip, address)).flatMap((e) => e.names) : [];
    if (owners.length === 0) return { kind: "next" };
    return { kind: "answer", answer: { rcode: RCODE.NOERROR, authoritative: true, answers: owners.map((target) => record(asked, TYPE_CODES.PTR!, ttl, { kind: "PTR", target })), note: "hosts" } };
  }
  const matching = entries.filter((e) => e.names.includes(name));
  const answers: DnsRecord[] = [];
  for (const entry of matching) {
    const rr = addressRecord(asked, entry.ip, ttl);
    if (rr && rr.type === qtype) answers.push(rr);
  }
  if (answers.length === 0 && matching.length === 0) {
    if (fallsThrough(fallthrough, name)) return { kind: "next" };
    return { kind: "answer", answer: { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: "hosts: the name is in its zones but has no entry, and there is no fallthrough" } };
  }
  return { kind: "answer", answer: { rcode: RCODE.NOERROR, authoritative: true, answers, note: "hosts" } };
}

function resolveKubernetes(occ: Occurrence, blockZones: string[], name: string, qtype: number, asked: string, cluster: ClusterData): Step {
  const zones = occ.args.length > 0 ? zonesOf(occ.args) : blockZones;
  let ttl = 5;
  let podMode = "disabled";
  let fallthrough: string[] | undefined;
  let namespaces: string[] | undefined;
  for (const [head, ...rest] of occ.lines) {
    if (head === "ttl") ttl = Number(rest[0]) >= 0 ? Number(rest[0]) : ttl;
    else if (head === "pods") podMode = rest[0] ?? podMode;
    else if (head === "fallthrough") fallthrough = zonesOf(rest);
    else if (head === "namespaces") namespaces = rest;
  }
  const zone = matchZone(name, zones);
  if (!zone) return { kind: "next" };
  const apex = zone === "." ? "" : zone;
  const soa = record(zone, TYPE_CODES.SOA!, ttl, {
    kind: "SOA",
    mname: `ns.dns.${apex}`,
    rname: `hostmaster.${apex}`,
    serial: SOA_SERIAL,
    ...SOA_TIMERS,
    minimum: ttl,
  });
  const exposed = (ns: string) => cluster.namespaces.includes(ns) && (!namespaces || namespaces.includes(ns));
  const done = (rcode: number, answers: DnsRecord[], note: string): Step => {
    if (rcode === RCODE.NXDOMAIN && fallsThrough(fallthrough, name)) return { kind: "next" };
    return { kind: "answer", answer: { rcode, authoritative: true, answers, ...(answers.length === 0 ? { authority: [soa] } : {}), note: `kubernetes: ${note}` } };
  };

  if (qtype === TYPE_CODES.PTR && (zone.endsWith("in-addr.arpa.") || zone.endsWith("ip6.arpa."))) {
    const address = addressOfReverse(name);
    const owner = address ? cluster.services.find((s) => exposed(s.namespace) && s.clusterIPs.some((ip) => sameAddress(ip, address))) : undefined;
    if (!owner) return done(RCODE.NXDOMAIN, [], "no Service has this address");
    const clusterZone = zones.find((z) => !z.endsWith(".arpa.")) ?? "cluster.local.";
    return done(RCODE.NOERROR, [record(asked, TYPE_CODES.PTR!, ttl, { kind: "PTR", target: `${owner.name}.${owner.namespace}.svc.${clusterZone}` })], `reverse of Service ${owner.namespace}/${owner.name}`);
  }
  if (name === zone) {
    if (qtype === TYPE_CODES.SOA) return done(RCODE.NOERROR, [{ ...soa, name: asked }], "the zone's SOA");
    if (qtype === TYPE_CODES.NS) return done(RCODE.NOERROR, [record(asked, TYPE_CODES.NS!, ttl, { kind: "NS", target: `ns.dns.${apex}` })], "the zone's NS");
    return done(RCODE.NOERROR, [], "the zone apex has no such record");
  }
  const labels = name.slice(0, name.length - zone.length - 1).split(".");
  if (labels.length === 1 && labels[0] === "dns-version") {
    return done(RCODE.NOERROR, qtype === TYPE_CODES.TXT ? [record(asked, TYPE_CODES.TXT!, ttl, { kind: "TXT", text: [DNS_SCHEMA_VERSION] })] : [], "DNS schema version");
  }
  const kind = labels[labels.length - 1];
  if (kind !== "svc" && kind !== "pod") return done(RCODE.NXDOMAIN, [], "neither a Service (svc) nor a Pod (pod) name");
  if (labels.length === 1) return done(RCODE.NOERROR, [], `"${kind}" holds no records itself`);
  const namespace = labels[labels.length - 2]!;
  if (!exposed(namespace)) return done(RCODE.NXDOMAIN, [], `namespace "${namespace}" does not exist or is not served`);
  if (labels.length === 2) return done(RCODE.NOERROR, [], `namespace "${namespace}" holds no records itself`);

  if (kind === "pod") {
    if (labels.length !== 3 || podMode === "disabled") return done(RCODE.NXDOMAIN, [], podMode === "disabled" ? "pod names are off (no `pods` option)" : "not a pod name");
    if (podMode === "verified") return done(RCODE.NXDOMAIN, [], "`pods verified` needs the pod list, which the sandbox does not simulate");
    const dashed = labels[0]!;
    const ip = /^\d+-\d+-\d+-\d+$/.test(dashed) ? dashed.replace(/-/g, ".") : dashed.replace(/-/g, ":");
    const rr = addressRecord(asked, ip, ttl);
    if (!rr) return done(RCODE.NXDOMAIN, [], "not an address in dashed form");
    return done(RCODE.NOERROR, rr.type === qtype ? [rr] : [], "pods insecure: the address in the name");
  }

  const serviceName = labels[labels.length - 3]!;
  const service = cluster.services.find((s) => s.namespace === namespace && s.name.toLowerCase() === serviceName);
  if (!service) return done(RCODE.NXDOMAIN, [], `no Service ${namespace}/${serviceName}`);
  const serviceFqdn = `${service.name}.${namespace}.svc.${zone}`;
  const prefix = labels.slice(0, -3);
  if (service.type === "ExternalName" && service.externalName) {
    if (prefix.length > 0) return done(RCODE.NXDOMAIN, [], "ExternalName Services have no port or endpoint names");
    return done(RCODE.NOERROR, [record(asked, TYPE_CODES.CNAME!, ttl, { kind: "CNAME", target: canonicalName(service.externalName) })], `ExternalName Service ${namespace}/${service.name}`);
  }
  const ips = service.clusterIPs.filter((ip) => ip !== "None" && ip !== "");
  if (prefix.length === 2 && prefix[0]!.startsWith("_") && prefix[1]!.startsWith("_")) {
    const portName = prefix[0]!.slice(1);
    const protocol = prefix[1]!.slice(1);
    const ports = service.ports.filter((p) => p.name?.toLowerCase() === portName && p.protocol.toLowerCase() === protocol);
    if (ports.length === 0) return done(RCODE.NXDOMAIN, [], `Service ${namespace}/${service.name} has no port ${portName}/${protocol}`);
    const answers = qtype === TYPE_CODES.SRV ? ports.map((p) => record(asked, TYPE_CODES.SRV!, ttl, { kind: "SRV", priority: 0, weight: 100, port: p.port, target: serviceFqdn })) : [];
    return done(RCODE.NOERROR, answers, `port ${portName}/${protocol} of Service ${namespace}/${service.name}`);
  }
  if (prefix.length > 0) return done(RCODE.NXDOMAIN, [], "endpoint names are not simulated in the sandbox");
  let answers: DnsRecord[] = [];
  if (qtype === TYPE_CODES.SRV) {
    answers = service.ports.map((p) => record(asked, TYPE_CODES.SRV!, ttl, { kind: "SRV", priority: 0, weight: 100, port: p.port, target: serviceFqdn }));
  } else {
    answers = ips.flatMap((ip) => {
      const rr = addressRecord(asked, ip, ttl);
      return rr && rr.type === qtype ? [rr] : [];
    });
  }
  const headless = ips.length === 0 ? " (headless: Endpoints are not simulated, so no addresses)" : "";
  return done(RCODE.NOERROR, answers, `Service ${namespace}/${service.name}${headless}`);
}

function forwardStep(occ: Occurrence, name: string): Step {
  const from = zonesOf(occ.args.slice(0, 1));
  const except = occ.lines.filter((l) => l[0] === "except").flatMap((l) => zonesOf(l.slice(1)));
  if (!from.some((z) => isInZone(name, z)) || except.some((z) => isInZone(name, z))) return { kind: "next" };
  const to = occ.args.slice(1).join(" ");
  return {
    kind: "answer",
    answer: { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: `forward: the upstreams (${to}) are not reachable from the sandbox` },
  };
}

/**
 * The built-in resolver: the server block by zone, then `hosts`, `kubernetes` and `forward` in plugin.cfg order.
 * Never throws: a Corefile that cannot be read gives SERVFAIL with a note.
 */
export const builtinPodResolver: PodResolver = (corefileText, question, clusterData) => {
  try {
    if (question.class !== 1) return { rcode: RCODE.REFUSED, authoritative: false, answers: [], note: "only class IN is simulated" };
    const name = canonicalName(question.name);
    const asked = question.name.endsWith(".") ? question.name : `${question.name}.`;
    const { blocks } = readCorefile(corefileText);
    let best: { block: Block; zone: string } | undefined;
    for (const block of blocks) {
      const zone = matchZone(name, block.zones);
      if (zone && (!best || zone.length > best.zone.length)) best = { block, zone };
    }
    if (!best) return { rcode: RCODE.REFUSED, authoritative: false, answers: [], note: "no server block on port 53 serves this name" };
    const { block } = best.block;
    const plugins = Object.keys(block.tokens)
      .filter((d) => directiveOrder(d) >= 0)
      .sort((a, b) => directiveOrder(a) - directiveOrder(b));
    const skipped: string[] = [];
    for (const plugin of plugins) {
      if (!SIMULATED.has(plugin)) {
        if (NOT_SIMULATED.has(plugin)) skipped.push(plugin);
        continue;
      }
      for (const occ of occurrencesOf(block.tokens[plugin], plugin)) {
        const step =
          plugin === "hosts"
            ? resolveHosts(occ, best.block.zones, name, question.type, asked)
            : plugin === "kubernetes"
              ? resolveKubernetes(occ, best.block.zones, name, question.type, asked, clusterData)
              : forwardStep(occ, name);
        if (step.kind === "answer") {
          const note = skipped.length > 0 ? `${step.answer.note ?? plugin} (not simulated, passed over: ${skipped.join(", ")})` : step.answer.note;
          return { ...step.answer, ...(note ? { note } : {}) };
        }
      }
    }
    const passed = skipped.length > 0 ? ` (not simulated, passed over: ${skipped.join(", ")})` : "";
    return { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: `no plugin of the server block answered${passed}` };
  } catch (error) {
    return { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: `the sandbox resolver failed: ${error instanceof Error ? error.message : String(error)}` };
  }
};
