/**
 * Line diffs (Myers' O(ND) algorithm) and a three-way merge on top of them. Used to merge a draft
 * with a Corefile someone else changed meanwhile, and to count lines added and removed.
 */

/** One run of a diff: lines kept, removed from `a`, or added from `b`. */
export type DiffOp = { kind: "equal" | "delete" | "insert"; lines: string[] };

/** Splits text into lines, keeping each line's terminator so that joining them gives the text back. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

/** The shortest edit script turning lines `a` into lines `b`. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  // Trim the common prefix and suffix first: edits are usually small and local.
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const middle = myers(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix));
  const ops: DiffOp[] = [];
  const push = (kind: DiffOp["kind"], lines: readonly string[]) => {
    if (lines.length === 0) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind) last.lines.push(...lines);
    else ops.push({ kind, lines: [...lines] });
  };
  push("equal", a.slice(0, prefix));
  for (const op of middle) push(op.kind, op.lines);
  push("equal", a.slice(a.length - suffix));
  return ops;
}

function myers(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m === 0 ? [] : [{ kind: "insert", lines: [...b] }];
  if (m === 0) return [{ kind: "delete", lines: [...a] }];
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0)) ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the path.
  const ops: DiffOp[] = [];
  const prepend = (kind: DiffOp["kind"], line: string) => {
    const first = ops[0];
    if (first && first.kind === kind) first.lines.unshift(line);
    else ops.unshift({ kind, lines: [line] });
  };
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd[offset + k - 1] ?? 0) < (vd[offset + k + 1] ?? 0)) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      prepend("equal", a[x - 1]!);
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) prepend("insert", b[y - 1]!);
      else prepend("delete", a[x - 1]!);
    }
    x = prevX;
    y = prevY;
  }
  return ops;
}

/** How many lines `after` adds and removes compared with `before`. */
export function countChangedLines(before: string, after: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const op of diffLines(splitLines(before), splitLines(after))) {
    if (op.kind === "insert") added += op.lines.length;
    if (op.kind === "delete") removed += op.lines.length;
  }
  return { added, removed };
}
