/**
 * `explainQuery`: how CoreDNS, configured by a Corefile, resolves a name, and what the client's resolver makes of it.
 *
 * For each name the resolver sends (search-list expansion), it picks the server block CoreDNS's server hands the query
 * to (core/dnsserver/server.go `ServeDNS`: the longest zone that contains the name among the blocks listening on the
 * port and transport, blocks with the same zone tried top to bottom through their `view` filters, the root zone last),
 * then walks that block's plugins in plugin.cfg order and says what each does, until one writes a reply or sends the
 * query upstream. Pure and synchronous; never throws.
 */
import { chainOfBlock, type ChainEntry } from "../chain";
import { buildModel, type BlockModel, type Model, type Occurrence } from "../lint/model";
import { zonesOf } from "../lint/net";
import { parse, type ParseResult } from "../parse";
import { runPlugin, type PluginRun, type RunContext } from "./plugins";
import { describeSearch, expandCandidates, pickFinal, searchPathOf, DEFAULT_NDOTS } from "./resolver";
import { evaluateViewExpr } from "./expr";
import type {
  BlockChoice,
  BlockSkip,
  CandidateTrace,
  ExplainContext,
  ExplainQuery,
  ExplainRecord,
  ExplainTrace,
} from "./types";
import { isSubdomain, normalizeName, rangeOfTokens } from "./util";

/** A Corefile parsed once for many questions. */
export type PreparedCorefile = {
  text: string;
  parse: ParseResult;
  model: Model;
  chains: Map<number, ChainEntry[]>;
};

/** Parses a Corefile (with the context's files and env) for {@link explainQuery}; reuse it for many queries. */
export function prepareCorefile(text: string, context: Pick<ExplainContext, "files" | "env"> = {}): PreparedCorefile {
  const p = parse(text, { files: context.files, env: context.env });
  // The syntax tree is not needed (no edits here), and building it costs more than the parse: model the blocks alone.
  const model = buildModel(text, p.serverBlocks, undefined, "Corefile");
  const chains = new Map<number, ChainEntry[]>();
  for (const bm of model.blocks) chains.set(bm.index, chainOfBlock(bm).entries);
  return { text, parse: p, model, chains };
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { dns: 53, tls: 853, quic: 853, grpc: 443, https: 443, https3: 443 };

/**
 * Explains one query against a Corefile (text, or the result of {@link prepareCorefile}). Never throws: an internal
 * failure comes back as a trace whose outcome is `unknown` and says so.
 * @example
 *   const t = explainQuery(corefile, { name: "frontend", type: "A" }, { clientNamespace: "default", cluster });
 *   t.final.kind; // "answer"
 */
export function explainQuery(corefile: string | PreparedCorefile, query: ExplainQuery, context: ExplainContext = {}): ExplainTrace {
  const qtype = (query.type || "A").trim().toUpperCase();
  const qclass = (query.class ?? "IN").trim().toUpperCase();
  try {
    const prep = typeof corefile === "string" ? prepareCorefile(corefile, context) : corefile;
    return explainPrepared(prep, { name: query.name, type: qtype, class: qclass }, context);
  } catch (e) {
    const detail = `The explainer failed unexpectedly (${e instanceof Error ? e.message : String(e)}); this is a bug in Coredeck.`;
    return {
      query: { name: query.name, type: qtype, class: qclass },
      candidates: [],
      search: "",
      final: { kind: "unknown", detail },
      caveats: [],
    };
  }
}

function explainPrepared(prep: PreparedCorefile, query: { name: string; type: string; class: string }, context: ExplainContext): ExplainTrace {
  const flavor = context.resolver ?? "glibc";
  const ndots = context.ndots ?? DEFAULT_NDOTS;
  const search = searchPathOf(context);
  const names = expandCandidates(query.name, search, ndots);
  const caveats = new Set<string>();
  const candidates = names.map((n) => explainName(prep, normalizeName(n), query.type, query.class, context, 0, caveats));
  const { decidedAt, ...final } = pickFinal(
    candidates.map((c) => c.name),
    candidates.map((c) => c.outcome),
    flavor,
  );
  candidates.forEach((c, i) => (c.asked = i <= decidedAt));
  addContextCaveats(context, candidates, caveats);
  const trace: ExplainTrace = {
    query,
    candidates,
    search: describeSearch(query.name, search, ndots, flavor),
    final,
    caveats: [...caveats],
  };
  tidyTrace(trace);
  if (!prep.parse.ok) {
    const err = prep.parse.corednsError ?? prep.parse.diagnostics.find((d) => d.severity === "error");
    trace.corefileError = err
      ? `CoreDNS would refuse this Corefile (line ${err.line}: ${err.message}); a running CoreDNS keeps serving its previous configuration.`
      : "CoreDNS would refuse this Corefile; a running CoreDNS keeps serving its previous configuration.";
  }
  return trace;
}

/** Names end in a dot: a sentence that ends with one should not show two. */
function tidy(text: string): string {
  return text.replace(/\.\.(?=\s|$)/g, ".");
}

function tidyCandidate(c: CandidateTrace): void {
  c.outcome.detail = tidy(c.outcome.detail);
  if (c.block) c.block.reason = tidy(c.block.reason);
  for (const s of c.skipped) s.reason = tidy(s.reason);
  for (const s of c.steps) {
    s.detail = tidy(s.detail);
    for (const n of s.nested ?? []) tidyCandidate(n);
  }
}

function tidyTrace(t: ExplainTrace): void {
  for (const c of t.candidates) tidyCandidate(c);
  t.final.detail = tidy(t.final.detail);
  t.search = tidy(t.search);
  t.caveats = t.caveats.map(tidy);
}

function addContextCaveats(context: ExplainContext, candidates: CandidateTrace[], caveats: Set<string>): void {
  if (context.istioDnsProxy) {
    const cluster = context.cluster;
    const known = new Set<string>();
    const domain = context.clusterDomain ?? "cluster.local";
    for (const s of cluster?.services ?? []) known.add(normalizeName(`${s.name}.${s.namespace}.svc.${domain}`));
    for (const h of cluster?.serviceEntryHosts ?? []) known.add(normalizeName(h));
    const hit = candidates.find((c) => known.has(c.name));
    if (hit) {
      caveats.add(
        `Istio's DNS proxy in the client's sidecar answers ${hit.name} itself (it knows every Service and ServiceEntry of the mesh); CoreDNS never sees that query, so what CoreDNS would answer does not matter for this client.`,
      );
    } else {
      caveats.add("Istio's DNS proxy in the client's sidecar answers names of Services and ServiceEntries itself and sends the rest to CoreDNS; none of these names is one it knows from the data given.");
    }
  }
  if (context.nodeLocalDnsCache) {
    caveats.add(
      "NodeLocal DNSCache answers the pod first from its own cache and its own Corefile (usually cluster.local, in-addr.arpa and ip6.arpa to CoreDNS, everything else straight to the node's upstream), so names outside the cluster domain may never reach this Corefile.",
    );
  }
}

/** Everything the per-plugin code needs besides the question. */
type Walk = { prep: PreparedCorefile; context: ExplainContext; depth: number; caveats: Set<string> };

/** Explains one absolute name (one candidate) from block selection to outcome. */
export function explainName(
  prep: PreparedCorefile,
  name: string,
  qtype: string,
  qclass: string,
  context: ExplainContext,
  depth: number,
  caveats: Set<string>,
): CandidateTrace {
  const transport = (context.transport ?? "dns").toLowerCase();
  const port = String(context.port ?? DEFAULT_PORTS[transport] ?? 53);
  const base: CandidateTrace = { name, type: qtype, class: qclass, skipped: [], steps: [], outcome: { kind: "unknown", detail: "" }, asked: true };
  const listening = prep.model.blocks.filter((bm) => bm.keys.some((k) => k.transport === transport && k.port === port));
  if (listening.length === 0) {
    base.outcome = {
      kind: "dropped",
      detail: `No server block listens on ${transport}://:${port}: nothing answers (the client times out or gets a refused connection).`,
    };
    return base;
  }
  const selection = selectBlock(listening, name, qtype, qclass, transport, port, context);
  base.skipped = selection.skipped;
  if (!selection.block) {
    base.outcome = {
      kind: "refused",
      rcode: "REFUSED",
      detail: `No server block on ${transport}://:${port} serves a zone that contains ${name} (and none serves the root zone '.'): CoreDNS answers REFUSED.`,
    };
    return base;
  }
  base.block = selection.block;
  const bm = prep.model.blocks[selection.block.index] as BlockModel;
  const entries = (prep.chains.get(bm.index) ?? []).filter((e) => !e.serverSetting);
  if (entries.length === 0) {
    base.outcome = { kind: "refused", rcode: "REFUSED", detail: "The block has no plugin that handles queries: CoreDNS answers REFUSED." };
    return base;
  }
  const walk: Walk = { prep, context, depth, caveats };
  runChain(walk, bm, entries, name, qtype, qclass, base);
  return base;
}

type Selection = { block?: BlockChoice; skipped: BlockSkip[] };

function keysRange(bm: BlockModel): BlockChoice["range"] {
  return rangeOfTokens(bm.block.keyTokens.slice(0, 1));
}

/** server.go ServeDNS: the longest zone suffix first, blocks of one zone in order through their view filters, then `.`. */
function selectBlock(blocks: BlockModel[], name: string, qtype: string, qclass: string, transport: string, port: string, context: ExplainContext): Selection {
  const byZone = new Map<string, BlockModel[]>();
  for (const bm of blocks) {
    for (const k of bm.keys) {
      if (k.transport !== transport || k.port !== port) continue;
      for (const z of k.zones) {
        const list = byZone.get(z) ?? [];
        if (!list.includes(bm)) list.push(bm);
        byZone.set(z, list);
      }
    }
  }
  const skipped: BlockSkip[] = [];
  const tryZone = (zone: string): BlockChoice | undefined => {
    const list = byZone.get(zone);
    if (!list) return undefined;
    for (const bm of list) {
      const views = bm.byName.get("view") ?? [];
      if (views.length === 0) {
        return {
          index: bm.index,
          keys: bm.block.keys.slice(),
          zone,
          range: keysRange(bm),
          reason: reasonFor(zone, name, byZone, list.length > 1),
        };
      }
      const v = viewPasses(views, name, qtype, qclass, transport, port, context);
      if (v.pass === false) {
        skipped.push({ index: bm.index, keys: bm.block.keys.slice(), range: keysRange(bm), reason: `view ${v.name}: ${v.detail}` });
        continue;
      }
      const choice: BlockChoice = {
        index: bm.index,
        keys: bm.block.keys.slice(),
        zone,
        range: keysRange(bm),
        view: v.name,
        reason: `${reasonFor(zone, name, byZone, true)} Its view '${v.name}' ${v.pass === true ? "matches" : `may match (${v.detail}); this trace assumes it does, otherwise the next block for the zone is used`}: ${v.detail}`,
      };
      return choice;
    }
    return undefined;
  };
  // Walk the name's suffixes from the full name up (the root zone only as the last resort).
  const labels = name === "." ? [] : name.slice(0, -1).split(".");
  // A DS record lives in the parent zone: CoreDNS keeps walking up and uses the last (least specific) match.
  let ds: BlockChoice | undefined;
  for (let i = 0; i < labels.length; i++) {
    const zone = `${labels.slice(i).join(".")}.`;
    const c = tryZone(zone);
    if (c && qtype !== "DS") return { block: c, skipped };
    if (c) ds = c;
  }
  if (ds) {
    ds.reason = `A DS query goes to the least specific block that serves a zone containing ${name} ('${ds.zone}'), since DS records belong to the parent zone.`;
    return { block: ds, skipped };
  }
  const root = tryZone(".");
  return root ? { block: root, skipped } : { skipped };
}

function reasonFor(zone: string, name: string, byZone: Map<string, BlockModel[]>, shared: boolean): string {
  const longer = [...byZone.keys()].filter((z) => z !== zone && isSubdomain(name, z) && z.length > zone.length);
  const others = [...byZone.keys()].filter((z) => z !== zone && isSubdomain(name, z));
  let s =
    zone === "."
      ? `No block serves a more specific zone for ${name}, so the root zone '.' block takes it.`
      : `'${zone}' is the longest zone served on this port that contains ${name}.`;
  if (others.length > 0 && longer.length === 0 && zone !== ".") s += ` (It wins over ${others.map((z) => `'${z}'`).join(", ")}.)`;
  if (shared) s += " Several blocks serve this zone; they are tried top to bottom.";
  return s;
}

function viewPasses(
  views: Occurrence[],
  name: string,
  qtype: string,
  qclass: string,
  transport: string,
  port: string,
  context: ExplainContext,
): { name: string; pass: boolean | null; detail: string } {
  const occ = views[0] as Occurrence;
  const viewName = occ.args[0]?.text ?? "";
  const exprs = occ.options.filter((o) => o.name.text === "expr").map((o) => o.args.map((a) => a.text).join(" "));
  if (exprs.length === 0) return { name: viewName, pass: true, detail: "it has no expression" };
  let unknown: string | undefined;
  for (const e of exprs) {
    const r = evaluateViewExpr(e, { name, type: qtype, class: qclass, clientIp: context.clientIp, port: Number(port), proto: transport === "dns" ? "udp" : "tcp" });
    if ("value" in r) {
      if (!r.value) return { name: viewName, pass: false, detail: `'${e}' is false for this query` };
    } else unknown ??= `'${e}' cannot be decided here: ${r.unknown}`;
  }
  if (unknown) return { name: viewName, pass: null, detail: unknown };
  return { name: viewName, pass: true, detail: `${exprs.map((e) => `'${e}'`).join(" and ")} ${exprs.length > 1 ? "are" : "is"} true for this query` };
}

/** Runs a block's chain on the question and fills `trace` (steps and outcome). */
function runChain(walk: Walk, bm: BlockModel, entries: ChainEntry[], name: string, qtype: string, qclass: string, trace: CandidateTrace): void {
  const question = { name, type: qtype, class: qclass };
  const responseRules: ((records: ExplainRecord[]) => ExplainRecord[])[] = [];
  const responseNotes: string[] = [];
  const rc: RunContext = {
    block: bm,
    blockZones: blockZones(bm),
    context: walk.context,
    caveats: walk.caveats,
    depth: walk.depth,
    question,
    originalName: name,
    responseRules,
    responseNotes,
    files: walk.context.files ?? {},
    nested: (n, t) => explainName(walk.prep, n, t, qclass, walk.context, walk.depth + 1, walk.caveats),
  };
  for (const entry of entries) {
    const occs = bm.byName.get(entry.name) ?? [];
    let run: PluginRun;
    try {
      run = runPlugin(entry.name, occs, rc);
    } catch (e) {
      run = {
        steps: [
          {
            plugin: entry.name,
            range: rangeOfTokens(occs[0]?.tokens ?? []),
            action: "unknown",
            detail: `The explainer failed on this plugin (${e instanceof Error ? e.message : String(e)}); what it does here is not known.`,
          },
        ],
        outcome: { kind: "unknown", plugin: entry.name, detail: "The explainer failed on this plugin." },
      };
    }
    for (const s of run.steps) trace.steps.push(s);
    if (run.outcome) {
      let outcome = run.outcome;
      if (outcome.records && responseRules.length > 0) {
        let recs = outcome.records;
        for (const f of responseRules) recs = f(recs);
        outcome = { ...outcome, records: recs };
      }
      if (responseNotes.length > 0) outcome = { ...outcome, detail: `${outcome.detail} ${responseNotes.join(" ")}` };
      const mismatch = outcome.kind === "answer" ? ownerMismatch(name, outcome.records ?? []) : undefined;
      if (mismatch) {
        outcome = { ...outcome, ignoredByResolver: mismatch };
        walk.caveats.add(
          "Some replies carry answer records under another name than the one asked (a rewrite that does not map answers back): stub resolvers drop those records and treat the reply as having no data.",
        );
      }
      trace.outcome = outcome;
      markUnreached(trace, entries, entry, bm, rc);
      return;
    }
  }
  // Every plugin passed the query on: plugin.NextOrFailure at the end of the chain answers SERVFAIL.
  trace.outcome = {
    kind: "servfail",
    rcode: "SERVFAIL",
    detail: "Every plugin passed the query on and none was left to answer: CoreDNS answers SERVFAIL (no next plugin).",
  };
}

/** Why a reply's records do not answer `asked` (none is for it or reachable from it through CNAMEs), or undefined. */
function ownerMismatch(asked: string, records: readonly ExplainRecord[]): string | undefined {
  if (records.length === 0) return undefined;
  const reach = new Set([asked]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of records) {
      if (r.type === "CNAME" && reach.has(r.name.toLowerCase())) {
        const t = normalizeName(r.data);
        if (!reach.has(t)) {
          reach.add(t);
          grew = true;
        }
      }
    }
  }
  if (records.some((r) => reach.has(r.name.toLowerCase()))) return undefined;
  const owners = [...new Set(records.map((r) => r.name))];
  return `The answer records are for ${owners.join(", ")}, not for ${asked}: stub resolvers drop records whose name does not match the question, so the client gets no data from this reply.`;
}

/**
 * Adds a step for every later plugin that could have answered or forwarded this query but is never reached, so the
 * trace says why (the Linkerd-style `forward cluster.local` after `kubernetes cluster.local`).
 */
function markUnreached(trace: CandidateTrace, entries: ChainEntry[], decided: ChainEntry, bm: BlockModel, rc: RunContext): void {
  const after = entries.slice(entries.indexOf(decided) + 1);
  for (const e of after) {
    if (!e.canAnswer && !e.forwards) continue;
    for (const occ of bm.byName.get(e.name) ?? []) {
      const zones = pluginZones(e.name, occ, rc);
      if (zones !== null && !zones.some((z) => isSubdomain(rc.question.name, z))) continue;
      trace.steps.push({
        plugin: e.name,
        range: rangeOfTokens(occ.tokens),
        action: "pass",
        detail: `Not reached: ${decided.name} runs earlier in plugin.cfg order and already ${trace.outcome.kind === "forwarded" ? "sent the query upstream" : "wrote the reply"}, so this ${e.name}${zones ? ` for ${zones.join(" ")}` : ""} never sees ${rc.question.name}.`,
        unreached: true,
      });
    }
  }
}

/** The zones a directive applies to, when it names them (forward's FROM, kubernetes/hosts/file zones...); null when it applies everywhere. */
function pluginZones(name: string, occ: Occurrence, rc: RunContext): string[] | null {
  const args = occ.args.map((a) => a.text);
  switch (name) {
    case "forward":
    case "grpc":
      return args[0] ? zonesOf(args[0]) : null;
    case "kubernetes":
    case "k8s_external":
    case "etcd":
    case "template":
      return zonesArgs(name === "template" ? args.slice(2) : args, rc);
    case "hosts":
    case "file":
      return zonesArgs(args.slice(1), rc);
    default:
      return null;
  }
}

function zonesArgs(args: string[], rc: RunContext): string[] {
  const z = args.flatMap((a) => zonesOf(a));
  return z.length > 0 ? z : rc.blockZones;
}

function blockZones(bm: BlockModel): string[] {
  const out: string[] = [];
  for (const k of bm.keys) for (const z of k.zones) if (!out.includes(z)) out.push(z);
  return out;
}
