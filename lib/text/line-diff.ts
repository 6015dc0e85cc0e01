/**
 * Line diffs: Myers' O(ND) shortest edit script over whole lines. The one diff of the app: the three-way merge of a
 * draft with a changed Corefile, the plain-text diff view, and the lines added/removed of each revision use it.
 */

/** One run of a diff: lines kept, removed from `a`, or added from `b`. */
export type DiffOp = { kind: "equal" | "delete" | "insert"; lines: string[] };

/** Lines added and removed, as `git diff --numstat` counts them. */
export type LineChanges = { added: number; removed: number };

/**
 * Beyond this many insertions plus deletions an exact diff is not worth its cost (time O((N+M)·D), memory O(D²)); the
 * changed middle is then shown as removed and re-added whole. Two Corefiles that far apart share little anyway.
 */
export const MAX_DIFF_EDITS = 2000;

/** Splits text into lines, keeping each line's terminator so that joining them gives the text back. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The shortest edit script turning lines `a` into lines `b` (see {@link MAX_DIFF_EDITS} for very different inputs). */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = MAX_DIFF_EDITS): DiffOp[] {
  const { prefix, suffix } = commonEnds(a, b);
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const ops: DiffOp[] = [];
  const push = (kind: DiffOp["kind"], lines: readonly string[]) => {
    if (lines.length === 0) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind) last.lines.push(...lines);
    else ops.push({ kind, lines: [...lines] });
  };
  push("equal", a.slice(0, prefix));
  const middle = editScript(internLines(midA, midB), maxEdits);
  if (middle === undefined) {
    push("delete", midA);
    push("insert", midB);
  } else {
    let x = 0;
    let y = 0;
    for (const step of middle) {
      if (step === EQUAL) {
        push("equal", [midA[x] as string]);
        x++;
        y++;
      } else if (step === DELETE) {
        push("delete", [midA[x++] as string]);
      } else {
        push("insert", [midB[y++] as string]);
      }
    }
  }
  push("equal", a.slice(a.length - suffix));
  return ops;
}

/**
 * How many lines `after` adds and removes compared with `before`. A line keeps its line break, so adding a final
 * newline counts as one line removed and one added, as in git. Past {@link MAX_DIFF_EDITS} edits the texts are
 * compared as bags of lines (a moved line then counts as unchanged).
 */
export function countChangedLines(before: string, after: string): LineChanges {
  if (before === after) return { added: 0, removed: 0 };
  const a = splitLines(before);
  const b = splitLines(after);
  const { prefix, suffix } = commonEnds(a, b);
  const ids = internLines(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  if (ids.a.length === 0 || ids.b.length === 0) return { added: ids.b.length, removed: ids.a.length };
  const edits = editDistance(ids, MAX_DIFF_EDITS);
  if (edits === undefined) return countAsBags(ids);
  // Every edit is one insertion or one deletion, and insertions minus deletions is the change in length.
  const growth = ids.b.length - ids.a.length;
  return { added: (edits + growth) / 2, removed: (edits - growth) / 2 };
}

function commonEnds(a: readonly string[], b: readonly string[]): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

type Interned = { a: Int32Array; b: Int32Array };

/** The lines as small integers (equal lines, equal numbers): comparing numbers is much cheaper than strings. */
function internLines(a: readonly string[], b: readonly string[]): Interned {
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  return { a: Int32Array.from(a, intern), b: Int32Array.from(b, intern) };
}

/** The furthest x reached on diagonal k after d edits, following Myers' greedy rule. */
function nextX(v: Int32Array, offset: number, k: number, d: number): number {
  const down = v[offset + k + 1] as number;
  const right = v[offset + k - 1] as number;
  return k === -d || (k !== d && right < down) ? down : right + 1;
}

/** Insertions plus deletions turning `a` into `b`, or undefined past `limit`. Memory O(N+M). */
function editDistance({ a, b }: Interned, limit: number): number | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, limit);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = nextX(v, offset, k, d);
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return undefined;
}

const EQUAL = 0;
const DELETE = 1;
const INSERT = 2;

/**
 * The edit script as steps (EQUAL, DELETE, INSERT), or undefined past `limit` edits. Keeps, for each d, only the
 * diagonals -d..d of the search front, so memory is O(D²) rather than O(D·(N+M)).
 */
function editScript({ a, b }: Interned, limit: number): Uint8Array | undefined {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return new Uint8Array(n + m).fill(n === 0 ? INSERT : DELETE);
  const max = Math.min(n + m, limit);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const fronts: Int32Array[] = [];
  let last = -1;
  for (let d = 0; d <= max && last < 0; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = nextX(v, offset, k, d);
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        last = d;
        break;
      }
    }
    // Diagonals -d..d after step d, with a spare slot each side for the neighbours read when walking back.
    fronts.push(v.slice(offset - d - 1, offset + d + 2));
  }
  if (last < 0) return undefined;

  // Walk back from (n, m): each step d came from diagonal k±1 of step d-1, after a run of equal lines.
  // n + m counts each kept line twice and each edit once, so there are (n + m + edits) / 2 steps.
  const steps = new Uint8Array((n + m + last) / 2);
  let at = steps.length;
  let x = n;
  let y = m;
  for (let d = last; d > 0; d--) {
    const previous = fronts[d - 1] as Int32Array;
    const base = d; // index of diagonal 0 in fronts[d - 1] is (d - 1) + 1
    const k = x - y;
    const down = previous[base + k + 1] as number;
    const right = previous[base + k - 1] as number;
    const fromK = k === -d || (k !== d && right < down) ? k + 1 : k - 1;
    const fromX = previous[base + fromK] as number;
    const fromY = fromX - fromK;
    while (x > fromX && y > fromY) {
      steps[--at] = EQUAL;
      x--;
      y--;
    }
    steps[--at] = x === fromX ? INSERT : DELETE;
    x = fromX;
    y = fromY;
  }
  while (x > 0 && y > 0) {
    steps[--at] = EQUAL;
    x--;
    y--;
  }
  return steps;
}

/** Lines of `b` without a partner in `a` count as added, and the reverse as removed. */
function countAsBags({ a, b }: Interned): LineChanges {
  const balance = new Map<number, number>();
  for (const line of a) balance.set(line, (balance.get(line) ?? 0) - 1);
  for (const line of b) balance.set(line, (balance.get(line) ?? 0) + 1);
  let added = 0;
  let removed = 0;
  for (const count of balance.values()) {
    if (count > 0) added += count;
    else removed -= count;
  }
  return { added, removed };
}
