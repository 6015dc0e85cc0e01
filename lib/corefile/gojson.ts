/**
 * Byte-exact reproduction of Go's `encoding/json.Marshal` for the values the reload hash serialises: strings,
 * ints, arrays, maps with string keys (sorted) and caddy's `ServerBlock`/`Token` structs.
 *
 * Go's string encoding differs from `JSON.stringify`: it is HTML-safe (`<`, `>`, `&` become `\u003c`, `\u003e`,
 * `\u0026`), escapes U+2028/U+2029, writes other control characters as `\u00XX` except `\b \f \n \r \t` (Go ≥ 1.22), and
 * leaves DEL and all other non-ASCII characters as they are. An unpaired surrogate in a JavaScript string stands for
 * an invalid byte sequence, which Go's lexer has already turned into U+FFFD; it is written as that character.
 */
import type { ServerBlock } from "./caddy-parser";
import { compareCodePoints } from "./vfs";

const HEX = "0123456789abcdef";

/** Whether a string needs any escaping or surrogate fix-up (the common case is no). */
function needsWork(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26) return true;
    if (c >= 0x2028 && (c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff))) return true;
  }
  return false;
}

/** Go's JSON encoding of a string (with the quotes). */
export function goJsonString(s: string): string {
  if (!needsWork(s)) return '"' + s + '"';
  let out = '"';
  let from = 0;
  const flush = (i: number, rep: string): void => {
    out += s.slice(from, i) + rep;
    from = i + 1;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      switch (c) {
        case 0x08:
          flush(i, "\\b");
          break;
        case 0x0c:
          flush(i, "\\f");
          break;
        case 0x0a:
          flush(i, "\\n");
          break;
        case 0x0d:
          flush(i, "\\r");
          break;
        case 0x09:
          flush(i, "\\t");
          break;
        default:
          flush(i, "\\u00" + HEX[c >> 4] + HEX[c & 0xf]);
      }
    } else if (c === 0x22) flush(i, '\\"');
    else if (c === 0x5c) flush(i, "\\\\");
    else if (c === 0x3c) flush(i, "\\u003c");
    else if (c === 0x3e) flush(i, "\\u003e");
    else if (c === 0x26) flush(i, "\\u0026");
    else if (c === 0x2028) flush(i, "\\u2028");
    else if (c === 0x2029) flush(i, "\\u2029");
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) i++; // a valid pair: keep both halves as they are
      else flush(i, "\ufffd");
    }
  }
  return out + s.slice(from) + '"';
}

/** Replaces unpaired surrogates with U+FFFD (what Go would hold in the string). */
export function toWellFormed(s: string): string {
  let out: string | null = null;
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const d = s.charCodeAt(i + 1);
    if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      i++;
      continue;
    }
    out = (out ?? "") + s.slice(from, i) + "\ufffd";
    from = i + 1;
  }
  return out === null ? s : out + s.slice(from);
}

/**
 * Writes `json.Marshal([]caddyfile.ServerBlock)` as CoreDNS's reload plugin computes it, piece by piece, to `write`:
 * `[{"Keys":[...],"Tokens":{"<directive>":[{"File":"","Line":1,"Text":"..."}]}}]`, map keys sorted by their UTF-8
 * bytes, and `null` for no server blocks (caddy returns a nil slice).
 */
export function writeServerBlocks(blocks: readonly ServerBlock[], write: (chunk: string) => void): void {
  if (blocks.length === 0) {
    write("null");
    return;
  }
  for (let bi = 0; bi < blocks.length; bi++) {
    const b = blocks[bi] as ServerBlock;
    write(bi === 0 ? '[{"Keys":[' : ',{"Keys":[');
    write(b.keys.map(goJsonString).join(","));
    write('],"Tokens":{');
    const names = Object.keys(b.tokens)
      .map((k) => ({ k, sortKey: toWellFormed(k) }))
      .sort((x, y) => compareCodePoints(x.sortKey, y.sortKey));
    for (let ni = 0; ni < names.length; ni++) {
      const k = (names[ni] as { k: string }).k;
      write(ni === 0 ? "" : ",");
      write(goJsonString(k));
      write(":[");
      const toks = b.tokens[k] ?? [];
      for (let ti = 0; ti < toks.length; ti++) {
        const t = toks[ti] as (typeof toks)[number];
        write(`${ti === 0 ? "" : ","}{"File":${goJsonString(t.caddyFile)},"Line":${t.line},"Text":${goJsonString(t.text)}}`);
      }
      write("]");
    }
    write("}}");
  }
  write("]");
}

/** {@link writeServerBlocks} into one string: the exact bytes the reload plugin hashes (as a JS string). */
export function marshalServerBlocks(blocks: readonly ServerBlock[]): string {
  const out: string[] = [];
  writeServerBlocks(blocks, (c) => out.push(c));
  return out.join("");
}
