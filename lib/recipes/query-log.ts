/**
 * Temporary query logging for one zone: `log ZONE`, optionally limited to classes of answers. The log plugin tries its
 * rules in text order and uses the first whose name matches, so the new rule goes before the block's other `log`s.
 */
import { z } from "zod";
import { addDirective } from "@/lib/corefile";
import { argsOf, describeBlock, directivesNamed, findBlockByKey, findServingBlock, indexByExecutionOrder, indexOfDirective, isWithin, lineOf, toFqdn } from "./blocks";
import { blockKeySchema, zoneSchema } from "./fields";
import { defineRecipe } from "./recipe";

const CLASSES = ["success", "denial", "error", "all"] as const;

export const queryLogParamsSchema = z.object({
  /** The zone whose queries are logged (`.` for every query of the block). */
  zone: zoneSchema,
  /** Which answers to log: success, denial (NXDOMAIN and empty answers), error (SERVFAIL, REFUSED...) or all. */
  classes: z.array(z.enum(CLASSES)).default(["all"]),
  /** The server block; by default the one a query for the zone reaches. */
  block: blockKeySchema.optional(),
});
export type QueryLogParams = z.input<typeof queryLogParamsSchema>;

/** The name scopes of a log directive (`.` when it has none); a trailing `{...}` format is not a scope. */
function scopesOf(args: string[]): string[] {
  if (args.length === 0) return ["."];
  if (args.length === 1) return [toFqdn(args[0] ?? ".")];
  const last = args[args.length - 1] ?? "";
  return (last.includes("{") ? args.slice(0, -1) : args).map(toFqdn);
}

export const queryLogRecipe = defineRecipe({
  id: "query-log",
  title: "Temporary query logging for a zone",
  summary: "Logs the queries of one zone (optionally only denials or errors) to CoreDNS's output.",
  notes: [
    "The log plugin writes one line per query to standard output, where kubectl logs shows it. On a busy server this costs CPU and log volume: remove the directive (it is marked with a comment) once you have what you need. See https://coredns.io/plugins/log/.",
    "The classes narrow what is written: success, denial (NXDOMAIN and empty answers), error (SERVFAIL, REFUSED and the like), or all.",
    "When several log rules match a name, only the first one written counts; the recipe puts the new rule first in its block.",
  ],
  params: queryLogParamsSchema,
  draft({ outline, params, session }) {
    const block = params.block ? findBlockByKey(outline, params.block) : findServingBlock(outline, params.zone);
    if (!block) {
      return params.block
        ? { ok: false, field: "block", reason: `There is no server block ${params.block} in this Corefile.` }
        : { ok: false, field: "zone", reason: `No server block answers ${params.zone} on port 53.` };
    }
    const zone = toFqdn(params.zone);
    const classes = params.classes.includes("all") || params.classes.length === 0 ? [] : [...new Set(params.classes)];
    const logs = directivesNamed(block, "log");
    const warnings: string[] = [];

    for (const log of logs) {
      const scopes = scopesOf(argsOf(log));
      const classOption = log.blocks[0]?.body.find((i) => i.kind === "Directive" && i.name.text === "class");
      const loggedClasses = classOption ? classOption.args.map((a) => a.text) : ["all"];
      const sameClasses = classes.length === 0 ? loggedClasses.includes("all") : classes.every((c) => loggedClasses.includes(c) || loggedClasses.includes("all"));
      if (scopes.some((s) => isWithin(zone, s)) && sameClasses) {
        return { ok: true, session, warnings: [`The log on line ${lineOf(outline.text, log.start)} already logs these queries.`] };
      }
    }
    if (logs.length) warnings.push(`For ${params.zone}, this rule now takes precedence over the other log rules of ${describeBlock(block)}.`);

    const head = params.zone === "." ? "log ." : `log ${params.zone}`;
    const body = classes.length ? ` {\nclass ${classes.join(" ")}\n}` : "";
    const directive = `# Temporary query log for ${params.zone}: remove when done.\n${head}${body}`;
    const first = logs[0];
    const index = first ? indexOfDirective(block, first) : indexByExecutionOrder(block, "log");
    const failed = session.apply(addDirective(session.text, { block: block.index, index, directive }));
    return failed ? { ok: false, reason: failed } : { ok: true, session, warnings };
  },
});
