import type { OffsetEdit } from "@/lib/corefile-language";

/** What the panel hands every recipe form. */
export type RecipeFormProps = {
  cluster: string;
  /** The Corefile as the text editor holds it now. */
  text: string;
  /** The server-block keys of the Corefile, offered as suggestions. */
  blockKeys: readonly string[];
  onApplyEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }): void;
  onClose(): void;
  onUndo?: (() => void) | undefined;
};

/** A trimmed text, or nothing when it is blank (so the schema's default or `optional` applies). */
export function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Items typed as a list separated by commas, spaces or new lines. */
export function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== "");
}
