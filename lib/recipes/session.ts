/**
 * A recipe often makes several structured edits in a row (add a directive, then an option, then a key), each computed
 * on the text the previous one produced. The session applies them one by one and keeps track of which bytes of the
 * original survive, so that at the end it can hand back minimal edits against the *original* text: untouched bytes
 * are never part of an edit, and the editor's undo sees one small change per touched region.
 */
import { applyEdits, type EditResult, type TextEdit } from "@/lib/corefile";

/** A piece of the current text: a run of the original (by offsets) or inserted text. */
type Piece = { kind: "original"; start: number; end: number } | { kind: "inserted"; text: string };

export class EditSession {
  /** The text after every edit applied so far. */
  text: string;
  private pieces: Piece[];

  constructor(readonly original: string) {
    this.text = original;
    this.pieces = original.length ? [{ kind: "original", start: 0, end: original.length }] : [];
  }

  /**
   * Applies a structured edit's result (or plain edits) computed on the current {@link text}. Returns the failure
   * reason of a refused structured edit, else null.
   */
  apply(change: EditResult | readonly TextEdit[]): string | null {
    if (!Array.isArray(change)) {
      const result = change as EditResult;
      if (!result.ok) return result.reason;
      return this.apply(result.edits);
    }
    const edits = [...(change as readonly TextEdit[])].sort((a, b) => b.start - a.start || b.end - a.end);
    const next = applyEdits(this.text, edits);
    // From the last edit to the first, so the offsets of the ones still to do stay valid.
    for (const edit of edits) this.pieces = splice(this.pieces, edit.start, edit.end, edit.newText);
    this.text = next;
    return null;
  }

  /** Whether anything changed. */
  get changed(): boolean {
    return this.text !== this.original;
  }

  /** The edits that turn the original text into the current one, sorted, non-overlapping, none touching kept bytes. */
  edits(): TextEdit[] {
    const out: TextEdit[] = [];
    let cursor = 0;
    let pending = "";
    for (const piece of this.pieces) {
      if (piece.kind === "inserted") {
        pending += piece.text;
        continue;
      }
      if (piece.start !== cursor || pending !== "") out.push({ start: cursor, end: piece.start, newText: pending });
      cursor = piece.end;
      pending = "";
    }
    if (cursor !== this.original.length || pending !== "") out.push({ start: cursor, end: this.original.length, newText: pending });
    return out.filter((e) => e.end > e.start || e.newText !== "");
  }
}

/** Replaces [start, end) of the text the pieces spell with `text`. */
function splice(pieces: Piece[], start: number, end: number, text: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  let inserted = false;
  const insert = () => {
    if (!inserted && text !== "") out.push({ kind: "inserted", text });
    inserted = true;
  };
  for (const piece of pieces) {
    const length = piece.kind === "original" ? piece.end - piece.start : piece.text.length;
    const from = at;
    const to = at + length;
    at = to;
    if (to <= start) {
      out.push(piece);
      continue;
    }
    if (from >= end) {
      insert();
      out.push(piece);
      continue;
    }
    // The piece overlaps [start, end): keep its parts outside the range.
    const keepBefore = Math.max(0, start - from);
    const keepAfter = Math.max(0, to - end);
    if (keepBefore > 0) out.push(slice(piece, 0, keepBefore));
    insert();
    if (keepAfter > 0) out.push(slice(piece, length - keepAfter, length));
  }
  insert();
  return out;
}

function slice(piece: Piece, from: number, to: number): Piece {
  return piece.kind === "original"
    ? { kind: "original", start: piece.start + from, end: piece.start + to }
    : { kind: "inserted", text: piece.text.slice(from, to) };
}
