/**
 * Rules about how plugins work together in a Kubernetes cluster: forward ordering, loop detection, reload, metrics,
 * the health and readiness endpoints, and reverse lookups through the kubernetes plugin.
 */
import type { Token } from "../lexer";
import { compareVersions, getPluginSpec } from "../plugins/index";
import type { TextEdit } from "../text-edit";
import { fix, type LintContext } from "./context";
import { orderOf, type BlockModel, type Occurrence, type OptionLine } from "./model";
import { isLoopbackHost, isReverseZone, isSubdomain, listenHostKey, portNumber, splitHostPort, zonesOf, zonesOverlap, zoneText } from "./net";
import { MULTIPLE_FORWARD_SINCE } from "./rules-directives";
import { HTTP_DEFAULTS } from "./rules-server";
import { deleteLinesEdit, endOfDirectiveLine, eolOf, firstBlock, indentAt, insertLineEdit, isAloneOnLines, moveLinesBeforeEdits } from "./text";

/** The port Coredeck (and the kube-dns Service's `metrics` port) scrape. */
export const METRICS_PORT = "9153";

// ---- FORWARD_SHADOWED -----------------------------------------------------------------------------------------------

/**
 * FORWARD_SHADOWED: since 1.9.4 a block may hold several `forward`; CoreDNS tries them in the order written and the
 * first whose FROM contains the query name handles it (unless the name is in its `except` list). A later `forward`
 * for a zone inside an earlier one's FROM therefore never sees a query — unless the earlier one passes some answers
 * on with `next`/`next_on_nodata`, or excepts that zone.
 */
export function forwardShadowed(ctx: LintContext): void {
  if (compareVersions(ctx.version, MULTIPLE_FORWARD_SINCE) < 0) return; // DUPLICATE_DIRECTIVE covers it
  for (const bm of ctx.model.blocks) {
    const fwd = bm.byName.get("forward");
    if (!fwd || fwd.length < 2) continue;
    const froms = fwd.map((o) => (o.args[0] ? zonesOf(o.args[0].text)[0] : undefined));
    for (let j = 1; j < fwd.length; j++) {
      const late = fwd[j] as Occurrence;
      const lateFrom = froms[j];
      const fromTok = late.args[0];
      if (!lateFrom || !fromTok) continue;
      for (let i = 0; i < j; i++) {
        const early = fwd[i] as Occurrence;
        const earlyFrom = froms[i];
        if (!earlyFrom || !isSubdomain(lateFrom, earlyFrom)) continue;
        if (early.options.some((o) => o.name.text === "next" || o.name.text === "next_on_nodata")) continue;
        if (exceptedZones(early).some((x) => zonesOverlap(x, lateFrom))) continue;
        const same = lateFrom === earlyFrom;
        const eTok = early.args[0] ?? early.nameToken;
        const message = same
          ? `This forward for '${zoneText(lateFrom)}' never receives a query: the forward on line ${eTok.line} has the same FROM and is tried first (forward plugins run in the order written). Remove one, or give the first one a 'next' rule.`
          : `This forward for '${zoneText(lateFrom)}' never receives a query: the forward on line ${eTok.line} (FROM '${zoneText(earlyFrom)}') is tried first and already takes every name under '${zoneText(lateFrom)}'. Forward plugins run in the order written, so put the more specific zone first.`;
        const canMove =
          !same &&
          late.node !== undefined &&
          early.node !== undefined &&
          isAloneOnLines(ctx.text, late.node.start, late.node.end) &&
          isAloneOnLines(ctx.text, early.node.start, early.node.end);
        const fixes =
          canMove && late.node && early.node
            ? fix(`Move this forward above line ${eTok.line}`, moveLinesBeforeEdits(ctx.text, late.node, early.node))
            : undefined;
        ctx.report("FORWARD_SHADOWED", message, fromTok, fromTok, fixes);
        break;
      }
    }
  }
}

function exceptedZones(o: Occurrence): string[] {
  const out: string[] = [];
  for (const opt of o.options) if (opt.name.text === "except") for (const a of opt.args) out.push(...zonesOf(a.text));
  return out;
}

// ---- RESOLV_CONF_WITHOUT_LOOP ---------------------------------------------------------------------------------------

/**
 * RESOLV_CONF_WITHOUT_LOOP: forwarding to the node's resolv.conf can send queries back to CoreDNS itself (a node whose
 * resolver is the cluster DNS, or a local cache such as systemd-resolved's 127.0.0.53 seen from the pod). The `loop`
 * plugin detects that at startup and stops CoreDNS with a clear message instead of looping until it runs out of memory.
 */
export function resolvConfWithoutLoop(ctx: LintContext): void {
  const loopSpec = getPluginSpec("loop");
  if (loopSpec?.versions.added && compareVersions(ctx.version, loopSpec.versions.added) < 0) return;
  for (const bm of ctx.model.blocks) {
    if (bm.byName.has("loop")) continue;
    const file = firstResolvConf(bm.byName.get("forward"));
    if (!file) continue;
    const edit = ctx.insertIntoBlock(bm, "loop");
    ctx.report(
      "RESOLV_CONF_WITHOUT_LOOP",
      `This block forwards to ${file.text} but has no 'loop'. If that file points back at CoreDNS (e.g. a node resolver or a local cache on the node), queries circle until CoreDNS runs out of memory; 'loop' detects this at startup. Add 'loop' to the block.`,
      file,
      file,
      fix("Add 'loop' to the block", edit),
    );
  }
}

function firstResolvConf(fwd: readonly Occurrence[] | undefined): Token | undefined {
  for (const o of fwd ?? []) for (const t of o.args.slice(1)) if (t.text.startsWith("/")) return t;
  return undefined;
}

// ---- RELOAD_MISSING -------------------------------------------------------------------------------------------------

/** The block a fix adding a process-wide plugin goes into: the root zone's block if there is one, else the first. */
function mainBlock(ctx: LintContext): BlockModel | undefined {
  const editable = ctx.model.blocks.filter((b) => b.node && (b.node.open ? b.node.close : !b.node.close));
  return editable.find((b) => b.keys.some((k) => k.zones.includes("."))) ?? editable[0] ?? ctx.model.blocks[0];
}

function keysRange(bm: BlockModel): { from: Token; to: Token } | undefined {
  const ks = bm.block.keyTokens;
  const from = ks[0];
  if (!from) return undefined;
  let to = from;
  for (const k of ks) if (k.file === from.file && k.caddyFile === from.caddyFile && k.start >= to.start) to = k;
  return { from, to };
}

/** RELOAD_MISSING: `reload` is process wide; one block with it reloads the whole Corefile. */
export function reloadMissing(ctx: LintContext): void {
  if (ctx.incomplete || ctx.model.blocks.length === 0) return;
  if (ctx.model.blocks.some((b) => b.byName.has("reload"))) return;
  const target = mainBlock(ctx);
  const r = target && keysRange(target);
  if (!target || !r) return;
  ctx.report(
    "RELOAD_MISSING",
    "No server block has 'reload', so CoreDNS never rereads the Corefile: a change to the ConfigMap only takes effect after the CoreDNS pods restart. Add 'reload' (to any one block; it applies to the whole file).",
    r.from,
    r.to,
    fix("Add 'reload'", ctx.insertIntoBlock(target, "reload")),
  );
}

// ---- PROMETHEUS_* ---------------------------------------------------------------------------------------------------

/** PROMETHEUS_MISSING, PROMETHEUS_UNREACHABLE and PROMETHEUS_NONSTANDARD_PORT. */
export function prometheusRules(ctx: LintContext): void {
  const blocks = ctx.model.blocks;
  const present = blocks.filter((b) => b.byName.has("prometheus"));
  // The address a new prometheus should use: the one already scraped, when there is a good one.
  let address = `:${METRICS_PORT}`;
  for (const b of present) {
    const a = b.byName.get("prometheus")?.[0]?.args[0];
    const hp = a && splitHostPort(a.text);
    if (a && hp && !isLoopbackHost(hp.host) && hp.port === METRICS_PORT && a.raw === a.text) {
      address = a.text;
      break;
    }
  }
  for (const bm of blocks) {
    const occ = bm.byName.get("prometheus")?.[0];
    if (!occ) {
      const r = keysRange(bm);
      if (!r) continue;
      const message =
        present.length === 0
          ? `No server block has 'prometheus', so CoreDNS exports no metrics: the dashboard cannot show query rates, latencies or errors. Add 'prometheus ${address}'.`
          : `This server block has no 'prometheus': its queries are missing from CoreDNS's request metrics (request counts, durations, response codes), although other blocks are measured. Add 'prometheus ${address}'.`;
      ctx.report("PROMETHEUS_MISSING", message, r.from, r.to, fix(`Add 'prometheus ${address}'`, ctx.insertIntoBlock(bm, `prometheus ${address}`)));
      continue;
    }
    prometheusAddress(ctx, occ);
  }
}

function prometheusAddress(ctx: LintContext, occ: Occurrence): void {
  const a = occ.args[0];
  if (!a) {
    const edit = ctx.editable(occ.nameToken) ? { start: occ.nameToken.end, end: occ.nameToken.end, newText: ` :${METRICS_PORT}` } : undefined;
    ctx.report(
      "PROMETHEUS_UNREACHABLE",
      `'prometheus' without an address listens on localhost:${METRICS_PORT}, which only the pod itself can reach: the dashboard and Prometheus scrape through the pod IP. Write 'prometheus :${METRICS_PORT}'.`,
      occ.nameToken,
      occ.nameToken,
      fix(`Listen on :${METRICS_PORT}`, edit),
    );
    return;
  }
  const hp = splitHostPort(a.text);
  if (!hp) return; // an invalid address is validatePlugin's business
  const plain = ctx.editable(a) && a.raw === a.text;
  if (isLoopbackHost(hp.host)) {
    const port = hp.port || METRICS_PORT;
    ctx.report(
      "PROMETHEUS_UNREACHABLE",
      `'prometheus ${a.text}' listens on the loopback interface only: the dashboard and Prometheus scrape through the pod IP and get no answer. Write 'prometheus :${port}' to listen on every address.`,
      a,
      a,
      plain ? fix(`Listen on :${port}`, { start: a.start, end: a.end, newText: `:${port}` }) : undefined,
    );
    return;
  }
  if (hp.port !== METRICS_PORT && portNumber(hp.port) !== null && listenHostKey(hp.host) !== null) {
    const newText = (hp.host.includes(":") ? `[${hp.host}]` : hp.host) + `:${METRICS_PORT}`;
    ctx.report(
      "PROMETHEUS_NONSTANDARD_PORT",
      `Metrics are served on port ${hp.port}, but the dashboard, the kube-dns Service's 'metrics' port and the usual scrape annotations expect ${METRICS_PORT}. Use port ${METRICS_PORT}, or point your scrapers at ${hp.port}.`,
      a,
      a,
      plain ? fix(`Use port ${METRICS_PORT}`, { start: a.start, end: a.end, newText }) : undefined,
    );
  }
}

// ---- HEALTH_REPEATED / READY_SHARED ---------------------------------------------------------------------------------

/** How a message names a server block: its keys and line. */
function blockName(bm: BlockModel): string {
  const k = bm.block.keyTokens[0];
  const keys = bm.block.keys.length > 3 ? `${bm.block.keys.slice(0, 3).join(" ")} …` : bm.block.keys.join(" ");
  return `the block '${keys}'` + (k ? ` (line ${k.line})` : "");
}

function endpointKey(occ: Occurrence, fallback: string): string {
  const a = occ.args[0];
  const hp = splitHostPort(a ? a.text : fallback);
  if (!hp) return a ? a.text : fallback;
  return `${listenHostKey(hp.host) ?? hp.host.toLowerCase()}|${hp.port}`;
}

function monitorOf(occ: Occurrence): string {
  const m = occ.options.find((o: OptionLine) => o.name.text === "monitor");
  return m?.args[0]?.text ?? "until-ready";
}

/**
 * HEALTH_REPEATED: each `health` starts its own HTTP server; on the same address the second one also binds (SO_REUSEPORT)
 * and connections are split between two identical endpoints, each with its own lameduck. READY_SHARED: `ready`s on the
 * same address share one endpoint that reports every such block's plugins (and the last block's `monitor` mode).
 */
export function healthAndReady(ctx: LintContext): void {
  const health = new Map<string, { occ: Occurrence; block: BlockModel }>();
  const ready = new Map<string, { occ: Occurrence; block: BlockModel }>();
  for (const bm of ctx.model.blocks) {
    const h = bm.byName.get("health")?.[0];
    if (h) {
      const key = endpointKey(h, HTTP_DEFAULTS.health as string);
      const first = health.get(key);
      if (!first) health.set(key, { occ: h, block: bm });
      else {
        const node = h.node;
        const canDelete = node !== undefined && isAloneOnLines(ctx.text, node.start, node.end);
        ctx.report(
          "HEALTH_REPEATED",
          `'health' is already enabled on the same address in ${blockName(first.block)}. Health is process wide, so one endpoint is enough; this second one starts another HTTP server on the same port (both bind with SO_REUSEPORT) and requests are split between the two, each with its own lameduck. Keep 'health' in one block.`,
          h.nameToken,
          h.nameToken,
          canDelete && node ? fix("Remove this 'health'", deleteLinesEdit(ctx.text, node.start, node.end)) : undefined,
        );
      }
    }
    const r = bm.byName.get("ready")?.[0];
    if (r) {
      const key = endpointKey(r, HTTP_DEFAULTS.ready as string);
      const first = ready.get(key);
      if (!first) ready.set(key, { occ: r, block: bm });
      else {
        const modes = monitorOf(first.occ) !== monitorOf(r) ? " Their 'monitor' settings differ: one mode applies to all, the one of the last block with 'ready'." : "";
        ctx.report(
          "READY_SHARED",
          `'ready' listens on the same address as in ${blockName(first.block)}: both blocks share one /ready endpoint, which answers 200 only when the plugins of every such block are ready.${modes}`,
          r.nameToken,
        );
      }
    }
  }
}

// ---- KUBERNETES_REVERSE_NO_FALLTHROUGH ------------------------------------------------------------------------------

/**
 * KUBERNETES_REVERSE_NO_FALLTHROUGH: `kubernetes` answers every name of its zones. When those include reverse zones
 * (in-addr.arpa, ip6.arpa) and no `fallthrough` lets them through, PTR lookups for addresses outside the cluster get
 * NXDOMAIN instead of reaching `forward`. Only `fallthrough`'s last line counts (each one replaces the previous).
 */
export function kubernetesReverse(ctx: LintContext): void {
  const kOrder = orderOf("kubernetes");
  for (const bm of ctx.model.blocks) {
    const occ = bm.byName.get("kubernetes")?.[0];
    if (!occ) continue;
    const zones: string[] = [];
    if (occ.args.length > 0) for (const a of occ.args) zones.push(...zonesOf(a.text));
    else for (const k of bm.keys) zones.push(...k.zones);
    const reverse = zones.filter(isReverseZone);
    if (reverse.length === 0) continue;
    // Falling through only helps when a later plugin can answer.
    let later = false;
    for (const name of bm.byName.keys()) {
      const spec = getPluginSpec(name);
      if (spec && spec.canAnswer && !spec.serverSetting && orderOf(name) > kOrder) later = true;
    }
    if (!later) continue;
    const ft = lastOption(occ, "fallthrough");
    if (ft && ft.args.length === 0) continue; // everything falls through
    const ftZones: string[] = [];
    for (const a of ft?.args ?? []) ftZones.push(...zonesOf(a.text));
    const uncovered = reverse.filter((z) => !ftZones.some((f) => isSubdomain(z, f)));
    if (uncovered.length === 0) continue;
    const names = [...new Set(uncovered.map(zoneText))];
    const fts = occ.options.filter((o) => o.name.text === "fallthrough");
    const replaced =
      fts.length > 1 && ft ? ` Only the last 'fallthrough' line (line ${ft.name.line}) counts: each one replaces the zones of the previous.` : "";
    const revArgs = occ.args.filter((a) => zonesOf(a.text).some((z) => uncovered.includes(z)));
    const from = revArgs[0] ?? occ.nameToken;
    const to = revArgs[revArgs.length - 1] ?? occ.nameToken;
    ctx.report(
      "KUBERNETES_REVERSE_NO_FALLTHROUGH",
      `kubernetes serves ${names.join(" and ")} without 'fallthrough' for ${names.length > 1 ? "them" : "it"}: reverse lookups (PTR) of addresses outside the cluster get NXDOMAIN from kubernetes instead of reaching the plugins after it.${replaced} Add ${names.join(" ")} to kubernetes's 'fallthrough'.`,
      from,
      to,
      fix(`Add 'fallthrough ${names.join(" ")}'`, fallthroughEdit(ctx, occ, ft, names)),
    );
  }
}

function lastOption(occ: Occurrence, name: string): OptionLine | undefined {
  let found: OptionLine | undefined;
  for (const o of occ.options) if (o.name.text === name) found = o;
  return found;
}

function fallthroughEdit(ctx: LintContext, occ: Occurrence, ft: OptionLine | undefined, zones: string[]): TextEdit | undefined {
  const node = occ.node;
  if (!node) return undefined;
  if (ft) {
    if (!ft.node) return undefined;
    const at = endOfDirectiveLine(ft.node);
    return { start: at, end: at, newText: " " + zones.join(" ") };
  }
  const indent = indentAt(ctx.text, node.name.start);
  const line = `fallthrough ${zones.join(" ")}`;
  const block = firstBlock(node);
  if (block) return insertLineEdit(ctx.text, block, line, indent, ctx.indentUnit());
  const eol = eolOf(ctx.text);
  const at = endOfDirectiveLine(node);
  return { start: at, end: at, newText: ` {${eol}${indent}${ctx.indentUnit()}${line}${eol}${indent}}` };
}
