/**
 * Rewrite a query name (and map the answer back), in the block the original name reaches: CoreDNS picks the server
 * block from the name the client asked for, before rewrite runs, and the rewritten query stays in that block.
 */
import { z } from "zod";
import { addDirective, quoteArg } from "@/lib/corefile";
import { argsOf, describeBlock, directivesNamed, findBlockByKey, findServingBlock, indexByExecutionOrder, toFqdn, usesDirective } from "./blocks";
import { blockKeySchema } from "./fields";
import { defineRecipe } from "./recipe";

const nameSchema = z
  .string()
  .trim()
  .min(1, { error: "Enter a name." })
  .refine((v) => !/\s/.test(v) && v !== "{" && v !== "}", { error: "A name cannot contain spaces." });

export const rewriteParamsSchema = z
  .object({
    /** exact: one name; suffix: every name ending so; regex: a Go regular expression with {1}-style groups in `to`. */
    match: z.enum(["exact", "suffix", "regex"]).default("exact"),
    from: nameSchema,
    to: nameSchema,
    /**
     * How answers get their original name back: `auto` maps the rewritten name back (exact rules always do this),
     * `name` uses the explicit `answerFrom` → `answerTo` regular expression, `none` leaves answers as they are.
     */
    answer: z.enum(["auto", "name", "none"]).default("auto"),
    answerFrom: z.string().trim().optional(),
    answerTo: z.string().trim().optional(),
    /** The server block; by default the one a query for `from` reaches (`.:53` for a regex). */
    block: blockKeySchema.optional(),
  })
  .refine((p) => p.answer !== "name" || (p.answerFrom && p.answerTo), {
    error: "An explicit answer rewrite needs both a pattern and a replacement.",
    path: ["answerFrom"],
  })
  .refine((p) => p.answer !== "name" || p.match === "regex", {
    error: "Explicit answer rewrites go with regex rules; use auto for exact and suffix rules.",
    path: ["answer"],
  });
export type RewriteParams = z.input<typeof rewriteParamsSchema>;

/** The rewrite line's arguments. */
function ruleArgs(p: z.output<typeof rewriteParamsSchema>): string[] {
  const args = ["name", p.match, p.from, p.to];
  // Exact rules map the answer back by themselves.
  if (p.match !== "exact" && p.answer === "auto") args.push("answer", "auto");
  if (p.answer === "name" && p.answerFrom && p.answerTo) args.push("answer", "name", p.answerFrom, p.answerTo);
  return args;
}

export const rewriteRecipe = defineRecipe({
  id: "rewrite-name",
  title: "Rewrite a name and its answer",
  summary: "Answers queries for one name (or a suffix, or a pattern) with the records of another.",
  notes: [
    "rewrite changes the question before the other plugins see it and, with an answer rewrite, puts the asked name back into the answer, so clients that compare question and answer accept it. Exact rules always restore the name; suffix rules do so with 'answer auto'; regex rules with 'answer auto' or an explicit 'answer name' pattern. See https://coredns.io/plugins/rewrite/.",
    "The server block is chosen from the name the client asked for, before rewrite runs, and the rewritten query is answered inside that same block: if the new name belongs to a zone another block serves, that block never sees it.",
    "Rules run in the order they are written and the first match stops, unless it says continue. 'answer auto' rewrites names, not the targets inside records such as SRV or CNAME (that is 'answer value').",
  ],
  params: rewriteParamsSchema,
  draft({ outline, params, session }) {
    const warnings: string[] = [];
    const args = ruleArgs(params);
    const quoted = args.map(quoteArg);
    if (quoted.some((q) => q === null)) return { ok: false, field: "from", reason: "A value cannot be written as one Corefile argument." };

    const fromName = params.match === "regex" ? "." : params.from.replace(/^\./, "") || ".";
    const block = params.block
      ? findBlockByKey(outline, params.block)
      : params.match === "regex"
        ? findBlockByKey(outline, ".:53")
        : findServingBlock(outline, fromName);
    if (!block) {
      return params.block
        ? { ok: false, field: "block", reason: `There is no server block ${params.block} in this Corefile.` }
        : { ok: false, field: "from", reason: `No server block answers ${params.from} on port 53; choose a block.` };
    }
    if (params.match !== "regex") {
      const arrives = findServingBlock(outline, fromName);
      if (arrives && arrives !== block) {
        warnings.push(`Queries for ${params.from} arrive at server block ${describeBlock(arrives)}, not ${describeBlock(block)}: this rule will not see them.`);
      }
      const target = findServingBlock(outline, params.to.replace(/^\./, "") || ".");
      if (target && target !== block) {
        warnings.push(`${params.to} belongs to server block ${describeBlock(target)}, but the rewritten query is answered inside ${describeBlock(block)}.`);
      }
      if (params.match === "suffix" && !params.from.startsWith(".")) {
        warnings.push(`A suffix without a leading dot also matches names such as x${params.from}; write .${params.from} to match whole labels only.`);
      }
    }

    const existing = directivesNamed(block, "rewrite");
    if (existing.some((d) => argsOf(d).map((a) => a.toLowerCase()).join(" ") === args.map((a) => a.toLowerCase()).join(" "))) {
      return { ok: true, session, warnings: [...warnings, "This rule is already in the block."] };
    }
    if (existing.length || usesDirective(block, "rewrite")) {
      warnings.push("The block already has rewrite rules: they run in text order, and this one is added after them.");
    }
    if (params.match === "exact" && toFqdn(params.from) === toFqdn(params.to)) {
      return { ok: false, field: "to", reason: "The new name is the same as the old one." };
    }
    const failed = session.apply(
      addDirective(session.text, { block: block.index, index: indexByExecutionOrder(block, "rewrite"), directive: ["rewrite", ...quoted].join(" ") }),
    );
    return failed ? { ok: false, reason: failed } : { ok: true, session, warnings };
  },
});
