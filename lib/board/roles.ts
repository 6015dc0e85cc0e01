/**
 * What each plugin can do to a query, for the pipeline column of the board. One table, one line per directive of
 * plugin.cfg; `roles.test.ts` checks it covers the catalog and agrees with it on fallthrough, forwarding and
 * server settings.
 *
 * Roles (a plugin may have several):
 * - `answers`: can write the response itself, so the query goes no further (from its own data, a cache, an upstream's
 *   reply, or a refusal such as acl's REFUSED);
 * - `falls-through`: accepts a `fallthrough` option: names of its zones it has no record for go on to the next plugin
 *   (without it, it answers NXDOMAIN/NODATA itself);
 * - `forwards`: sends the query to other servers;
 * - `passes-through`: hands the queries it does not end to the next plugin, possibly changing the query or the
 *   response on the way (rewrite, cache), or only watching it (log, errors, prometheus);
 * - `setting`: a server-wide setting or side service (bind, reload, health, tls...): no query passes through it.
 *
 * Where this table differs from the catalog's `canAnswer` (dns64, tsig, transfer... answer only some queries), the
 * table says what a user would see: a plugin that ends some queries itself "answers".
 */
export type PluginRole = "answers" | "falls-through" | "forwards" | "passes-through" | "setting";

const A = "answers";
const F = "falls-through";
const U = "forwards";
const P = "passes-through";
const S = "setting";

/** Roles by directive name. */
export const PLUGIN_ROLES: Readonly<Record<string, readonly PluginRole[]>> = Object.freeze({
  root: [S],
  metadata: [P],
  geoip: [P],
  cancel: [P],
  proxyproto: [S],
  quic: [S],
  grpc_server: [S],
  https: [S],
  https3: [S],
  timeouts: [S],
  multisocket: [S],
  reload: [S],
  nsid: [P],
  bufsize: [P],
  bind: [S],
  debug: [S],
  trace: [P],
  ready: [S],
  health: [S],
  pprof: [S],
  shed: [P],
  prometheus: [P],
  errors: [P],
  log: [P],
  dnstap: [P],
  local: [A, P],
  dns64: [A, P],
  any: [A, P],
  chaos: [A, P],
  loadbalance: [P],
  tsig: [A, P],
  rewrite: [P],
  autopath: [A, P],
  acl: [A, P],
  cache: [A, P],
  header: [P],
  dnssec: [P],
  tls: [S],
  minimal: [P],
  template: [A, F],
  transfer: [A, P],
  hosts: [A, F],
  route53: [A, F],
  azure: [A, F],
  clouddns: [A, F],
  k8s_external: [A, F],
  kubernetes: [A, F],
  file: [A, F],
  auto: [A],
  secondary: [A, F],
  etcd: [A, F],
  loop: [P],
  forward: [A, U],
  grpc: [A, F, U],
  erratic: [A],
  whoami: [A],
  on: [S],
  // sign never handles a query: it signs zone files on disk for `file` to serve.
  sign: [S],
  view: [P],
  nomad: [A],
});

/** The roles of a plugin; an unknown directive has none. */
export function rolesOf(name: string): readonly PluginRole[] {
  return Object.prototype.hasOwnProperty.call(PLUGIN_ROLES, name) ? (PLUGIN_ROLES[name] as readonly PluginRole[]) : [];
}

/** Whether a plugin is a server-wide setting (takes no part in answering queries). */
export function isSetting(name: string): boolean {
  return rolesOf(name).includes("setting");
}
