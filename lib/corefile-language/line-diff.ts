/**
 * A line diff for the plain-text review (the accessible alternative to the Monaco diff editor): which lines were
 * removed, added or kept, with their line numbers on each side.
 */

/** One line of a unified diff. */
export type DiffLine =
  | { kind: "same"; text: string; oldLine: number; newLine: number }
  | { kind: "removed"; text: string; oldLine: number }
  | { kind: "added"; text: string; newLine: number };

/** Above this many line pairs in the changed middle, the diff gives up on alignment and shows remove-all/add-all. */
const MAX_CELLS = 4_000_000;

/**
 * Compares two texts line by line (longest common subsequence after trimming the common start and end), so a small
 * change to a large Corefile stays cheap.
 */
export function diffLines(original: string, modified: string): DiffLine[] {
  const a = splitLines(original);
  const b = splitLines(modified);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ kind: "same", text: a[i] as string, oldLine: i + 1, newLine: i + 1 });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  for (const d of diffMiddle(midA, midB)) {
    if (d.kind === "same") out.push({ ...d, oldLine: d.oldLine + head, newLine: d.newLine + head });
    else if (d.kind === "removed") out.push({ ...d, oldLine: d.oldLine + head });
    else out.push({ ...d, newLine: d.newLine + head });
  }
  for (let i = tail; i > 0; i--) {
    out.push({ kind: "same", text: a[a.length - i] as string, oldLine: a.length - i + 1, newLine: b.length - i + 1 });
  }
  return out;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function diffMiddle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) {
    return [
      ...a.map((text, i): DiffLine => ({ kind: "removed", text, oldLine: i + 1 })),
      ...b.map((text, j): DiffLine => ({ kind: "added", text, newLine: j + 1 })),
    ];
  }
  // lcs[i][j] = length of the LCS of a[i..] and b[j..], stored row-major.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] as number) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] as number, lcs[i * (m + 1) + j + 1] as number);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] as string, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i * (m + 1) + j + 1] as number) > (lcs[(i + 1) * (m + 1) + j] as number))) {
      out.push({ kind: "added", text: b[j] as string, newLine: j + 1 });
      j++;
    } else {
      out.push({ kind: "removed", text: a[i] as string, oldLine: i + 1 });
      i++;
    }
  }
  // Show removals before additions within each changed run, as unified diffs do.
  return groupRuns(out);
}

function groupRuns(lines: DiffLine[]): DiffLine[] {
  const out: DiffLine[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    out.push(...removed, ...added);
    removed = [];
    added = [];
  };
  for (const l of lines) {
    if (l.kind === "same") {
      flush();
      out.push(l);
    } else if (l.kind === "removed") removed.push(l);
    else added.push(l);
  }
  flush();
  return out;
}
