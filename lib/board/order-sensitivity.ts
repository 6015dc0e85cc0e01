/**
 * Where the order of lines in a Corefile does change what CoreDNS does. Across different plugins it never does (a
 * block's plugins run in plugin.cfg order), but a plugin written several times in one block keeps its occurrences in
 * the order written, and server blocks sharing a listener are tried in file order when `view` tells them apart.
 *
 * Checked against CoreDNS 1.14.7's source (setup and ServeDNS of each plugin) and the plugin READMEs in the corpus:
 * - forward: each directive is its own handler, chained in the order written; the first whose FROM covers the name
 *   (and does not `except` it) takes the query (forward README, "multiple forward plugins").
 * - rewrite: all rules go into one list in the order written; request rewrites apply in that order (a `stop` rule ends
 *   the list), answer rewrites in reverse (rewrite README).
 * - template: all templates go into one handler; the first whose zone, class, type, `match` and `expr` fit answers.
 * - acl: all rules of all acl directives go into one list; the first rule whose zone matches and whose policy gives a
 *   verdict (allow, block, filter, drop) decides.
 * - log: rules are kept in the order written; only the first rule whose names cover the query logs it.
 * - header: CoreDNS reads only the first header directive that has rules; the others are ignored.
 * - route53, clouddns: each directive is its own handler in the order written (first one answers overlapping zones).
 * - view (across server blocks): blocks on the same transport, zone and port are tried top to bottom; the first whose
 *   view matches, or that has no view, takes the query (view README, "Server Block Ordering").
 * Not order-sensitive although repeatable: dnstap (every tap gets every message), file and secondary (the most
 * specific zone wins), bind, on, sign, transfer (per-zone settings). hosts, cache, kubernetes... may appear only once.
 */

/** Plugins whose repeated occurrences in one server block are order-sensitive, with the explanation shown. */
export const ORDER_SENSITIVE: Readonly<Record<string, string>> = Object.freeze({
  forward:
    "CoreDNS tries several forward directives in the order written: the first whose zone covers the query takes it. Put the more specific zones first.",
  rewrite:
    "Rewrite rules apply in the order written (a 'stop' rule ends the list, answers are mapped back in reverse), so moving one changes the result.",
  template:
    "The first template whose zone, type and pattern fit the query answers it; later templates only see queries the earlier ones let through.",
  acl: "ACL rules are checked in the order written, across all acl directives: the first rule that allows, blocks, filters or drops a query decides.",
  log: "A query is logged only by the first log directive whose names cover it; a later one for the same names is never used.",
  header: "CoreDNS uses only the first header directive that has rules; the others are ignored, so their order decides which one applies.",
  route53:
    "Each route53 directive is its own step, run in the order written: for zones they share, the first one answers unless it falls through.",
  clouddns:
    "Each clouddns directive is its own step, run in the order written: for zones they share, the first one answers unless it falls through.",
});

/** The explanation shown for server blocks told apart by `view`. */
export const VIEW_ORDER_NOTE =
  "These server blocks share a transport, zone and port; CoreDNS tries them top to bottom and the first whose view matches (or that has no view) takes the query. Keep filtered blocks above the catch-all.";

/** Whether repeated occurrences of `name` in one block are order-sensitive. */
export function isOrderSensitive(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ORDER_SENSITIVE, name);
}

/** The explanation for an order-sensitive plugin, or undefined. */
export function orderNoteOf(name: string): string | undefined {
  return isOrderSensitive(name) ? ORDER_SENSITIVE[name] : undefined;
}
