/**
 * Help text built from the plugin catalog: Markdown for directives, options and arguments, the syntax of an argument
 * list, which argument a position on a line stands for, and the values an argument can take.
 */
import { DNS_CLASSES, DNS_RCODES, DNS_TYPES } from "@/lib/corefile/plugins/go";
import type { ArgSpec, OptionSpec, PluginSpec, VersionInfo } from "@/lib/corefile/plugins";

/** `1` → `1st`, `22` → `22nd`. */
export function formatOrdinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

/** The syntax of an argument list: `FROM TO...`, `[TTL] [ZONES...]`. */
export function formatArgSyntax(args: readonly ArgSpec[]): string {
  return args
    .map((a) => {
      const name = a.variadic && !a.name.endsWith("...") ? `${a.name}...` : a.name;
      return a.optional ? `[${name}]` : name;
    })
    .join(" ");
}

/** A one-line syntax of an option: `pods POD-MODE`. */
export function formatOptionSyntax(option: OptionSpec): string {
  const args = formatArgSyntax(option.args);
  return args ? `${option.name} ${args}` : option.name;
}

/**
 * The argument specs that may stand at position `index` (0-based) of a line. Optional and repeated arguments make
 * several specs possible at once (`rewrite [FLOW] RULE`: position 0 is FLOW or RULE).
 */
export function findArgCandidates(args: readonly ArgSpec[], index: number): ArgSpec[] {
  const out: ArgSpec[] = [];
  let minPosition = 0;
  let isOpenEnded = false;
  for (let k = 0; k < args.length; k++) {
    const arg = args[k] as ArgSpec;
    const maxPosition = isOpenEnded || arg.variadic ? Number.POSITIVE_INFINITY : k;
    if (index >= minPosition && index <= maxPosition) out.push(arg);
    if (!arg.optional) minPosition++;
    if (arg.variadic) isOpenEnded = true;
  }
  return out;
}

/** A value an argument can take, with a word of help. */
export type ValueChoice = { value: string; help: string; sortText: string };

const COMMON_TYPES = ["A", "AAAA", "CNAME", "PTR", "SRV", "TXT", "MX", "NS", "SOA", "HTTPS", "SVCB", "CAA", "ANY"];
const COMMON_RCODES = ["NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "FORMERR", "NOTIMP"];
const RCODE_HELP: Record<string, string> = {
  NOERROR: "Success (possibly with no records).",
  NXDOMAIN: "The name does not exist.",
  SERVFAIL: "The server failed to answer.",
  REFUSED: "The server refuses to answer.",
  FORMERR: "The query was malformed.",
  NOTIMP: "The kind of query is not supported.",
};
const CLASS_HELP: Record<string, string> = { IN: "Internet (almost every query).", CH: "Chaos (server identification, e.g. version.bind)." };

/** The values worth proposing for an argument (enumerations, booleans, DNS codes, its documented default). */
export function listArgValues(arg: ArgSpec): ValueChoice[] {
  const help = arg.help ?? "";
  switch (arg.kind) {
    case "enum":
      return (arg.values ?? []).map((value, i) => ({
        value,
        help: value === arg.default ? `${help} (default)`.trim() : help,
        sortText: String(i).padStart(3, "0"),
      }));
    case "boolean":
      return ["true", "false"].map((value, i) => ({ value, help, sortText: String(i) }));
    case "rcode":
      return Object.keys(DNS_RCODES).map((value) => ({
        value,
        help: RCODE_HELP[value] ?? "A DNS response code.",
        sortText: rank(COMMON_RCODES, value),
      }));
    case "rrtype":
      return DNS_TYPES.map((value) => ({ value, help: "A DNS record type.", sortText: rank(COMMON_TYPES, value) }));
    case "class":
      return DNS_CLASSES.map((value, i) => ({ value, help: CLASS_HELP[value] ?? "A DNS class.", sortText: String(i) }));
    case "upstream":
      return [{ value: "/etc/resolv.conf", help: "The upstreams the CoreDNS pod inherits from its node.", sortText: "0" }];
    default:
      if (arg.default && /^\S+$/.test(arg.default)) return [{ value: arg.default, help: `${help} (default)`.trim(), sortText: "0" }];
      return [];
  }
}

function rank(common: readonly string[], value: string): string {
  const i = common.indexOf(value);
  return i >= 0 ? `0${String(i).padStart(3, "0")}` : `1${value}`;
}

/** "Added in 1.14.3 · deprecated in ... · removed in ..." or "" when there is nothing worth saying. */
export function formatVersions(v: VersionInfo | undefined): string {
  if (!v) return "";
  const parts: string[] = [];
  if (v.added && v.added !== "1.0.0") parts.push(`added in CoreDNS ${v.added}`);
  if (v.deprecated) parts.push(`deprecated since ${v.deprecated}`);
  if (v.removed) parts.push(`removed in ${v.removed}`);
  if (v.replacedBy) parts.push(`use ${v.replacedBy} instead`);
  if (parts.length === 0) return "";
  const text = parts.join(" · ");
  return text.charAt(0).toUpperCase() + text.slice(1) + ".";
}

/** What a plugin does in the query pipeline, as short badges. */
export function formatPluginRoles(spec: PluginSpec): string {
  if (spec.serverSetting) return "Server setting (not a step of the query pipeline)";
  const roles: string[] = [];
  if (spec.forwards) roles.push("forwards queries to other servers");
  else if (spec.canAnswer) roles.push("can answer queries");
  else roles.push("passes queries on");
  if (spec.canFallthrough) roles.push("supports `fallthrough`");
  return roles.join(" · ").replace(/^./, (c) => c.toUpperCase());
}

/** Markdown describing a directive: summary, syntax, roles, versions, link. `position` adds the execution order. */
export function describePlugin(spec: PluginSpec, position?: string): string {
  const lines = [`**${spec.name}** — ${spec.summary}`, "", "```corefile", spec.syntax, "```", "", formatPluginRoles(spec) + "."];
  if (position) lines.push("", position);
  const versions = formatVersions(spec.versions);
  if (versions) lines.push("", versions);
  if (spec.repeatable) lines.push("", "May appear more than once in a server block.");
  for (const note of spec.notes ?? []) lines.push("", note);
  lines.push("", `[${spec.name} on coredns.io](${spec.docsUrl})`);
  return lines.join("\n");
}

/** Markdown describing a block option of a plugin. */
export function describeOption(spec: PluginSpec, option: OptionSpec): string {
  const lines = [`**${option.name}** — option of \`${spec.name}\``, "", "```corefile", formatOptionSyntax(option), "```", "", option.help];
  if (option.default) lines.push("", `Default: ${option.default}.`);
  const enumArg = option.args.find((a) => a.kind === "enum" && a.values && a.values.length > 1);
  if (enumArg?.values) lines.push("", `${enumArg.name}: ${enumArg.values.map((v) => `\`${v}\``).join(", ")}.`);
  const versions = formatVersions(option.versions);
  if (versions) lines.push("", versions);
  if (option.repeatable) lines.push("", "May be repeated.");
  lines.push("", `[${spec.name} on coredns.io](${spec.docsUrl})`);
  return lines.join("\n");
}

/** Markdown describing one argument. */
export function describeArg(owner: string, arg: ArgSpec): string {
  const lines = [`**${arg.name}** — argument of \`${owner}\` (${arg.kind}${arg.optional ? ", optional" : ""}${arg.variadic ? ", repeatable" : ""})`];
  if (arg.help) lines.push("", arg.help);
  if (arg.values && arg.values.length > 0) lines.push("", `Values: ${arg.values.map((v) => `\`${v}\``).join(", ")}.`);
  if (arg.default) lines.push("", `Default: \`${arg.default}\`.`);
  if (arg.min !== undefined || arg.max !== undefined) {
    lines.push("", `Range: ${arg.min ?? "…"} to ${arg.max ?? "…"}.`);
  }
  return lines.join("\n");
}

/** Escapes text for use as literal text in a TextMate snippet. */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/**
 * A snippet for `name` followed by placeholders for its required arguments: enumerations become a choice
 * (`${1|a,b|}`), others show the default or the argument's name. Returns the plain name when nothing is required.
 */
export function buildArgSnippet(name: string, args: readonly ArgSpec[]): { insertText: string; isSnippet: boolean } {
  const required = args.filter((a) => !a.optional);
  if (required.length === 0) return { insertText: name, isSnippet: false };
  const parts = required.map((a, i) => {
    const n = i + 1;
    if (a.kind === "enum" && a.values && a.values.length > 1 && a.values.every((v) => /^[^,|$}\\]+$/.test(v))) {
      return `\${${n}|${a.values.join(",")}|}`;
    }
    return `\${${n}:${escapeSnippet(a.default && /^\S+$/.test(a.default) ? a.default : a.name)}}`;
  });
  return { insertText: `${escapeSnippet(name)} ${parts.join(" ")}`, isSnippet: true };
}
