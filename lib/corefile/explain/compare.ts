/**
 * Draft against live: the same questions explained against two Corefiles, and which of them the draft changes (the
 * path through the Corefile, or the answer). Plus the names worth asking about for a pair of Corefiles.
 */
import type { Token } from "../lexer";
import { zonesOf } from "../lint/net";
import { explainQuery, prepareCorefile, type PreparedCorefile } from "./explain";
import type { CandidateTrace, ExplainContext, ExplainQuery, ExplainTrace } from "./types";
import { formatRecord } from "./util";

/** What changed for one query between the live and the draft Corefile. */
export type QueryComparison = {
  query: ExplainQuery;
  live: ExplainTrace;
  draft: ExplainTrace;
  /** The block or the plugins a name passes through differ. */
  pathDiffers: boolean;
  /** The final reply differs (kind, rcode or records). */
  answerDiffers: boolean;
  /** Plain-words summary of the difference ("" when none). */
  summary: string;
};

/** The comparison of a list of queries. */
export type ExplainComparison = {
  results: QueryComparison[];
  /** The queries whose path or answer the draft changes. */
  changed: QueryComparison[];
};

function pathKey(c: CandidateTrace): string {
  const block = c.block ? `${c.block.keys.join(",")}|${c.block.zone}|${c.block.view ?? ""}` : "-";
  // Plugins that only look at the query (pass, observe) or are never reached do not make a different path.
  const steps = c.steps.filter((s) => !s.unreached && s.action !== "pass" && s.action !== "observe").map((s) => `${s.plugin}:${s.action}${s.question ? `>${s.question.name}/${s.question.type}` : ""}${s.upstreams ? `@${s.upstreams.join(",")}` : ""}`);
  return `${c.name}#${block}#${steps.join(";")}#${c.outcome.kind}`;
}

function answerKey(t: ExplainTrace): string {
  const f = t.final;
  const recs = (f.records ?? []).map(formatRecord).sort().join("\n");
  return `${f.kind}|${f.rcode ?? ""}|${f.candidate ?? ""}|${recs}`;
}

function summarise(live: ExplainTrace, draft: ExplainTrace, pathDiffers: boolean, answerDiffers: boolean): string {
  const parts: string[] = [];
  if (answerDiffers) {
    const describe = (t: ExplainTrace): string => {
      const f = t.final;
      const recs = (f.records ?? []).map((r) => `${r.type} ${r.data}`).join(", ");
      return `${f.kind}${f.plugin ? ` by ${f.plugin}` : ""}${recs ? ` (${recs})` : ""}${f.candidate ? ` for ${f.candidate}` : ""}`;
    };
    parts.push(`Reply: live ${describe(live)}; draft ${describe(draft)}.`);
  }
  if (pathDiffers) {
    if (draft.candidates.length !== live.candidates.length) parts.push("The resolver sends a different list of names.");
    // A change of server block says most; otherwise the first name whose plugins act differently.
    const blockChanges: string[] = [];
    let pluginChange = "";
    draft.candidates.forEach((d, i) => {
      const l = live.candidates[i];
      if (!l || pathKey(l) === pathKey(d)) return;
      const lb = l.block ? l.block.keys.join(" ") : "no block";
      const db = d.block ? d.block.keys.join(" ") : "no block";
      if (lb !== db) blockChanges.push(`${d.name}: live goes to block '${lb}', the draft to '${db}'.`);
      else if (pluginChange === "") {
        const lp = l.steps.filter((s) => !s.unreached).map((s) => `${s.plugin} (${s.action})`).join(" → ");
        const dp = d.steps.filter((s) => !s.unreached).map((s) => `${s.plugin} (${s.action})`).join(" → ");
        pluginChange = lp !== dp ? `${d.name}: path live ${lp || "(none)"}; draft ${dp || "(none)"}.` : `${d.name}: the same plugins act differently.`;
      }
    });
    parts.push(...blockChanges);
    if (blockChanges.length === 0 && pluginChange !== "") parts.push(pluginChange);
  }
  return parts.join(" ");
}

/**
 * Explains every query against the live and the draft Corefile (each parsed once) and says which the draft changes.
 * @example
 *   const c = compareExplain(draft, live, [{ name: "frontend", type: "A" }], { clientNamespace: "default", cluster });
 *   c.changed.map((r) => r.summary);
 */
export function compareExplain(draftText: string, liveText: string, queries: readonly ExplainQuery[], context: ExplainContext = {}): ExplainComparison {
  const draft = prepareCorefile(draftText, context);
  const live = prepareCorefile(liveText, context);
  const results = queries.map((q) => compareOne(q, draft, live, context));
  return { results, changed: results.filter((r) => r.pathDiffers || r.answerDiffers) };
}

function compareOne(query: ExplainQuery, draft: PreparedCorefile, live: PreparedCorefile, context: ExplainContext): QueryComparison {
  const d = explainQuery(draft, query, context);
  const l = explainQuery(live, query, context);
  const pathDiffers = d.candidates.length !== l.candidates.length || d.candidates.some((c, i) => pathKey(c) !== pathKey(l.candidates[i] as CandidateTrace));
  const answerDiffers = answerKey(d) !== answerKey(l);
  return { query, live: l, draft: d, pathDiffers, answerDiffers, summary: summarise(l, d, pathDiffers, answerDiffers) };
}

/** A proposed question, with why it is interesting. */
export type ProposedName = { name: string; type: string; reason: string };

/** Options for {@link proposeNames}. */
export type ProposeOptions = Pick<ExplainContext, "cluster" | "clusterDomain" | "files" | "env"> & {
  /** At most this many names (default 40). */
  limit?: number;
};

/**
 * The names worth explaining for a pair of Corefiles: every zone a block or plugin names (a name inside it), every
 * hosts entry, template and rewrite name, a Service of the cluster data (short and fully qualified), an ExternalName
 * Service, and an external name. Names come in a stable order, without duplicates.
 */
export function proposeNames(draftText: string, liveText: string, options: ProposeOptions = {}): ProposedName[] {
  const limit = options.limit ?? 40;
  const out: ProposedName[] = [];
  const seen = new Set<string>();
  const add = (name: string, type: string, reason: string): void => {
    const n = name.trim();
    if (n === "" || n === "." || !/^[A-Za-z0-9_*.-]+\.?$/.test(n)) return;
    const key = `${n.toLowerCase().replace(/\.$/, "")}/${type}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ name: n, type, reason });
  };
  const domain = options.clusterDomain ?? "cluster.local";
  const cluster = options.cluster;
  // A Service first (the question behind most edits), in short and absolute form.
  const svc = cluster?.services.find((s) => s.type !== "ExternalName" && s.namespace !== "kube-system") ?? cluster?.services.find((s) => s.type !== "ExternalName");
  if (svc) {
    add(`${svc.name}.${svc.namespace}.svc.${domain}`, "A", `Service ${svc.namespace}/${svc.name}, fully qualified`);
    add(svc.name, "A", `Service ${svc.namespace}/${svc.name} by its short name (the search path expands it in namespace ${svc.namespace})`);
  }
  const ext = cluster?.services.find((s) => s.type === "ExternalName");
  if (ext) add(`${ext.name}.${ext.namespace}.svc.${domain}`, "A", `ExternalName Service ${ext.namespace}/${ext.name}`);
  for (const text of [draftText, liveText]) {
    const prep = prepareCorefile(text, options);
    for (const bm of prep.model.blocks) {
      for (const k of bm.keys) {
        for (const z of k.zones) {
          if (z === ".") continue;
          if (z.endsWith("in-addr.arpa.") || z.endsWith("ip6.arpa.")) continue;
          add(`www.${z}`, "A", `a name in zone ${z} (block ${bm.block.keys.join(" ")})`);
        }
      }
      for (const [name, occs] of bm.byName) {
        for (const occ of occs) {
          const args = occ.args.map((t: Token) => t.text);
          switch (name) {
            case "forward":
            case "grpc":
              for (const z of zonesOf(args[0] ?? "")) if (z !== "." && !z.endsWith(".arpa.")) add(`www.${z}`, "A", `${name} for ${z}`);
              break;
            case "hosts":
              for (const o of occ.options) {
                if (["fallthrough", "fallthrough_unsupported", "no_reverse", "ttl", "reload"].includes(o.name.text)) continue;
                for (const t of o.args) add(t.text, o.name.text.includes(":") ? "AAAA" : "A", `hosts entry (${o.name.text})`);
              }
              break;
            case "rewrite": {
              const words = [...args, ...occ.options.flatMap((o) => [o.name.text, ...o.args.map((t: Token) => t.text)])];
              const i = words.findIndex((w) => w.toLowerCase() === "name");
              if (i >= 0) {
                const rest = words.slice(i + 1);
                const kind = rest.length === 2 ? "exact" : (rest[0] ?? "").toLowerCase();
                const from = rest.length === 2 ? rest[0] : rest[1];
                if (from && kind === "exact") add(from, "A", "rewrite rule (exact)");
                else if (from && kind === "suffix") add(`www.${from.replace(/^\./, "")}`, "A", "rewrite rule (suffix)");
                else if (from && kind === "prefix") add(`${from}www.example.com`, "A", "rewrite rule (prefix)");
                else if (from && kind === "substring") add(`www.${from.replace(/^\.|\.$/g, "")}.com`, "A", "rewrite rule (substring)");
              }
              break;
            }
            case "template":
              for (const z of args.slice(2).flatMap((a) => zonesOf(a))) if (z !== ".") add(`www.${z}`, (args[1] ?? "A").toUpperCase() === "ANY" ? "A" : (args[1] ?? "A").toUpperCase(), `template zone ${z}`);
              for (const o of occ.options.filter((x) => x.name.text === "match")) {
                for (const t of o.args) {
                  const literal = t.text.replace(/^\^/, "").replace(/\$$/, "").replace(/\\\./g, ".");
                  if (/^[A-Za-z0-9.-]+$/.test(literal)) add(literal, (args[1] ?? "A").toUpperCase() === "ANY" ? "A" : (args[1] ?? "A").toUpperCase(), "template match");
                }
              }
              break;
            case "kubernetes":
              for (const z of args.flatMap((a) => zonesOf(a))) if (!z.endsWith(".arpa.")) add(`kubernetes.default.svc.${z.replace(/\.$/, "")}`, "A", `kubernetes zone ${z}`);
              break;
          }
        }
      }
    }
  }
  add("example.com", "A", "an external name (goes to the default upstream)");
  return out.slice(0, limit);
}
