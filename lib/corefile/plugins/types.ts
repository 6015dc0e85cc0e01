/**
 * Types shared by the plugin catalog and the per-plugin validators.
 *
 * The catalog describes every directive CoreDNS 1.14.7 knows (plugin.cfg order): what it does, how its arguments and
 * block options are written, and which versions added, deprecated or removed it. The validators mirror each plugin's
 * setup/parse function statically (no files, no network). Every diagnostic code is documented in DIAGNOSTICS.md.
 */
import type { Token } from "../lexer";

/** Every code a plugin validator can emit. */
export const PLUGIN_DIAGNOSTIC_CODES = [
  /** Too few or too many arguments on a directive or option line. */
  "PLUGIN_WRONG_ARG_COUNT",
  /** A block option (or sub-keyword) the plugin does not know. */
  "PLUGIN_UNKNOWN_OPTION",
  /** A value of the wrong type or out of range (duration, integer, IP, regex, enum...). */
  "PLUGIN_INVALID_VALUE",
  /** The directive appears more often in a server block than the plugin allows (or than it reads). */
  "PLUGIN_DUPLICATE",
  /** An option given twice inside one directive where the plugin refuses or ignores repeats. */
  "OPTION_DUPLICATE",
  /** A block is required (e.g. `timeouts` with no options, `secondary` without `transfer from`). */
  "PLUGIN_MISSING_BLOCK",
  /** A required option is missing from the block. */
  "PLUGIN_MISSING_OPTION",
  /** The directive takes no block, but one was written. */
  "PLUGIN_UNEXPECTED_BLOCK",
  /** Two settings that cannot be combined (e.g. `namespaces` with `namespace_labels`). */
  "PLUGIN_CONFLICT",
  /** The directive is not valid in this server block (e.g. `shed` on a non-DNS transport). */
  "PLUGIN_INVALID_CONTEXT",
  /** A plugin that still loads but is deprecated. */
  "PLUGIN_DEPRECATED",
  /** A plugin that no longer exists in the targeted CoreDNS version. */
  "PLUGIN_REMOVED",
  /** A plugin that does not exist yet in the targeted CoreDNS version. */
  "PLUGIN_NOT_YET_AVAILABLE",
  /** An option that still parses but has no effect or is scheduled for removal. */
  "OPTION_DEPRECATED",
  /** An option that was removed (CoreDNS now rejects it). */
  "OPTION_REMOVED",
  /** An option that does not exist yet in the targeted CoreDNS version. */
  "OPTION_NOT_YET_AVAILABLE",
  /** Something CoreDNS accepts but that is almost certainly a mistake (value ignored, option shadowed...). */
  "PLUGIN_SUSPICIOUS",
  /** validatePlugin was called with a name that is not a stock directive. */
  "PLUGIN_UNKNOWN",
] as const;

export type PluginDiagnosticCode = (typeof PLUGIN_DIAGNOSTIC_CODES)[number];

export type PluginSeverity = "error" | "warning" | "info";

/** A problem found in one directive. Positions are 1-based; `endLine`/`endColumn` are exclusive (just past the token). */
export interface PluginDiagnostic {
  code: PluginDiagnosticCode;
  severity: PluginSeverity;
  /** What is wrong and what to write instead (our words). */
  message: string;
  /** CoreDNS's own wording for this error, where we know it (from its source and tests). */
  corednsMessage?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The likely intended word (an option name close to a misspelt one): the editor offers it as a quick fix. */
  suggestion?: string;
}

/** Extra facts the validator may use. */
export interface ValidateContext {
  /**
   * The keys of the enclosing server block as written (`example.org:53`, `dns://.:53`...). When omitted the keys are
   * unknown and checks that depend on them are skipped; pass `[]` for "really no keys".
   */
  serverBlockKeys?: string[];
  /** The CoreDNS version the Corefile targets (default: {@link CATALOG_COREDNS_VERSION}). */
  corednsVersion?: string;
}

/** The CoreDNS release the catalog and the validators describe. */
export const CATALOG_COREDNS_VERSION = "1.14.7";

/**
 * The version validation assumes when the caller does not name one. The validators mirror CoreDNS's source at
 * 1.14.7 plus a few unreleased commits on master (template `var`/`expr`), whose options are marked as added in 1.14.8;
 * comparing against this value accepts them. Pass `corednsVersion: "1.14.7"` to hold a Corefile to the 1.14.7 release.
 */
export const SOURCE_SNAPSHOT_VERSION = "1.14.8";

/** Where a plugin fits in the dashboard's grouping. */
export type PluginGroup =
  | "kubernetes"
  | "forwarding"
  | "caching"
  | "records"
  | "rewriting"
  | "observability"
  | "security"
  | "operations";

/** The kinds of values arguments and options take. */
export type ValueKind =
  /** One or more DNS zones (`example.org`, `.`, or a CIDR that expands to reverse zones). */
  | "zones"
  /** A DNS name. */
  | "domain"
  /** `host:port` or `:port`, as Go's net.SplitHostPort accepts it. */
  | "hostport"
  /** An upstream address: IP, IP:port, `tls://IP`, a resolv.conf-style file, or a hostname resolved at startup. */
  | "upstream"
  /** An IP address (v4 or v6). */
  | "ip"
  /** A CIDR prefix (`10.0.0.0/8`, `2001:db8::/32`). */
  | "cidr"
  /** A Go duration (`30s`, `1m30s`, `1h`). */
  | "duration"
  /** A Go duration, where a bare number means seconds. */
  | "duration-or-seconds"
  /** A whole number (see `min`/`max`). */
  | "integer"
  /** A decimal or floating-point number. */
  | "number"
  /** One word from `values`. */
  | "enum"
  /** A Go (RE2) regular expression. */
  | "regex"
  /** A path on the CoreDNS host. */
  | "file"
  /** Free text. */
  | "string"
  /** `true`/`false` (Go strconv.ParseBool spellings). */
  | "boolean"
  /** A DNS response code name (`NXDOMAIN`, `SERVFAIL`...). */
  | "rcode"
  /** A DNS record type (`A`, `AAAA`, `MX`...). */
  | "rrtype"
  /** A DNS class (`IN`, `CH`, `ANY`...). */
  | "class"
  /** A URL. */
  | "url"
  /** A Go text/template (used by `template`). */
  | "template"
  /** An expr-lang expression (used by `view` and `template`). */
  | "expression"
  /** A Kubernetes label selector. */
  | "label-selector"
  /** A network interface name or IP address (used by `bind`). */
  | "ip-or-interface";

/** One positional value in a directive's or option's syntax. */
export interface ArgSpec {
  /** Placeholder shown in help (`ZONES`, `TO`, `DURATION`...). */
  name: string;
  kind: ValueKind;
  /** May be left out. */
  optional?: boolean;
  /** May be repeated (e.g. `ZONES...`). */
  variadic?: boolean;
  /** Allowed words for `enum`. */
  values?: readonly string[];
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** The value used when the argument is omitted, as CoreDNS documents it. */
  default?: string;
  /** Help text. */
  help?: string;
}

/** Version facts for a plugin or an option. Versions are CoreDNS release numbers such as `1.8.0`. */
export interface VersionInfo {
  /** First release that has it (`1.0.0` means "1.0.0 or earlier"). */
  added?: string;
  /** First release where it is deprecated (still accepted). */
  deprecated?: string;
  /** First release that no longer accepts it. */
  removed?: string;
  /** What to use instead. */
  replacedBy?: string;
  /** A note about the history. */
  note?: string;
}

/** A block option (a line inside the directive's `{ }`). */
export interface OptionSpec {
  name: string;
  /** Positional values after the option name. */
  args: readonly ArgSpec[];
  /** Help text (our words). */
  help: string;
  /** Documented default, in words. */
  default?: string;
  /** May the option appear more than once in the block? (Later ones usually overwrite or extend earlier ones.) */
  repeatable?: boolean;
  versions?: VersionInfo;
}

/** Catalog entry for one directive. */
export interface PluginSpec {
  /** The directive name as written in a Corefile. */
  name: string;
  /** Index in plugin.cfg (execution order; lower runs first). */
  order: number;
  /** One-line summary (our words). */
  summary: string;
  group: PluginGroup;
  docsUrl: string;
  /** May the directive appear more than once in one server block? */
  repeatable: boolean;
  /** Can the plugin write a response itself (rather than only pass the query on)? */
  canAnswer: boolean;
  /** Does it support `fallthrough` (passing queries it cannot answer to the next plugin)? */
  canFallthrough: boolean;
  /** Does it send queries to another server? */
  forwards: boolean;
  /** Positional arguments after the directive name. */
  args: readonly ArgSpec[];
  /** Options allowed in the directive's block (empty when the directive takes no block). */
  options: readonly OptionSpec[];
  /** Whether the directive accepts a `{ }` block at all. */
  block: "none" | "optional" | "required";
  /** One-line syntax summary, e.g. `cache [TTL] [ZONES...] { ... }`. */
  syntax: string;
  versions: VersionInfo;
  /** Is this a server-wide setting rather than a step of the query pipeline (bind, debug, tls, timeouts...)? */
  serverSetting?: boolean;
  /** Extra notes (our words). */
  notes?: readonly string[];
}

/** Tokens of one directive, as caddy's dispenser sees them. */
export type DirectiveTokens = readonly Token[];
