/**
 * The Corefile editor family: the editor (Monaco or plain text), the review diff, the problems list and the
 * execution-order panel. Monaco itself is only loaded in the browser, on the pages that render an editor.
 */
export { CorefileEditor, CHECK_DELAY_MS, CHECK_TARGET_MS, type CorefileEditorProps } from "./corefile-editor";
export type { CheckResult } from "./check-client";
export { CorefileDiffEditor, type CorefileDiffEditorProps } from "./corefile-diff-editor";
export { DiagnosticsList, summarizeDiagnostics, type DiagnosticsListProps } from "./diagnostics-list";
export { ExecutionOrderPanel, type ExecutionOrderPanelProps } from "./execution-order-panel";
export type { CorefileEditorHandle, InitialSelection, TextPosition } from "./types";
