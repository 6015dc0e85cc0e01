/**
 * What every lint rule gets: the model, the parse result, the targeted version, and helpers to report findings and
 * build quick fixes.
 */
import type { ServerBlockNode } from "../cst";
import type { Token } from "../lexer";
import type { ParseResult } from "../parse";
import type { TextChange, TextEdit } from "../text-edit";
import { isRootToken, type BlockModel, type Model } from "./model";
import { indentAt, indentUnit, insertLineEdit } from "./text";
import { LINT_RULES, type LintCode, type LintDiagnostic, type LintSeverity } from "./types";

/** A range in a file (1-based, end exclusive). */
export type Range = Pick<LintDiagnostic, "file" | "line" | "column" | "endLine" | "endColumn">;

/** parse() codes after which CoreDNS would have read the whole file: every other error stops caddy early. */
const COMPLETE_PARSE_CODES: ReadonlySet<string> = new Set(["UNKNOWN_DIRECTIVE", "INVALID_SERVER_KEY", "DUPLICATE_SERVER_KEY"]);

export class LintContext {
  readonly out: LintDiagnostic[] = [];
  readonly text: string;
  readonly root: string;
  /** parse() stopped before the end of the file: rules about something missing from the whole file stay quiet. */
  readonly incomplete: boolean;
  private unit: string | undefined;

  constructor(
    readonly model: Model,
    readonly parse: ParseResult,
    readonly version: string,
  ) {
    this.text = model.text;
    this.root = model.root;
    this.incomplete = parse.diagnostics.some((d) => d.severity === "error" && !COMPLETE_PARSE_CODES.has(d.code));
  }

  /** Whether a quick fix may edit at this token (it is in the root file's own text). */
  editable(t: Token): boolean {
    return isRootToken(t, this.root);
  }

  /** Reports a finding covering `from`..`to` (tokens of the same file). */
  report(code: LintCode, message: string, from: Token, to: Token = from, fixes?: TextChange[], severity?: LintSeverity): void {
    this.reportRange(code, message, range(from, to), fixes, severity);
  }

  reportRange(code: LintCode, message: string, r: Range, fixes?: TextChange[], severity?: LintSeverity): void {
    const d: LintDiagnostic = { code, severity: severity ?? LINT_RULES[code].severity, message, ...r };
    if (fixes && fixes.length > 0) d.fixes = fixes;
    this.out.push(d);
  }

  /** One indentation level as the file writes it. */
  indentUnit(): string {
    if (this.unit === undefined) {
      const blocks: ServerBlockNode[] = [];
      for (const item of this.model.cst?.items ?? []) if (item.kind === "ServerBlock") blocks.push(item);
      this.unit = indentUnit(this.text, blocks);
    }
    return this.unit;
  }

  /** An edit adding a directive line at the end of a root-file server block, or undefined when it cannot. */
  insertIntoBlock(bm: BlockModel, line: string): TextEdit | undefined {
    const node = bm.node;
    const k0 = node?.keys[0];
    if (!node || !k0) return undefined;
    return insertLineEdit(this.text, node, line, indentAt(this.text, k0.start), this.indentUnit());
  }
}

/** The range from the start of `from` to the end of `to`. */
export function range(from: Token, to: Token = from): Range {
  return { file: from.file, line: from.line, column: from.column, endLine: to.endLine, endColumn: to.endColumn };
}

/** A one-change fix list. */
export function fix(title: string, edits: TextEdit | TextEdit[] | undefined): TextChange[] | undefined {
  if (!edits) return undefined;
  return [{ title, edits: Array.isArray(edits) ? edits : [edits] }];
}
