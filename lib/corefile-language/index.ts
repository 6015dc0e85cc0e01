/**
 * The Corefile language service: everything the editor knows about the language — completion, hover, markers and
 * quick fixes, folding, formatting, the execution order of the block under the cursor, and the syntax-colouring
 * grammar. Pure TypeScript (no Monaco, no DOM): the editor component adapts these plain results to Monaco, and the
 * plain-text fallback uses them directly.
 */
export { checkCorefile } from "./check";
export { getCompletions } from "./completions";
export { getHover } from "./hover";
export { toMarkers, getCodeActions, type ToMarkersOptions, type LineColumnRange } from "./markers";
export { getBlockExecutionOrder, findBlockExecutionOrder, type BlockExecutionOrder, type ChainPlugin } from "./execution-order";
export { getFoldingRanges } from "./folding";
export { getFormattingEdits, type FormattingResult } from "./formatting";
export { COREFILE_LANGUAGE_ID, COREFILE_MONARCH, COREFILE_LANGUAGE_CONFIGURATION } from "./grammar";
export { COREFILE_SNIPPETS, expandSnippet, type CorefileSnippet } from "./snippets";
export { formatOrdinal } from "./docs";
export type {
  CodeAction,
  CompletionItem,
  CompletionKind,
  EditorMarker,
  FoldingRange,
  HoverInfo,
  OffsetEdit,
  TextRange,
} from "./types";
export { diffLines, type DiffLine } from "./line-diff";
