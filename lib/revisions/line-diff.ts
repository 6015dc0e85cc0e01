/** How many lines a change adds and removes, as a line diff (`git diff --numstat`) would count them. */
export type LineChanges = { added: number; removed: number };

/**
 * Beyond this many changed lines the exact count is not worth its cost (the diff is O((N+M)·D));
 * the count then compares the two texts as bags of lines instead.
 */
const MAX_EXACT_EDITS = 2000;

/**
 * Counts the lines added and removed between two texts with a shortest edit script (Myers' algorithm over whole
 * lines). A line keeps its line break, so adding a final newline counts as one line removed and one added, as in git.
 */
export function countLineChanges(before: string, after: string): LineChanges {
  if (before === after) return { added: 0, removed: 0 };
  const ids = new Map<string, number>();
  const intern = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  let a = splitLines(before).map(intern);
  let b = splitLines(after).map(intern);

  // Unchanged head and tail lines cost nothing to skip and are most of a typical edit.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  a = a.slice(start, endA);
  b = b.slice(start, endB);
  if (a.length === 0 || b.length === 0) return { added: b.length, removed: a.length };

  const edits = shortestEditDistance(a, b, MAX_EXACT_EDITS);
  if (edits === undefined) return countAsBags(a, b);
  // Every edit is one insertion or one deletion, and insertions minus deletions is the change in length.
  const growth = b.length - a.length;
  return { added: (edits + growth) / 2, removed: (edits - growth) / 2 };
}

/** The lines of a text, each with its line break; a last line without one is kept as it is. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The number of insertions plus deletions that turn `a` into `b` (Myers 1986, greedy forward search over
 * diagonals), or undefined when it exceeds `limit`.
 */
function shortestEditDistance(a: number[], b: number[], limit: number): number | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, limit);
  const offset = max + 1;
  // furthest[k + offset]: the furthest x reached on diagonal k = x - y.
  const furthest = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = furthest[offset + k + 1] ?? 0;
      const right = furthest[offset + k - 1] ?? 0;
      let x = k === -d || (k !== d && right < down) ? down : right + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return undefined;
}

/** Lines of `b` without a partner in `a` count as added, and the reverse as removed; moved lines count as unchanged. */
function countAsBags(a: number[], b: number[]): LineChanges {
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
