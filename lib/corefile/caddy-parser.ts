/**
 * A faithful re-implementation of coredns/caddy's Corefile parser (`caddyfile/parse.go` + `dispenser.go` at the commit
 * CoreDNS 1.14.7 pins), working on our lexer's tokens. It decides exactly what CoreDNS decides: which server blocks and
 * directive token groups exist after env substitution, snippet and file imports, and the first error caddy reports.
 *
 * It is deliberately a step-by-step mirror of caddy's cursor-based algorithm (including its odd corners: a stray `}` at
 * top level becomes a server-block key, a missing final `}` is not noticed when the last token is a nested block's
 * `}`, `{` on its own line continues the previous directive...), because any "cleaner" grammar would disagree with
 * CoreDNS on some input. The lossless tree for editing is built separately (cst.ts).
 *
 * Deviations, all on inputs that make CoreDNS loop or explode:
 * - import cycles (a snippet or file importing itself, directly or through others) are reported as soon as the cycle
 *   closes (IMPORT_CYCLE) instead of after caddy's 10,000 snippet / 100,000 file expansions;
 * - a token stream that grows past {@link MAX_TOKENS} tokens through imports stops with EXPANSION_TOO_LARGE.
 */
import type { Diagnostic, DiagnosticCode, RelatedLocation } from "./diagnostics";
import { rangeOf, relatedAt } from "./diagnostics";
import { replaceEnvVars, type EnvMap } from "./env";
import { lexTokensOnly, type Token } from "./lexer";
import { absPath, dirPath, isAbsPath, joinPath, type VirtualFs } from "./vfs";

/** caddy's `ServerBlock`: the keys (addresses) and the tokens of each directive, grouped by directive name. */
export interface ServerBlock {
  /** Keys after env substitution, with a trailing comma removed (caddy's `Keys`). */
  keys: string[];
  /** The token each key came from (parallel to `keys`). */
  keyTokens: Token[];
  /**
   * Directive name → all tokens of every occurrence of that directive in the block, in order (the name token itself
   * first, unsubstituted, then its arguments and nested blocks, substituted). Keys are in order of first appearance.
   * The object has no prototype, so any directive name is safe as a key. The tokens are the lexer's own objects when
   * nothing changed them (shared with the syntax tree: treat them as read-only), copies when env substitution changed
   * their text or when an import brought them in.
   */
  tokens: Record<string, Token[]>;
}

/** How an `import` was resolved, for editors. */
export type ImportResolution =
  | { kind: "snippet"; name: string }
  | { kind: "files"; pattern: string; files: string[] };

/** caddy's limit on snippet expansions per parse. */
export const MAX_SNIPPET_EXPANSIONS = 10000;
/** caddy's limit on file expansions per parse. */
export const MAX_FILE_EXPANSIONS = 100000;
/** Our own limit on the expanded token stream (caddy has none and would exhaust memory). */
export const MAX_TOKENS = 2_000_000;

/** Where a spliced-in token came from: the chain of imports that produced it (used to detect cycles). */
interface Frame {
  kind: "file" | "snippet";
  name: string;
  /** The `import` token that did the expansion (null for the root file). */
  via: Token | null;
  parent: Frame | null;
}

/** Thrown internally to stop parsing, like caddy returning an error. */
class CaddyError {
  constructor(readonly diagnostic: Diagnostic) {}
}

/** Options for {@link caddyParse}. */
export interface CaddyParseOptions {
  /** Name of the root file, used in messages and to resolve relative imports. */
  filename: string;
  env: EnvMap;
  fs: VirtualFs;
  /**
   * Directive names to accept. `null` accepts every name (what the reload plugin does). Unknown names are reported
   * (UNKNOWN_DIRECTIVE) but parsing continues, so every unknown directive is found, not only the first one.
   */
  validDirectives: ReadonlySet<string> | null;
}

/** What {@link caddyParse} returns. */
export interface CaddyParseResult {
  /** caddy's result; on a fatal error, the blocks completed before it (as caddy returns them). */
  serverBlocks: ServerBlock[];
  /** Unknown directives (each one an error), import warnings, then at most one fatal error. */
  diagnostics: Diagnostic[];
  /** True when parsing stopped at a fatal error (anything but UNKNOWN_DIRECTIVE and warnings). */
  fatal: boolean;
  /** How each `import` token of the root file was resolved (keyed by the lexer token). */
  imports: Map<Token, ImportResolution>;
}

/**
 * Parses root-file tokens the way `caddyfile.Parse(filename, input, validDirectives)` does. Never throws.
 * @param rootTokens tokens of the root Corefile from {@link lex}
 */
export function caddyParse(rootTokens: readonly Token[], options: CaddyParseOptions): CaddyParseResult {
  return new Parser(rootTokens, options).run();
}

class Parser {
  /** The token stream; the caller's array until the parser first changes it ({@link writableTokens}). */
  private tokens: Token[];
  private ownTokens = false;
  /** Provenance of tokens brought in by imports (root tokens are absent: their frame is the root). */
  private readonly frames = new Map<Token, Frame>();
  private cursor = -1;
  private readonly filename: string;
  private readonly env: EnvMap;
  private readonly fs: VirtualFs;
  private readonly valid: ReadonlySet<string> | null;
  private block: ServerBlock = newBlock();
  private eof = false;
  private readonly snippets = new Map<string, Token[]>();
  private snippetExpansions = 0;
  private fileExpansions = 0;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly imports = new Map<Token, ImportResolution>();
  private readonly lexCache = new Map<string, Token[]>();
  private readonly rootFrame: Frame;

  constructor(rootTokens: readonly Token[], options: CaddyParseOptions) {
    this.filename = options.filename;
    this.env = options.env;
    this.fs = options.fs;
    this.valid = options.validDirectives;
    this.rootFrame = { kind: "file", name: absPath(options.filename), via: null, parent: null };
    // Copied only when an import or an env substitution changes the stream (most files have neither).
    this.tokens = rootTokens as Token[];
  }

  run(): CaddyParseResult {
    const blocks: ServerBlock[] = [];
    let fatal = false;
    try {
      while (this.next()) {
        this.block = newBlock();
        this.begin();
        if (this.block.keys.length > 0) blocks.push(this.block);
      }
    } catch (e) {
      if (!(e instanceof CaddyError)) throw e;
      this.diagnostics.push(e.diagnostic);
      fatal = true;
    }
    return { serverBlocks: blocks, diagnostics: this.diagnostics, fatal, imports: this.imports };
  }

  // ---- Dispenser -------------------------------------------------------------------------------------------------

  private next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Loads the next token if it is on the same line (caddy's `NextArg`). */
  private nextArg(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length) return false;
    const cur = this.tokens[this.cursor];
    const nxt = this.tokens[this.cursor + 1];
    if (cur && nxt && cur.caddyFile === nxt.caddyFile && cur.line + lineBreaks(cur.text) === nxt.line) {
      this.cursor++;
      return true;
    }
    return false;
  }

  private val(): string {
    return this.tokens[this.cursor]?.text ?? "";
  }

  /** caddy's `Line()`: 0 when the cursor is outside the tokens. */
  private goLine(): number {
    return this.tokens[this.cursor]?.line ?? 0;
  }

  /** caddy's `File()`: the token's file, or the parser's filename for root tokens / no token. */
  private goFile(): string {
    const t = this.tokens[this.cursor];
    return t && t.caddyFile !== "" ? t.caddyFile : this.filename;
  }

  /** Whether the current token starts a new line relative to the previous one (caddy's `isNewLine`). */
  private isNewLine(): boolean {
    if (this.cursor < 1) return true;
    if (this.cursor > this.tokens.length - 1) return false;
    return startsLine(this.tokens, this.cursor);
  }

  /** The token stream, copied first if it is still the caller's array. */
  private writableTokens(): Token[] {
    if (!this.ownTokens) {
      this.tokens = this.tokens.slice();
      this.ownTokens = true;
    }
    return this.tokens;
  }

  // ---- errors ----------------------------------------------------------------------------------------------------

  /** The token to put a diagnostic on: the current one, or the last one when the cursor ran past the end. */
  private here(): Token | undefined {
    return this.tokens[this.cursor] ?? this.tokens[this.tokens.length - 1];
  }

  private diag(
    code: DiagnosticCode,
    message: string,
    corednsMessage: string | undefined,
    at: Token | undefined,
    related: RelatedLocation[] = [],
    severity: Diagnostic["severity"] = "error",
  ): Diagnostic {
    const range = at
      ? rangeOf(at)
      : { file: this.filename, line: 1, column: 1, endLine: 1, endColumn: 1 };
    // For tokens that came through imports, point back at the import statements that brought them in.
    for (let f: Frame | null = at ? this.frameOf(at) : null; f && f.via; f = f.parent) {
      related.push(relatedAt(f.via, f.kind === "snippet" ? `snippet '${f.name}' imported here` : `${f.name} imported here`));
    }
    const d: Diagnostic = { code, severity, message, ...range };
    if (corednsMessage !== undefined) d.corednsMessage = corednsMessage;
    if (related.length > 0) d.related = related;
    return d;
  }

  /** caddy's `Err`: "<file>:<line> - Error during parsing: <msg>". */
  private fail(code: DiagnosticCode, message: string, goMsg: string, related: RelatedLocation[] = []): CaddyError {
    const coredns = `${this.goFile()}:${this.goLine()} - Error during parsing: ${goMsg}`;
    return new CaddyError(this.diag(code, message, coredns, this.here(), related));
  }

  /** caddy's `SyntaxErr`: "<file>:<line> - Syntax error: Unexpected token '<val>', expecting '<expected>'". */
  private syntaxFail(code: DiagnosticCode, message: string, expected: string, related: RelatedLocation[] = []): CaddyError {
    const coredns = `${this.goFile()}:${this.goLine()} - Syntax error: Unexpected token '${this.val()}', expecting '${expected}'`;
    return new CaddyError(this.diag(code, message, coredns, this.here(), related));
  }

  // ---- parser ----------------------------------------------------------------------------------------------------

  private begin(): void {
    if (this.tokens.length === 0) return;
    const open = this.addresses();
    if (this.eof) return; // only a line of addresses and nothing else
    const keys = this.block.keys;
    const first = keys[0];
    if (keys.length === 1 && first !== undefined && first.startsWith("(") && first.endsWith(")")) {
      const name = first.slice(1).replace(/\)$/, "");
      if (this.snippets.has(name)) {
        throw this.fail("SNIPPET_REDECLARED", `Snippet '${name}' is already defined.`, `redeclaration of previously declared snippet ${name}`);
      }
      const body = this.snippetTokens(open);
      // caddy's guard against the trivial cycle: the body imports the snippet itself at the start of a line.
      for (let i = 0; i + 1 < body.length; i++) {
        const t = body[i] as Token;
        if (t.text !== "import") continue;
        const prev = body[i - 1];
        const atLineStart = i === 0 || !prev || prev.caddyFile !== t.caddyFile || prev.line !== t.line;
        if (atLineStart && replaceEnvVars((body[i + 1] as Token).text, this.env) === name) {
          throw this.fail(
            "IMPORT_CYCLE",
            `Snippet '${name}' imports itself (line ${t.line}).`,
            `maximum snippet import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`,
            [relatedAt(t, "the snippet imports itself here")],
          );
        }
      }
      this.snippets.set(name, body);
      this.block.keys = []; // a snippet is not a server block
      this.block.keyTokens = [];
      return;
    }
    this.blockContents(open);
  }

  /** Reads the server-block keys; returns the `{` token that ended them, if any (for related locations). */
  private addresses(): Token | undefined {
    let expectingAnother = false;
    for (;;) {
      let tkn = replaceEnvVars(this.val(), this.env);
      if (tkn === "import" && this.isNewLine()) {
        this.doImport();
        continue;
      }
      if (tkn === "{") {
        if (expectingAnother) {
          throw this.fail(
            "EXTRA_COMMA",
            "A server-block key ends with a comma but no other key follows before '{'.",
            `Expected another address but had '${tkn}' - check for extra comma`,
          );
        }
        return this.tokens[this.cursor];
      }
      if (tkn !== "") {
        if (tkn.endsWith(",")) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else {
          expectingAnother = false;
        }
        this.block.keys.push(tkn);
        this.block.keyTokens.push(this.tokens[this.cursor] as Token);
      }
      const hasNext = this.next();
      if (expectingAnother && !hasNext) {
        throw this.fail("UNEXPECTED_EOF", "The file ends after a server-block key with a trailing comma.", "Unexpected EOF");
      }
      if (!hasNext) {
        this.eof = true;
        return undefined;
      }
      if (!expectingAnother && this.isNewLine()) return undefined;
    }
  }

  private blockContents(open: Token | undefined): void {
    const hasOpen = this.val() === "{";
    // Without a `{`, the rest of the file (up to a stray `}`) is the block: single-server Corefiles need no braces.
    if (!hasOpen) this.cursor--;
    const openTok = hasOpen ? this.tokens[this.cursor] : undefined;
    this.directives();
    if (hasOpen && this.val() !== "}") {
      const brace = openTok ?? open;
      const rel = brace ? [relatedAt(brace, "this '{' is never closed")] : [];
      throw this.syntaxFail("UNMATCHED_BRACE", "This server block is not closed: '}' expected.", "}", rel);
    }
  }

  private directives(): void {
    while (this.next()) {
      const v = this.val();
      if (v === "}") break;
      if (v === "import") {
        this.doImport();
        this.cursor--;
        continue;
      }
      this.directive();
    }
  }

  private directive(): void {
    let toks = this.tokens;
    const nameTok = toks[this.cursor] as Token;
    const env = this.env;
    const dir = replaceEnvVars(nameTok.text, env);
    if (this.valid !== null && !this.valid.has(dir)) {
      // caddy stops here; we record it and carry on (parsing proceeds exactly as if the name were valid), so that
      // every unknown directive is reported and the server blocks are those the reload plugin sees.
      this.diagnostics.push(
        this.diag(
          "UNKNOWN_DIRECTIVE",
          `'${dir}' is not a directive of this CoreDNS build.`,
          `${this.goFile()}:${this.goLine()} - Error during parsing: Unknown directive '${dir}'`,
          nameTok,
        ),
      );
    }
    const byName = this.block.tokens;
    let group = byName[dir];
    if (group === undefined) {
      group = [];
      byName[dir] = group;
    }
    // caddy appends the directive's own token without substituting it.
    group.push(nameTok);
    let nesting = 0;
    let opens: Token[] | null = null; // the `{` still open, for the error message (rarely needed)
    // The dispenser loop with the cursor in a local: next() until a token on a new line at nesting 0.
    let cursor = this.cursor;
    while (cursor < toks.length - 1) {
      cursor++;
      let cur = toks[cursor] as Token;
      const v = cur.text;
      if (v === "{") {
        nesting++;
        (opens ??= []).push(cur);
      } else if (nesting === 0 && startsLine(toks, cursor)) {
        cursor--; // read too far
        break;
      } else if (v === "}" && nesting > 0) {
        nesting--;
        opens?.pop();
      } else if (v === "}" && nesting === 0) {
        this.cursor = cursor;
        throw this.fail(
          "UNEXPECTED_CLOSE_BRACE",
          "This '}' closes nothing: it is on the same line as a directive that opened no block. Put it on its own line.",
          "Unexpected '}' because no matching opening brace",
        );
      } else if (v === "import" && startsLine(toks, cursor)) {
        this.cursor = cursor;
        this.doImport();
        toks = this.tokens;
        cursor = this.cursor - 1;
        continue;
      }
      // caddy substitutes in place: later line-break counting sees the new text.
      const text = replaceEnvVars(v, env);
      if (text !== v) {
        cur = this.replaceToken(cursor, { ...cur, text });
        toks = this.tokens;
      }
      group.push(cur);
    }
    this.cursor = cursor;
    if (nesting > 0) {
      const open = opens?.[opens.length - 1];
      throw this.fail(
        "UNEXPECTED_EOF",
        `The file ends inside the block of '${dir}': '}' expected.`,
        "Unexpected EOF",
        open ? [relatedAt(open, "this '{' is never closed")] : [],
      );
    }
  }

  private snippetTokens(open: Token | undefined): Token[] {
    if (this.val() !== "{") {
      throw this.syntaxFail("EXPECTED_OPEN_BRACE", "A snippet definition must be followed by '{'.", "{");
    }
    const openTok = this.tokens[this.cursor] ?? open;
    let count = 1;
    const body: Token[] = [];
    while (this.next()) {
      const v = this.val();
      if (v === "}") {
        count--;
        if (count === 0) break;
      }
      if (v === "{") count++;
      body.push(this.tokens[this.cursor] as Token);
    }
    if (count !== 0) {
      throw this.syntaxFail(
        "UNMATCHED_BRACE",
        "This snippet is not closed: '}' expected.",
        "}",
        openTok ? [relatedAt(openTok, "this '{' is never closed")] : [],
      );
    }
    return body;
  }

  /**
   * Replaces `import <arg>` (cursor on `import`) with the snippet's or the files' tokens; afterwards the cursor is on
   * the first imported token (or on what followed the import when nothing was imported).
   */
  private doImport(): void {
    if (!this.nextArg()) {
      throw this.fail(
        "IMPORT_MISSING_ARGUMENT",
        "'import' needs a snippet name or a file path / glob on the same line.",
        `Wrong argument count or unexpected line ending after '${this.val()}'`,
      );
    }
    const importPattern = replaceEnvVars(this.val(), this.env);
    if (importPattern === "") {
      throw this.fail("IMPORT_EMPTY_PATH", "'import' has an empty argument.", "Import requires a non-empty filepath");
    }
    if (this.nextArg()) {
      throw this.fail(
        "IMPORT_TOO_MANY_ARGUMENTS",
        "'import' takes exactly one argument (a snippet name or a file path / glob).",
        "Import takes only one argument (glob pattern or file)",
      );
    }
    const at = this.cursor; // the argument
    const importTok = this.tokens[at - 1] as Token;
    const importFrame = this.frameOf(importTok);
    let imported: Token[] = [];

    const snippet = this.snippets.get(importPattern);
    if (snippet !== undefined) {
      if (this.snippetExpansions >= MAX_SNIPPET_EXPANSIONS) {
        throw this.fail(
          "IMPORT_LIMIT",
          `More than ${MAX_SNIPPET_EXPANSIONS} snippet imports.`,
          `maximum snippet import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`,
        );
      }
      if (inChain(importFrame, "snippet", importPattern)) {
        throw this.fail(
          "IMPORT_CYCLE",
          `Snippet '${importPattern}' ends up importing itself: CoreDNS would expand it until it hits its limit.`,
          `maximum snippet import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`,
        );
      }
      this.snippetExpansions++;
      if (importFrame === this.rootFrame) this.imports.set(importTok, { kind: "snippet", name: importPattern });
      const frame: Frame = { kind: "snippet", name: importPattern, via: importTok, parent: importFrame };
      // Copies: the same snippet can be expanded several times, each with its own provenance.
      imported = snippet.map((t) => this.withFrame({ ...t }, frame));
    } else {
      if (this.fileExpansions >= MAX_FILE_EXPANSIONS) {
        // caddy's message quotes the snippet limit here (sic).
        throw this.fail(
          "IMPORT_LIMIT",
          `More than ${MAX_FILE_EXPANSIONS} file imports.`,
          `maximum file import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`,
        );
      }
      this.fileExpansions++;
      // Relative patterns are relative to the file of the token being processed, not to a working directory.
      const absFile = absPath(this.goFile());
      const globPattern = isAbsPath(importPattern) ? importPattern : joinPath(dirPath(absFile), importPattern);
      if (count(globPattern, "*") > 1 || count(globPattern, "?") > 1 || (globPattern.includes("[") && globPattern.includes("]"))) {
        throw this.fail(
          "IMPORT_GLOB_TOO_COMPLEX",
          "An import glob may contain at most one '*', at most one '?', and no '[...]' class.",
          `Glob pattern may only contain one wildcard (*), but has others: ${globPattern}`,
        );
      }
      const globbed = this.fs.glob(globPattern);
      if ("error" in globbed) {
        throw this.fail(
          "IMPORT_BAD_PATTERN",
          `The import pattern '${importPattern}' is malformed.`,
          `Failed to use import pattern ${importPattern}: ${globbed.error}`,
        );
      }
      const matches = globbed.matches;
      if (matches.length === 0) {
        if (/[*?[\]]/.test(globPattern)) {
          this.diagnostics.push(
            this.diag(
              "IMPORT_GLOB_NO_MATCH",
              `No file matches the import glob '${importPattern}'; the import is ignored.`,
              `[WARNING] No files matching import glob pattern: ${importPattern}`,
              this.tokens[this.cursor],
              [],
              "warning",
            ),
          );
        } else {
          throw this.fail(
            "IMPORT_NOT_FOUND",
            `The file '${importPattern}' to import does not exist (among the files given to the parser).`,
            `File to import not found: ${importPattern}`,
          );
        }
      }
      if (importFrame === this.rootFrame) this.imports.set(importTok, { kind: "files", pattern: importPattern, files: matches.map(absPath) });
      for (const importFile of matches) {
        const filename = absPath(importFile);
        if (inChain(importFrame, "file", filename)) {
          throw this.fail(
            "IMPORT_CYCLE",
            `'${filename}' ends up importing itself: CoreDNS would expand it until it hits its limit.`,
            `maximum file import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`,
          );
        }
        if (this.fs.isDir(importFile)) {
          throw this.fail("IMPORT_IS_DIRECTORY", `'${importFile}' is a directory, not a file.`, `Could not import ${importFile}: is a directory`);
        }
        const frame: Frame = { kind: "file", name: filename, via: importTok, parent: importFrame };
        // caddy sets the absolute file name on imported tokens (root tokens keep an empty File).
        for (const src of this.lexFile(filename)) imported.push(this.withFrame({ ...src, caddyFile: filename }, frame));
      }
    }

    const total = this.tokens.length - 2 + imported.length;
    if (total > MAX_TOKENS) {
      throw this.fail("EXPANSION_TOO_LARGE", `Imports expand this Corefile to more than ${MAX_TOKENS} tokens.`, "too many tokens");
    }
    // Splice the imported tokens in place of `import <arg>`; the cursor lands on the first imported token.
    if (imported.length === 2) {
      const toks = this.writableTokens();
      toks[at - 1] = imported[0] as Token;
      toks[at] = imported[1] as Token;
    } else {
      this.tokens = this.tokens.slice(0, at - 1).concat(imported, this.tokens.slice(at + 1));
      this.ownTokens = true;
    }
    this.cursor--;
  }

  private frameOf(t: Token): Frame {
    return this.frames.get(t) ?? this.rootFrame;
  }

  private withFrame(t: Token, frame: Frame): Token {
    this.frames.set(t, frame);
    return t;
  }

  /** Replaces the token at `i` by `t` (same provenance) and returns `t`. */
  private replaceToken(i: number, t: Token): Token {
    const toks = this.writableTokens();
    const old = toks[i];
    const frame = old ? this.frames.get(old) : undefined;
    if (frame) this.frames.set(t, frame);
    toks[i] = t;
    return t;
  }

  private lexFile(path: string): Token[] {
    let toks = this.lexCache.get(path);
    if (!toks) {
      toks = lexTokensOnly(this.fs.read(path) ?? "", path);
      this.lexCache.set(path, toks);
    }
    return toks;
  }
}

function newBlock(): ServerBlock {
  return { keys: [], keyTokens: [], tokens: Object.create(null) as Record<string, Token[]> };
}

function inChain(frame: Frame | null, kind: Frame["kind"], name: string): boolean {
  for (let f = frame; f; f = f.parent) if (f.kind === kind && f.name === name) return true;
  return false;
}

/**
 * caddy's `isNewLine` for the token at `i` (> 0): it comes from another file than the previous token, or starts on a
 * later line than the previous token's last line (its line plus the line breaks in its text, which env substitution
 * may have changed).
 */
function startsLine(toks: readonly Token[], i: number): boolean {
  const prev = toks[i - 1] as Token;
  const cur = toks[i] as Token;
  if (prev.caddyFile !== cur.caddyFile) return true;
  // Line breaks only ever push the previous token's end further down: no need to count them when it starts on the
  // same line or later.
  return prev.line < cur.line && prev.line + lineBreaks(prev.text) < cur.line;
}

function lineBreaks(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}
