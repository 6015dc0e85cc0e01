/**
 * `parse()`: one call that gives both what CoreDNS sees (caddy-equivalent server blocks and CoreDNS's accept/reject
 * decision with its error) and a lossless tree for editing. Pure and synchronous; never throws.
 */
import { caddyParse, type ServerBlock } from "./caddy-parser";
import { materializeTree, type Child, type Document } from "./cst";
import type { Diagnostic } from "./diagnostics";
import { rangeOf } from "./diagnostics";
import { DIRECTIVES } from "./directives";
import type { EnvMap } from "./env";
import { validateKeys, validateServerKeys } from "./keys";
import { fastCaddyParse, mayHaveEnvRefs, type FastCaddyResult } from "./fast-parse";
import { lex, type Piece } from "./lexer";
import { scanTable, type TokenTable } from "./table";
import { buildTreeIndex, flatTreeIndex, type TreeIndex } from "./tree-index";
import { absPath, dirPath, VirtualFs } from "./vfs";

/** Options for {@link parse} and `reloadHash`. */
export interface ParseOptions {
  /** Name of the Corefile, used in messages, on tokens and to resolve relative imports (default `"Corefile"`). */
  filename?: string;
  /** Variables for `{$VAR}` and `{%VAR%}` substitution (default none: every reference becomes empty). */
  env?: Record<string, string | undefined>;
  /**
   * Other files `import` may read, by path (absolute, or relative to the Corefile's directory): other ConfigMap keys,
   * coredns-custom files... The parser never reads a disk.
   */
  files?: Record<string, string>;
  /**
   * Directive names to accept (default: the stock CoreDNS list, {@link DIRECTIVES}); `null` accepts any name. Pass
   * a longer list for a custom CoreDNS build.
   */
  directives?: readonly string[] | null;
}

/** What {@link parse} returns. */
export interface ParseResult {
  /** True when CoreDNS would load this Corefile: no diagnostic has severity `error`. */
  ok: boolean;
  /**
   * caddy's server blocks after env substitution and snippet/import expansion (what plugins receive and what the
   * reload hash is computed from). When parsing stopped at an error, the blocks completed before it.
   */
  serverBlocks: ServerBlock[];
  /** The lossless tree of the root file as objects: `print(cst) === text` (made from `tree` when first read). */
  cst: Document;
  /**
   * The same tree in index form (typed arrays over the token table, no object per node, token or trivia piece), built
   * by every parse. Cheap to walk for a position or an outline without reading `cst`.
   */
  tree: TreeIndex;
  /** All findings, sorted by file (root file first) and position. */
  diagnostics: Diagnostic[];
  /**
   * The error CoreDNS itself would stop at: the first error in caddy's parse order, else the first invalid server-block
   * key, else the first duplicate key. Undefined when `ok`.
   */
  corednsError?: Diagnostic;
}

const DEFAULT_DIRECTIVES: ReadonlySet<string> = new Set(DIRECTIVES);

/** Normalised options shared by parse() and reloadHash(). */
export interface ResolvedOptions {
  filename: string;
  env: EnvMap;
  fs: VirtualFs;
}

/** Fills in defaults and builds the virtual file system (which also holds the root file, so it can be imported). */
export function resolveOptions(text: string, options: ParseOptions | undefined): ResolvedOptions {
  const filename = options?.filename ?? "Corefile";
  const env = options?.env ?? {};
  const files: Record<string, string> = Object.create(null) as Record<string, string>;
  files[filename] = text;
  if (options?.files) for (const k of Object.keys(options.files)) files[k] = options.files[k] as string;
  const fs = new VirtualFs(files, dirPath(absPath(filename)));
  return { filename, env, fs };
}

/**
 * Parses a Corefile. Never throws, whatever the input.
 * @example
 *   const r = parse(corefileText, { filename: "/etc/coredns/Corefile" });
 *   if (!r.ok) console.log(r.corednsError?.corednsMessage);
 */
export function parse(text: string, options?: ParseOptions): ParseResult {
  try {
    return parseUnchecked(text, options);
  } catch (e) {
    // A bug must not take an editor down: fall back to a flat, still lossless tree and say what happened.
    const filename = options?.filename ?? "Corefile";
    const cst = flatDocument(text, filename);
    const error: Diagnostic = internalError(e, filename);
    return { ok: false, serverBlocks: [], cst, tree: flatTreeIndex(text, filename), diagnostics: [error], corednsError: error };
  }
}

/**
 * A tree without structure for a text the parser failed on: the lexer's pieces, or, should the lexer be what failed,
 * the whole text as one piece. Either way it prints back to the text.
 */
function flatDocument(text: string, filename: string): Document {
  let children: Child[];
  let lineStarts: number[];
  try {
    const lexed = lex(text, filename);
    children = lexed.pieces.slice();
    lineStarts = lexed.lineStarts;
  } catch {
    children = text === "" ? [] : [{ kind: "skipped", raw: text, start: 0, end: text.length, line: 1, column: 1, inWord: false }];
    lineStarts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  }
  return { kind: "Document", file: filename, children, items: [], lineStarts, start: 0, end: text.length };
}

/** The diagnostic for an unexpected exception inside the parser (a bug in this library, never a Corefile problem). */
export function internalError(e: unknown, file: string): Diagnostic {
  return {
    code: "INTERNAL_ERROR",
    severity: "error",
    message: `The Corefile parser failed unexpectedly (${e instanceof Error ? e.message : String(e)}); this is a bug in Coredeck.`,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
}

/**
 * {@link parse} without the fast path: the full caddy parser and an eagerly built tree, always. For tests, which check
 * that both paths give the same result.
 */
export function parseFull(text: string, options?: ParseOptions): ParseResult {
  return parseUnchecked(text, options, false);
}

function parseUnchecked(text: string, options: ParseOptions | undefined, allowFast = true): ParseResult {
  const filename = options?.filename ?? "Corefile";
  const table = scanTable(text, filename);
  const valid =
    options?.directives === null ? null : options?.directives ? new Set(options.directives) : DEFAULT_DIRECTIVES;
  const fast = !allowFast || mayHaveEnvRefs(table) ? null : fastCaddyParse(table, filename, valid);
  if (fast !== null) return fastResult(table, fast, filename, options?.env ?? {});

  const { env, fs } = resolveOptions(text, options);
  const caddy = caddyParse(table.tokens(), { filename, env, fs, validDirectives: valid });
  const tree = buildTreeIndex(table, { env, hasEnvRefs: mayHaveEnvRefs(table) });
  const cst = materializeTree(tree, { file: filename, env, imports: caddy.imports });

  let corednsError = caddy.diagnostics.find((d) => d.severity === "error");
  const diagnostics: Diagnostic[] = caddy.diagnostics.slice();
  // The lexer says whether any piece can need a warning: most files have none, and then the scan is skipped.
  if (table.unusual) for (const d of lexerWarnings(table.pieces().pieces, filename)) diagnostics.push(d);
  if (!caddy.fatal) {
    // CoreDNS checks the keys only once the whole file parsed: first every key's syntax, later (after plugin setup)
    // the overlaps between blocks.
    const keyDiags = validateServerKeys(caddy.serverBlocks);
    for (const d of keyDiags) diagnostics.push(d);
    corednsError ??= keyDiags.find((d) => d.code === "INVALID_SERVER_KEY") ?? keyDiags[0];
    if (caddy.serverBlocks.length === 0) diagnostics.push(emptyCorefileNote(filename));
  }
  sortDiagnostics(diagnostics, filename);
  const result: ParseResult = {
    ok: !diagnostics.some((d) => d.severity === "error"),
    serverBlocks: caddy.serverBlocks,
    cst,
    tree,
    diagnostics,
  };
  if (corednsError) result.corednsError = corednsError;
  return result;
}

/**
 * The result for a file the fast parser handled: the same decisions and diagnostics as the full path (see
 * fast-parse.ts for when it applies); the tree is built from the table when `cst` is first read.
 */
function fastResult(table: TokenTable, fast: FastCaddyResult, filename: string, env: EnvMap): ParseResult {
  let corednsError = fast.diagnostics.find((d) => d.severity === "error");
  const diagnostics: Diagnostic[] = fast.diagnostics.slice();
  if (table.unusual) for (const d of lexerWarnings(table.pieces().pieces, filename)) diagnostics.push(d);
  const keyDiags = validateKeys(fast);
  for (const d of keyDiags) diagnostics.push(d);
  corednsError ??= keyDiags.find((d) => d.code === "INVALID_SERVER_KEY") ?? keyDiags[0];
  if (fast.keyStart.length === 1) diagnostics.push(emptyCorefileNote(filename));
  sortDiagnostics(diagnostics, filename);
  // The fast path only runs on files without env references.
  const tree = buildTreeIndex(table, { env, hasEnvRefs: false });
  let cst: Document | null = null;
  let serverBlocks: ServerBlock[] | null = null;
  const result: ParseResult = {
    ok: !diagnostics.some((d) => d.severity === "error"),
    get serverBlocks(): ServerBlock[] {
      serverBlocks ??= fast.serverBlocks();
      return serverBlocks;
    },
    set serverBlocks(value: ServerBlock[]) {
      serverBlocks = value;
    },
    get cst(): Document {
      cst ??= treeCst(tree, filename, env);
      return cst;
    },
    set cst(value: Document) {
      cst = value;
    },
    tree,
    diagnostics,
  };
  if (corednsError) result.corednsError = corednsError;
  return result;
}

/** The object tree of an index (never throws: on an internal error, a flat tree of the pieces). */
function treeCst(tree: TreeIndex, filename: string, env: EnvMap): Document {
  try {
    return materializeTree(tree, { file: filename, env });
  } catch {
    const table = tree.table;
    const { pieces, lineStarts } = table.pieces();
    return { kind: "Document", file: filename, children: pieces.slice(), items: [], lineStarts, start: 0, end: table.source.length };
  }
}

/** The note for a file without server blocks (CoreDNS then starts its default server). */
function emptyCorefileNote(file: string): Diagnostic {
  return {
    code: "EMPTY_COREFILE",
    severity: "info",
    message: "No server block: CoreDNS would start its default server instead (.:53 with whoami and log).",
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
}

/** Warnings about lexical surprises in the root file (CoreDNS accepts them silently). */
function lexerWarnings(pieces: readonly Piece[], file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of pieces) {
    if (p.kind === "token") {
      if (p.unterminated) {
        out.push({
          code: "UNTERMINATED_QUOTE",
          severity: "warning",
          message: "This quoted value has no closing quote: it runs to the end of the file.",
          ...rangeOf(p),
        });
      }
    } else if (p.kind === "skipped") {
      out.push({
        code: "UNTERMINATED_QUOTE",
        severity: "warning",
        message: "An opening quote at the end of the file: CoreDNS ignores it.",
        file,
        line: p.line,
        column: p.column,
        endLine: p.line,
        endColumn: p.column + p.raw.length,
      });
    } else if (p.kind === "comment" && p.inWord) {
      out.push({
        code: "COMMENT_IN_WORD",
        severity: "warning",
        message: `'#' starts a comment even inside a word: '${p.raw}' is ignored, but text after the next space is not.`,
        file,
        line: p.line,
        column: p.column,
        endLine: p.line,
        endColumn: p.column + p.raw.length,
      });
    }
  }
  return out;
}

function sortDiagnostics(diags: Diagnostic[], root: string): void {
  diags.sort((a, b) => {
    if (a.file !== b.file) {
      if (a.file === root) return -1;
      if (b.file === root) return 1;
      return a.file < b.file ? -1 : 1;
    }
    return a.line - b.line || a.column - b.column;
  });
}
