/**
 * Hover help: what the directive, option, argument or server-block key under the pointer means.
 */
import {
  normalizeServerKey,
  parse,
  replaceEnvVars,
  type DirectiveNode,
  type Node,
  type ParseResult,
  type Token,
} from "@/lib/corefile";
import { getPluginSpec, getRemovedPlugin, type PluginSpec } from "@/lib/corefile/plugins";
import { findNodePath, toTextRange } from "./context";
import { describeArg, describeOption, describePlugin, findArgCandidates, formatOrdinal } from "./docs";
import { findBlockExecutionOrder } from "./execution-order";
import type { HoverInfo } from "./types";

/**
 * Help for the word at `offset`: a directive (summary, syntax, execution position in its block, link to coredns.io),
 * a block option (syntax, default, values), an argument, or a server-block key (zone, port, transport). Null elsewhere.
 */
export function getHover(text: string, offset: number): HoverInfo | null {
  const parsed = parse(text);
  const doc = parsed.cst;
  const path = findNodePath(doc, offset);
  const token = findTokenIn(path[path.length - 1], offset);
  if (!token) return null;
  const range = toTextRange(doc, token.start, token.end);

  // The innermost directive line holding the token, and the chain of directives above it.
  const directives = path.filter((n): n is DirectiveNode => n.kind === "Directive");
  const line = directives[directives.length - 1];
  const owner = path[path.length - 1];

  if (owner?.kind === "ServerBlock" && owner.keys.includes(token)) return { markdown: describeKey(token.text), range };
  if (!line) return null;

  if (directives.length === 1) {
    const spec = getPluginSpec(line.name.text);
    if (token === line.name) return describeDirectiveAt(parsed, line, spec, range);
    const argIndex = line.args.indexOf(token);
    if (spec && argIndex >= 0) return describeArgAt(spec.name, spec.args, argIndex, range);
    return null;
  }

  if (directives.length === 2) {
    const plugin = directives[0] as DirectiveNode;
    const spec = getPluginSpec(plugin.name.text);
    const option = spec?.options.find((o) => o.name === line.name.text);
    if (!spec || !option) return null;
    if (token === line.name) return { markdown: describeOption(spec, option), range };
    const argIndex = line.args.indexOf(token);
    if (argIndex >= 0) return describeArgAt(`${spec.name} ${option.name}`, option.args, argIndex, range);
  }
  return null;
}

/** The token of `node` (not of its sub-nodes) under `offset`: containing it, else ending right at it. */
function findTokenIn(node: Node | undefined, offset: number): Token | undefined {
  if (!node) return undefined;
  let touching: Token | undefined;
  for (const child of node.children) {
    if ("children" in child || child.kind !== "token") continue;
    if (child.start <= offset && offset < child.end) return child;
    if (child.end === offset) touching = child;
  }
  return touching;
}

function describeDirectiveAt(
  parsed: ParseResult,
  line: DirectiveNode,
  spec: PluginSpec | undefined,
  range: HoverInfo["range"],
): HoverInfo | null {
  const name = line.name.text;
  if (!spec) {
    const removed = getRemovedPlugin(name);
    if (!removed) return null;
    return {
      markdown: `**${name}** — removed from CoreDNS in ${removed.removed}: CoreDNS refuses a Corefile that uses it.\n\nUse ${removed.replacedBy} instead.`,
      range,
    };
  }
  return { markdown: describePlugin(spec, describePosition(parsed, line, spec)), range };
}

/** "Runs 3rd of 7 in this server block (plugin.cfg position 35 of 60)." */
function describePosition(parsed: ParseResult, line: DirectiveNode, spec: PluginSpec): string | undefined {
  const chain = findBlockExecutionOrder(parsed, line.name.start);
  const catalogPosition = `plugin.cfg position ${spec.order + 1}`;
  if (!chain) return undefined;
  const where = chain.kind === "snippet" ? "this snippet" : "this server block";
  const plugin = chain.plugins.find((p) => p.name === spec.name);
  if (!plugin?.step) return `Configures the server rather than answering queries (${catalogPosition}).`;
  return `Runs **${formatOrdinal(plugin.step)} of ${chain.pipelineLength}** in ${where}, whatever the order of the lines (${catalogPosition}).`;
}

function describeArgAt(owner: string, args: Parameters<typeof findArgCandidates>[0], index: number, range: HoverInfo["range"]): HoverInfo | null {
  const candidates = findArgCandidates(args, index);
  if (candidates.length === 0) return null;
  return { markdown: candidates.map((a) => describeArg(owner, a)).join("\n\n---\n\n"), range };
}

/** What CoreDNS makes of a server-block key. */
function describeKey(raw: string): string {
  const key = replaceEnvVars(raw.replace(/,$/, ""), {});
  const normalized = normalizeServerKey(key);
  if ("error" in normalized) return `**Server-block key** \`${key}\`\n\nCoreDNS cannot read this key: ${normalized.error}`;
  const zones = normalized.zones.map((z) => `\`${z}\``).join(", ");
  const port = normalized.port ? ` on port **${normalized.port}**` : "";
  return `**Server-block key** \`${key}\`\n\nAnswers queries for ${zones}${port} over **${normalized.transport}**. The most specific zone wins when blocks overlap.\n\n[Server blocks on coredns.io](https://coredns.io/manual/configuration/#server-blocks)`;
}
