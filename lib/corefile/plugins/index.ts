/**
 * Public API of the plugin catalog and per-plugin validation.
 */
export { PLUGIN_CATALOG, PLUGIN_ORDER, getPluginSpec } from "./catalog";
export { validatePlugin } from "./validate";
export { REMOVED_PLUGINS, getRemovedPlugin, compareVersions, type RemovedPlugin } from "./versions";
export {
  CATALOG_COREDNS_VERSION,
  SOURCE_SNAPSHOT_VERSION,
  PLUGIN_DIAGNOSTIC_CODES,
  type ArgSpec,
  type OptionSpec,
  type PluginDiagnostic,
  type PluginDiagnosticCode,
  type PluginGroup,
  type PluginSeverity,
  type PluginSpec,
  type ValidateContext,
  type ValueKind,
  type VersionInfo,
} from "./types";
