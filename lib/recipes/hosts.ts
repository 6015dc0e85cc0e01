/**
 * Static overrides with the hosts plugin: fixed addresses for a few names, the rest of the block unchanged. CoreDNS
 * allows one `hosts` per server block (a second one is a start-up error), so when the block has one the entries go
 * into it, above its options: CoreDNS reads inline entries only before `fallthrough`.
 */
import { z } from "zod";
import { addDirective, setBlockOption, type DirectiveNode } from "@/lib/corefile";
import { directiveOrder } from "@/lib/corefile/directives";
import {
  argsOf,
  describeBlock,
  directivesNamed,
  findBlockByKey,
  indentationAt,
  indentationStep,
  indexByExecutionOrder,
  indexOfDirective,
  isWithin,
  startsLine,
  toFqdn,
  usesDirective,
  type BlockInfo,
  type CorefileOutline,
} from "./blocks";
import { blockKeySchema, hostNameSchema, ipSchema } from "./fields";
import { defineRecipe } from "./recipe";

/** The options of the hosts block; any other line is an inline entry. */
const HOSTS_OPTIONS = new Set(["fallthrough", "fallthrough_unsupported", "no_reverse", "ttl", "reload"]);

/** Plugins that answer queries after hosts in the chain: without fallthrough, hosts would hide them. */
const ANSWERS_AFTER_HOSTS = new Set([
  "route53",
  "azure",
  "clouddns",
  "k8s_external",
  "kubernetes",
  "file",
  "auto",
  "secondary",
  "etcd",
  "forward",
  "grpc",
  "erratic",
  "whoami",
  "nomad",
]);

export const hostsParamsSchema = z.object({
  entries: z
    .array(z.object({ ip: ipSchema, names: z.array(hostNameSchema).min(1, { error: "Give at least one name for this address." }) }))
    .min(1, { error: "Add at least one entry." }),
  /** Pass names the entries do not cover on to the next plugins (almost always wanted). */
  fallthrough: z.boolean().default(true),
  /** The server block to put the entries in. */
  block: blockKeySchema.default(".:53"),
});
export type HostsParams = z.input<typeof hostsParamsSchema>;

type Entry = { ip: string; names: string[] };

/** The inline entries of a hosts directive's block: address → names. */
function existingEntries(hosts: DirectiveNode): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const item of hosts.blocks[0]?.body ?? []) {
    if (item.kind !== "Directive" || HOSTS_OPTIONS.has(item.name.text)) continue;
    const names = out.get(item.name.text) ?? new Set<string>();
    for (const a of item.args) names.add(toFqdn(a.text));
    out.set(item.name.text, names);
  }
  return out;
}

/** The requested entries minus the (address, name) pairs the hosts block already has. */
function missingEntries(entries: Entry[], existing: Map<string, Set<string>>): Entry[] {
  const out: Entry[] = [];
  for (const { ip, names } of entries) {
    const known = existing.get(ip);
    const fresh = names.filter((n) => !known?.has(toFqdn(n)));
    if (fresh.length) out.push({ ip, names: fresh });
  }
  return out;
}

const entryLine = (e: Entry) => [e.ip, ...e.names].join(" ");

/** Names the block (or the hosts directive's own zones) does not answer for. */
function unreachableNames(block: BlockInfo, entries: Entry[], hosts?: DirectiveNode): string[] {
  const hostsZones = hosts ? argsOf(hosts).slice(1).map(toFqdn) : [];
  const zones = hostsZones.length ? hostsZones : block.addresses.flatMap((a) => a.zones);
  return entries.flatMap((e) => e.names).filter((n) => !zones.some((z) => isWithin(toFqdn(n.replace(/^\*\./, "")), z)));
}

/**
 * The edit adding entry lines to an existing hosts directive: after its last inline entry, else first in its block,
 * else in a new block. Null when the layout is too unusual to edit safely (the caller says to format first).
 */
function entriesEdit(outline: CorefileOutline, hosts: DirectiveNode, lines: string[]): { start: number; end: number; newText: string } | null {
  const text = outline.text;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const ownIndent = indentationAt(text, hosts.start);
  const block = hosts.blocks[0];
  if (!block) {
    // `hosts [FILE...]` without a block: open one after its last argument; an end-of-line comment stays after `}`.
    const last = hosts.args[hosts.args.length - 1] ?? hosts.name;
    if (text.slice(last.end, hosts.comment ? hosts.comment.start : hosts.end).trim() !== "") return null;
    const inner = ownIndent + indentationStep(outline);
    return { start: last.end, end: last.end, newText: ` {${eol}${lines.map((l) => inner + l + eol).join("")}${ownIndent}}` };
  }
  const firstItem = block.body[0];
  const inner = firstItem && startsLine(text, firstItem.start) ? indentationAt(text, firstItem.start) : ownIndent + indentationStep(outline);
  const entryItems = block.body.filter((i) => i.kind === "Directive" && !HOSTS_OPTIONS.has(i.name.text));
  const anchor = entryItems[entryItems.length - 1];
  const from = anchor ? anchor.end : block.open.end;
  const lineEnd = text.indexOf("\n", from);
  if (lineEnd < 0) return null;
  const rest = text.slice(from, lineEnd).trim();
  if (rest !== "" && !rest.startsWith("#")) return null;
  if (block.close && block.close.start <= lineEnd) return null; // `{ ... }` on one line
  return { start: lineEnd + 1, end: lineEnd + 1, newText: lines.map((l) => inner + l + eol).join("") };
}

export const hostsRecipe = defineRecipe({
  id: "hosts-overrides",
  title: "Static overrides with hosts",
  summary: "Answers chosen names with fixed addresses, and passes every other name on.",
  notes: [
    "The hosts plugin answers A and AAAA queries for the listed names, and PTR queries for their addresses, from entries written in the Corefile (and from the hosts file it reads, /etc/hosts of the CoreDNS container by default). See https://coredns.io/plugins/hosts/.",
    "Keep fallthrough on in a block that also serves other names: without it hosts answers NXDOMAIN for every name of the block it does not know, and plugins such as kubernetes and forward are never reached.",
    "A server block may hold only one hosts directive, so when the block already has one the entries are added to it, above its options. A '*.' first label matches exactly one extra label (app.example.org for *.example.org, not example.org itself).",
  ],
  params: hostsParamsSchema,
  draft({ outline, params, session }) {
    const block = findBlockByKey(outline, params.block);
    if (!block) return { ok: false, field: "block", reason: `There is no server block ${params.block} in this Corefile.` };
    const warnings: string[] = [];
    const [hosts] = directivesNamed(block, "hosts");

    if (!hosts) {
      if (usesDirective(block, "hosts")) {
        return { ok: false, field: "block", reason: `The hosts of server block ${describeBlock(block)} comes from an import; add the entries there.` };
      }
      if (!params.fallthrough) {
        const hidden = block.node.body.find(
          (i): i is DirectiveNode => i.kind === "Directive" && ANSWERS_AFTER_HOSTS.has(i.name.text) && directiveOrder(i.name.text) > directiveOrder("hosts"),
        );
        if (hidden) {
          return {
            ok: false,
            field: "fallthrough",
            reason: `Without fallthrough, hosts would answer NXDOMAIN for every other name of ${describeBlock(block)}, and '${hidden.name.text}' would never see a query. Keep fallthrough on, or use a server block of its own for these names.`,
          };
        }
      }
      const lines = [...params.entries.map(entryLine), ...(params.fallthrough ? ["fallthrough"] : [])];
      const failed = session.apply(
        addDirective(session.text, { block: block.index, index: indexByExecutionOrder(block, "hosts"), directive: `hosts {\n${lines.join("\n")}\n}` }),
      );
      if (failed) return { ok: false, reason: failed };
    } else {
      const missing = missingEntries(params.entries, existingEntries(hosts));
      if (missing.length) {
        const edit = entriesEdit(outline, hosts, missing.map(entryLine));
        if (!edit) return { ok: false, reason: "The hosts directive's block is laid out on shared lines; format the Corefile first." };
        session.apply([edit]);
      } else {
        warnings.push("Every entry is already in the hosts directive.");
      }
      const options = hosts.blocks[0]?.body.map((i) => (i.kind === "Directive" ? i.name.text : "")) ?? [];
      if (params.fallthrough && !options.includes("fallthrough")) {
        warnings.push("The existing hosts directive had no fallthrough; it now passes unknown names on, for its older entries too.");
        const failed = session.apply(
          setBlockOption(session.text, { block: block.index, directive: indexOfDirective(block, hosts), option: "fallthrough", args: [] }),
        );
        if (failed) return { ok: false, reason: failed };
      }
      if (!params.fallthrough && options.includes("fallthrough")) {
        warnings.push("The existing hosts directive already falls through; that was left as it is.");
      }
    }
    const unreachable = unreachableNames(block, params.entries, hosts);
    if (unreachable.length) {
      warnings.push(`These names are outside the zones this hosts answers for, so they will not be served from it: ${unreachable.join(", ")}.`);
    }
    return { ok: true, session, warnings };
  },
});
