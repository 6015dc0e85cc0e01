/**
 * Per-plugin validation: runs the static twin of a plugin's setup/parse function over the directive's tokens.
 */
import type { Token } from "../lexer";
import { DEFINITIONS, getPluginSpec } from "./catalog";
import { Dispenser } from "./dispenser";
import { Reporter } from "./report";
import { CATALOG_COREDNS_VERSION, SOURCE_SNAPSHOT_VERSION, type PluginDiagnostic, type ValidateContext } from "./types";
import { compareVersions, getRemovedPlugin, isVersion } from "./versions";

/**
 * Validates every occurrence of directive `name` in one server block.
 *
 * @param name the directive (e.g. `forward`)
 * @param tokens ALL tokens of that directive in the server block, as caddy hands them to the plugin's setup function:
 *   each occurrence starts with the directive-name token and nested `{ ... }` blocks are included.
 * @param context server-block keys (to resolve "zones default to the server block") and the targeted CoreDNS version
 * @returns diagnostics; `error` severity means CoreDNS would refuse to start with this configuration
 */
export function validatePlugin(name: string, tokens: readonly Token[], context: ValidateContext = {}): PluginDiagnostic[] {
  const first = tokens[0];
  if (!first) return [];
  const version =
    context.corednsVersion && isVersion(context.corednsVersion) ? context.corednsVersion.replace(/^v/, "") : SOURCE_SNAPSHOT_VERSION;
  const def = DEFINITIONS.get(name);
  const spec = getPluginSpec(name);
  const r = new Reporter(name, spec, version);

  if (!def || !spec) {
    const removed = getRemovedPlugin(name);
    if (removed) {
      if (compareVersions(version, removed.removed) >= 0) {
        r.error(
          "PLUGIN_REMOVED",
          first,
          `The ${name} plugin was removed in CoreDNS ${removed.removed}${removed.replacedBy ? `; use ${removed.replacedBy}` : ""}.`,
          `Unknown directive '${name}'`,
        );
      } else if (removed.deprecated && compareVersions(version, removed.deprecated) >= 0) {
        r.warning("PLUGIN_DEPRECATED", first, `The ${name} plugin is deprecated since CoreDNS ${removed.deprecated} and removed in ${removed.removed}${removed.replacedBy ? `; use ${removed.replacedBy}` : ""}.`);
      }
      return r.diagnostics;
    }
    r.error("PLUGIN_UNKNOWN", first, `'${name}' is not a directive of stock CoreDNS ${CATALOG_COREDNS_VERSION}.`, `Unknown directive '${name}'`);
    return r.diagnostics;
  }

  const v = spec.versions;
  if (v.added && compareVersions(version, v.added) < 0) {
    r.error("PLUGIN_NOT_YET_AVAILABLE", first, `The ${name} plugin needs CoreDNS ${v.added} or later (targeting ${version}).`, `Unknown directive '${name}'`);
  } else if (v.removed && compareVersions(version, v.removed) >= 0) {
    r.error("PLUGIN_REMOVED", first, `The ${name} plugin was removed in CoreDNS ${v.removed}${v.replacedBy ? `; use ${v.replacedBy}` : ""}.`, `Unknown directive '${name}'`);
  } else if (v.deprecated && compareVersions(version, v.deprecated) >= 0) {
    r.warning("PLUGIN_DEPRECATED", first, `The ${name} plugin is deprecated since CoreDNS ${v.deprecated}${v.replacedBy ? `; use ${v.replacedBy}` : ""}.`);
  }

  const d = new Dispenser(tokens);
  r.dispenser = d;
  def.validate(d, r, { serverBlockKeys: context.serverBlockKeys, version });
  return r.diagnostics;
}
