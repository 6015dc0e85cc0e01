/**
 * caddy's parse (caddy-parser.ts) for the common case, run straight over a {@link TokenTable}: no token objects, no
 * copies of the token stream. It covers files whose token stream caddy never rewrites and that parse without a fatal
 * error: no `import`, no snippet definition, no `{$VAR}` / `{%VAR%}` reference. On anything else it gives up
 * (returns null) at once and the caller runs the full parser, which is the reference for every decision; where it
 * does not give up it takes exactly the same decisions (same cursor moves, same tests), so both agree.
 *
 * The server blocks it returns are the same as the full parser's, except that each block's `tokens` record is built
 * on first read (from the table's shared token objects).
 */
import type { ServerBlock } from "./caddy-parser";
import type { Diagnostic } from "./diagnostics";
import type { KeyedBlocks } from "./keys";
import type { Token } from "./lexer";
import {
  F_NEWLINE as NEWLINE_FLAG,
  KIND_MASK as KIND_BITS,
  TK_CLOSE as CLOSE_KIND,
  TK_IMPORT as IMPORT_KIND,
  TK_OPEN as OPEN_KIND,
  type TokenTable,
} from "./table";

// Module-level copies: some module loaders turn every read of an imported binding into a getter call.
const TK_OPEN = OPEN_KIND;
const TK_CLOSE = CLOSE_KIND;
const TK_IMPORT = IMPORT_KIND;
const KIND_MASK = KIND_BITS;
const F_NEWLINE = NEWLINE_FLAG;

/** What {@link fastCaddyParse} returns: the blocks' keys in flat arrays, the blocks themselves built on demand. */
export interface FastCaddyResult extends KeyedBlocks {
  /** UNKNOWN_DIRECTIVE errors only (anything else makes the fast path give up). */
  diagnostics: Diagnostic[];
  /** caddy's server blocks (built on each call: call once), each one's `tokens` record built when first read. */
  serverBlocks(): ServerBlock[];
  /** The same server blocks as token indices into the table, without token objects (for the reload hash). */
  indexedBlocks(): IndexedBlock[];
}

/**
 * A server block as the reload hash reads it: its keys, and for each directive name the first and last token index of
 * each of its occurrences, in order (pairs in one flat array).
 */
export interface IndexedBlock {
  keys: string[];
  groups: Record<string, number[]>;
}

/** Whether caddy's env substitution can change any token of the table (then the fast path does not apply). */
export function mayHaveEnvRefs(t: TokenTable): boolean {
  const s = t.source;
  if (s.includes("{$") || s.includes("{%")) return true;
  // Dropping `\r` from a word can join `{` and `$` (such words keep their text in `texts`).
  for (const text of t.texts.values()) if (text.includes("{$") || text.includes("{%")) return true;
  return false;
}

/**
 * The directives of all blocks, in order: the first and last token index of each, in one growing array of pairs
 * (a directive's name is the text of its first token).
 */
class Directives {
  // 64 bytes: small typed arrays live on V8's heap, which makes parsing many small files much cheaper.
  pairs = new Int32Array(16);
  count = 0;

  add(from: number, to: number): void {
    const j = this.count * 2;
    if (j === this.pairs.length) {
      const bigger = new Int32Array(j * 2);
      bigger.set(this.pairs);
      this.pairs = bigger;
    }
    this.pairs[j] = from;
    this.pairs[j + 1] = to;
    this.count++;
  }
}

/**
 * Parses the table the way caddy does, or returns null when the file needs the full parser (see above).
 * @param valid directive names to accept, or null for any
 */
export function fastCaddyParse(t: TokenTable, filename: string, valid: ReadonlySet<string> | null): FastCaddyResult | null {
  const n = t.count;
  // Kind and "starts a line" bit of each token (caddy's isNewLine for token i > 0 is `flags[i] & F_NEWLINE`).
  const flags = t.flags;
  const dirs = new Directives();
  // Block b owns directives [blockDirs[b], blockDirs[b + 1]) and keys [keyStart[b], keyStart[b + 1]).
  const blockDirs: number[] = [];
  const keyStart: number[] = [];
  const keys: string[] = [];
  const keyIdx: number[] = [];
  const diagnostics: Diagnostic[] = [];

  let cursor = -1;
  while (cursor < n - 1) {
    cursor++;
    // addresses()
    const k0 = keys.length;
    let expectingAnother = false;
    let eof = false;
    for (;;) {
      const k = (flags[cursor] as number) & KIND_MASK;
      if (k === TK_IMPORT && (cursor < 1 || ((flags[cursor] as number) & F_NEWLINE) !== 0)) return null;
      if (k === TK_OPEN) {
        if (expectingAnother) return null;
        break;
      }
      let tkn = t.text(cursor);
      if (tkn !== "") {
        if (tkn.endsWith(",")) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else {
          expectingAnother = false;
        }
        keys.push(tkn);
        keyIdx.push(cursor);
      }
      if (cursor >= n - 1) {
        if (expectingAnother) return null;
        eof = true;
        break;
      }
      cursor++;
      if (!expectingAnother && ((flags[cursor] as number) & F_NEWLINE) !== 0) break;
    }

    const d0 = dirs.count;
    if (!eof) {
      // A snippet definition.
      if (keys.length === k0 + 1) {
        const first = keys[k0] as string;
        if (first.startsWith("(") && first.endsWith(")")) return null;
      }
      // blockContents()
      const hasOpen = ((flags[cursor] as number) & KIND_MASK) === TK_OPEN;
      if (!hasOpen) cursor--;
      // directives()
      while (cursor < n - 1) {
        cursor++;
        const k = (flags[cursor] as number) & KIND_MASK;
        if (k === TK_CLOSE) break;
        if (k === TK_IMPORT) return null;
        // directive()
        const nameIdx = cursor;
        if (valid !== null) {
          const dir = t.text(nameIdx);
          if (!valid.has(dir)) diagnostics.push(unknownDirective(t, nameIdx, dir, filename));
        }
        let nesting = 0;
        while (cursor < n - 1) {
          cursor++;
          const v = (flags[cursor] as number) & KIND_MASK;
          if (v === TK_OPEN) {
            nesting++;
          } else if (nesting === 0 && ((flags[cursor] as number) & F_NEWLINE) !== 0) {
            cursor--;
            break;
          } else if (v === TK_CLOSE) {
            if (nesting === 0) return null;
            nesting--;
          } else if (v === TK_IMPORT && ((flags[cursor] as number) & F_NEWLINE) !== 0) {
            return null;
          }
        }
        if (nesting > 0) return null;
        dirs.add(nameIdx, cursor);
      }
      if (hasOpen && ((flags[cursor] as number) & KIND_MASK) !== TK_CLOSE) return null;
    }
    if (keys.length > k0) {
      blockDirs.push(d0);
      keyStart.push(k0);
    } else {
      // The block's directives belong to no block (caddy drops a block without keys).
      dirs.count = d0;
    }
  }
  blockDirs.push(dirs.count);
  keyStart.push(keys.length);

  const group = (b: number, name: string): Token[] | undefined => {
    let out: Token[] | undefined;
    const end = blockDirs[b + 1] as number;
    const pairs = dirs.pairs;
    for (let d = blockDirs[b] as number; d < end; d++) {
      const from = pairs[2 * d] as number;
      if (!t.is(from, name)) continue;
      out ??= [];
      const to = pairs[2 * d + 1] as number;
      for (let i = from; i <= to; i++) out.push(t.token(i));
    }
    return out;
  };
  return {
    keys,
    keyStart,
    keyToken: (k) => t.token(keyIdx[k] as number),
    group,
    diagnostics,
    indexedBlocks(): IndexedBlock[] {
      const blocks: IndexedBlock[] = [];
      const pairs = dirs.pairs;
      for (let b = 0; b + 1 < keyStart.length; b++) {
        const groups = Object.create(null) as Record<string, number[]>;
        const end = blockDirs[b + 1] as number;
        for (let d = blockDirs[b] as number; d < end; d++) {
          const from = pairs[2 * d] as number;
          const name = t.text(from);
          const ranges = groups[name];
          if (ranges === undefined) groups[name] = [from, pairs[2 * d + 1] as number];
          else ranges.push(from, pairs[2 * d + 1] as number);
        }
        blocks.push({ keys: keys.slice(keyStart[b] as number, keyStart[b + 1] as number), groups });
      }
      return blocks;
    },
    serverBlocks(): ServerBlock[] {
      const blocks: ServerBlock[] = [];
      for (let b = 0; b + 1 < keyStart.length; b++) {
        const k0 = keyStart[b] as number;
        const k1 = keyStart[b + 1] as number;
        const keyTokens: Token[] = [];
        for (let k = k0; k < k1; k++) keyTokens.push(t.token(keyIdx[k] as number));
        blocks.push(lazyBlock(t, keys.slice(k0, k1), keyTokens, dirs, blockDirs[b] as number, blockDirs[b + 1] as number));
      }
      return blocks;
    },
  };
}

function unknownDirective(t: TokenTable, i: number, dir: string, filename: string): Diagnostic {
  const tok = t.token(i);
  return {
    code: "UNKNOWN_DIRECTIVE",
    severity: "error",
    message: `'${dir}' is not a directive of this CoreDNS build.`,
    file: tok.file,
    line: tok.line,
    column: tok.column,
    endLine: tok.endLine,
    endColumn: tok.endColumn,
    corednsMessage: `${filename}:${tok.line} - Error during parsing: Unknown directive '${dir}'`,
  };
}

/** A server block whose `tokens` record is built when first read. */
function lazyBlock(t: TokenTable, keys: string[], keyTokens: Token[], dirs: Directives, d0: number, d1: number): ServerBlock {
  let tokens: Record<string, Token[]> | null = null;
  return {
    keys,
    keyTokens,
    get tokens(): Record<string, Token[]> {
      if (tokens === null) {
        tokens = Object.create(null) as Record<string, Token[]>;
        const pairs = dirs.pairs;
        for (let d = d0; d < d1; d++) {
          const from = pairs[2 * d] as number;
          const name = t.text(from);
          let group = tokens[name];
          if (group === undefined) {
            group = [];
            tokens[name] = group;
          }
          const to = pairs[2 * d + 1] as number;
          for (let i = from; i <= to; i++) group.push(t.token(i));
        }
      }
      return tokens;
    },
    set tokens(value: Record<string, Token[]>) {
      tokens = value;
    },
  };
}
