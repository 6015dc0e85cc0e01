/**
 * Rules about directives as such: typos, repeats, text order versus execution order, and plugins or options that the
 * targeted CoreDNS version deprecates or no longer has.
 */
import { DIRECTIVES } from "../directives";
import { isIP } from "../keys";
import type { Token } from "../lexer";
import { PLUGIN_CATALOG, REMOVED_PLUGINS, compareVersions, getPluginSpec, validatePlugin } from "../plugins/index";
import type { OptionSpec, PluginSpec, RemovedPlugin } from "../plugins/index";
import { fix, type LintContext } from "./context";
import { orderOf, type Occurrence } from "./model";
import { splitHostPort } from "./net";
import { deleteLinesEdit, isAloneOnLines } from "./text";

/** The catalog's removed plugins by name (a map: this runs for every directive on every keystroke). */
const REMOVED: ReadonlyMap<string, RemovedPlugin> = new Map(REMOVED_PLUGINS.map((p) => [p.name, p]));

function getRemovedPlugin(name: string): RemovedPlugin | undefined {
  return REMOVED.get(name);
}

// ---- DID_YOU_MEAN ---------------------------------------------------------------------------------------------------

/** Names people write for a directive that is spelled differently. */
const ALIASES: Readonly<Record<string, string>> = {
  metrics: "prometheus",
  k8s: "kubernetes",
  kube: "kubernetes",
  healthcheck: "health",
  readiness: "ready",
  logs: "log",
  error: "errors",
  forwarder: "forward",
};

/** Optimal-string-alignment distance (a transposition counts as one edit), giving up above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] as number;
}

/** The directive a misspelt name most likely means, if one is close enough to be a plausible typo. */
export function suggestDirective(name: string): string | undefined {
  const w = name.toLowerCase();
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    // Directive names are lower-case letters, digits and '_': anything else is a placeholder or garbage, not a typo.
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return undefined;
  }
  const alias = ALIASES[w];
  if (alias) return alias;
  // Short words are all close to each other: allow one edit up to 7 letters, two from 8.
  const max = w.length <= 7 ? 1 : 2;
  let best: string | undefined;
  let bestD = max + 1;
  for (const d of DIRECTIVES) {
    const dist = editDistance(w, d, max);
    if (dist < bestD || (dist === bestD && best !== undefined && d[0] === w[0] && best[0] !== w[0])) {
      best = d;
      bestD = dist;
    }
  }
  return bestD <= max ? best : undefined;
}

let optionNameSet: Set<string> | undefined;

/** Every block option name of the catalog. */
function optionNames(): ReadonlySet<string> {
  if (!optionNameSet) {
    optionNameSet = new Set();
    for (const spec of PLUGIN_CATALOG) for (const o of spec.options) optionNameSet.add(o.name);
  }
  return optionNameSet;
}

/**
 * DID_YOU_MEAN: for each UNKNOWN_DIRECTIVE parse() reports, an info at the same range that names the closest
 * directive and offers to replace the name. Removed plugins are left to REMOVED_PLUGIN.
 */
export function didYouMean(ctx: LintContext): void {
  const unknown = ctx.parse.diagnostics.filter((d) => d.code === "UNKNOWN_DIRECTIVE");
  if (unknown.length === 0) return;
  const names = new Map<string, Token>();
  for (const bm of ctx.model.blocks) {
    for (const o of bm.occurrences) {
      const t = o.nameToken;
      names.set(`${t.file}\u0000${t.line}\u0000${t.column}`, t);
    }
  }
  for (const d of unknown) {
    const tok = names.get(`${d.file}\u0000${d.line}\u0000${d.column}`);
    // A removed plugin has its own rule; an option name is an option written outside its block, not a typo.
    if (!tok || getRemovedPlugin(tok.text) || optionNames().has(tok.text)) continue;
    const suggestion = suggestDirective(tok.text);
    if (!suggestion) continue;
    const canEdit = ctx.editable(tok) && tok.raw === tok.text;
    ctx.report(
      "DID_YOU_MEAN",
      `'${tok.text}' is not a CoreDNS directive. Did you mean '${suggestion}'?`,
      tok,
      tok,
      canEdit ? fix(`Replace '${tok.text}' with '${suggestion}'`, { start: tok.start, end: tok.end, newText: suggestion }) : undefined,
    );
  }
}

// ---- DUPLICATE_DIRECTIVE --------------------------------------------------------------------------------------------

/** First release that accepts several `forward` directives in one server block. */
export const MULTIPLE_FORWARD_SINCE = "1.9.4";

/**
 * DUPLICATE_DIRECTIVE: a directive repeated in a block where that is not allowed, reported only where
 * validatePlugin() does not already report PLUGIN_DUPLICATE. Also: several `forward` in one block before 1.9.4.
 */
export function duplicateDirectives(ctx: LintContext): void {
  for (const bm of ctx.model.blocks) {
    for (const [name, occs] of bm.byName) {
      if (occs.length < 2) continue;
      if (name === "forward" && compareVersions(ctx.version, MULTIPLE_FORWARD_SINCE) < 0) {
        for (const o of occs.slice(1)) {
          ctx.report(
            "DUPLICATE_DIRECTIVE",
            `CoreDNS ${ctx.version} accepts only one 'forward' per server block (several are allowed from ${MULTIPLE_FORWARD_SINCE}): it refuses to start. Move other zones to their own server blocks.`,
            o.nameToken,
            o.nameToken,
            undefined,
            "error",
          );
        }
        continue;
      }
      const spec = getPluginSpec(name);
      if (!spec || spec.repeatable) continue;
      if (validatorReportsDuplicate(name, bm.block.tokens[name] ?? [], bm.block.keys, ctx.version)) continue;
      for (const o of occs.slice(1)) {
        ctx.report(
          "DUPLICATE_DIRECTIVE",
          `'${name}' is meant to appear once per server block (line ${occs[0]?.nameToken.line} has it already): CoreDNS either refuses the repeat or uses only one of them. Merge the settings into one '${name}'.`,
          o.nameToken,
        );
      }
    }
  }
}

function validatorReportsDuplicate(name: string, tokens: readonly Token[], keys: string[], version: string): boolean {
  try {
    return validatePlugin(name, tokens, { serverBlockKeys: keys, corednsVersion: version }).some((d) => d.code === "PLUGIN_DUPLICATE");
  } catch {
    return false; // a validator bug must not take the linter down
  }
}

// ---- EXECUTION_ORDER ------------------------------------------------------------------------------------------------

/**
 * EXECUTION_ORDER: once per block whose query path is written in another order than CoreDNS runs it, at the first
 * directive written after one that runs later. Server-wide settings (reload, health, bind...) are left out: no query
 * passes through them, so where they are written changes nothing.
 */
export function executionOrder(ctx: LintContext): void {
  for (const bm of ctx.model.blocks) {
    let max = -1;
    let maxName = "";
    for (const o of bm.occurrences) {
      const order = orderOf(o.name);
      if (order < 0 || getPluginSpec(o.name)?.serverSetting) continue;
      if (order >= max) {
        max = order;
        maxName = o.name;
        continue;
      }
      const sequence = [...bm.byName.keys()]
        .filter((n) => orderOf(n) >= 0 && !getPluginSpec(n)?.serverSetting)
        .sort((a, b) => orderOf(a) - orderOf(b));
      ctx.report(
        "EXECUTION_ORDER",
        `'${o.name}' is written after '${maxName}' but runs before it. CoreDNS always runs a block's plugins in its fixed execution order (plugin.cfg), whatever order the Corefile lists them in; here a query passes through ${sequence.join(" → ")}.`,
        o.nameToken,
      );
      break;
    }
  }
}

// ---- REMOVED / DEPRECATED plugins and options -----------------------------------------------------------------------

/**
 * Options CoreDNS still parsed but ignored before removing them (coredns/corefile-migration's "ignored" status), by
 * `plugin/option`: the first release that ignored them.
 */
const IGNORED_SINCE: Readonly<Record<string, string>> = {
  "kubernetes/upstream": "1.5.0",
  "kubernetes/resyncperiod": "1.6.0",
};

const optionIndexCache = new Map<string, Map<string, OptionSpec>>();

function optionSpec(spec: PluginSpec, name: string): OptionSpec | undefined {
  let idx = optionIndexCache.get(spec.name);
  if (!idx) {
    idx = new Map(spec.options.map((o) => [o.name, o]));
    optionIndexCache.set(spec.name, idx);
  }
  return idx.get(name);
}

/** proxy options that mean the same in forward. */
const PROXY_TO_FORWARD_OPTIONS: ReadonlySet<string> = new Set(["except", "max_fails"]);
const FORWARD_POLICIES: ReadonlySet<string> = new Set(["random", "round_robin"]);

/** Whether a proxy upstream is also a valid forward upstream (IP, IP:port, a file, dns:// or tls:// of those). */
function forwardableUpstream(s: string): boolean {
  if (s.startsWith("/")) return true;
  const rest = s.startsWith("dns://") || s.startsWith("tls://") ? s.slice(6) : s;
  if (isIP(rest)) return true;
  const hp = splitHostPort(rest);
  return hp !== null && isIP(hp.host) && hp.port.length > 0 && Number.isInteger(Number(hp.port));
}

/** Whether `proxy` can become `forward` by renaming it (same arguments and options). */
function proxyMapsToForward(o: Occurrence): boolean {
  const to = o.args.slice(1);
  if (o.args.length < 2 || to.length > 15 || !to.every((t) => forwardableUpstream(t.text))) return false;
  return o.options.every((opt) => {
    const n = opt.name.text;
    if (n === "policy") return opt.args.length === 1 && FORWARD_POLICIES.has((opt.args[0] as Token).text);
    return PROXY_TO_FORWARD_OPTIONS.has(n);
  });
}

/** REMOVED_PLUGIN / DEPRECATED_PLUGIN / REMOVED_OPTION / DEPRECATED_OPTION for the targeted version. */
export function versionHistory(ctx: LintContext): void {
  const v = ctx.version;
  for (const bm of ctx.model.blocks) {
    for (const o of bm.occurrences) {
      const removed = getRemovedPlugin(o.name);
      if (removed) {
        const isRemoved = compareVersions(v, removed.removed) >= 0;
        const isDeprecated = !isRemoved && removed.deprecated !== undefined && compareVersions(v, removed.deprecated) >= 0;
        if (!isRemoved && !isDeprecated) continue;
        const instead = removed.replacedBy ? ` Use ${removed.replacedBy} instead.` : "";
        const fixes =
          o.name === "proxy" && ctx.editable(o.nameToken) && o.nameToken.raw === "proxy" && proxyMapsToForward(o)
            ? fix("Replace 'proxy' with 'forward'", { start: o.nameToken.start, end: o.nameToken.end, newText: "forward" })
            : undefined;
        if (isRemoved) {
          ctx.report("REMOVED_PLUGIN", `The '${o.name}' plugin was removed in CoreDNS ${removed.removed}; CoreDNS ${v} does not start with it.${instead}`, o.nameToken, o.nameToken, fixes);
        } else {
          ctx.report("DEPRECATED_PLUGIN", `The '${o.name}' plugin is deprecated since CoreDNS ${removed.deprecated} and is removed in ${removed.removed}.${instead}`, o.nameToken, o.nameToken, fixes);
        }
        continue;
      }
      const spec = getPluginSpec(o.name);
      if (!spec) continue;
      const pv = spec.versions;
      if (pv.removed && compareVersions(v, pv.removed) >= 0) {
        ctx.report("REMOVED_PLUGIN", `The '${o.name}' plugin was removed in CoreDNS ${pv.removed}.${pv.replacedBy ? ` Use ${pv.replacedBy} instead.` : ""}`, o.nameToken);
        continue;
      }
      if (pv.deprecated && compareVersions(v, pv.deprecated) >= 0) {
        ctx.report("DEPRECATED_PLUGIN", `The '${o.name}' plugin is deprecated since CoreDNS ${pv.deprecated}.${pv.replacedBy ? ` Use ${pv.replacedBy} instead.` : ""}`, o.nameToken);
      }
      for (const opt of o.options) optionHistory(ctx, o, spec, opt.name, opt.node);
    }
  }
}

function optionHistory(ctx: LintContext, o: Occurrence, spec: PluginSpec, nameTok: Token, node: Occurrence["options"][number]["node"]): void {
  const os = optionSpec(spec, nameTok.text);
  const ov = os?.versions;
  if (!ov) return;
  const v = ctx.version;
  const removed = ov.removed !== undefined && compareVersions(v, ov.removed) >= 0;
  const ignoredSince = IGNORED_SINCE[`${spec.name}/${nameTok.text}`];
  const ignored = !removed && ignoredSince !== undefined && compareVersions(v, ignoredSince) >= 0;
  const deprecated = !removed && (ignored || (ov.deprecated !== undefined && compareVersions(v, ov.deprecated) >= 0));
  if (!removed && !deprecated) return;
  // Deleting the line keeps the meaning when the option has no replacement (it did nothing, or nothing any more).
  const canDelete = !ov.replacedBy && node !== undefined && o.node !== undefined && isAloneOnLines(ctx.text, node.start, node.end);
  const fixes = canDelete && node ? fix(`Remove '${nameTok.text}'`, deleteLinesEdit(ctx.text, node.start, node.end)) : undefined;
  const instead = ov.replacedBy ? ` Use ${ov.replacedBy} instead.` : " Remove the line.";
  if (removed) {
    ctx.report(
      "REMOVED_OPTION",
      `'${nameTok.text}' was removed from ${spec.name} in CoreDNS ${ov.removed}; CoreDNS ${v} refuses to start with it.${instead}`,
      nameTok,
      nameTok,
      fixes,
    );
  } else {
    const since = ignored ? `is ignored since CoreDNS ${ignoredSince}` : `is deprecated since CoreDNS ${ov.deprecated}`;
    const end = ov.removed ? ` and removed in ${ov.removed}` : "";
    ctx.report("DEPRECATED_OPTION", `'${nameTok.text}' of ${spec.name} ${since}${end}.${instead}`, nameTok, nameTok, fixes);
  }
}
