/**
 * The sandbox pods' default `PodResolver`: the query explainer (`lib/corefile/explain`) run on the pod's loaded
 * Corefile and the store's Services, EndpointSlices/Endpoints, Pods and Namespaces, so that a live query against the
 * sandbox returns exactly what explain predicts. The question is absolute (no search list: a pod receives the name the
 * client's resolver already expanded), on port 53 over plain DNS.
 *
 * Where explain cannot know the reply, the pod answers SERVFAIL and says why in `note`: `forward` and `grpc` (the
 * upstreams are not reachable from the sandbox: tests never leave 127.0.0.1) and plugins whose data is outside the
 * Corefile ("unknown"). A query `acl` drops gets no reply at all.
 */
import { clusterDataFromObjects, explainQuery, prepareCorefile, type ClusterData as ExplainClusterData, type ClusterObjects, type ExplainRecord, type PreparedCorefile } from "@/lib/corefile";
import { canonicalName, RCODE, typeCode, typeName, type DnsRecord, type RecordData } from "@/lib/dns/message";
import type { ClusterData, PodResolver } from "./pod-resolver";

/** The serial the explainer leaves open (`<serial>`) in the kubernetes plugin's SOA. */
const SOA_SERIAL = 1_700_000_000;
const RCODES: Record<string, number> = { NOERROR: RCODE.NOERROR, SERVFAIL: RCODE.SERVFAIL, NXDOMAIN: RCODE.NXDOMAIN, REFUSED: RCODE.REFUSED, NOTIMP: RCODE.NOTIMP, FORMERR: RCODE.FORMERR };
/** Plugins whose own answers CoreDNS marks authoritative. */
const AUTHORITATIVE = new Set(["kubernetes", "hosts", "file", "template", "k8s_external", "auto", "secondary", "local", "whoami", "chaos", "etcd"]);

/** The TXT strings of a presentation value (`"a" "b c"` → `["a", "b c"]`; unquoted words are strings too). */
function txtStrings(data: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(data); m; m = re.exec(data)) out.push((m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1"));
  return out;
}

/** An explainer record (presentation form) as a wire record, or undefined when its type is not encodable here. */
export function recordFromExplain(r: ExplainRecord, owner: string): DnsRecord | undefined {
  const type = typeCode(r.type);
  if (type === undefined || r.class.toUpperCase() !== "IN") return undefined;
  const f = r.data.trim().split(/\s+/);
  const num = (s: string | undefined): number => (s === undefined || s === "<serial>" ? SOA_SERIAL : Number(s));
  let data: RecordData;
  switch (r.type.toUpperCase()) {
    case "A":
    case "AAAA":
      data = { kind: r.type.toUpperCase() as "A" | "AAAA", address: f[0] ?? "" };
      break;
    case "CNAME":
    case "NS":
    case "PTR":
      data = { kind: r.type.toUpperCase() as "CNAME" | "NS" | "PTR", target: canonicalName(f[0] ?? ".") };
      break;
    case "MX":
      data = { kind: "MX", preference: num(f[0]), exchange: canonicalName(f[1] ?? ".") };
      break;
    case "SRV":
      data = { kind: "SRV", priority: num(f[0]), weight: num(f[1]), port: num(f[2]), target: canonicalName(f[3] ?? ".") };
      break;
    case "TXT":
      data = { kind: "TXT", text: txtStrings(r.data) };
      break;
    case "SOA":
      data = { kind: "SOA", mname: canonicalName(f[0] ?? "."), rname: canonicalName(f[1] ?? "."), serial: num(f[2]), refresh: num(f[3]), retry: num(f[4]), expire: num(f[5]), minimum: num(f[6]) };
      break;
    default:
      return undefined;
  }
  if (Object.values(data).some((v) => typeof v === "number" && !Number.isFinite(v))) return undefined;
  // The owner keeps the case the client sent when it is the asked name (0x20 case randomisation survives).
  const name = canonicalName(r.name) === canonicalName(owner) ? owner : r.name.endsWith(".") ? r.name : `${r.name}.`;
  return { name, type, class: 1, ttl: r.ttl, data };
}

const prepared = new Map<string, PreparedCorefile>();
/** Parses a Corefile once; the few most recent are kept (pods answer many queries from the same text). */
function preparedCorefile(text: string): PreparedCorefile {
  const hit = prepared.get(text);
  if (hit) return hit;
  const p = prepareCorefile(text);
  prepared.set(text, p);
  if (prepared.size > 8) prepared.delete(prepared.keys().next().value as string);
  return p;
}

const explainData = new WeakMap<ClusterData, ExplainClusterData>();
/** The explainer's cluster data: from the store's objects when the fleet passes them, else from the Service summaries. */
export function explainClusterData(cluster: ClusterData): ExplainClusterData {
  const hit = explainData.get(cluster);
  if (hit) return hit;
  const objects: ClusterObjects = cluster.objects ?? {
    services: cluster.services.map((s) => ({
      metadata: { name: s.name, namespace: s.namespace },
      spec: { type: s.type, clusterIPs: s.clusterIPs, ...(s.clusterIPs[0] ? { clusterIP: s.clusterIPs[0] } : {}), ...(s.externalName ? { externalName: s.externalName } : {}), ports: s.ports },
    })),
    namespaces: cluster.namespaces.map((name) => ({ metadata: { name } })),
  };
  const data = clusterDataFromObjects(objects);
  explainData.set(cluster, data);
  return data;
}

/**
 * The SOA a negative answer carries in its authority section: the apex of the zone the deciding plugin serves, found
 * by asking the explainer for the SOA of each enclosing name (the explainer models the answer section only).
 */
function authorityFor(prep: PreparedCorefile, name: string, cls: string, plugin: string, cluster: ExplainClusterData): DnsRecord[] {
  const labels = canonicalName(name).split(".").filter(Boolean);
  for (let i = 0; i <= labels.length; i++) {
    const apex = i === labels.length ? "." : `${labels.slice(i).join(".")}.`;
    const t = explainQuery(prep, { name: apex, type: "SOA", class: cls }, { cluster, port: 53, transport: "dns" });
    const o = t.candidates[0]?.outcome;
    const soa = o?.kind === "answer" && o.plugin === plugin ? o.records?.find((r) => r.type === "SOA" && canonicalName(r.name) === apex) : undefined;
    const rr = soa ? recordFromExplain(soa, apex) : undefined;
    if (rr) return [rr];
  }
  return [];
}

/** Answers a pod's question with the explainer's outcome for that exact name. Never throws. */
export const explainPodResolver: PodResolver = (corefileText, question, clusterData) => {
  try {
    const cls = question.class === 1 ? "IN" : question.class === 3 ? "CH" : undefined;
    if (!cls) return { rcode: RCODE.REFUSED, authoritative: false, answers: [], note: "only classes IN and CH are simulated" };
    const asked = question.name.endsWith(".") ? question.name : `${question.name}.`;
    const prep = preparedCorefile(corefileText);
    const cluster = explainClusterData(clusterData);
    const trace = explainQuery(prep, { name: asked, type: typeName(question.type), class: cls }, { cluster, port: 53, transport: "dns" });
    const candidate = trace.candidates[0];
    const outcome = candidate?.outcome ?? trace.final;
    const note = `${outcome.plugin ? `${outcome.plugin}: ` : ""}${outcome.detail}`;
    switch (outcome.kind) {
      case "forwarded":
        return { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: `${note} (the upstreams are not reachable from the sandbox, so the pod answers SERVFAIL)` };
      case "unknown":
        return { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: `${note} (the sandbox cannot know this answer, so the pod answers SERVFAIL)` };
      case "dropped":
        return { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], dropped: true, note };
      case "refused":
        return { rcode: RCODE.REFUSED, authoritative: false, answers: [], note };
      default: {
        const rcode = RCODES[outcome.rcode ?? ""] ?? (outcome.kind === "nxdomain" ? RCODE.NXDOMAIN : outcome.kind === "servfail" ? RCODE.SERVFAIL : RCODE.NOERROR);
        const answers = (outcome.records ?? []).flatMap((r) => recordFromExplain(r, asked) ?? []);
        const authoritative = rcode !== RCODE.SERVFAIL && outcome.plugin !== undefined && AUTHORITATIVE.has(outcome.plugin);
        const negative = answers.length === 0 && (rcode === RCODE.NXDOMAIN || rcode === RCODE.NOERROR) && outcome.plugin !== undefined;
        const authority = negative ? authorityFor(prep, asked, cls, outcome.plugin as string, cluster) : [];
        return { rcode, authoritative, answers, ...(authority.length > 0 ? { authority } : {}), note };
      }
    }
  } catch (error) {
    return { rcode: RCODE.SERVFAIL, authoritative: false, answers: [], note: `the sandbox resolver failed: ${error instanceof Error ? error.message : String(error)}` };
  }
};
