/**
 * Lint diagnostic types and codes. Every code is documented in LINT.md (when it is raised, an example, the fix).
 */
import type { TextChange } from "../text-edit";

/** Every code the linter emits, with its severity and whether it can carry a quick fix. */
export const LINT_RULES = {
  /** Two blocks serve the same zone, port and transport on the same interface (`bind eth0`), which parse() cannot resolve. */
  SERVER_KEY_CONFLICT: { severity: "error", fix: false },
  /** Two different servers (DNS transports or HTTP endpoints) listen on the same port and address. */
  PORT_CONFLICT: { severity: "warning", fix: false },
  /** Quick fix for parse()'s INVALID_SERVER_KEY on a key with an empty zone (`:53`): insert the root zone. */
  EMPTY_ZONE_FIX: { severity: "info", fix: true },
  /** Suggestion and quick fix for parse()'s UNKNOWN_DIRECTIVE when the name is close to a real directive. */
  DID_YOU_MEAN: { severity: "info", fix: true },
  /** A directive repeated in a block that allows it once, where validatePlugin() does not already say so. */
  DUPLICATE_DIRECTIVE: { severity: "warning", fix: false },
  /** A `forward` that never receives a query because an earlier `forward` in the block already takes its zone. */
  FORWARD_SHADOWED: { severity: "warning", fix: true },
  /** A block forwards to a resolv.conf-style file without `loop`. */
  RESOLV_CONF_WITHOUT_LOOP: { severity: "warning", fix: true },
  /** No server block has `reload`. */
  RELOAD_MISSING: { severity: "warning", fix: true },
  /** A server block without `prometheus`. */
  PROMETHEUS_MISSING: { severity: "warning", fix: true },
  /** `prometheus` listens on localhost only (also the default with no address). */
  PROMETHEUS_UNREACHABLE: { severity: "warning", fix: true },
  /** `prometheus` listens on another port than 9153. */
  PROMETHEUS_NONSTANDARD_PORT: { severity: "info", fix: true },
  /** `health` enabled in several blocks on the same address. */
  HEALTH_REPEATED: { severity: "warning", fix: true },
  /** `ready` enabled in several blocks on the same address (one shared endpoint). */
  READY_SHARED: { severity: "info", fix: false },
  /** `kubernetes` serves reverse zones without `fallthrough` for them. */
  KUBERNETES_REVERSE_NO_FALLTHROUGH: { severity: "warning", fix: true },
  /** A plugin removed in the targeted CoreDNS version. */
  REMOVED_PLUGIN: { severity: "error", fix: true },
  /** A plugin deprecated in the targeted CoreDNS version. */
  DEPRECATED_PLUGIN: { severity: "warning", fix: true },
  /** A block option removed in the targeted CoreDNS version. */
  REMOVED_OPTION: { severity: "error", fix: true },
  /** A block option deprecated (or accepted but ignored) in the targeted CoreDNS version. */
  DEPRECATED_OPTION: { severity: "warning", fix: true },
  /** The block's text order differs from the order CoreDNS runs the plugins in. */
  EXECUTION_ORDER: { severity: "info", fix: false },
} as const;

/**
 * Lint codes that can sit on the same range as a finding of parse() (`DiagnosticCode`) or validatePlugin()
 * (`PluginDiagnosticCode`): the same problem seen by another layer. A UI that shows all three may keep the lint
 * diagnostic (it carries the fix) and drop the others at the same range. Codes not listed never overlap.
 */
export const LINT_OVERLAPS: Readonly<Partial<Record<keyof typeof LINT_RULES, readonly string[]>>> = {
  EMPTY_ZONE_FIX: ["INVALID_SERVER_KEY"],
  DID_YOU_MEAN: ["UNKNOWN_DIRECTIVE", "PLUGIN_UNKNOWN"],
  REMOVED_PLUGIN: ["UNKNOWN_DIRECTIVE", "PLUGIN_REMOVED"],
  DEPRECATED_PLUGIN: ["UNKNOWN_DIRECTIVE", "PLUGIN_DEPRECATED"],
  REMOVED_OPTION: ["OPTION_REMOVED", "PLUGIN_UNKNOWN_OPTION"],
  DEPRECATED_OPTION: ["OPTION_DEPRECATED"],
};

/** A lint code (SCREAMING_SNAKE). */
export type LintCode = keyof typeof LINT_RULES;

/** Every lint code, in the order LINT.md documents them. */
export const LINT_CODES = Object.freeze(Object.keys(LINT_RULES)) as readonly LintCode[];

export type LintSeverity = "error" | "warning" | "info";

/**
 * A lint finding. Positions are 1-based; `endLine`/`endColumn` point just past the range (exclusive). `fixes` are
 * minimal edits of the root file (offsets into the text that was linted).
 */
export type LintDiagnostic = {
  code: LintCode;
  severity: LintSeverity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixes?: TextChange[];
};
