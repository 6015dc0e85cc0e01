import { diffLines, splitLines } from "./line-diff";

/** A region of a three-way merge that both sides changed differently. */
export type MergeConflict = { base: string; theirs: string; mine: string; line: number };

export type MergeResult = {
  /** The merged text; conflicting regions hold conflict markers when `conflicts` is not empty. */
  text: string;
  conflicts: MergeConflict[];
};

type Change = { start: number; end: number; lines: string[] };

/** The changed regions of `other` relative to `base`: base lines [start, end) become `lines`. */
function changesAgainstBase(base: readonly string[], other: readonly string[]): Change[] {
  const changes: Change[] = [];
  let position = 0;
  let current: Change | null = null;
  for (const op of diffLines(base, other)) {
    if (op.kind === "equal") {
      if (current) changes.push(current);
      current = null;
      position += op.lines.length;
      continue;
    }
    current ??= { start: position, end: position, lines: [] };
    if (op.kind === "delete") {
      position += op.lines.length;
      current.end = position;
    } else {
      current.lines.push(...op.lines);
    }
  }
  if (current) changes.push(current);
  return changes;
}

/**
 * Three-way line merge (diff3): takes both sides' changes to `base`; where they touch the same lines
 * differently, the result keeps both between markers and the conflict is reported, so nothing of
 * either side is ever lost.
 */
export function mergeThreeWay(base: string, theirs: string, mine: string, labels = { theirs: "live", mine: "draft" }): MergeResult {
  const baseLines = splitLines(base);
  const theirChanges = changesAgainstBase(baseLines, splitLines(theirs));
  const myChanges = changesAgainstBase(baseLines, splitLines(mine));
  const output: string[] = [];
  const conflicts: MergeConflict[] = [];
  let position = 0;
  let t = 0;
  let m = 0;
  while (t < theirChanges.length || m < myChanges.length) {
    const nextTheirs = theirChanges[t];
    const nextMine = myChanges[m];
    // Start a group with the earliest change, then absorb every change of either side overlapping it.
    const first = !nextMine || (nextTheirs && nextTheirs.start <= nextMine.start) ? nextTheirs! : nextMine;
    let start = first.start;
    let end = first.end;
    const groupTheirs: Change[] = [];
    const groupMine: Change[] = [];
    let grew = true;
    while (grew) {
      grew = false;
      const ct = theirChanges[t];
      if (ct && overlaps(ct, start, end)) {
        groupTheirs.push(ct);
        start = Math.min(start, ct.start);
        end = Math.max(end, ct.end);
        t++;
        grew = true;
      }
      const cm = myChanges[m];
      if (cm && overlaps(cm, start, end)) {
        groupMine.push(cm);
        start = Math.min(start, cm.start);
        end = Math.max(end, cm.end);
        m++;
        grew = true;
      }
    }
    output.push(...baseLines.slice(position, start));
    const baseRegion = baseLines.slice(start, end);
    const theirRegion = applyChanges(baseLines, start, end, groupTheirs);
    const myRegion = applyChanges(baseLines, start, end, groupMine);
    if (groupMine.length === 0) output.push(...theirRegion);
    else if (groupTheirs.length === 0) output.push(...myRegion);
    else if (theirRegion.join("") === myRegion.join("")) output.push(...theirRegion);
    else {
      conflicts.push({ base: baseRegion.join(""), theirs: theirRegion.join(""), mine: myRegion.join(""), line: countLines(output) + 1 });
      output.push(`<<<<<<< ${labels.mine}\n`, ...withNewline(myRegion), "=======\n", ...withNewline(theirRegion), `>>>>>>> ${labels.theirs}\n`);
    }
    position = end;
  }
  output.push(...baseLines.slice(position));
  return { text: output.join(""), conflicts };
}

function overlaps(change: Change, start: number, end: number): boolean {
  // Ranges that overlap or merely touch (two insertions at one point, edits of adjacent lines) form
  // one region, as in diff3: which side's lines come first there is a human decision.
  return change.start <= end && change.end >= start;
}

function applyChanges(base: readonly string[], start: number, end: number, changes: readonly Change[]): string[] {
  const out: string[] = [];
  let position = start;
  for (const change of changes) {
    out.push(...base.slice(position, change.start), ...change.lines);
    position = change.end;
  }
  out.push(...base.slice(position, end));
  return out;
}

function withNewline(lines: readonly string[]): string[] {
  const last = lines[lines.length - 1];
  return last !== undefined && !last.endsWith("\n") ? [...lines.slice(0, -1), `${last}\n`] : [...lines];
}

function countLines(lines: readonly string[]): number {
  return lines.length;
}
