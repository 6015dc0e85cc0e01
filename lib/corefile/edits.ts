/**
 * Structured edits behind the visual editor: add, remove, move and change directives and server blocks by their
 * position in the tree, as minimal text edits that leave every other byte (comments, blank lines, the author's
 * spacing) untouched. Rules (addressing, comment ownership, indentation, quoting) are documented in FORMAT.md.
 *
 * Addressing: `block` is an index among the file's server blocks only (snippets `(name) { }` and top-level `import`
 * lines are not counted); `directive` / `index` is an index in that block's `body` (directives and `import` lines).
 *
 * Every function returns `{ ok: true, title, edits }` (a TextChange) or `{ ok: false, reason }`; none throws.
 */
import { isNode, type BlockNode, type BodyItem, type Child, type Document, type DirectiveNode, type ServerBlockNode } from "./cst";
import { braceProblem, dominantEol, formatDocument } from "./format";
import { isGoSpace, tokenize, type Token, type Trivia } from "./lexer";
import { parse, type ParseResult } from "./parse";
import { applyEdits, type TextChange, type TextEdit } from "./text-edit";

/** A successful structured edit (a TextChange) or the reason it cannot be made. */
export type EditResult = (TextChange & { ok: true }) | { ok: false; reason: string };

/** Where a directive is: server block index, index in its body. */
export interface DirectiveAddress {
  block: number;
  directive: number;
}

/** Applies a change's edits to `text`. */
export function applyChange(text: string, change: TextChange): string {
  return applyEdits(text, change.edits);
}

/**
 * How an argument value is written in a Corefile: as is when it is a plain word, else in double quotes with `"`
 * escaped as `\"`. Null when no spelling gives back exactly this value: `{` and `}` (caddy treats them as braces even
 * when quoted) and values that would need a backslash right before a quote, or at the end, inside quotes.
 */
export function quoteArg(value: string): string | null {
  if (value === "{" || value === "}") return null;
  let plain = value !== "";
  for (let i = 0; i < value.length && plain; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22 || c === 0x23 || c === 0x0a || isGoSpace(c)) plain = false;
  }
  const raw = plain ? value : `"${value.replace(/"/g, '\\"')}"`;
  // The lexer has the last word: the spelling must read back as exactly one token with exactly this value.
  const toks = tokenize(raw);
  const only = toks[0];
  return toks.length === 1 && only && only.text === value && only.raw === raw && !only.unterminated ? raw : null;
}

// ---- shared context --------------------------------------------------------------------------------------------------

const fail = (reason: string): EditResult => ({ ok: false, reason });

/** Everything the edits need to know about one text. */
class Ctx {
  readonly doc: Document;
  readonly eol: string;
  readonly unit: string;
  readonly blocks: ServerBlockNode[];
  readonly comments = new Map<number, Trivia>();
  /** Offsets just after each `\n` that is between tokens (not inside a quoted value). */
  readonly lineBreaks: number[] = [];
  /** 1 when the text starts with a byte-order mark (which must stay first), else 0. */
  readonly base: number;

  constructor(
    readonly text: string,
    parsed: ParseResult | undefined,
  ) {
    this.doc = (parsed ?? parse(text, { directives: null })).cst;
    this.base = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.eol = dominantEol(this.doc, text);
    this.blocks = this.doc.items.filter((i): i is ServerBlockNode => i.kind === "ServerBlock");
    const visit = (children: Child[]): void => {
      for (const c of children) {
        if (isNode(c)) visit(c.children);
        else if (c.kind === "comment") this.comments.set(c.start, c);
        else if (c.kind === "newline") this.lineBreaks.push(c.end);
      }
    };
    visit(this.doc.children);
    this.unit = this.detectUnit();
  }

  /** The brace-structure problem that makes structured edits unsafe, as a failure, or null. */
  problem(): EditResult | null {
    const p = braceProblem(this.doc, this.text);
    return p ? fail(`The Corefile's braces do not pair up (line ${p.line}): ${p.reason}`) : null;
  }

  /** Start of the line containing `off` (a leading byte-order mark stays before every line). */
  lineStart(off: number): number {
    return Math.max(this.text.lastIndexOf("\n", off - 1) + 1, this.base);
  }

  /** Offset just after the `\n` ending the line that contains `off` (the text length on the last line). */
  lineEndIncl(off: number): number {
    const i = this.text.indexOf("\n", off);
    return i < 0 ? this.text.length : i + 1;
  }

  /** Whether text[a, b) is whitespace other than line breaks. */
  blank(a: number, b: number): boolean {
    for (let i = a; i < b; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || !isGoSpace(c)) return false;
    }
    return true;
  }

  /** The leading spaces and tabs of the line containing `off`. */
  indentAt(off: number): string {
    const ls = this.lineStart(off);
    let e = ls;
    while (e < this.text.length && (this.text[e] === " " || this.text[e] === "\t")) e++;
    return this.text.slice(ls, e);
  }

  /** Whether the line starting at `ls` has only whitespace. */
  blankLine(ls: number): boolean {
    if (ls >= this.text.length) return false;
    const nl = this.text.indexOf("\n", ls);
    return nl >= 0 && this.blank(ls, nl);
  }

  /** Whether the rest of the line after `off` is whitespace, optionally followed by one comment. */
  restIsEnd(off: number, allowComment: boolean): boolean {
    const le = this.text.indexOf("\n", off);
    const end = le < 0 ? this.text.length : le;
    let i = off;
    while (i < end && isGoSpace(this.text.charCodeAt(i))) i++;
    if (i === end) return true;
    const c = this.comments.get(i);
    return allowComment && c !== undefined && !c.inWord && this.blank(c.end, end);
  }

  /**
   * The lines an item occupies, with the own-line comments that belong to it: the unbroken run of comment-only lines
   * directly above its first line (a blank line or any line with a token ends the run). Null when the item shares a
   * line with something else.
   */
  extent(start: number, end: number, allowTrailingComment = false): { start: number; end: number } | null {
    const ls = this.lineStart(start);
    if (!this.blank(ls, start) || !this.restIsEnd(end, allowTrailingComment)) return null;
    let first = ls;
    while (first > this.base) {
      const prev = this.lineStart(first - 1);
      let p = prev;
      while (p < first - 1 && isGoSpace(this.text.charCodeAt(p))) p++;
      const c = this.comments.get(p);
      if (!c || c.inWord || !this.blank(c.end, first - 1)) break;
      first = prev;
    }
    return { start: first, end: this.lineEndIncl(end) };
  }

  /** The most common indentation step in the file (default four spaces). */
  private detectUnit(): string {
    const counts = new Map<string, number>();
    const note = (item: { start: number }, parentIndent: string): void => {
      const ls = this.lineStart(item.start);
      if (!this.blank(ls, item.start)) return;
      const ind = this.indentAt(item.start);
      if (ind.length > parentIndent.length && ind.startsWith(parentIndent)) {
        const step = ind.slice(parentIndent.length);
        if (/^( +|\t+)$/.test(step)) counts.set(step, (counts.get(step) ?? 0) + 1);
      }
    };
    const walk = (items: BodyItem[], parentIndent: string, depth: number): void => {
      if (depth > 8) return;
      for (const it of items) {
        note(it, parentIndent);
        if (it.kind === "Directive") for (const b of it.blocks) walk(b.body, this.indentAt(it.start), depth + 1);
      }
    };
    for (const item of this.doc.items) if (item.kind !== "Import" && item.open) walk(item.body, this.indentAt(item.start), 0);
    let best = "    ";
    let bestCount = 0;
    for (const [step, n] of counts) if (n > bestCount) [best, bestCount] = [step, n];
    return best;
  }

  /**
   * Lays out a fragment (one directive, or a whole block body) at a given indentation, in the canonical style, by
   * formatting it inside a dummy server block. Null when the fragment is not exactly one directive / a body.
   */
  fragment(source: string, baseIndent: string, mode: "directive" | "body"): string | null {
    const wrapped = `x {\n${source}\n}\n`;
    const r = parse(wrapped, { directives: null });
    const item = r.cst.items[0];
    if (r.cst.items.length !== 1 || !item || item.kind !== "ServerBlock" || !item.open || !item.close) return null;
    if (item.keys.length !== 1 || item.keys[0]?.text !== "x") return null;
    const toks = tokenize(wrapped);
    if (toks[toks.length - 1]?.start !== item.close.start) return null;
    if (mode === "directive" && item.body.length !== 1) return null;
    const unit = this.unitUnder(baseIndent);
    const f = formatDocument(r.cst, wrapped, (d) => (d === 0 ? "" : baseIndent + unit.repeat(d - 1)), this.eol);
    if (f.skipped) return null;
    const head = `x {${this.eol}`;
    const tail = `}${this.eol}`;
    if (!f.text.startsWith(head) || !f.text.endsWith(tail)) return null;
    return f.text.slice(head.length, f.text.length - tail.length);
  }

  /**
   * The indentation step for lines nested below `baseIndent`: the file's step, unless the target is indented with the
   * other character (a tab-indented block in a space-indented file, or the reverse), where mixing would look broken.
   */
  private unitUnder(baseIndent: string): string {
    const tabs = /^\t+$/.test(baseIndent);
    const spaces = /^ +$/.test(baseIndent);
    if (tabs && !this.unit.startsWith("\t")) return "\t";
    if (spaces && this.unit.startsWith("\t")) return baseIndent.length <= 8 ? baseIndent : "    ";
    return this.unit;
  }

  /** Pieces-aware re-indentation of whole lines [start, end): lines starting with `from` get `to` instead. */
  reindent(start: number, end: number, from: string, to: string): string {
    const starts = [start, ...this.lineBreaks.filter((b) => b > start && b < end)];
    let out = "";
    let cursor = start;
    for (const ls of starts) {
      out += this.text.slice(cursor, ls);
      let e = ls;
      while (e < end && (this.text[e] === " " || this.text[e] === "\t")) e++;
      const nl = this.text.indexOf("\n", ls);
      const lineEnd = nl < 0 || nl >= end ? end : nl;
      if (this.blank(ls, lineEnd)) {
        cursor = ls;
        continue;
      }
      const ws = this.text.slice(ls, e);
      out += ws.startsWith(from) ? to + ws.slice(from.length) : to;
      cursor = e;
    }
    out += this.text.slice(cursor, end);
    return out;
  }
}

// ---- body helpers ----------------------------------------------------------------------------------------------------

/** A list of items with a parent that may be a server block (with or without braces) or a nested block. */
interface Container {
  body: BodyItem[];
  open?: Token;
  close?: Token;
  /** Offset of the parent line (keys line / directive line) for the default indentation. */
  parentAt: number;
  /** Offset where the keys line ends (for a brace-less block with an empty body). */
  keysEnd: number;
  braceless: boolean;
}

function serverContainer(sb: ServerBlockNode): Container {
  const lastKey = sb.keys[sb.keys.length - 1];
  const c: Container = {
    body: sb.body,
    parentAt: sb.start,
    keysEnd: lastKey ? lastKey.end : sb.start,
    braceless: !sb.open,
  };
  if (sb.open) c.open = sb.open;
  if (sb.close) c.close = sb.close;
  return c;
}

function blockContainer(d: DirectiveNode, b: BlockNode): Container {
  const c: Container = { body: b.body, open: b.open, parentAt: d.start, keysEnd: b.open.end, braceless: false };
  if (b.close) c.close = b.close;
  return c;
}

/** Indentation for an item at `index` of `items`: a neighbour's, any sibling's, or the parent's plus one step. */
function siblingIndent(ctx: Ctx, c: Container, items: BodyItem[], index: number): string {
  for (const it of [items[index], items[index - 1], ...items]) {
    if (it && ctx.blank(ctx.lineStart(it.start), it.start)) return ctx.indentAt(it.start);
  }
  return c.braceless ? ctx.indentAt(c.parentAt) : ctx.indentAt(c.parentAt) + ctx.unit;
}

/**
 * Where to insert whole lines so that they become item `index` of `items` (the container's body, possibly without an
 * item being moved away): just after the previous item's last line, else before the first item's own comments, else
 * (empty body) just after the line of the `{`. `inline` is set for `{ }` on one line.
 */
function insertionPoint(ctx: Ctx, c: Container, items: BodyItem[], index: number): { at: number; inline?: true } | string {
  const prev = items[index - 1];
  if (prev) {
    const ext = ctx.extent(prev.start, prev.end);
    if (!ext) return "the directive before that position shares its line with something else; format the Corefile first";
    return { at: ext.end };
  }
  const first = items[0];
  if (first) {
    const ext = ctx.extent(first.start, first.end);
    if (!ext) return "the first directive of the block shares its line with '{' or something else; format the Corefile first";
    return { at: ext.start };
  }
  if (c.braceless) return { at: ctx.lineEndIncl(c.keysEnd) };
  if (!c.close || !c.open) return "the block is not closed";
  // Right after the `{` line: comments in an empty block stay below the new lines (and keep belonging to no one).
  const afterOpen = ctx.lineEndIncl(c.open.end);
  if (afterOpen <= c.close.start && ctx.restIsEnd(c.open.end, true)) return { at: afterOpen };
  if (ctx.text.lastIndexOf("\n", c.close.start) < c.open.end && ctx.blank(c.open.end, c.close.start)) return { at: c.open.end, inline: true };
  return "the block's '}' shares its line with something else; format the Corefile first";
}

/** The edit inserting whole `lines` (each ending with the line break) at an insertion point. */
function insertLines(ctx: Ctx, c: Container, point: { at: number; inline?: true }, lines: string): TextEdit {
  if (point.inline && c.open && c.close) {
    // `{ }` → `{`, the lines, `}` on its own line aligned with the opener.
    return { start: c.open.end, end: c.close.start, newText: ctx.eol + lines + ctx.indentAt(c.parentAt) };
  }
  const atEof = point.at === ctx.text.length && ctx.text.length > 0 && !ctx.text.endsWith("\n");
  return { start: point.at, end: point.at, newText: (atEof ? ctx.eol : "") + lines };
}

/** The edit removing an item's lines (and comments), plus one blank line when it would leave a doubled or stray one. */
function removalRange(ctx: Ctx, ext: { start: number; end: number }, c: Container): { start: number; end: number } {
  let { start, end } = ext;
  const blankBefore = start > 0 && ctx.blankLine(ctx.lineStart(start - 1));
  const blankAfter = ctx.blankLine(end);
  const closeAfter = c.close !== undefined && c.close.start >= end && ctx.blank(end, c.close.start);
  const openBefore = c.open !== undefined && start > 0 && c.open.end <= start && ctx.lineStart(start - 1) <= c.open.start;
  if (blankAfter && (blankBefore || openBefore)) end = ctx.lineEndIncl(end);
  else if (blankBefore && closeAfter) start = ctx.lineStart(start - 1);
  return { start, end };
}

function itemName(it: BodyItem): string {
  return it.kind === "Import" ? "import" : it.name.text;
}

/** The server block and item an address points at, or a failure. */
function locate(ctx: Ctx, addr: DirectiveAddress): { sb: ServerBlockNode; item: BodyItem } | Failure {
  const sb = ctx.blocks[addr.block];
  if (!sb) return failure(`There is no server block #${addr.block} (the file has ${ctx.blocks.length}).`);
  const item = sb.body[addr.directive];
  if (!item) return failure(`Server block #${addr.block} has no directive #${addr.directive} (it has ${sb.body.length}).`);
  return { sb, item };
}

type Failure = { ok: false; reason: string };

function failure(reason: string): Failure {
  return { ok: false, reason };
}

function isFailure(x: object): x is Failure {
  return "ok" in x && (x as { ok: unknown }).ok === false;
}

function done(title: string, edits: TextEdit[]): EditResult {
  return { ok: true, title, edits };
}

// ---- directives ------------------------------------------------------------------------------------------------------

/**
 * Inserts a directive (its whole text: name, arguments, optional `{ }` block, even own-line comments above it) as item
 * `index` (default: last) of a server block, laid out in the canonical style at the siblings' indentation.
 */
export function addDirective(
  text: string,
  params: { block: number; index?: number; directive: string },
  parsed?: ParseResult,
): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const sb = ctx.blocks[params.block];
  if (!sb) return fail(`There is no server block #${params.block} (the file has ${ctx.blocks.length}).`);
  const index = params.index ?? sb.body.length;
  if (!Number.isInteger(index) || index < 0 || index > sb.body.length) return fail(`Position ${index} is outside the block.`);
  const c = serverContainer(sb);
  const indent = siblingIndent(ctx, c, sb.body, index);
  const lines = ctx.fragment(params.directive, indent, "directive");
  if (lines === null) return fail("The text is not exactly one directive with balanced braces.");
  const point = insertionPoint(ctx, c, sb.body, index);
  if (typeof point === "string") return fail(`Cannot insert there: ${point}.`);
  const name = tokenize(params.directive)[0]?.text ?? "";
  return done(`Add '${name}'`, [insertLines(ctx, c, point, lines)]);
}

/**
 * Removes a directive's lines, with the own-line comments right above it (they belong to it) and its end-of-line
 * comment. A blank line that would end up doubled, or right before the closing `}`, goes too.
 */
export function removeDirective(text: string, params: DirectiveAddress, parsed?: ParseResult): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const found = locate(ctx, params);
  if (isFailure(found)) return found;
  const { sb, item } = found;
  const ext = ctx.extent(item.start, item.end);
  if (!ext) return fail(`'${itemName(item)}' shares its line with something else; format the Corefile first.`);
  const range = removalRange(ctx, ext, serverContainer(sb));
  return done(`Remove '${itemName(item)}'`, [{ start: range.start, end: range.end, newText: "" }]);
}

/**
 * Moves a directive (with its comments) to position `to.index` of server block `to.block`, counted after the
 * directive has been taken out; re-indented to the target's indentation.
 */
export function moveDirective(
  text: string,
  params: { from: DirectiveAddress; to: { block: number; index: number } },
  parsed?: ParseResult,
): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const found = locate(ctx, params.from);
  if (isFailure(found)) return found;
  const { sb, item } = found;
  const target = ctx.blocks[params.to.block];
  if (!target) return fail(`There is no server block #${params.to.block} (the file has ${ctx.blocks.length}).`);
  const items = target === sb ? sb.body.filter((i) => i !== item) : target.body;
  const index = params.to.index;
  if (!Number.isInteger(index) || index < 0 || index > items.length) return fail(`Position ${index} is outside the target block.`);
  const title = `Move '${itemName(item)}'`;
  if (target === sb && index === params.from.directive) return done(title, []);
  const ext = ctx.extent(item.start, item.end);
  if (!ext) return fail(`'${itemName(item)}' shares its line with something else; format the Corefile first.`);
  const tc = serverContainer(target);
  const point = insertionPoint(ctx, tc, items, index);
  if (typeof point === "string") return fail(`Cannot move there: ${point}.`);
  const range = removalRange(ctx, ext, serverContainer(sb));
  if (point.at > range.start && point.at < range.end) return fail("The target position is inside the moved lines.");
  let moved = ctx.reindent(ext.start, ext.end, ctx.indentAt(item.start), siblingIndent(ctx, tc, items, index));
  if (!moved.endsWith("\n")) moved += ctx.eol;
  return done(title, [{ start: range.start, end: range.end, newText: "" }, insertLines(ctx, tc, point, moved)]);
}

/** Quotes every value, or says which one cannot be written. */
function quoteAll(values: readonly string[]): string[] | string {
  const out: string[] = [];
  for (const v of values) {
    const q = quoteArg(v);
    if (q === null) return `the value ${JSON.stringify(v)} cannot be written as one Corefile argument`;
    out.push(q);
  }
  return out;
}

/** The edit replacing the arguments written before a directive's first block (or at the end of an import). */
function argsEdit(item: BodyItem, quoted: string[]): TextEdit | string {
  const nameTok = item.kind === "Import" ? item.keyword : item.name;
  const firstBlock = item.kind === "Directive" ? item.blocks[0] : undefined;
  const args = item.args;
  if (firstBlock && args.some((a) => a.start > firstBlock.start)) return "it has arguments after its block";
  const last = args[args.length - 1];
  return { start: nameTok.end, end: last ? last.end : nameTok.end, newText: quoted.length ? " " + quoted.join(" ") : "" };
}

/**
 * Replaces a directive's arguments (those on its line, before any `{`), keeping its name, block and comment. Values
 * are quoted when needed (see {@link quoteArg}).
 */
export function setDirectiveArgs(
  text: string,
  params: DirectiveAddress & { args: readonly string[] },
  parsed?: ParseResult,
): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const found = locate(ctx, params);
  if (isFailure(found)) return found;
  if (found.item.kind === "Import" && (params.args.length !== 1 || params.args[0] === "")) {
    return fail("'import' takes exactly one argument: a snippet name or a file path / glob.");
  }
  const quoted = quoteAll(params.args);
  if (typeof quoted === "string") return fail(`Cannot set the arguments: ${quoted}.`);
  const edit = argsEdit(found.item, quoted);
  if (typeof edit === "string") return fail(`Cannot set the arguments of '${itemName(found.item)}': ${edit}.`);
  const same = text.slice(edit.start, edit.end) === edit.newText;
  return done(`Set the arguments of '${itemName(found.item)}'`, same ? [] : [edit]);
}

/**
 * Sets a sub-directive line (`option args...`) inside a directive's `{ }` block (its first block):
 * - `args` given: replaces the arguments of the first line named `option`, or adds the line at the end of the block,
 *   creating the block (after the last argument) when the directive has none;
 * - `args` null: removes every line named `option` (with their comments); a block left empty and without comments is
 *   removed too, so creating a block and removing its only option gives back the original text.
 */
export function setBlockOption(
  text: string,
  params: DirectiveAddress & { option: string; args: readonly string[] | null },
  parsed?: ParseResult,
): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const found = locate(ctx, params);
  if (isFailure(found)) return found;
  const d = found.item;
  if (d.kind !== "Directive") return fail("An import line has no block.");
  const opt = quoteArg(params.option);
  if (opt === null || opt !== params.option || params.option === "") return fail(`'${params.option}' is not a valid option name.`);
  const title = params.args === null ? `Remove '${params.option}' from '${d.name.text}'` : `Set '${params.option}' in '${d.name.text}'`;
  const block = d.blocks[0];
  const matches = block ? block.body.filter((i) => itemName(i) === params.option) : [];

  if (params.args === null) {
    if (!block || matches.length === 0) return done(title, []);
    const c = blockContainer(d, block);
    const exts: { start: number; end: number }[] = [];
    for (const m of matches) {
      const ext = ctx.extent(m.start, m.end);
      if (!ext) return fail(`'${params.option}' shares its line with something else; format the Corefile first.`);
      exts.push(ext);
    }
    // Collapse `name args {\n opt\n}` back to `name args` when nothing else (no other line, no comment) is inside.
    const before = lastTokenBefore(d, block);
    if (block.close && matches.length === block.body.length && d.blocks.length === 1 && before) {
      const onlyRemoved = [...ctx.comments.values()].every(
        (cm) => cm.start < before.end || cm.start >= block.close!.end || exts.some((e) => cm.start >= e.start && cm.start < e.end),
      );
      const after = d.args.some((a) => a.start > block.start);
      if (onlyRemoved && !after && ctx.restIsEnd(block.close.end, true)) {
        return done(title, [{ start: before.end, end: block.close.end, newText: "" }]);
      }
    }
    return done(
      title,
      exts.map((e) => {
        const r = removalRange(ctx, e, c);
        return { start: r.start, end: r.end, newText: "" };
      }),
    );
  }

  const quoted = quoteAll(params.args);
  if (typeof quoted === "string") return fail(`Cannot set '${params.option}': ${quoted}.`);
  const first = matches[0];
  if (first) {
    const edit = argsEdit(first, quoted);
    if (typeof edit === "string") return fail(`Cannot set '${params.option}': ${edit}.`);
    return done(title, text.slice(edit.start, edit.end) === edit.newText ? [] : [edit]);
  }
  const line = [opt, ...quoted].join(" ");
  if (!block) {
    // No block yet: ` {`, the option, `}` aligned with the directive, inserted after the last argument (an
    // end-of-line comment stays at the end, after the `}`).
    const at = lastTokenBefore(d, undefined);
    if (!at || !ctx.blank(ctx.lineStart(d.start), d.start) || !ctx.restIsEnd(d.end, true)) {
      return fail(`'${d.name.text}' shares its line with something else; format the Corefile first.`);
    }
    const ind = ctx.indentAt(d.start);
    const newText = ` {${ctx.eol}${ind}${ctx.unit}${line}${ctx.eol}${ind}}`;
    return done(title, [{ start: at.end, end: at.end, newText }]);
  }
  const c = blockContainer(d, block);
  const point = insertionPoint(ctx, c, block.body, block.body.length);
  if (typeof point === "string") return fail(`Cannot add '${params.option}': ${point}.`);
  const indent = siblingIndent(ctx, c, block.body, block.body.length);
  return done(title, [insertLines(ctx, c, point, indent + line + ctx.eol)]);
}

/**
 * Sets every line named `option` inside a directive's first `{ }` block to `lines` (one argument list per line), the
 * repeatable-option counterpart of {@link setBlockOption}: existing lines are rewritten in place (pairwise, in order),
 * surplus lines are removed with their comments, and missing ones are added after the last existing line (or at the end
 * of the block, creating the block when the directive has none). An empty `lines` removes every such line, exactly as
 * `setBlockOption` with `args: null` does.
 */
export function setOptionLines(
  text: string,
  params: DirectiveAddress & { option: string; lines: readonly (readonly string[])[] },
  parsed?: ParseResult,
): EditResult {
  if (params.lines.length === 0) return setBlockOption(text, { ...params, args: null }, parsed);
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const found = locate(ctx, params);
  if (isFailure(found)) return found;
  const d = found.item;
  if (d.kind !== "Directive") return fail("An import line has no block.");
  const opt = quoteArg(params.option);
  if (opt === null || opt !== params.option || params.option === "") return fail(`'${params.option}' is not a valid option name.`);
  const quotedLines: string[][] = [];
  for (const l of params.lines) {
    const q = quoteAll(l);
    if (typeof q === "string") return fail(`Cannot set '${params.option}': ${q}.`);
    quotedLines.push(q);
  }
  const title = `Set '${params.option}' in '${d.name.text}'`;
  const block = d.blocks[0];
  const matches = block ? block.body.filter((i) => itemName(i) === params.option) : [];
  const edits: TextEdit[] = [];
  const paired = Math.min(matches.length, quotedLines.length);
  for (let i = 0; i < paired; i++) {
    const edit = argsEdit(matches[i] as BodyItem, quotedLines[i] as string[]);
    if (typeof edit === "string") return fail(`Cannot set '${params.option}': ${edit}.`);
    if (text.slice(edit.start, edit.end) !== edit.newText) edits.push(edit);
  }
  if (block && matches.length > quotedLines.length) {
    const c = blockContainer(d, block);
    for (const m of matches.slice(paired)) {
      const ext = ctx.extent(m.start, m.end);
      if (!ext) return fail(`'${params.option}' shares its line with something else; format the Corefile first.`);
      const r = removalRange(ctx, ext, c);
      edits.push({ start: r.start, end: r.end, newText: "" });
    }
  }
  const extra = quotedLines.slice(paired).map((q) => [opt, ...q].join(" "));
  if (extra.length > 0) {
    if (!block) {
      const at = lastTokenBefore(d, undefined);
      if (!at || !ctx.blank(ctx.lineStart(d.start), d.start) || !ctx.restIsEnd(d.end, true)) {
        return fail(`'${d.name.text}' shares its line with something else; format the Corefile first.`);
      }
      const ind = ctx.indentAt(d.start);
      const body = extra.map((l) => `${ind}${ctx.unit}${l}${ctx.eol}`).join("");
      edits.push({ start: at.end, end: at.end, newText: ` {${ctx.eol}${body}${ind}}` });
    } else {
      const c = blockContainer(d, block);
      const last = matches[matches.length - 1];
      const index = last ? block.body.indexOf(last) + 1 : block.body.length;
      const point = insertionPoint(ctx, c, block.body, index);
      if (typeof point === "string") return fail(`Cannot add '${params.option}': ${point}.`);
      const indent = siblingIndent(ctx, c, block.body, index);
      edits.push(insertLines(ctx, c, point, extra.map((l) => indent + l + ctx.eol).join("")));
    }
  }
  return done(title, edits);
}

/** The lines a top-level item or a body item occupies, with the comments that belong to it (see FORMAT.md). */
export type ItemLines = { start: number; end: number };

/** Reads line extents of items of one text, for the visual editor (one pass over the text, then cheap lookups). */
export interface LineReader {
  /**
   * A directive's or import line's lines with its own comments (the comment-only lines directly above it and its
   * end-of-line comment); null when it shares a line with something else (edits then refuse to move it).
   */
  itemLines(item: BodyItem): ItemLines | null;
  /** A server block's lines with its comments above and after its `}`; null when it shares a line. */
  blockLines(block: ServerBlockNode): ItemLines | null;
  /** The brace problem that makes every structured edit refuse the text, or null. */
  braceProblem(): { reason: string; line: number; column: number } | null;
  /** The file's indentation step (most common one, default four spaces). */
  indentUnit: string;
}

/** A {@link LineReader} over `text` (pass the parse result when you have it). */
export function createLineReader(text: string, parsed?: ParseResult): LineReader {
  const ctx = new Ctx(text, parsed);
  return {
    itemLines: (item) => ctx.extent(item.start, item.end),
    blockLines: (block) => blockExtent(ctx, block),
    braceProblem: () => braceProblem(ctx.doc, text),
    indentUnit: ctx.unit,
  };
}

/** The directive's last token before `block` (or its last token outside blocks when `block` is undefined). */
function lastTokenBefore(d: DirectiveNode, block: BlockNode | undefined): Token | undefined {
  let last: Token | undefined = d.name;
  for (const a of d.args) if (!block || a.start < block.start) last = a;
  return last;
}

// ---- server blocks ---------------------------------------------------------------------------------------------------

/** Checks server-block keys: non-empty plain words (no spaces, quotes, `#`, lone braces, trailing comma). */
function keysError(keys: readonly string[]): string | null {
  if (keys.length === 0) return "a server block needs at least one key";
  for (const k of keys) {
    if (quoteArg(k) !== k || k.endsWith(",")) return `${JSON.stringify(k)} is not a valid server-block key`;
  }
  return null;
}

/** A server block's lines: its own comments above, its keys line through the `}` line (with an end-of-line comment). */
function blockExtent(ctx: Ctx, sb: ServerBlockNode): { start: number; end: number } | null {
  const first = sb.keys[0];
  if (!first) return null;
  const end = sb.close ? sb.close.end : sb.end;
  return ctx.extent(first.start, end, true);
}

/** Removal range of a server block: its lines plus one neighbouring blank line (after, else before). */
function blockRemoval(ctx: Ctx, ext: { start: number; end: number }): { start: number; end: number } {
  if (ctx.blankLine(ext.end)) return { start: ext.start, end: ctx.lineEndIncl(ext.end) };
  if (ext.start > 0 && ctx.blankLine(ctx.lineStart(ext.start - 1))) return { start: ctx.lineStart(ext.start - 1), end: ext.end };
  return ext;
}

/** The edit placing a whole server block text (ending with a line break) before `before` or at the end of the file. */
function placeBlock(ctx: Ctx, blockText: string, before: ServerBlockNode | undefined): TextEdit | string {
  if (before) {
    const ext = blockExtent(ctx, before);
    if (!ext) return "the server block there shares a line with something else; format the Corefile first";
    return { start: ext.start, end: ext.start, newText: blockText + ctx.eol };
  }
  const lastItem = ctx.doc.items[ctx.doc.items.length - 1];
  if (lastItem && lastItem.kind === "ServerBlock" && !lastItem.open) {
    return "the last server block has no braces, so anything after it would become part of it";
  }
  const t = ctx.text;
  if (t.trim() === "") return { start: t.length, end: t.length, newText: blockText };
  let prefix: string;
  if (!t.endsWith("\n")) prefix = ctx.eol + ctx.eol;
  else prefix = ctx.blankLine(ctx.lineStart(t.length - 1)) ? "" : ctx.eol;
  return { start: t.length, end: t.length, newText: prefix + blockText };
}

/**
 * Adds a server block `keys... {` with `body` (directive lines, laid out in the canonical style) before server block
 * `index` (and its comments), default at the end of the file, separated by a blank line.
 */
export function addServerBlock(
  text: string,
  params: { index?: number; keys: readonly string[]; body?: string },
  parsed?: ParseResult,
): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const kerr = keysError(params.keys);
  if (kerr) return fail(`Cannot add the server block: ${kerr}.`);
  const index = params.index ?? ctx.blocks.length;
  if (!Number.isInteger(index) || index < 0 || index > ctx.blocks.length) return fail(`Position ${index} is outside the file.`);
  const body = ctx.fragment(params.body ?? "", ctx.unit, "body");
  if (body === null) return fail("The body is not a list of directives with balanced braces.");
  const blockText = `${params.keys.join(" ")} {${ctx.eol}${body}}${ctx.eol}`;
  const edit = placeBlock(ctx, blockText, ctx.blocks[index]);
  if (typeof edit === "string") return fail(`Cannot add the server block: ${edit}.`);
  return done(`Add server block '${params.keys.join(" ")}'`, [edit]);
}

/** Removes a server block: its lines, the comments right above it, and one neighbouring blank line. */
export function removeServerBlock(text: string, params: { block: number }, parsed?: ParseResult): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const sb = ctx.blocks[params.block];
  if (!sb) return fail(`There is no server block #${params.block} (the file has ${ctx.blocks.length}).`);
  const ext = blockExtent(ctx, sb);
  if (!ext) return fail("The server block shares a line with something else; format the Corefile first.");
  const r = blockRemoval(ctx, ext);
  return done(`Remove server block '${sb.keys.map((k) => k.text).join(" ")}'`, [{ start: r.start, end: r.end, newText: "" }]);
}

/** Moves a server block (with its comments) so that it becomes server block `to` (counted after taking it out). */
export function moveServerBlock(text: string, params: { from: number; to: number }, parsed?: ParseResult): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const sb = ctx.blocks[params.from];
  if (!sb) return fail(`There is no server block #${params.from} (the file has ${ctx.blocks.length}).`);
  const others = ctx.blocks.filter((b) => b !== sb);
  const to = params.to;
  if (!Number.isInteger(to) || to < 0 || to > others.length) return fail(`Position ${to} is outside the file.`);
  const title = `Move server block '${sb.keys.map((k) => k.text).join(" ")}'`;
  if (to === params.from) return done(title, []);
  if (!sb.open) return fail("A server block without braces cannot be moved.");
  const ext = blockExtent(ctx, sb);
  if (!ext) return fail("The server block shares a line with something else; format the Corefile first.");
  let moved = ctx.text.slice(ext.start, ext.end);
  if (!moved.endsWith("\n")) moved += ctx.eol;
  const removal = blockRemoval(ctx, ext);
  // Moving to the end means another block follows this one, so the end of the file is not in the removed range.
  const insert = placeBlock(ctx, moved, others[to]);
  if (typeof insert === "string") return fail(`Cannot move the server block: ${insert}.`);
  return done(title, [{ start: removal.start, end: removal.end, newText: "" }, insert]);
}

/**
 * Replaces a server block's keys. They are written separated by spaces, or by `, ` when the block separated its keys
 * with commas.
 */
export function setServerBlockKeys(
  text: string,
  params: { block: number; keys: readonly string[] },
  parsed?: ParseResult,
): EditResult {
  const ctx = new Ctx(text, parsed);
  const bad = ctx.problem();
  if (bad) return bad;
  const sb = ctx.blocks[params.block];
  if (!sb) return fail(`There is no server block #${params.block} (the file has ${ctx.blocks.length}).`);
  const kerr = keysError(params.keys);
  if (kerr) return fail(`Cannot set the keys: ${kerr}.`);
  const first = sb.keys[0];
  const last = sb.keys[sb.keys.length - 1];
  if (!first || !last) return fail("The server block has no keys to replace.");
  const inRange = (p: { start: number }): boolean => p.start > first.start && p.start < last.end;
  if ([...ctx.comments.values()].some(inRange)) return fail("There are comments between the keys; edit them in the text.");
  if (sb.children.some((c) => isNode(c) && inRange(c))) return fail("The keys come partly from an import; edit them in the text.");
  const commas = sb.keys.length > 1 && sb.keys.slice(0, -1).every((k) => k.text.endsWith(","));
  const newText = params.keys.join(commas ? ", " : " ");
  const title = `Set the keys of server block #${params.block}`;
  return done(title, ctx.text.slice(first.start, last.end) === newText ? [] : [{ start: first.start, end: last.end, newText }]);
}
