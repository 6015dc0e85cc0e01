/**
 * Block a name with the template plugin: `template ANY ANY <name> { rcode NXDOMAIN }` makes the template
 * authoritative for that name and everything under it, and answers NXDOMAIN to every class and type. To block the
 * name alone, a `match` on exactly that name plus `fallthrough` hands its subdomains on.
 */
import { z } from "zod";
import { addDirective, quoteArg } from "@/lib/corefile";
import { argsOf, describeBlock, directivesNamed, findBlockByKey, findServingBlock, indexByExecutionOrder, indexOfDirective, toFqdn } from "./blocks";
import { blockKeySchema, subZoneSchema } from "./fields";
import { defineRecipe } from "./recipe";

export const blockNameParamsSchema = z.object({
  /** The name to answer NXDOMAIN for. */
  name: subZoneSchema,
  /** Block every name under it too (default), or the name alone. */
  includeSubdomains: z.boolean().default(true),
  /** The server block; by default the one a query for the name reaches. */
  block: blockKeySchema.optional(),
});
export type BlockNameParams = z.input<typeof blockNameParamsSchema>;

/** A Go regular expression matching exactly `name.` (the query name is fully qualified and lower-case). */
function exactNamePattern(name: string): string {
  return `^${toFqdn(name).replace(/\./g, "\\.")}$`;
}

export const blockNameRecipe = defineRecipe({
  id: "block-name",
  title: "Block a name (NXDOMAIN)",
  summary: "Answers 'no such domain' for a name, and by default everything under it.",
  notes: [
    "template ANY ANY <name> makes the template answer every query class and type for that name and the names below it, here with NXDOMAIN. Queries for other names pass through untouched. See https://coredns.io/plugins/template/.",
    "To block the name alone, the template matches exactly that name and falls through for the rest of its zone; without fallthrough, a name of the zone that the pattern does not match would get SERVFAIL.",
    "The block goes into the server block that receives the name's queries, before any other template of that block: templates are tried in text order, and a template without fallthrough answers SERVFAIL for names of its zone it does not match.",
  ],
  params: blockNameParamsSchema,
  draft({ outline, params, session }) {
    const block = params.block ? findBlockByKey(outline, params.block) : findServingBlock(outline, params.name);
    if (!block) {
      return params.block
        ? { ok: false, field: "block", reason: `There is no server block ${params.block} in this Corefile.` }
        : { ok: false, field: "name", reason: `No server block answers ${params.name} on port 53.` };
    }
    const warnings: string[] = [];
    const arrives = findServingBlock(outline, params.name);
    if (arrives && arrives !== block) {
      warnings.push(`Queries for ${params.name} arrive at server block ${describeBlock(arrives)}, not ${describeBlock(block)}: this block will not see them.`);
    }
    const templates = directivesNamed(block, "template");
    const already = templates.find((t) => {
      const args = argsOf(t).map((a) => a.toLowerCase());
      const rcode = t.blocks[0]?.body.find((i) => i.kind === "Directive" && i.name.text === "rcode");
      const hasMatch = t.blocks[0]?.body.some((i) => i.kind === "Directive" && i.name.text === "match") ?? false;
      return (
        args[0] === "any" &&
        args[1] === "any" &&
        args.length === 3 &&
        toFqdn(args[2] ?? "") === toFqdn(params.name) &&
        rcode?.args[0]?.text.toUpperCase() === "NXDOMAIN" &&
        hasMatch === !params.includeSubdomains
      );
    });
    if (already) return { ok: true, session, warnings: [...warnings, `${params.name} is already blocked in this server block.`] };

    const lines = params.includeSubdomains
      ? ["rcode NXDOMAIN"]
      : [`match ${quoteArg(exactNamePattern(params.name)) ?? exactNamePattern(params.name)}`, "rcode NXDOMAIN", "fallthrough"];
    const directive = `template ANY ANY ${params.name} {\n${lines.join("\n")}\n}`;
    const first = templates[0];
    const index = first ? indexOfDirective(block, first) : indexByExecutionOrder(block, "template");
    const failed = session.apply(addDirective(session.text, { block: block.index, index, directive }));
    return failed ? { ok: false, reason: failed } : { ok: true, session, warnings };
  },
});
