/**
 * Corefile toolkit: caddy-exact lexer and parser, lossless syntax tree and printer, CoreDNS's accept/reject decision
 * with diagnostics, and the reload plugin's configuration hash. Pure TypeScript: runs in the browser, on the server
 * and in a CLI (no Node built-ins, no DOM, nothing async).
 */
export { lex, tokenize, positionAt, isGoSpace } from "./lexer";
export type { Token, Trivia, TriviaKind, Piece, LexResult } from "./lexer";
export { parse } from "./parse";
export type { ParseOptions, ParseResult } from "./parse";
export type { ServerBlock, ImportResolution } from "./caddy-parser";
export { print } from "./print";
export { isNode } from "./cst";
export type {
  Document,
  ServerBlockNode,
  SnippetNode,
  DirectiveNode,
  BlockNode,
  ImportNode,
  TopItem,
  BodyItem,
  Node,
  Child,
} from "./cst";
export { DIAGNOSTIC_CODES } from "./diagnostics";
export type { Diagnostic, DiagnosticCode, Severity, RelatedLocation } from "./diagnostics";
export { DIRECTIVES, DIRECTIVES_VERSION, isKnownDirective, directiveOrder } from "./directives";
export { reloadHash, reloadJson } from "./reload-hash";
export type { ReloadHashResult } from "./reload-hash";
export { goJsonString, marshalServerBlocks, writeServerBlocks } from "./gojson";
export { Sha512, sha512, sha512Hex } from "./sha512";
export { replaceEnvVars } from "./env";
export { normalizeServerKey, splitTransport } from "./keys";
export type { NormalizedKey } from "./keys";
export { formatCorefile, DEFAULT_INDENT } from "./format";
export type { FormatOptions, FormatResult, FormatSkip } from "./format";
export * from "./edits";
export { applyEdits } from "./text-edit";
export type { TextEdit, TextChange } from "./text-edit";
export { validateCorefile } from "./validate";
export type { CorefileDiagnostic, DiagnosticSource, ValidateOptions, ValidationResult } from "./validate";
export { lintCorefile, LINT_CODES, LINT_RULES, DEFAULT_LINT_VERSION } from "./lint";
export type { LintCode, LintDiagnostic, LintOptions } from "./lint";
export { executionChain, describeChain, renderChain } from "./chain";
export type { ExecutionChain, ChainEntry, DescribedBlock } from "./chain";
export { PLUGIN_CATALOG, getPluginSpec } from "./plugins";
export type { PluginSpec, OptionSpec, ArgSpec, PluginGroup } from "./plugins";
export {
  explainQuery,
  prepareCorefile,
  compareExplain,
  proposeNames,
  expandCandidates,
  defaultSearchPath,
  formatRecord,
  clusterDataFromObjects,
  renderTrace,
} from "./explain/index";
export type {
  PreparedCorefile,
  ExplainComparison,
  QueryComparison,
  ProposedName,
  ProposeOptions,
  ExplainQuery,
  ExplainContext,
  ExplainTrace,
  ExplainStep,
  ExplainRecord,
  CandidateTrace,
  BlockChoice,
  BlockSkip,
  Outcome,
  OutcomeKind,
  FinalOutcome,
  StepAction,
  SourceRange,
  ClusterData,
  ClusterService,
  ClusterServicePort,
  ClusterEndpoint,
  ClusterPod,
  ResolverFlavor,
  ClusterObjects,
} from "./explain/index";
