/**
 * The plugin catalog: one entry per directive of CoreDNS 1.14.7's plugin.cfg, in execution order.
 *
 * The entries themselves live with their validators in `specs/<group>.ts`; this module puts them in plugin.cfg order
 * and fills in `order` and `docsUrl`.
 */
import { cache } from "./specs/caching";
import { forward, grpc } from "./specs/forwarding";
import type { PluginDefinition } from "./specs/helpers";
import { autopath, k8sExternal, kubernetes } from "./specs/kubernetes";
import { debug, dnstap, errors, health, log, nsid, pprof, prometheus, ready, trace } from "./specs/observability";
import {
  bind,
  cancel,
  erratic,
  geoip,
  grpcServer,
  https,
  https3,
  loop,
  metadata,
  multisocket,
  on,
  proxyproto,
  quic,
  reload,
  root,
  shed,
  timeouts,
  view,
} from "./specs/operations";
import {
  any,
  auto,
  azure,
  chaos,
  clouddns,
  etcd,
  file,
  hosts,
  local,
  nomad,
  route53,
  secondary,
  template,
  transfer,
  whoami,
} from "./specs/records";
import { bufsize, dns64, header, loadbalance, minimal, rewrite } from "./specs/rewriting";
import { acl, dnssec, sign, tls, tsig } from "./specs/security";
import type { PluginSpec } from "./types";

/** plugin.cfg of CoreDNS 1.14.7, in order (the directive names; `prometheus` is the metrics plugin). */
export const PLUGIN_ORDER: readonly string[] = Object.freeze([
  "root", "metadata", "geoip", "cancel", "proxyproto", "quic", "grpc_server", "https", "https3", "timeouts",
  "multisocket", "reload", "nsid", "bufsize", "bind", "debug", "trace", "ready", "health", "pprof", "shed", "prometheus",
  "errors", "log", "dnstap", "local", "dns64", "any", "chaos", "loadbalance", "tsig", "rewrite", "autopath", "acl",
  "cache", "header", "dnssec", "tls", "minimal", "template", "transfer", "hosts", "route53", "azure", "clouddns",
  "k8s_external", "kubernetes", "file", "auto", "secondary", "etcd", "loop", "forward", "grpc", "erratic", "whoami",
  "on", "sign", "view", "nomad",
]);

const DEFINITION_LIST: readonly PluginDefinition[] = [
  root, metadata, geoip, cancel, proxyproto, quic, grpcServer, https, https3, timeouts, multisocket, reload, nsid,
  bufsize, bind, debug, trace, ready, health, pprof, shed, prometheus, errors, log, dnstap, local, dns64, any, chaos,
  loadbalance, tsig, rewrite, autopath, acl, cache, header, dnssec, tls, minimal, template, transfer, hosts, route53,
  azure, clouddns, k8sExternal, kubernetes, file, auto, secondary, etcd, loop, forward, grpc, erratic, whoami, on, sign,
  view, nomad,
];

/** Definitions (spec + validator) by directive name. */
export const DEFINITIONS: ReadonlyMap<string, PluginDefinition> = new Map(DEFINITION_LIST.map((d) => [d.spec.name, d]));

function freezeDeep<T>(o: T): T {
  if (o && typeof o === "object" && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) freezeDeep(v);
  }
  return o;
}

/** Every stock directive, in execution order. */
export const PLUGIN_CATALOG: readonly PluginSpec[] = freezeDeep(
  PLUGIN_ORDER.map((name, order) => {
    const def = DEFINITIONS.get(name);
    if (!def) throw new Error(`catalog: no definition for ${name}`);
    const s = def.spec;
    return {
      name: s.name,
      order,
      summary: s.summary,
      group: s.group,
      docsUrl: `https://coredns.io/plugins/${name === "prometheus" ? "metrics" : name}/`,
      repeatable: s.repeatable,
      canAnswer: s.canAnswer,
      canFallthrough: s.canFallthrough,
      forwards: s.forwards,
      args: s.args,
      options: s.options,
      block: s.block,
      syntax: s.syntax,
      versions: s.versions,
      ...(s.serverSetting ? { serverSetting: true } : {}),
      ...(s.notes ? { notes: s.notes } : {}),
    } satisfies PluginSpec;
  }),
);

const BY_NAME: ReadonlyMap<string, PluginSpec> = new Map(PLUGIN_CATALOG.map((s) => [s.name, s]));

/** The catalog entry of a directive, or undefined for names that are not stock directives. */
export function getPluginSpec(name: string): PluginSpec | undefined {
  return BY_NAME.get(name);
}
