/**
 * Collecting diagnostics for one directive, with the wording helpers the validators share.
 */
import type { Token } from "../lexer";
import type { OptionSpec, PluginDiagnostic, PluginDiagnosticCode, PluginSeverity, PluginSpec } from "./types";
import type { Dispenser } from "./dispenser";
import { compareVersions } from "./versions";

export class Reporter {
  readonly diagnostics: PluginDiagnostic[] = [];
  readonly plugin: string;
  /** The spec of the plugin being validated (for option help and versions). */
  readonly spec: PluginSpec | undefined;
  /** The targeted CoreDNS version. */
  readonly version: string;
  private readonly optionIndex: ReadonlyMap<string, OptionSpec>;
  /** The dispenser being walked (lets messages tell "extra value on the line" from "unknown option"). */
  dispenser: Dispenser | undefined;
  private versionChecked: Set<Token> | undefined;

  constructor(plugin: string, spec: PluginSpec | undefined, version: string) {
    this.plugin = plugin;
    this.spec = spec;
    this.version = version;
    this.optionIndex = spec ? optionIndexOf(spec) : EMPTY_INDEX;
  }

  add(
    severity: PluginSeverity,
    code: PluginDiagnosticCode,
    tok: Token,
    message: string,
    corednsMessage?: string,
    endTok?: Token,
  ): void {
    const end = endTok ?? tok;
    const d: PluginDiagnostic = {
      code,
      severity,
      message,
      file: tok.file,
      line: tok.line,
      column: tok.column,
      endLine: end.endLine,
      endColumn: end.endColumn,
    };
    if (corednsMessage !== undefined) d.corednsMessage = corednsMessage;
    this.diagnostics.push(d);
  }

  error(code: PluginDiagnosticCode, tok: Token, message: string, corednsMessage?: string, endTok?: Token): void {
    this.add("error", code, tok, message, corednsMessage, endTok);
  }

  warning(code: PluginDiagnosticCode, tok: Token, message: string, corednsMessage?: string, endTok?: Token): void {
    this.add("warning", code, tok, message, corednsMessage, endTok);
  }

  info(code: PluginDiagnosticCode, tok: Token, message: string, endTok?: Token): void {
    this.add("info", code, tok, message, undefined, endTok);
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }

  /** caddy's `ArgErr` wording for the token the cursor is on. */
  static argErrText(tok: Token): string {
    return tok.text === "{"
      ? "Unexpected token '{', expecting argument"
      : `Wrong argument count or unexpected line ending after '${tok.text}'`;
  }

  /** A wrong-argument-count error at `tok` (CoreDNS's `c.ArgErr()`), with our explanation. */
  argCount(tok: Token, message: string, endTok?: Token): void {
    this.error("PLUGIN_WRONG_ARG_COUNT", tok, message, Reporter.argErrText(tok), endTok);
  }

  /**
   * An argument where the directive takes none (CoreDNS's `if c.NextArg() { return c.ArgErr() }`): a `{` is reported
   * as an unexpected block, anything else as a wrong argument count.
   */
  noArgument(tok: Token, directive: string, hint = "", endTok?: Token): void {
    if (tok.text === "{") this.error("PLUGIN_UNEXPECTED_BLOCK", tok, `${directive} takes no block; remove the braces.`, Reporter.argErrText(tok), endTok);
    else this.argCount(tok, `${directive} takes no arguments${hint}. Remove '${tok.text}'${endTok && endTok !== tok ? " and what follows" : ""}.`, endTok);
  }

  /** A wrong-argument-count error where CoreDNS words it itself. */
  argCountMsg(tok: Token, message: string, corednsMessage: string, endTok?: Token): void {
    this.error("PLUGIN_WRONG_ARG_COUNT", tok, message, corednsMessage, endTok);
  }

  invalid(tok: Token, message: string, corednsMessage?: string, endTok?: Token): void {
    this.error("PLUGIN_INVALID_VALUE", tok, message, corednsMessage, endTok);
  }

  /** `this plugin can only be used once per Server Block` (CoreDNS's `plugin.ErrOnce`). */
  once(tok: Token): void {
    this.error(
      "PLUGIN_DUPLICATE",
      tok,
      `'${this.plugin}' can only appear once in a server block; merge the settings into the first '${this.plugin}'.`,
      "this plugin can only be used once per Server Block",
    );
  }

  /** A later occurrence that CoreDNS silently ignores. */
  ignoredRepeat(tok: Token): void {
    this.warning(
      "PLUGIN_DUPLICATE",
      tok,
      `CoreDNS only reads the first '${this.plugin}' of a server block; this one is ignored. Merge it into the first.`,
    );
  }

  /** A later occurrence whose settings replace the earlier one's. */
  overridingRepeat(tok: Token): void {
    this.warning(
      "PLUGIN_DUPLICATE",
      tok,
      `'${this.plugin}' appears more than once in this server block; the last one wins. Keep a single '${this.plugin}'.`,
    );
  }

  /** The option spec for a block option name, if the catalog has it. */
  optionSpec(name: string): OptionSpec | undefined {
    return this.optionIndex.get(name);
  }

  /** Checks the version facts of a recognised option. */
  optionVersion(tok: Token, name = tok.text): void {
    const o = this.optionIndex.get(name);
    if (!o?.versions) return;
    this.versionChecked ??= new Set();
    if (this.versionChecked.has(tok)) return;
    this.versionChecked.add(tok);
    const v = o?.versions;
    if (!v) return;
    // Removed options are reported where the plugin rejects them (unknownOption).
    if (v.removed && compareVersions(this.version, v.removed) >= 0) return;
    if (v.added && compareVersions(this.version, v.added) < 0) {
      this.error(
        "OPTION_NOT_YET_AVAILABLE",
        tok,
        `Option '${name}' of ${this.plugin} needs CoreDNS ${v.added} or later (targeting ${this.version}).`,
      );
    } else if (v.deprecated && compareVersions(this.version, v.deprecated) >= 0) {
      this.warning(
        "OPTION_DEPRECATED",
        tok,
        `Option '${name}' of ${this.plugin} is deprecated since CoreDNS ${v.deprecated}${v.note ? ` (${v.note})` : ""}.${
          v.replacedBy ? ` Use ${v.replacedBy} instead.` : " It has no effect; remove it."
        }`,
      );
    }
  }

  /**
   * An unknown block option. Options the catalog lists as removed get OPTION_REMOVED; others get a suggestion.
   * `corednsMessage` is CoreDNS's wording for the unknown property.
   */
  unknownOption(tok: Token, corednsMessage: string, extra?: readonly string[]): void {
    const name = tok.text;
    const prev = this.dispenser?.prevToken();
    if (prev && prev.text !== "{" && prev.file === tok.file && prev.caddyFile === tok.caddyFile && prev.endLine === tok.line && prev.end <= tok.start) {
      this.error(
        "PLUGIN_WRONG_ARG_COUNT",
        tok,
        `Unexpected extra value '${name}' after '${prev.text}': CoreDNS reads it as an option name. Remove it or move it to its own line if it is an option.`,
        corednsMessage,
        this.dispenser?.remainingArgTokens().pop(),
      );
      return;
    }
    const o = this.optionIndex.get(name);
    if (o?.versions?.removed && compareVersions(this.version, o.versions.removed) < 0) {
      // Still accepted by the targeted (older) CoreDNS.
      this.optionVersion(tok, name);
      this.dispenser?.remainingArgTokens();
      return;
    }
    if (o?.versions?.removed && compareVersions(this.version, o.versions.removed) >= 0) {
      this.error(
        "OPTION_REMOVED",
        tok,
        removedText(this.plugin, name, o.versions.removed, o.versions.replacedBy, o.versions.note),
        corednsMessage,
      );
      this.dispenser?.remainingArgTokens();
      return;
    }
    const known = [
      ...(this.spec?.options ?? [])
        .filter((x) => !(x.versions?.removed && compareVersions(this.version, x.versions.removed) >= 0))
        .map((x) => x.name),
      ...(extra ?? []),
    ];
    const suggestion = closest(name, known);
    let message = `Unknown option '${name}' for ${this.plugin}.`;
    if (suggestion) message += ` Did you mean '${suggestion}'?`;
    if (known.length) message += ` Valid options: ${known.join(", ")}.`;
    else message += ` ${this.plugin} takes no options.`;
    this.error("PLUGIN_UNKNOWN_OPTION", tok, message, corednsMessage);
    const reported = this.diagnostics[this.diagnostics.length - 1];
    if (suggestion && reported) reported.suggestion = suggestion;
    // The rest of the line belongs to the unknown option; do not report it again.
    this.dispenser?.remainingArgTokens();
  }
}

const EMPTY_INDEX: ReadonlyMap<string, OptionSpec> = new Map();
const INDEXES = new WeakMap<PluginSpec, ReadonlyMap<string, OptionSpec>>();

function optionIndexOf(spec: PluginSpec): ReadonlyMap<string, OptionSpec> {
  let m = INDEXES.get(spec);
  if (!m) {
    m = new Map(spec.options.map((o) => [o.name, o]));
    INDEXES.set(spec, m);
  }
  return m;
}

function removedText(plugin: string, name: string, removed: string, replacedBy?: string, note?: string): string {
  return `Option '${name}' was removed from ${plugin} in CoreDNS ${removed}${note ? ` (${note})` : ""}.${
    replacedBy ? ` Use ${replacedBy} instead.` : " Delete this line."
  }`;
}

/** The closest candidate by edit distance, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 4) return 99;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
