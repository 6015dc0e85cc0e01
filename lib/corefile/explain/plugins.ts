/**
 * What each plugin does with one question, as far as the Corefile (and the data passed in) tells. One function per
 * plugin family; each returns its steps and, when the plugin ends the query (a reply, or upstream), the outcome.
 */
import type { BlockModel, Occurrence, OptionLine } from "../lint/model";
import { zonesOf } from "../lint/net";
import type { Token } from "../lexer";
import { getPluginSpec } from "../plugins/index";
import { addHostsLines, emptyHostsTable, parseZoneFile, type HostsTable } from "./data-files";
import { answerKubernetes, type KubernetesSettings } from "./kubernetes";
import type { CandidateTrace, ExplainContext, ExplainRecord, ExplainStep, Outcome, SourceRange, StepAction } from "./types";
import {
  addressFromReverse,
  canonicalIp,
  compileGoRegexp,
  ipInCidr,
  isSubdomain,
  isValidName,
  listWords,
  matchZone,
  normalizeName,
  rangeOfTokens,
  rr,
} from "./util";
import { renderTemplate } from "./template-render";

/** What the chain walker hands to each plugin. */
export type RunContext = {
  block: BlockModel;
  blockZones: string[];
  context: ExplainContext;
  caveats: Set<string>;
  depth: number;
  /** The question as this plugin sees it (rewrite changes it for the plugins after). */
  question: { name: string; type: string; class: string };
  /** The name the client asked for (answers go back under it). */
  originalName: string;
  /** Changes rewrite makes to the records on the way back, in order. */
  responseRules: ((records: ExplainRecord[]) => ExplainRecord[])[];
  /** Sentences about what happens to the reply on its way back (added to the outcome). */
  responseNotes: string[];
  files: Record<string, string>;
  /** Explains a nested lookup through the same server (CNAME targets). */
  nested: (name: string, type: string) => CandidateTrace;
};

/** A plugin's part: its steps, and the outcome when it ended the query. */
export type PluginRun = { steps: ExplainStep[]; outcome?: Outcome };

const ACTION_OUTCOME: Partial<Record<StepAction, Outcome["kind"]>> = {
  answer: "answer",
  nodata: "nodata",
  nxdomain: "nxdomain",
  servfail: "servfail",
  refuse: "refused",
  drop: "dropped",
  forward: "forwarded",
  unknown: "unknown",
};

const RCODE_OF: Partial<Record<Outcome["kind"], string>> = {
  answer: "NOERROR",
  nodata: "NOERROR",
  nxdomain: "NXDOMAIN",
  servfail: "SERVFAIL",
  refused: "REFUSED",
};

function step(plugin: string, range: SourceRange | undefined, action: StepAction, detail: string, extra: Partial<ExplainStep> = {}): ExplainStep {
  const s: ExplainStep = { plugin, action, detail, ...extra };
  if (range) s.range = range;
  return s;
}

/** A run that ends the query with `action`. */
function decide(s: ExplainStep): PluginRun {
  const kind = ACTION_OUTCOME[s.action] ?? "unknown";
  const outcome: Outcome = { kind, plugin: s.plugin, detail: s.detail };
  const rcode = RCODE_OF[kind];
  if (rcode) outcome.rcode = rcode;
  if (s.records) outcome.records = s.records;
  if (s.range) outcome.range = s.range;
  return { steps: [s], outcome };
}

function pass(s: ExplainStep): PluginRun {
  return { steps: [s] };
}

function rangeOf(occ: Occurrence | undefined): SourceRange | undefined {
  return occ ? rangeOfTokens(occ.tokens) : undefined;
}

function optionRange(o: OptionLine): SourceRange | undefined {
  return rangeOfTokens([o.name, ...o.args]);
}

function texts(tokens: readonly Token[]): string[] {
  return tokens.map((t) => t.text);
}

function options(occ: Occurrence, name: string): OptionLine[] {
  return occ.options.filter((o) => o.name.text === name);
}

/** `plugin.OriginsFromArgsOrServerBlock`: zones from arguments, else the block's. */
function originsOf(args: readonly string[], rc: RunContext): string[] {
  if (args.length === 0) return rc.blockZones;
  const out: string[] = [];
  for (const a of args) for (const z of zonesOf(a)) if (!out.includes(z)) out.push(z);
  return out;
}

/** `fallthrough [ZONES...]`: the zones it covers (all when none given), or null without the option. */
function fallthroughZones(occ: Occurrence): string[] | null {
  const f = options(occ, "fallthrough");
  if (f.length === 0) return null;
  const args = texts((f[f.length - 1] as OptionLine).args);
  if (args.length === 0) return ["."];
  return args.flatMap((a) => zonesOf(a));
}

function through(zones: string[] | null, name: string): boolean {
  return zones !== null && matchZone(zones, name) !== "";
}

function zoneList(zones: readonly string[]): string {
  return zones.map((z) => `'${z}'`).join(", ");
}

/** Runs one plugin (all its occurrences in the block) on the current question. */
export function runPlugin(name: string, occs: Occurrence[], rc: RunContext): PluginRun {
  switch (name) {
    case "rewrite":
      return runRewrite(occs, rc);
    case "acl":
      return runAcl(occs, rc);
    case "hosts":
      return runHosts(occs[0] as Occurrence, rc);
    case "template":
      return runTemplate(occs, rc);
    case "kubernetes":
      return runKubernetes(occs[0] as Occurrence, rc);
    case "file":
      return runFile(occs, rc);
    case "forward":
      return runForward(occs, rc);
    case "grpc":
      return runGrpc(occs, rc);
    case "cache":
      return runCache(occs[0] as Occurrence, rc);
    case "local":
      return runLocal(occs[0] as Occurrence, rc);
    case "any":
      return rc.question.type === "ANY"
        ? decide(step("any", rangeOf(occs[0]), "answer", "ANY queries get a minimal HINFO reply (RFC 8482) instead of every record.", { records: [rr(rc.question.name, 8482, "HINFO", '"RFC8482" ""')] }))
        : pass(step("any", rangeOf(occs[0]), "pass", "Only changes ANY queries."));
    case "chaos":
      return runChaos(occs[0] as Occurrence, rc);
    case "whoami":
      return decide(
        step(
          "whoami",
          rangeOf(occs[0]),
          "nodata",
          "whoami replies to every query with NOERROR, an empty answer section, and the client's address and port in the additional section: a resolver sees no data for the name.",
        ),
      );
    case "k8s_external":
      return runK8sExternal(occs[0] as Occurrence, rc);
    case "view":
      return pass(step("view", rangeOf(occs[0]), "pass", "The view filter already chose this block; it does nothing more to the query."));
    case "loop":
      return pass(step("loop", rangeOf(occs[0]), "observe", "loop only checks at startup that CoreDNS's own probe query does not come back to it (a forwarding loop); it passes every other query on."));
    case "errors":
    case "log":
    case "prometheus":
    case "dnstap":
    case "trace":
    case "metadata":
    case "geoip":
    case "nsid":
    case "bufsize":
    case "cancel":
    case "shed":
      return pass(step(name, rangeOf(occs[0]), "observe", observeDetail(name)));
    case "loadbalance":
      return pass(step("loadbalance", rangeOf(occs[0]), "observe", "Shuffles the order of A, AAAA and MX records in the reply (round robin); the set of records is the same."));
    case "minimal":
      return pass(step("minimal", rangeOf(occs[0]), "observe", "Strips the authority and additional sections from replies (not the answer)."));
    case "header":
      return pass(step("header", rangeOf(occs[0]), "observe", "Sets or clears header flags on the query or the reply; records are unchanged."));
    case "dnssec":
    case "sign":
      return pass(step(name, rangeOf(occs[0]), "observe", "Adds DNSSEC signatures to replies in its zones when the client asks for them (DO bit); the records are the same."));
    case "dns64":
      return rc.question.type === "AAAA"
        ? pass(step("dns64", rangeOf(occs[0]), "observe", "If the plugins after it find no AAAA record, dns64 asks for A and synthesises AAAA records from it with its prefix."))
        : pass(step("dns64", rangeOf(occs[0]), "pass", "Only changes AAAA queries."));
    case "autopath":
      return pass(
        step(
          "autopath",
          rangeOf(occs[0]),
          "observe",
          "autopath may walk the client's search path on the server side on the first query and reply with a CNAME to the name that resolved; the client ends with the same answer, in one round trip.",
        ),
      );
    case "tsig":
      return pass(step("tsig", rangeOf(occs[0]), "observe", "Checks TSIG signatures; with 'require', unsigned queries of the listed types are refused (this trace assumes a signed or exempt query)."));
    case "transfer":
      return rc.question.type === "AXFR" || rc.question.type === "IXFR"
        ? decide(step("transfer", rangeOf(occs[0]), "unknown", "Zone transfers are allowed only to the addresses listed in 'to'; the zone's contents come from the plugin that serves it."))
        : pass(step("transfer", rangeOf(occs[0]), "pass", "Only handles zone transfers (AXFR/IXFR)."));
    case "erratic":
      return decide(step("erratic", rangeOf(occs[0]), "unknown", "erratic answers with made-up records and drops, delays or truncates replies on purpose (a testing plugin): the reply cannot be predicted."));
    case "auto":
    case "secondary":
    case "etcd":
    case "route53":
    case "azure":
    case "clouddns":
    case "nomad":
      return runExternalData(name, occs, rc);
    default: {
      const spec = getPluginSpec(name);
      if (spec?.canAnswer) {
        return decide(step(name, rangeOf(occs[0]), "unknown", `The explainer does not model ${name}; it can reply to queries, so what happens from here cannot be known statically.`));
      }
      return pass(step(name, rangeOf(occs[0]), "observe", `${name} does not change which records are returned.`));
    }
  }
}

function observeDetail(name: string): string {
  switch (name) {
    case "errors":
      return "Logs errors of the plugins after it; no effect on the reply.";
    case "log":
      return "Logs the query and its reply; no effect on the reply.";
    case "prometheus":
      return "Counts the query in the metrics; no effect on the reply.";
    case "dnstap":
      return "Copies the query and reply to a dnstap collector; no effect on the reply.";
    case "trace":
      return "Records a tracing span; no effect on the reply.";
    case "metadata":
    case "geoip":
      return "Collects metadata about the query for other plugins; no effect on the reply by itself.";
    case "nsid":
      return "Adds the server's identifier to replies that ask for it; records are unchanged.";
    case "bufsize":
      return "Limits the EDNS0 buffer size of the query; records are unchanged.";
    case "cancel":
      return "Cancels the query after a timeout; normally no effect.";
    case "shed":
      return "Refuses queries only while the process is overloaded; normally no effect.";
    default:
      return "No effect on the reply.";
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// rewrite

type NameMatch = "exact" | "prefix" | "suffix" | "substring" | "regex";

function rewriteArgs(occ: Occurrence): string[] {
  const args = texts(occ.args);
  if (args.length < 2) for (const o of occ.options) args.push(o.name.text, ...texts(o.args));
  return args;
}

function fqdnLower(s: string): string {
  const l = s.toLowerCase();
  return l.endsWith(".") ? l : `${l}.`;
}

function replaceGroups(template: string, groups: readonly (string | undefined)[]): string {
  let s = template;
  groups.forEach((g, i) => {
    s = s.split(`{${i}}`).join(g ?? "");
  });
  return s;
}

function runRewrite(occs: Occurrence[], rc: RunContext): PluginRun {
  const steps: ExplainStep[] = [];
  const original = { ...rc.question };
  let changed = false;
  for (const occ of occs) {
    const args = rewriteArgs(occ);
    const range = rangeOf(occ);
    let mode: "stop" | "continue" = "stop";
    let i = 0;
    const a0 = (args[0] ?? "").toLowerCase();
    if (a0 === "continue" || a0 === "stop") {
      mode = a0;
      i = 1;
    }
    const ruleType = (args[i] ?? "").toLowerCase();
    const rest = args.slice(i + 1);
    let done = false;
    let detail = "";
    if (ruleType === "name") {
      const r = rewriteName(rest, rc);
      if (r === "invalid") {
        steps.push(step("rewrite", range, "unknown", "This name rule cannot be read (CoreDNS would reject it)."));
        continue;
      }
      if (r) {
        done = true;
        detail = r.detail;
        if (!isValidName(rc.question.name)) {
          steps.push(step("rewrite", range, "servfail", `${detail} The result '${rc.question.name}' is not a valid name: CoreDNS answers SERVFAIL.`));
          rc.question = original;
          return { steps, outcome: { kind: "servfail", rcode: "SERVFAIL", plugin: "rewrite", detail: "The rewritten name is not a valid DNS name.", ...(range ? { range } : {}) } };
        }
      }
    } else if (ruleType === "type" || ruleType === "class") {
      const [from, to] = rest.map((x) => x.toUpperCase());
      const field = ruleType === "type" ? "type" : "class";
      if (from && to && rc.question[field] === from) {
        rc.question = { ...rc.question, [field]: to };
        done = true;
        detail = `The query's ${field} ${from} becomes ${to}.`;
        rc.responseNotes.push(`rewrite restores the question's ${field} to ${from} in the reply (the records keep their own ${field}).`);
      }
    } else if (ruleType === "ttl") {
      const m = ruleMatcher(rest.length >= 3 ? rest[0] as string : "exact", rest.length >= 3 ? rest[1] as string : rest[0] ?? "");
      const ttlArg = rest[rest.length - 1] ?? "";
      if (m && m(rc.question.name)) {
        done = true;
        detail = `Answers for this name get TTL ${ttlArg} on the way back.`;
        const [lo, hi] = ttlArg.includes("-") ? ttlArg.split("-").map((x) => (x === "" ? NaN : Number(x))) : [Number(ttlArg), Number(ttlArg)];
        rc.responseRules.push((recs) =>
          recs.map((r) => {
            let ttl = r.ttl;
            if (lo !== undefined && !Number.isNaN(lo) && ttl < lo) ttl = lo;
            if (hi !== undefined && !Number.isNaN(hi) && ttl > hi) ttl = hi;
            return { ...r, ttl };
          }),
        );
      }
    } else if (ruleType === "rcode" || ruleType === "cname" || ruleType === "edns0") {
      steps.push(
        step(
          "rewrite",
          range,
          "observe",
          ruleType === "edns0"
            ? "Adds or changes an EDNS0 option on the query; the name is unchanged."
            : ruleType === "rcode"
              ? "May change the reply's rcode for matching names on the way back."
              : "May rewrite CNAME targets in the reply on the way back.",
        ),
      );
      continue;
    } else {
      steps.push(step("rewrite", range, "unknown", `Rule type '${ruleType}' is not known; CoreDNS would reject it.`));
      continue;
    }
    if (!done) {
      steps.push(step("rewrite", range, "pass", `This ${ruleType} rule does not match ${rc.question.name} ${rc.question.type}.`));
      continue;
    }
    changed = true;
    const next =
      mode === "stop"
        ? " The rule's mode is 'stop' (the default): no later rewrite rule is tried."
        : " The rule's mode is 'continue': the next rules are tried on the new question.";
    steps.push(step("rewrite", range, "rewrite", detail + next, { question: { ...rc.question } }));
    if (mode === "stop") break;
  }
  if (changed && rc.question.name !== original.name) rc.responseNotes.push(`rewrite puts the question back to ${original.name} in the reply.`);
  if (steps.length === 0) steps.push(step("rewrite", rangeOf(occs[0]), "pass", "No rewrite rule applies."));
  return { steps };
}

/** `rewrite ttl`/`rcode` style matcher: `exact|prefix|suffix|substring|regex NAME`. */
function ruleMatcher(kind: string, from: string): ((name: string) => boolean) | null {
  const k = kind.toLowerCase();
  if (k === "regex") {
    const re = compileGoRegexp(from);
    return "error" in re ? null : (n) => re.re.test(n);
  }
  const f = fqdnLower(from);
  if (k === "exact") return (n) => n === f;
  if (k === "prefix") return (n) => n.startsWith(f);
  if (k === "suffix") return (n) => n.endsWith(f);
  if (k === "substring") return (n) => n.includes(f);
  return null;
}

/** A name rule: changes rc.question and registers response rules; null when it does not match. */
function rewriteName(rest: string[], rc: RunContext): { detail: string } | null | "invalid" {
  if (rest.length < 2) return "invalid";
  let match: NameMatch;
  let from: string;
  let to: string;
  if (rest.length === 2) {
    match = "exact";
    from = fqdnLower(rest[0] as string);
    to = fqdnLower(rest[1] as string);
  } else {
    const m = (rest[0] as string).toLowerCase();
    if (!["exact", "prefix", "suffix", "substring", "regex"].includes(m)) return "invalid";
    match = m as NameMatch;
    if (match === "regex") {
      from = rest[1] as string;
      to = fqdnLower(rest[2] as string);
    } else {
      // CoreDNS fully qualifies both sides for every match type (so a prefix or substring carries a trailing dot).
      from = fqdnLower(rest[1] as string);
      to = fqdnLower(rest[2] as string);
    }
  }
  const answerArgs = rest.length > 3 ? rest.slice(3) : [];
  const name = rc.question.name;
  let result: string | null = null;
  let groups: (string | undefined)[] = [];
  switch (match) {
    case "exact":
      if (name === from) result = to;
      break;
    case "prefix":
      if (name.startsWith(from)) result = to + name.slice(from.length);
      break;
    case "suffix":
      if (name.endsWith(from)) result = name.slice(0, name.length - from.length) + to;
      break;
    case "substring":
      if (name.includes(from)) result = name.split(from).join(to);
      break;
    case "regex": {
      const re = compileGoRegexp(from);
      if ("error" in re) {
        rc.caveats.add(`rewrite regex '${from}': ${re.error}.`);
        return null;
      }
      const m = re.re.exec(name);
      if (m) {
        groups = [...m];
        result = replaceGroups(to, groups);
      }
      break;
    }
  }
  if (result === null) return null;
  const before = name;
  rc.question = { ...rc.question, name: result };
  // Response rules (plugin/rewrite name.go): exact rules always map the answer back; others with `answer auto`;
  // `answer name FROM TO` / `answer value FROM TO` are regex rewrites of owner names / record values.
  const auto = match === "exact" || answerArgs.includes("auto");
  const notes: string[] = [];
  if (auto) {
    if (match === "suffix") {
      const r = (s: string): string => (s.endsWith(to) ? s.slice(0, s.length - to.length) + from : s);
      rc.responseRules.push((recs) => recs.map((x) => ({ ...x, name: r(x.name), data: valueRewrite(x, r) })));
    } else {
      const r = (s: string): string => {
        if (s === result) return before;
        const i = s.length - (result as string).length;
        if (i > 0 && s[i - 1] === "." && s.slice(i) === result) return s.slice(0, i) + before;
        return s;
      };
      rc.responseRules.push((recs) => recs.map((x) => ({ ...x, name: r(x.name), data: valueRewrite(x, r) })));
    }
    notes.push("Answer names are mapped back to the asked name on the way out.");
  }
  for (let i = 0; i < answerArgs.length; i++) {
    if (answerArgs[i] !== "answer") continue;
    const kind = answerArgs[i + 1];
    const aFrom = answerArgs[i + 2];
    const aTo = answerArgs[i + 3];
    if ((kind === "name" || kind === "value") && aFrom !== undefined && aTo !== undefined) {
      const re = compileGoRegexp(aFrom);
      if ("error" in re) continue;
      const target = fqdnLower(aTo);
      const r = (s: string): string => {
        const m = re.re.exec(s);
        return m ? replaceGroups(target, [...m]) : s;
      };
      if (kind === "name") rc.responseRules.push((recs) => recs.map((x) => ({ ...x, name: r(x.name) })));
      else rc.responseRules.push((recs) => recs.map((x) => ({ ...x, data: valueRewrite(x, r) })));
      notes.push(`Answer ${kind}s matching '${aFrom}' become '${target}'.`);
    }
  }
  return { detail: `The name ${before} matches the ${match} rule and becomes ${result}. ${notes.join(" ")}`.trim() };
}

/** The name inside a record's data that rewrite's value rules change (CNAME, DNAME, PTR, NS, SRV/MX targets). */
function valueRewrite(r: ExplainRecord, f: (s: string) => string): string {
  const parts = r.data.split(" ");
  const idx = r.type === "SRV" ? 3 : r.type === "MX" ? 1 : ["CNAME", "DNAME", "PTR", "NS"].includes(r.type) ? 0 : -1;
  if (idx < 0 || parts[idx] === undefined) return r.data;
  parts[idx] = f(parts[idx] as string);
  return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------------------------------
// acl

function runAcl(occs: Occurrence[], rc: RunContext): PluginRun {
  const steps: ExplainStep[] = [];
  const q = rc.question;
  for (const occ of occs) {
    const zones = originsOf(texts(occ.args), rc);
    if (matchZone(zones, q.name) === "") {
      steps.push(step("acl", rangeOf(occ), "pass", `This rule covers ${zoneList(zones)}, not ${q.name}.`));
      continue;
    }
    for (const o of occ.options) {
      const action = o.name.text;
      const args = texts(o.args);
      const types: string[] = [];
      const nets: string[] = [];
      let cur: string[] | null = null;
      for (const a of args) {
        if (a === "type") cur = types;
        else if (a === "net") cur = nets;
        else cur?.push(a);
      }
      const typeOk = types.length === 0 || types.includes("*") || types.map((t) => t.toUpperCase()).includes(q.type);
      if (!typeOk) continue;
      let netOk: boolean;
      if (nets.length === 0 || nets.includes("*")) netOk = true;
      else if (rc.context.clientIp === undefined) {
        rc.caveats.add(`acl: the client's address was not given, so the trace assumes it is outside ${nets.join(", ")}.`);
        netOk = false;
      } else {
        const ip = rc.context.clientIp;
        netOk = nets.some((n) => ipInCidr(ip, n));
      }
      if (!netOk) continue;
      const range = optionRange(o) ?? rangeOf(occ);
      const what = `${types.length > 0 ? `type ${types.join(" ")}` : "any type"}${nets.length > 0 ? ` from ${nets.join(" ")}` : ""}`;
      switch (action) {
        case "allow":
          steps.push(step("acl", range, "pass", `'allow ${what}' matches: the query goes on.`));
          return { steps };
        case "block": {
          const r = decide(step("acl", range, "refuse", `'block ${what}' matches: CoreDNS answers REFUSED (extended error: blocked).`));
          return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
        }
        case "filter": {
          const r = decide(step("acl", range, "nodata", `'filter ${what}' matches: CoreDNS answers NOERROR with no records (extended error: filtered).`));
          return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
        }
        case "drop": {
          const r = decide(step("acl", range, "drop", `'drop ${what}' matches: CoreDNS sends no reply; the client times out.`));
          return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
        }
      }
    }
  }
  steps.push(step("acl", rangeOf(occs[0]), "pass", "No acl policy matches: the query is allowed."));
  return { steps };
}

// ---------------------------------------------------------------------------------------------------------------------
// hosts

const KNOWN_HOSTS_OPTIONS = new Set(["fallthrough", "fallthrough_unsupported", "no_reverse", "ttl", "reload"]);

function runHosts(occ: Occurrence, rc: RunContext): PluginRun {
  const args = texts(occ.args);
  const path = args[0] ?? "/etc/hosts";
  const zones = originsOf(args.slice(1), rc);
  const q = rc.question;
  const range = rangeOf(occ);
  const ttlOpt = options(occ, "ttl")[0]?.args[0]?.text;
  const ttl = ttlOpt && /^[0-9]+$/.test(ttlOpt) ? Number(ttlOpt) : 3600;
  const reverse = options(occ, "no_reverse").length === 0;
  const fall = fallthroughZones(occ);
  const fallUnsupported = options(occ, "fallthrough_unsupported").length > 0;
  const inZone = (n: string): boolean => matchZone(zones, n) !== "";

  const zone = matchZone(zones, q.name);
  if (zone === "" && q.type !== "PTR") return pass(step("hosts", range, "pass", `${q.name} is outside the hosts zones (${zoneList(zones)}): passed on, whatever 'fallthrough' says.`));

  // Inline entries: option lines that are not options, read until the first `fallthrough`.
  const inline = emptyHostsTable();
  let seenFall = false;
  for (const o of occ.options) {
    if (o.name.text === "fallthrough") seenFall = true;
    if (KNOWN_HOSTS_OPTIONS.has(o.name.text) || seenFall) continue;
    addHostsLines(inline, [o.name.text, ...texts(o.args)].join(" "), inZone, reverse);
  }
  let fileKnown = true;
  let fileNote = "";
  const file = emptyHostsTable();
  const content = lookupFile(rc.files, path);
  if (content !== undefined) addHostsLines(file, content, inZone, reverse);
  else if (path === "/etc/hosts") {
    addHostsLines(file, "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n", inZone, reverse);
    fileNote = " (/etc/hosts of the CoreDNS container was not given: assumed to hold only the localhost entries)";
  } else {
    fileKnown = false;
    fileNote = ` (the hosts file ${path} was not given)`;
  }

  const lookup = (t: HostsTable, name: string, v4: boolean): string[] => (v4 ? t.v4 : t.v6).get(name) ?? [];
  let answers: ExplainRecord[] = [];
  const n = q.name;
  if (q.type === "PTR") {
    const ip = addressFromReverse(n);
    const names = ip ? [...(file.byAddr.get(ip) ?? []), ...(inline.byAddr.get(ip) ?? [])] : [];
    if (names.length === 0) {
      if (!fileKnown) return decide(step("hosts", range, "unknown", `No inline entry has this address${fileNote}: whether the file has one cannot be known here.`));
      return pass(step("hosts", range, "pass", `No entry has the address ${ip ?? "of this name"}: passed on, whatever 'fallthrough' says.`));
    }
    answers = names.map((x) => rr(n, ttl, "PTR", x));
  } else if (q.type === "A" || q.type === "AAAA") {
    const v4 = q.type === "A";
    answers = [...lookup(file, n, v4), ...lookup(inline, n, v4)].map((ip) => rr(n, ttl, q.type, ip));
  } else if (fallUnsupported && through(fall, n)) {
    return pass(step("hosts", range, "fallthrough", `hosts only serves A, AAAA and PTR; 'fallthrough_unsupported' passes ${q.type} queries on.`));
  }
  if (answers.length > 0) {
    return decide(step("hosts", range, "answer", `${n} is a hosts entry${fileNote}.`, { records: answers }));
  }
  const exists = [file, inline].some((t) => lookup(t, n, true).length > 0 || lookup(t, n, false).length > 0);
  if (exists) return decide(step("hosts", range, "nodata", `${n} is a hosts entry, but has no ${q.type} record: NOERROR with no records.`));
  if (!fileKnown) {
    return decide(step("hosts", range, "unknown", `${n} is not an inline entry${fileNote}: if the file lists it, hosts answers; if not, ${fall ? "it falls through" : "it answers SERVFAIL"}.`));
  }
  if (through(fall, n)) return pass(step("hosts", range, "fallthrough", `${n} is not in the hosts entries${fileNote}; 'fallthrough' passes it to the next plugin.`));
  return decide(
    step(
      "hosts",
      range,
      "servfail",
      `${n} is not in the hosts entries${fileNote} and ${fall ? "the 'fallthrough' zones do not cover it" : "there is no 'fallthrough'"}: hosts has no SOA to send NXDOMAIN with, so it answers SERVFAIL.`,
    ),
  );
}

function lookupFile(files: Record<string, string>, path: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(files, path)) return files[path];
  const base = path.split("/").pop() ?? path;
  for (const k of Object.keys(files)) if (k === base || k.endsWith(`/${base}`)) return files[k];
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// template

function runTemplate(occs: Occurrence[], rc: RunContext): PluginRun {
  const q = rc.question;
  const steps: ExplainStep[] = [];
  const all: string[] = [];
  const templates = occs.map((occ) => {
    const args = texts(occ.args);
    const zones = originsOf(args.slice(2), rc);
    for (const z of zones) if (!all.includes(z)) all.push(z);
    return { occ, cls: (args[0] ?? "ANY").toUpperCase(), type: (args[1] ?? "ANY").toUpperCase(), zones };
  });
  if (matchZone(all, q.name) === "") return pass(step("template", rangeOf(occs[0]), "pass", `${q.name} is outside the template zones (${zoneList(all)}).`));
  for (const t of templates) {
    const range = rangeOf(t.occ);
    const zone = matchZone(t.zones, q.name);
    if (zone === "") {
      steps.push(step("template", range, "pass", `This template covers ${zoneList(t.zones)}.`));
      continue;
    }
    if ((t.cls !== "ANY" && q.class !== "ANY" && q.class !== t.cls) || (t.type !== "ANY" && q.type !== "ANY" && q.type !== t.type)) {
      steps.push(step("template", range, "pass", `This template is for ${t.cls} ${t.type}, not ${q.class} ${q.type}.`));
      continue;
    }
    const regexes = options(t.occ, "match").flatMap((o) => texts(o.args));
    if (regexes.length === 0) regexes.push(".*");
    let m: RegExpExecArray | null = null;
    let matched = "";
    for (const r of regexes) {
      const re = compileGoRegexp(r);
      if ("error" in re) {
        return { steps: [...steps, step("template", range, "unknown", `The regex '${r}' cannot be run here: ${re.error}.`)], outcome: { kind: "unknown", plugin: "template", detail: re.error } };
      }
      m = re.re.exec(q.name);
      if (m) {
        matched = r;
        break;
      }
    }
    const fall = fallthroughZones(t.occ);
    if (!m) {
      if (through(fall, q.name)) {
        steps.push(step("template", range, "fallthrough", `${q.name} matches none of ${regexes.map((r) => `'${r}'`).join(", ")}; 'fallthrough' goes on.`));
        continue;
      }
      const r = decide(step("template", range, "servfail", `${q.name} is in the template's zone but matches none of ${regexes.map((x) => `'${x}'`).join(", ")}, and there is no 'fallthrough': template answers SERVFAIL.`));
      return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
    }
    if (options(t.occ, "expr").length > 0 || options(t.occ, "var").length > 0) {
      rc.caveats.add("template: 'expr'/'var' conditions are not evaluated by the explainer; the trace assumes they hold.");
    }
    const rcodeText = (options(t.occ, "rcode")[0]?.args[0]?.text ?? "NOERROR").toUpperCase();
    const groups: Record<string, string> = {};
    const match = [...m].map((x) => x ?? "");
    match.forEach((g, i) => (groups[String(i)] = g));
    for (const [k, v] of Object.entries(m.groups ?? {})) groups[k] = v ?? "";
    const data = { Name: q.name, Zone: zone, Class: q.class, Type: q.type, Match: match, Group: groups, Remote: rc.context.clientIp };
    const records: ExplainRecord[] = [];
    let unknownRender: string | undefined;
    // Each argument of an `answer` line is its own record template.
    for (const text of options(t.occ, "answer").flatMap((a) => texts(a.args))) {
      const out = renderTemplate(text, data);
      if ("error" in out) {
        unknownRender = out.error;
        break;
      }
      const rec = parseRecordLine(out.text);
      if (!rec) {
        unknownRender = `the answer '${out.text}' is not a record CoreDNS can read (it answers SERVFAIL)`;
        break;
      }
      records.push(rec);
    }
    const why = `${q.name} matches '${matched}' in zone '${zone}'`;
    if (unknownRender) {
      const r = decide(step("template", range, "unknown", `${why}, but the answer cannot be worked out here: ${unknownRender}.`));
      return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
    }
    if (rcodeText === "SERVFAIL") {
      const r = decide(step("template", range, "servfail", `${why}; the template's rcode is SERVFAIL.`));
      return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
    }
    // template always resolves a CNAME it answers for A/AAAA through the server itself and adds the result.
    const nested: CandidateTrace[] = [];
    if ((q.type === "A" || q.type === "AAAA") && rc.depth < (rc.context.maxDepth ?? 3)) {
      for (const rec of records.filter((x) => x.type === "CNAME")) nested.push(rc.nested(normalizeName(rec.data), q.type));
    }
    for (const n of nested) if (n.outcome.kind === "answer") records.push(...(n.outcome.records ?? []));
    const pending = nested.find((n) => n.outcome.kind === "forwarded" || n.outcome.kind === "unknown");
    const action: StepAction = rcodeText === "NXDOMAIN" ? "nxdomain" : rcodeText === "NOERROR" ? (records.length > 0 ? "answer" : "nodata") : "unknown";
    const detail =
      action === "unknown"
        ? `${why}; the template answers with rcode ${rcodeText}.`
        : `${why}: the template answers ${rcodeText}${records.length > 0 ? " with its records" : " with no records"}.`;
    const s = step("template", range, action, detail, records.length > 0 ? { records } : {});
    if (nested.length > 0) s.nested = nested;
    const r = decide(s);
    if (action === "unknown" && r.outcome) r.outcome.rcode = rcodeText;
    if (pending && r.outcome) {
      r.outcome = { ...r.outcome, kind: pending.outcome.kind, detail: `${r.outcome.detail} The CNAME target ${pending.name} is resolved through CoreDNS again: its records cannot be known statically.` };
      delete r.outcome.rcode;
    }
    return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
  }
  return { steps };
}

/** `name ttl class type data` (ttl and class optional), as the template's answer lines are written. */
export function parseRecordLine(text: string): ExplainRecord | null {
  const f = text.trim().split(/\s+/);
  if (f.length < 3) return null;
  const name = normalizeName(f[0] as string);
  let i = 1;
  let ttl = 3600;
  let cls = "IN";
  for (let k = 0; k < 2; k++) {
    const x = f[i];
    if (x === undefined) break;
    if (/^[0-9]+$/.test(x)) {
      ttl = Number(x);
      i++;
    } else if (["IN", "CH", "HS", "CS", "ANY"].includes(x.toUpperCase())) {
      cls = x.toUpperCase();
      i++;
    }
  }
  const type = f[i]?.toUpperCase();
  if (!type || !/^[A-Z][A-Z0-9]*$/.test(type)) return null;
  const data = f.slice(i + 1).join(" ");
  if (data === "") return null;
  if ((type === "A" || type === "AAAA") && canonicalIp(data) === null) return null;
  return rr(name, ttl, type, data, cls);
}

// ---------------------------------------------------------------------------------------------------------------------
// kubernetes

function kubernetesSettings(occ: Occurrence): KubernetesSettings {
  const opt = (n: string): string[] | undefined => {
    const o = options(occ, n);
    return o.length > 0 ? texts((o[o.length - 1] as OptionLine).args) : undefined;
  };
  const pods = opt("pods")?.[0];
  const ttl = opt("ttl")?.[0];
  return {
    ttl: ttl && /^[0-9]+$/.test(ttl) ? Number(ttl) : 5,
    podMode: pods === "insecure" || pods === "verified" ? pods : "disabled",
    namespaces: opt("namespaces") ?? [],
    endpointPodNames: opt("endpoint_pod_names") !== undefined,
    ignoreEmptyService: (opt("ignore") ?? []).includes("empty_service"),
  };
}

function runKubernetes(occ: Occurrence, rc: RunContext): PluginRun {
  const zones = originsOf(texts(occ.args), rc);
  const q = rc.question;
  const range = rangeOf(occ);
  const zone = matchZone(zones, q.name);
  if (zone === "") return pass(step("kubernetes", range, "pass", `${q.name} is outside the kubernetes zones (${zoneList(zones)}).`));
  const fall = fallthroughZones(occ);
  const settings = kubernetesSettings(occ);
  const cluster = rc.context.cluster;
  if (!cluster) {
    rc.caveats.add("No cluster data was given: what the kubernetes plugin answers for Service and pod names cannot be known.");
    return decide(step("kubernetes", range, "unknown", `${q.name} is in the kubernetes zone '${zone}'; without the cluster's Services the answer cannot be known (NXDOMAIN if no such Service or pod${fall ? ", unless 'fallthrough' covers it" : ""}).`));
  }
  const extra = rc.context.clientNamespace ? [rc.context.clientNamespace] : [];
  // Reverse answers name Services under the first zone that is not a reverse zone (the plugin's primary zone).
  const primary = zones.find((z) => !z.endsWith("in-addr.arpa.") && !z.endsWith("ip6.arpa.")) ?? zone;
  const a = answerKubernetes(q.name, q.type, zone, settings, cluster, extra, primary);
  if (a.kind === "nameError") {
    if (through(fall, q.name)) {
      return pass(step("kubernetes", range, "fallthrough", `${a.detail} The name does not exist in '${zone}', and 'fallthrough' covers ${q.name}: passed to the next plugin.`));
    }
    return decide(
      step(
        "kubernetes",
        range,
        "nxdomain",
        `${a.detail} ${q.name} is in the kubernetes zone '${zone}' and ${fall ? "the 'fallthrough' zones do not cover it" : "there is no 'fallthrough'"}: NXDOMAIN.`,
      ),
    );
  }
  if (a.kind === "nodata") return decide(step("kubernetes", range, "nodata", `${a.detail} NOERROR with no records.`));
  if (a.kind === "refused") return decide(step("kubernetes", range, "refuse", a.detail));
  const records = a.records.slice();
  const s = step("kubernetes", range, "answer", a.detail, { records });
  if (a.cnameTarget) {
    if (rc.depth < (rc.context.maxDepth ?? 3)) {
      const nested = rc.nested(a.cnameTarget, q.type);
      s.nested = [nested];
      if (nested.outcome.kind === "answer") {
        records.push(...(nested.outcome.records ?? []));
        s.detail += ` CoreDNS then resolves ${a.cnameTarget} through itself and adds its records.`;
      } else {
        s.detail += ` CoreDNS then resolves ${a.cnameTarget} through itself: ${nested.outcome.kind === "forwarded" ? "it goes upstream, so the address records come from there" : nested.outcome.detail}`;
      }
      s.records = records;
    }
  }
  const run = decide(s);
  const inner = s.nested?.[0]?.outcome;
  if (inner && run.outcome && (inner.kind === "forwarded" || inner.kind === "unknown")) {
    // The reply holds the CNAME plus whatever the target's lookup returns: that part is not known here.
    run.outcome = { ...run.outcome, kind: inner.kind, detail: `${run.outcome.detail} The target's records cannot be known statically.` };
    delete run.outcome.rcode;
  }
  return run;
}

// ---------------------------------------------------------------------------------------------------------------------
// k8s_external

function runK8sExternal(occ: Occurrence, rc: RunContext): PluginRun {
  const zones = originsOf(texts(occ.args), rc);
  const q = rc.question;
  const range = rangeOf(occ);
  const zone = matchZone(zones, q.name);
  if (zone === "") return pass(step("k8s_external", range, "pass", `${q.name} is outside ${zoneList(zones)}.`));
  const cluster = rc.context.cluster;
  if (!cluster) return decide(step("k8s_external", range, "unknown", "Without cluster data the external addresses of Services are not known."));
  const base = q.name.slice(0, q.name.length - zone.length).replace(/\.$/, "").split(".");
  if (base.length === 2) {
    const [svc, ns] = base as [string, string];
    const s = cluster.services.find((x) => x.name.toLowerCase() === svc && x.namespace.toLowerCase() === ns);
    const ips = (s?.externalIPs ?? []).map((ip) => canonicalIp(ip)).filter((x): x is string => x !== null);
    if (s && ips.length > 0) {
      const want = ips.filter((ip) => (q.type === "A" ? !ip.includes(":") : q.type === "AAAA" ? ip.includes(":") : false));
      if (want.length > 0) return decide(step("k8s_external", range, "answer", `Service ${ns}/${svc} has external addresses.`, { records: want.map((ip) => rr(q.name, 5, q.type, ip)) }));
      return decide(step("k8s_external", range, "nodata", `Service ${ns}/${svc} has no external ${q.type} address.`));
    }
  }
  return decide(step("k8s_external", range, "nxdomain", `No Service with external addresses is named ${q.name} in '${zone}'.`));
}

// ---------------------------------------------------------------------------------------------------------------------
// file

function runFile(occs: Occurrence[], rc: RunContext): PluginRun {
  const q = rc.question;
  for (const occ of occs) {
    const args = texts(occ.args);
    const path = args[0] ?? "";
    const zones = originsOf(args.slice(1), rc);
    const zone = matchZone(zones, q.name);
    const range = rangeOf(occ);
    if (zone === "") continue;
    const content = lookupFile(rc.files, path);
    if (content === undefined) {
      return decide(step("file", range, "unknown", `${q.name} is in zone '${zone}', served from the zone file ${path}, which was not given: its records cannot be known statically.`));
    }
    const z = parseZoneFile(content, zone);
    const fall = fallthroughZones(occ);
    const recs = z.records.filter((r) => isSubdomain(r.name, zone));
    const at = recs.filter((r) => r.name === q.name);
    // A delegation above the name (an NS below the apex): a referral.
    const cut = recs.find((r) => r.type === "NS" && r.name !== zone && isSubdomain(q.name, r.name) && !(q.name === r.name && q.type === "DS"));
    if (cut) return decide(step("file", range, "nodata", `${q.name} is below the delegation at ${cut.name}: the file plugin replies with a referral (NS records in the authority section, no answer).`));
    if (at.length > 0) {
      const exact = at.filter((r) => r.type === q.type || q.type === "ANY");
      if (exact.length > 0) return decide(step("file", range, "answer", `${q.name} ${q.type} is in the zone file ${path}.`, { records: exact.map(toRecord) }));
      const cname = at.find((r) => r.type === "CNAME");
      if (cname) {
        const records = [toRecord(cname)];
        const target = normalizeName(cname.data);
        const inZone = recs.filter((r) => r.name === target && r.type === q.type);
        records.push(...inZone.map(toRecord));
        return decide(step("file", range, "answer", `${q.name} is a CNAME to ${target} in the zone file${inZone.length > 0 ? "; the target's records from the same zone are added" : ""}.`, { records }));
      }
      return decide(step("file", range, "nodata", `${q.name} exists in the zone file but has no ${q.type} record: NOERROR with no records.`));
    }
    // Wildcards: the closest encloser's `*` child.
    const exists = (n: string): boolean => recs.some((r) => r.name === n || r.name.endsWith(`.${n}`));
    if (!exists(q.name)) {
      let parent = q.name.slice(q.name.indexOf(".") + 1);
      while (isSubdomain(parent, zone)) {
        const wild = recs.filter((r) => r.name === `*.${parent}`);
        if (wild.length > 0) {
          const match = wild.filter((r) => r.type === q.type);
          if (match.length > 0) return decide(step("file", range, "answer", `${q.name} matches the wildcard *.${parent} in the zone file.`, { records: match.map((r) => ({ ...toRecord(r), name: q.name })) }));
          return decide(step("file", range, "nodata", `${q.name} matches the wildcard *.${parent}, which has no ${q.type} record.`));
        }
        if (exists(parent) || parent === zone) break;
        parent = parent.slice(parent.indexOf(".") + 1);
      }
    } else {
      return decide(step("file", range, "nodata", `${q.name} has names below it in the zone file but no records of its own: NOERROR with no records.`));
    }
    if (through(fall, q.name)) return pass(step("file", range, "fallthrough", `${q.name} is not in the zone file; 'fallthrough' passes it on.`));
    return decide(step("file", range, "nxdomain", `${q.name} is not in the zone file ${path} for '${zone}': NXDOMAIN.`));
  }
  return pass(step("file", rangeOf(occs[0]), "pass", `${q.name} is outside the zones of the zone files.`));
}

function toRecord(r: { name: string; ttl: number; class: string; type: string; data: string }): ExplainRecord {
  return { name: r.name, ttl: r.ttl, class: r.class, type: r.type, data: r.data };
}

// ---------------------------------------------------------------------------------------------------------------------
// plugins whose data lives elsewhere

function runExternalData(name: string, occs: Occurrence[], rc: RunContext): PluginRun {
  const q = rc.question;
  const occ = occs[0] as Occurrence;
  const args = texts(occ.args);
  let zones: string[];
  switch (name) {
    case "route53":
    case "clouddns":
      zones = args.length > 0 ? args.flatMap((a) => zonesOf(a.split(":")[0] ?? "")) : rc.blockZones;
      break;
    case "azure":
      zones = args.length > 0 ? args.flatMap((a) => zonesOf(a.split(":")[1] ?? "")) : rc.blockZones;
      break;
    case "nomad":
      zones = args.length > 0 ? args.flatMap((a) => zonesOf(a)) : zonesOf("service.nomad");
      break;
    default:
      zones = originsOf(args.filter((a) => !a.startsWith("/")), rc);
  }
  const range = rangeOf(occ);
  if (matchZone(zones, q.name) === "") return pass(step(name, range, "pass", `${q.name} is outside ${zoneList(zones)}.`));
  const where: Record<string, string> = {
    auto: "zone files in a directory on the CoreDNS host",
    secondary: "a zone transferred from a primary server",
    etcd: "etcd",
    route53: "AWS Route 53",
    azure: "Azure DNS",
    clouddns: "Google Cloud DNS",
    nomad: "the Nomad API",
  };
  const fall = fallthroughZones(occ);
  return decide(
    step(
      name,
      range,
      "unknown",
      `${q.name} is in a zone ${name} serves from ${where[name] ?? "outside data"}: its records cannot be known statically${fall ? " (a missing name falls through to the next plugin)" : ""}.`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// forward, grpc

function resolvConfServers(rc: RunContext, path: string): string[] | null {
  const content = lookupFile(rc.files, path);
  if (content === undefined) return null;
  const out: string[] = [];
  for (const line of content.split("\n")) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m) out.push(`${m[1]}:53`);
  }
  return out;
}

function runForward(occs: Occurrence[], rc: RunContext): PluginRun {
  const q = rc.question;
  const steps: ExplainStep[] = [];
  for (const occ of occs) {
    const args = texts(occ.args);
    const range = rangeOf(occ);
    const from = zonesOf(args[0] ?? "")[0];
    if (!from) {
      steps.push(step("forward", range, "unknown", `'${args[0] ?? ""}' is not a zone.`));
      continue;
    }
    if (!isSubdomain(q.name, from)) {
      steps.push(step("forward", range, "pass", `This forward is for '${from}'; ${q.name} is outside it.`));
      continue;
    }
    const except = options(occ, "except").flatMap((o) => texts(o.args).flatMap((a) => zonesOf(a)));
    const ex = q.name !== from ? except.find((e) => isSubdomain(q.name, e)) : undefined;
    if (ex) {
      steps.push(step("forward", range, "pass", `${q.name} is under '${ex}', which this forward lists in 'except': passed on.`));
      continue;
    }
    const upstreams: string[] = [];
    const notes: string[] = [];
    for (const to of args.slice(1)) {
      if (to.startsWith("/")) {
        const servers = resolvConfServers(rc, to);
        if (servers) upstreams.push(...servers);
        else {
          upstreams.push(to);
          notes.push(
            to === "/etc/resolv.conf"
              ? "/etc/resolv.conf is the CoreDNS pod's own (its dnsPolicy is Default: the node's resolvers)"
              : `the name servers listed in ${to} on the CoreDNS host`,
          );
        }
      } else upstreams.push(to);
    }
    const policyOpt = options(occ, "policy")[0]?.args[0]?.text;
    const policy = policyOpt ?? "random";
    const maxFails = options(occ, "max_fails")[0]?.args[0]?.text ?? "2";
    const tcp = options(occ, "force_tcp").length > 0 ? " over TCP ('force_tcp')" : options(occ, "prefer_udp").length > 0 ? " preferring UDP" : "";
    const next = options(occ, "next")[0];
    const policyText =
      policy === "sequential"
        ? "tries them in the order written ('sequential')"
        : policy === "round_robin"
          ? "takes them in turn ('round_robin')"
          : "picks one at random for each query ('random', the default)";
    const detail = [
      `${q.name} is under '${from}': sent upstream${tcp} to ${listWords(upstreams)}; the policy ${policyText}.`,
      notes.length > 0 ? `Upstream: ${notes.join("; ")}.` : "",
      `An upstream is marked down after ${maxFails} failed health checks${maxFails === "0" ? " (0: never)" : ""}; with every upstream down, CoreDNS tries one at random anyway, and a failed exchange is SERVFAIL.`,
      next ? `If the upstream answers ${texts(next.args).join(" ")}, the query goes on to the next plugin ('next').` : "",
      "The reply is the upstream's: it cannot be known statically.",
    ]
      .filter((x) => x !== "")
      .join(" ");
    rc.caveats.add(`Answers that 'forward' gets from upstream (${listWords(upstreams)}) cannot be known statically; the live query shows them.`);
    const s = step("forward", range, "forward", detail, { upstreams, policy });
    const r = decide(s);
    return { steps: [...steps, ...r.steps], outcome: r.outcome as Outcome };
  }
  return { steps };
}

function runGrpc(occs: Occurrence[], rc: RunContext): PluginRun {
  const q = rc.question;
  for (const occ of occs) {
    const args = texts(occ.args);
    const from = zonesOf(args[0] ?? "")[0];
    if (!from || !isSubdomain(q.name, from)) continue;
    const upstreams = args.slice(1);
    rc.caveats.add(`Answers that 'grpc' gets from ${listWords(upstreams)} cannot be known statically.`);
    const r = decide(step("grpc", rangeOf(occ), "forward", `${q.name} is under '${from}': sent over gRPC to ${listWords(upstreams)}; the reply is theirs.`, { upstreams }));
    return r;
  }
  return pass(step("grpc", rangeOf(occs[0]), "pass", `${q.name} is outside the grpc zones.`));
}

// ---------------------------------------------------------------------------------------------------------------------
// cache

function runCache(occ: Occurrence, rc: RunContext): PluginRun {
  const args = texts(occ.args);
  const range = rangeOf(occ);
  const q = rc.question;
  let maxTtl: string | undefined;
  let zoneArgs = args;
  if (args[0] && /^[0-9]+$/.test(args[0])) {
    maxTtl = args[0];
    zoneArgs = args.slice(1);
  }
  const zones = originsOf(zoneArgs, rc);
  if (matchZone(zones, q.name) === "") return pass(step("cache", range, "pass", `${q.name} is outside the cached zones (${zoneList(zones)}).`));
  const disabled: string[] = [];
  for (const o of options(occ, "disable")) {
    const [kind, ...zs] = texts(o.args);
    const dz = zs.length > 0 ? zs.flatMap((z) => zonesOf(z)) : zones;
    if (matchZone(dz, q.name) !== "") disabled.push(kind === "denial" ? "negative answers" : "positive answers");
  }
  const success = options(occ, "success")[0];
  const denial = options(occ, "denial")[0];
  const succTtl = success?.args[1]?.text ?? maxTtl ?? "3600";
  const denTtl = denial?.args[1]?.text ?? maxTtl ?? "1800";
  const parts = [`Replies are cached: positive answers up to ${succTtl}s, negative ones up to ${denTtl}s (never longer than the records' own TTL).`];
  if (disabled.length > 0) parts.push(`For ${q.name} caching of ${listWords(disabled)} is disabled.`);
  if (options(occ, "serve_stale").length > 0) parts.push("'serve_stale' may return an expired answer while it refreshes.");
  if (options(occ, "prefetch").length > 0) parts.push("'prefetch' refreshes popular entries before they expire.");
  parts.push("On a miss, the query goes on to the next plugins.");
  if (disabled.length < 2) rc.caveats.add(`cache: a reply may come from CoreDNS's cache (up to ${succTtl}s), so a change made upstream or in the cluster can take that long to show.`);
  return pass(step("cache", range, "observe", parts.join(" ")));
}

// ---------------------------------------------------------------------------------------------------------------------
// local, chaos

function runLocal(occ: Occurrence, rc: RunContext): PluginRun {
  const q = rc.question;
  const range = rangeOf(occ);
  const prefixOff = options(occ, "localhost_prefix")[0]?.args[0]?.text === "off";
  const n = q.name;
  const isLocalhost = n === "localhost." || n.endsWith(".localhost.") || (!prefixOff && n.startsWith("localhost."));
  const reverseZones = ["0.in-addr.arpa.", "127.in-addr.arpa.", "255.in-addr.arpa."];
  if (isLocalhost) {
    if (q.type === "A") return decide(step("local", range, "answer", "A local name: answered with the loopback address.", { records: [rr(n, 3600, "A", "127.0.0.1")] }));
    if (q.type === "AAAA") return decide(step("local", range, "answer", "A local name: answered with the loopback address.", { records: [rr(n, 3600, "AAAA", "::1")] }));
    return decide(step("local", range, "nodata", "A local name: only A and AAAA records exist."));
  }
  const rz = reverseZones.find((z) => isSubdomain(n, z));
  if (rz) {
    if (n === "1.0.0.127.in-addr.arpa." && q.type === "PTR") return decide(step("local", range, "answer", "The loopback address's reverse name.", { records: [rr(n, 3600, "PTR", "localhost.")] }));
    if (n === rz) return decide(step("local", range, "nodata", `The apex of '${rz}': no records of this type.`));
    return decide(step("local", range, "nxdomain", `${n} is in the local zone '${rz}', which has no such name: NXDOMAIN.`));
  }
  return pass(step("local", range, "pass", `${n} is not a local name.`));
}

function runChaos(occ: Occurrence, rc: RunContext): PluginRun {
  const q = rc.question;
  const range = rangeOf(occ);
  const names = ["version.bind.", "version.server.", "authors.bind.", "hostname.bind.", "id.server."];
  if (q.class !== "CH" || q.type !== "TXT" || !names.includes(q.name)) return pass(step("chaos", range, "pass", "Only answers CH-class TXT queries for version.bind and similar names."));
  const args = texts(occ.args);
  let data = '"CoreDNS-<version>"';
  if (q.name.startsWith("version.")) data = args[0] ? `"${args[0]}"` : '"CoreDNS-<version>"';
  else if (q.name === "authors.bind.") data = args.length > 1 ? args.slice(1).map((a) => `"${a}"`).join(" ") : '"<CoreDNS authors>"';
  else data = '"<the server\'s hostname>"';
  return decide(step("chaos", range, "answer", "A CHAOS-class identity query.", { records: [rr(q.name, 0, "TXT", data, "CH")] }));
}
