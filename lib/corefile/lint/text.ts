/**
 * Text helpers for quick fixes: line boundaries, indentation detection and the few edit shapes the rules need
 * (insert a directive into a block, delete whole lines, move lines). Every edit touches only the bytes it must.
 */
import type { BlockNode, BodyItem, DirectiveNode, ServerBlockNode } from "../cst";
import type { Token } from "../lexer";
import type { TextEdit } from "../text-edit";

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  const i = text.lastIndexOf("\n", offset - 1);
  return i + 1;
}

/** Offset of the line break (`\n`, or the `\r` of `\r\n`) ending the line holding `offset`, or the text length. */
export function lineEnd(text: string, offset: number): number {
  const i = text.indexOf("\n", offset);
  if (i < 0) return text.length;
  return i > 0 && text.charCodeAt(i - 1) === CR ? i - 1 : i;
}

/** The line break the file uses (`\r\n` when its first line ends that way). */
export function eolOf(text: string): string {
  const i = text.indexOf("\n");
  return i > 0 && text.charCodeAt(i - 1) === CR ? "\r\n" : "\n";
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== CR) return false;
  }
  return true;
}

/** Whether `[start, end)` is alone on its lines (only spaces or tabs around it). */
export function isAloneOnLines(text: string, start: number, end: number): boolean {
  return isBlank(text, lineStart(text, start), start) && isBlank(text, end, lineEnd(text, end));
}

/** The spaces and tabs that start the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  let e = s;
  while (e < text.length) {
    const c = text.charCodeAt(e);
    if (c !== SPACE && c !== TAB) break;
    e++;
  }
  return text.slice(s, e);
}

/** The indentation of the first item of `body` that starts its own line, if any. */
function siblingIndent(text: string, body: readonly BodyItem[]): string | undefined {
  for (const item of body) {
    const first: Token = item.kind === "Directive" ? item.name : item.keyword;
    if (isBlank(text, lineStart(text, first.start), first.start)) return indentAt(text, first.start);
  }
  return undefined;
}

/**
 * One level of indentation as the file uses it: the first directive found that starts its own line, minus the
 * indentation of its server block's first line. Four spaces when the file gives no example.
 */
export function indentUnit(text: string, blocks: readonly ServerBlockNode[]): string {
  for (const b of blocks) {
    const k = b.keys[0];
    if (!k) continue;
    const base = indentAt(text, k.start);
    const inner = siblingIndent(text, b.body);
    if (inner !== undefined && inner.length > base.length && inner.startsWith(base)) return inner.slice(base.length);
  }
  return "    ";
}

/** Where and how to add a line at the end of a `{ }` body. */
type Container = { body: readonly BodyItem[]; open?: Token; close?: Token; start: number };

/**
 * An edit that adds `line` (e.g. `reload`) as the last item of a server block or nested block, indented like its
 * siblings (or one `unit` deeper than `baseIndent` when it has none). Undefined when the block is not closed.
 * A server block without braces gets the line appended at the end of the file.
 */
export function insertLineEdit(text: string, container: Container, line: string, baseIndent: string, unit: string): TextEdit | undefined {
  const eol = eolOf(text);
  const indent = siblingIndent(text, container.body) ?? (container.open ? baseIndent + unit : baseIndent);
  const close = container.close;
  if (!container.open) {
    if (close) return undefined;
    const needsBreak = text.length > 0 && text.charCodeAt(text.length - 1) !== NL;
    return { start: text.length, end: text.length, newText: (needsBreak ? eol : "") + indent + line + eol };
  }
  if (!close) return undefined;
  const ls = lineStart(text, close.start);
  if (isBlank(text, ls, close.start) && ls > container.open.end) {
    return { start: ls, end: ls, newText: indent + line + eol };
  }
  // `}` shares its line with something else (`{ ttl 30 }`): break the line before it (replacing the spaces there).
  let from = close.start;
  while (from > ls) {
    const c = text.charCodeAt(from - 1);
    if (c !== SPACE && c !== TAB) break;
    from--;
  }
  return { start: from, end: close.start, newText: eol + indent + line + eol + baseIndent };
}

/** An edit deleting the whole lines of `[start, end)` (including the final line break). */
export function deleteLinesEdit(text: string, start: number, end: number): TextEdit {
  const s = lineStart(text, start);
  const nl = text.indexOf("\n", end);
  return { start: s, end: nl < 0 ? text.length : nl + 1, newText: "" };
}

/**
 * Edits moving the whole lines of `moved` to just before the line of `before` (both alone on their lines, `moved`
 * after `before`). The moved text keeps its own indentation.
 */
export function moveLinesBeforeEdits(text: string, moved: { start: number; end: number }, before: { start: number }): TextEdit[] {
  const del = deleteLinesEdit(text, moved.start, moved.end);
  let chunk = text.slice(del.start, del.end);
  if (!chunk.endsWith("\n")) chunk += eolOf(text);
  const at = lineStart(text, before.start);
  return [{ start: at, end: at, newText: chunk }, del];
}

/** The offset just after the last token of a directive line (before a trailing comment and before any block). */
export function endOfDirectiveLine(d: DirectiveNode): number {
  const last = d.args[d.args.length - 1];
  return last ? last.end : d.name.end;
}

/** The nested block of a directive, if it has one. */
export function firstBlock(d: DirectiveNode): BlockNode | undefined {
  return d.blocks[0];
}
