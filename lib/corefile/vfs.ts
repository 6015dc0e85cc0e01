/**
 * A tiny read-only virtual file system for `import`: POSIX path helpers with Go's `path/filepath` semantics, and
 * `filepath.Glob`/`filepath.Match` re-implemented over an in-memory map of files. The parser never touches a disk:
 * the caller passes the other files (other ConfigMap keys, coredns-custom overrides, ...) in this map.
 */

/** Go's `filepath.Clean` for `/`-separated paths. */
export function cleanPath(p: string): string {
  if (isCleanPath(p)) return p;
  if (p === "") return ".";
  const rooted = p.charCodeAt(0) === 47;
  const parts = p.split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      // `..` above the root stays at the root
      continue;
    }
    out.push(part);
  }
  const body = out.join("/");
  if (rooted) return "/" + body;
  return body === "" ? "." : body;
}

/**
 * Whether `p` is already what {@link cleanPath} returns: no empty, `.` or `..` element and no trailing slash (or just
 * `/`). Most paths are, and then cleaning them needs no splitting and joining.
 */
function isCleanPath(p: string): boolean {
  const n = p.length;
  if (n === 0) return false;
  let from = p.charCodeAt(0) === 47 ? 1 : 0;
  if (from === n) return true; // "/"
  for (let i = from; i <= n; i++) {
    if (i < n && p.charCodeAt(i) !== 47) continue;
    const len = i - from;
    if (len === 0) return false; // "//" or a trailing "/"
    if (p.charCodeAt(from) === 46 && (len === 1 || (len === 2 && p.charCodeAt(from + 1) === 46))) return false; // . or ..
    from = i + 1;
  }
  return true;
}

/** Go's `filepath.Join`: joins the non-empty elements with `/` and cleans the result ("" when all are empty). */
export function joinPath(...elems: string[]): string {
  const nonEmpty = elems.filter((e) => e !== "");
  return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join("/"));
}

/** Go's `filepath.Dir`. */
export function dirPath(p: string): string {
  const i = p.lastIndexOf("/");
  return cleanPath(p.slice(0, i + 1));
}

/** Go's `filepath.IsAbs` on Unix. */
export function isAbsPath(p: string): boolean {
  return p.charCodeAt(0) === 47;
}

/**
 * Go's `filepath.Abs`, without a working directory: absolute paths are cleaned, relative ones are only cleaned (the
 * parser has no notion of a current directory; relative names are resolved against the virtual file map's root).
 */
export function absPath(p: string): string {
  return cleanPath(p);
}

/** Compares two strings by Unicode code point, which is the byte order of their UTF-8 encodings (Go's string order). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..U+DFFF) encode code points above U+FFFF, which sort after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A parsed glob pattern element. */
type GlobElem =
  | { t: "star" }
  | { t: "any" }
  | { t: "lit"; cp: number }
  | { t: "class"; negated: boolean; ranges: Array<[number, number]> };

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

/**
 * Parses a `filepath.Match` pattern; returns null when Go would report `ErrBadPattern` (unterminated or empty
 * character class, a class starting with `-`, a trailing backslash).
 */
function compileGlob(pattern: string): GlobElem[] | null {
  const cps = codePoints(pattern);
  const out: GlobElem[] = [];
  let i = 0;
  const n = cps.length;
  // Reads one (possibly escaped) class character; null on bad syntax, like Go's getEsc.
  const getEsc = (): number | null => {
    let c = cps[i];
    if (c === undefined || c === 45 /* - */ || c === 93 /* ] */) return null;
    if (c === 92) {
      i++;
      c = cps[i];
      if (c === undefined) return null;
    }
    i++;
    if (i >= n) return null; // the class never closes
    return c;
  };
  while (i < n) {
    const c = cps[i] as number;
    if (c === 42 /* * */) {
      out.push({ t: "star" });
      i++;
    } else if (c === 63 /* ? */) {
      out.push({ t: "any" });
      i++;
    } else if (c === 92 /* \ */) {
      const next = cps[i + 1];
      if (next === undefined) return null;
      out.push({ t: "lit", cp: next });
      i += 2;
    } else if (c === 91 /* [ */) {
      i++;
      let negated = false;
      if (cps[i] === 94 /* ^ */) {
        negated = true;
        i++;
      }
      const ranges: Array<[number, number]> = [];
      for (;;) {
        if (cps[i] === 93 && ranges.length > 0) {
          i++;
          break;
        }
        const lo = getEsc();
        if (lo === null) return null;
        let hi = lo;
        if (cps[i] === 45) {
          i++;
          const h = getEsc();
          if (h === null) return null;
          hi = h;
        }
        ranges.push([lo, hi]);
      }
      out.push({ t: "class", negated, ranges });
    } else {
      out.push({ t: "lit", cp: c });
      i++;
    }
  }
  return out;
}

function matchElems(elems: GlobElem[], ei: number, name: number[], ni: number): boolean {
  while (ei < elems.length) {
    const e = elems[ei] as GlobElem;
    if (e.t === "star") {
      // `*` matches any run of non-separator characters; try every split point.
      for (let k = ni; k <= name.length; k++) {
        if (matchElems(elems, ei + 1, name, k)) return true;
        if (name[k] === 47) break;
      }
      return false;
    }
    const c = name[ni];
    if (c === undefined) return false;
    if (e.t === "any") {
      if (c === 47) return false;
    } else if (e.t === "lit") {
      if (c !== e.cp) return false;
    } else {
      let inRange = false;
      for (const [lo, hi] of e.ranges) if (lo <= c && c <= hi) inRange = true;
      if (inRange === e.negated) return false;
    }
    ei++;
    ni++;
  }
  return ni === name.length;
}

/** Go's `filepath.Match`: `"bad"` when the pattern is malformed, otherwise whether `name` matches. */
export function globMatch(pattern: string, name: string): boolean | "bad" {
  const elems = compileGlob(pattern);
  if (elems === null) return "bad";
  return matchElems(elems, 0, codePoints(name), 0);
}

function hasMeta(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 42 || c === 63 || c === 91 || c === 92) return true;
  }
  return false;
}

/** An in-memory directory tree built from a map of file paths to contents. */
export class VirtualFs {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, Set<string>>();

  /**
   * @param files path → content; relative paths are taken relative to `baseDir`
   * @param baseDir the directory of the root Corefile (`filepath.Dir` of its name)
   */
  constructor(files: Readonly<Record<string, string>> | undefined, baseDir: string) {
    if (!files) return;
    for (const key of Object.keys(files)) {
      const content = files[key];
      if (typeof content !== "string") continue;
      const p = isAbsPath(key) ? cleanPath(key) : joinPath(baseDir, key);
      this.files.set(p, content);
      // Register every ancestor directory so globs and "is a directory" checks work.
      let child = p;
      for (;;) {
        const parent = dirPath(child);
        if (parent === child) break;
        const base = child.slice(child.lastIndexOf("/") + 1);
        let set = this.dirs.get(parent);
        if (!set) this.dirs.set(parent, (set = new Set()));
        if (set.has(base)) break;
        set.add(base);
        if (parent === "/" || parent === ".") break;
        child = parent;
      }
    }
  }

  /** The content of a file, or undefined. */
  read(path: string): string | undefined {
    return this.files.get(cleanPath(path));
  }

  isDir(path: string): boolean {
    return this.dirs.has(cleanPath(path));
  }

  exists(path: string): boolean {
    const p = cleanPath(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  /** Entry names of a directory, sorted like Go's `sort.Strings`. */
  readDir(path: string): string[] {
    const set = this.dirs.get(cleanPath(path));
    return set ? [...set].sort(compareCodePoints) : [];
  }

  /**
   * Go's `filepath.Glob` over this tree: `{ error }` for a malformed pattern, otherwise the matching paths (a pattern
   * without wildcards matches itself when it exists).
   */
  glob(pattern: string): { matches: string[] } | { error: string } {
    return this.globDepth(pattern, 0);
  }

  private globDepth(pattern: string, depth: number): { matches: string[] } | { error: string } {
    const bad = { error: "syntax error in pattern" };
    if (depth > 10000) return bad; // Go: ErrBadPattern past its recursion limit
    if (globMatch(pattern, "") === "bad") return bad;
    if (!hasMeta(pattern)) return { matches: this.exists(pattern) ? [pattern] : [] };
    const slash = pattern.lastIndexOf("/");
    let dir = pattern.slice(0, slash + 1);
    const file = pattern.slice(slash + 1);
    dir = dir === "" ? "." : dir === "/" ? dir : dir.slice(0, -1);
    if (!hasMeta(dir)) return this.globIn(dir, file, []);
    if (dir === pattern) return bad;
    const m = this.globDepth(dir, depth + 1);
    if ("error" in m) return m;
    let matches: string[] = [];
    for (const d of m.matches) {
      const r = this.globIn(d, file, matches);
      if ("error" in r) return r;
      matches = r.matches;
    }
    return { matches };
  }

  private globIn(dir: string, pattern: string, matches: string[]): { matches: string[] } | { error: string } {
    if (!this.isDir(dir)) return { matches };
    for (const name of this.readDir(dir)) {
      const ok = globMatch(pattern, name);
      if (ok === "bad") return { error: "syntax error in pattern" };
      if (ok) matches.push(joinPath(dir, name));
    }
    return { matches };
  }
}
