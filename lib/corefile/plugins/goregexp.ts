/**
 * A syntax checker for Go's `regexp.Compile` (RE2 syntax with Perl extensions), written as a small scanner that
 * follows the decisions of Go's `regexp/syntax` parser: what is an escape, a class, a repetition, a group. It does not
 * build a matcher; it answers "would Go accept this pattern?" and "how many capture groups does it have?"
 * (`NumSubexp`), which is all the plugins need. JavaScript's RegExp is deliberately not used: its syntax differs
 * (lookarounds, backreferences, `\Q..\E`, `(?i)`, POSIX classes...).
 *
 * Results are memoised, so re-validating an unchanged Corefile on every keystroke costs a map lookup.
 */

export type RegexpCheck = { ok: true; numSubexp: number; names: string[] } | { ok: false; error: string };

const POSIX_CLASSES = new Set([
  "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit",
]);

/** Unicode general categories Go knows (`\pL`, `\p{Lu}`...). Scripts are accepted by shape. */
const UNICODE_CATEGORIES = new Set([
  "Any", "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
  "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
]);

class RegexpError extends Error {}

function err(code: string, expr: string): never {
  throw new RegexpError(`error parsing regexp: ${code}: \`${expr}\``);
}

function isAlnum(c: string): boolean {
  return /^[0-9A-Za-z]$/.test(c);
}

function unhex(c: string | undefined): number {
  if (c === undefined) return -1;
  const v = Number.parseInt(c, 16);
  return /^[0-9a-fA-F]$/.test(c) ? v : -1;
}

/** Go's parseEscape: returns the rest after a single-character escape (the code point value is not needed). */
function parseEscape(s: string): { rest: string; value: number } {
  const t = s.slice(1);
  if (t === "") err("trailing backslash at end of expression", "");
  const c = t[0]!;
  let rest = t.slice(1);
  switch (c) {
    case "1":
    case "2":
    case "3":
    case "4":
    case "5":
    case "6":
    case "7":
      if (rest === "" || rest[0]! < "0" || rest[0]! > "7") break;
    // falls through
    case "0": {
      let r = c.charCodeAt(0) - 48;
      for (let i = 1; i < 3; i++) {
        if (rest === "" || rest[0]! < "0" || rest[0]! > "7") break;
        r = r * 8 + rest.charCodeAt(0) - 48;
        rest = rest.slice(1);
      }
      return { rest, value: r };
    }
    case "x": {
      if (rest === "") break;
      const c2 = rest[0]!;
      rest = rest.slice(1);
      if (c2 === "{") {
        let nhex = 0;
        let r = 0;
        let closed = false;
        while (rest !== "") {
          const d = rest[0]!;
          rest = rest.slice(1);
          if (d === "}") {
            closed = true;
            break;
          }
          const v = unhex(d);
          if (v < 0) break;
          r = r * 16 + v;
          if (r > 0x10ffff) break;
          nhex++;
        }
        if (!closed || nhex === 0) break;
        return { rest, value: r };
      }
      const x = unhex(c2);
      const y = unhex(rest[0]);
      rest = rest.slice(1);
      if (x < 0 || y < 0) break;
      return { rest, value: x * 16 + y };
    }
    case "a":
      return { rest, value: 7 };
    case "f":
      return { rest, value: 12 };
    case "n":
      return { rest, value: 10 };
    case "r":
      return { rest, value: 13 };
    case "t":
      return { rest, value: 9 };
    case "v":
      return { rest, value: 11 };
    default:
      if (c.charCodeAt(0) < 0x80 && !isAlnum(c)) return { rest, value: c.charCodeAt(0) };
      // A non-ASCII character after a backslash is also invalid in Go.
      break;
  }
  err("invalid escape sequence", s.slice(0, s.length - rest.length));
}

/** `\pL`, `\p{Greek}`, `\PN`... Returns the rest, or null when `s` does not start a Unicode class. */
function parseUnicodeClass(s: string): string | null {
  if (s.length < 2 || s[0] !== "\\" || (s[1] !== "p" && s[1] !== "P")) return null;
  const t = s.slice(2);
  if (t === "") return null;
  let name: string;
  let seq: string;
  let rest: string;
  if (t[0] !== "{") {
    // A single-letter name (one code point).
    const cp = String.fromCodePoint(t.codePointAt(0)!);
    name = cp;
    seq = s.slice(0, 2 + cp.length);
    rest = t.slice(cp.length);
  } else {
    const end = s.indexOf("}");
    if (end < 0) err("invalid character class range", s);
    seq = s.slice(0, end + 1);
    rest = s.slice(end + 1);
    name = s.slice(3, end);
  }
  if (name.startsWith("^")) name = name.slice(1);
  if (!UNICODE_CATEGORIES.has(name) && !/^[A-Z][A-Za-z_]*$/.test(name)) err("invalid character class range", seq);
  return rest;
}

function parsePerlClassEscape(s: string): string | null {
  if (s.length >= 2 && s[0] === "\\" && /[dDsSwW]/.test(s[1]!)) return s.slice(2);
  return null;
}

function parseClassChar(s: string, wholeClass: string): { rest: string; value: number } {
  if (s === "") err("missing closing ]", wholeClass);
  if (s[0] === "\\") return parseEscape(s);
  const cp = s.codePointAt(0)!;
  return { rest: s.slice(cp > 0xffff ? 2 : 1), value: cp };
}

function parseClass(s: string): string {
  let t = s.slice(1);
  if (t !== "" && t[0] === "^") t = t.slice(1);
  let first = true;
  while (t === "" || t[0] !== "]" || first) {
    first = false;
    if (t.length > 2 && t[0] === "[" && t[1] === ":") {
      const i = t.indexOf(":]", 2);
      if (i >= 0) {
        const name = t.slice(0, i + 2);
        let n = name.slice(2, -2);
        if (n.startsWith("^")) n = n.slice(1);
        if (!POSIX_CLASSES.has(n)) err("invalid character class range", name);
        t = t.slice(i + 2);
        continue;
      }
    }
    const u = parseUnicodeClass(t);
    if (u !== null) {
      t = u;
      continue;
    }
    const p = parsePerlClassEscape(t);
    if (p !== null) {
      t = p;
      continue;
    }
    const rng = t;
    const lo = parseClassChar(t, s);
    t = lo.rest;
    if (t.length >= 2 && t[0] === "-" && t[1] !== "]") {
      t = t.slice(1);
      const hi = parseClassChar(t, s);
      t = hi.rest;
      if (hi.value < lo.value) err("invalid character class range", rng.slice(0, rng.length - t.length));
    }
  }
  return t.slice(1);
}

/** `{n}`, `{n,}`, `{n,m}`: returns the bounds and the rest, or null when `{` is a literal. */
function parseRepeat(s: string): { min: number; max: number; rest: string } | null {
  let t = s.slice(1);
  const int = (): number | null => {
    if (t === "" || t[0]! < "0" || t[0]! > "9") return null;
    if (t.length >= 2 && t[0] === "0" && t[1]! >= "0" && t[1]! <= "9") return null;
    let n = 0;
    let i = 0;
    while (i < t.length && t[i]! >= "0" && t[i]! <= "9") {
      if (n >= 1e8) n = -1;
      else if (n >= 0) n = n * 10 + (t.charCodeAt(i) - 48);
      i++;
    }
    t = t.slice(i);
    return n;
  };
  let min = int();
  if (min === null || t === "") return null;
  let max: number;
  if (t[0] !== ",") max = min;
  else {
    t = t.slice(1);
    if (t === "") return null;
    if (t[0] === "}") max = -1;
    else {
      const m = int();
      if (m === null) return null;
      max = m;
      if (max < 0) min = -1;
    }
  }
  if (t === "" || t[0] !== "}") return null;
  return { min, max, rest: t.slice(1) };
}

type Top = "none" | "lparen" | "bar" | "atom";

function check(src: string): RegexpCheck {
  let t = src;
  let top: Top = "none";
  const stack: Top[] = [];
  let numCap = 0;
  const names: string[] = [];
  let lastRepeat = "";
  while (t !== "") {
    let repeat = "";
    const c = t[0]!;
    switch (c) {
      case "(": {
        if (t.length >= 2 && t[1] === "?") {
          const startsWithP = t.length > 4 && t[2] === "P" && t[3] === "<";
          const startsWithName = t.length > 3 && t[2] === "<";
          if (startsWithP || startsWithName) {
            const exprStart = startsWithName ? 3 : 4;
            const end = t.indexOf(">");
            if (end < 0) err("invalid named capture", t);
            const name = t.slice(exprStart, end);
            if (name === "" || !/^[A-Za-z0-9_]+$/.test(name)) err("invalid named capture", t.slice(0, end + 1));
            numCap++;
            names.push(name);
            stack.push(top);
            top = "lparen";
            t = t.slice(end + 1);
            break;
          }
          // Flags and non-capturing groups.
          let u = t.slice(2);
          let sign = 1;
          let sawFlag = false;
          let done = false;
          while (u !== "") {
            const f = u[0]!;
            u = u.slice(1);
            if (f === "i" || f === "m" || f === "s" || f === "U") {
              sawFlag = true;
              continue;
            }
            if (f === "-") {
              if (sign < 0) break;
              sign = -1;
              sawFlag = false;
              continue;
            }
            if (f === ":" || f === ")") {
              if (sign < 0 && !sawFlag) break;
              if (f === ":") {
                stack.push(top);
                top = "lparen";
              }
              t = u;
              done = true;
            }
            break;
          }
          if (!done) err("invalid or unsupported Perl syntax", t.slice(0, t.length - u.length));
          break;
        }
        numCap++;
        stack.push(top);
        top = "lparen";
        t = t.slice(1);
        break;
      }
      case "|":
        top = "bar";
        t = t.slice(1);
        break;
      case ")":
        if (stack.length === 0) err("unexpected )", src);
        stack.pop();
        top = "atom";
        t = t.slice(1);
        break;
      case "^":
      case "$":
      case ".":
        top = "atom";
        t = t.slice(1);
        break;
      case "[":
        t = parseClass(t);
        top = "atom";
        break;
      case "*":
      case "+":
      case "?": {
        const before = t;
        let after = t.slice(1);
        if (after !== "" && after[0] === "?") after = after.slice(1);
        if (lastRepeat !== "") err("invalid nested repetition operator", lastRepeat.slice(0, lastRepeat.length - after.length));
        if (top === "none" || top === "lparen" || top === "bar")
          err("missing argument to repetition operator", before.slice(0, before.length - after.length));
        repeat = before;
        t = after;
        top = "atom";
        break;
      }
      case "{": {
        const before = t;
        const r = parseRepeat(t);
        if (!r) {
          top = "atom";
          t = t.slice(1);
          break;
        }
        let after = r.rest;
        if (r.min < 0 || r.min > 1000 || r.max > 1000 || (r.max >= 0 && r.min > r.max))
          err("invalid repeat count", before.slice(0, before.length - after.length));
        if (after !== "" && after[0] === "?") after = after.slice(1);
        if (lastRepeat !== "") err("invalid nested repetition operator", lastRepeat.slice(0, lastRepeat.length - after.length));
        if (top === "none" || top === "lparen" || top === "bar")
          err("missing argument to repetition operator", before.slice(0, before.length - after.length));
        repeat = before;
        t = after;
        top = "atom";
        break;
      }
      case "\\": {
        if (t.length >= 2) {
          const e = t[1];
          if (e === "A" || e === "b" || e === "B" || e === "z") {
            top = "atom";
            t = t.slice(2);
            break;
          }
          if (e === "C") err("invalid escape sequence", t.slice(0, 2));
          if (e === "Q") {
            const rest = t.slice(2);
            const end = rest.indexOf("\\E");
            const lit = end < 0 ? rest : rest.slice(0, end);
            t = end < 0 ? "" : rest.slice(end + 2);
            if (lit !== "") top = "atom";
            break;
          }
        }
        const u = parseUnicodeClass(t);
        if (u !== null) {
          t = u;
          top = "atom";
          break;
        }
        const p = parsePerlClassEscape(t);
        if (p !== null) {
          t = p;
          top = "atom";
          break;
        }
        t = parseEscape(t).rest;
        top = "atom";
        break;
      }
      default: {
        const cp = t.codePointAt(0)!;
        t = t.slice(cp > 0xffff ? 2 : 1);
        top = "atom";
      }
    }
    lastRepeat = repeat;
  }
  if (stack.length > 0) err("missing closing )", src);
  return { ok: true, numSubexp: numCap, names };
}

const cache = new Map<string, RegexpCheck>();
const CACHE_LIMIT = 2000;

/** Checks `pattern` as Go's `regexp.Compile` would. Memoised. */
export function checkGoRegexp(pattern: string): RegexpCheck {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let r: RegexpCheck;
  try {
    r = check(pattern);
  } catch (e) {
    if (!(e instanceof RegexpError)) throw e;
    r = { ok: false, error: e.message };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, r);
  return r;
}
