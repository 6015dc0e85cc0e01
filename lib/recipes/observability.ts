/**
 * The observability baseline the dashboard relies on: `prometheus :9153` for metrics, `reload` so ConfigMap changes
 * take effect, `errors` in the log, and the `health` and `ready` endpoints the kubelet probes. Only what is missing is
 * added, so running the recipe twice changes nothing.
 */
import { z } from "zod";
import { addDirective } from "@/lib/corefile";
import { describeBlock, findBlockByKey, indexByExecutionOrder, outlineCorefile, usesDirective, type BlockInfo, type CorefileOutline } from "./blocks";
import { blockKeySchema } from "./fields";
import { defineRecipe } from "./recipe";

export const observabilityParamsSchema = z.object({
  /** The server block to complete (default the main `.:53`). */
  block: blockKeySchema.default(".:53"),
});
export type ObservabilityParams = z.input<typeof observabilityParamsSchema>;

type Piece = {
  directive: string;
  text: string;
  /** Process-wide: one occurrence anywhere in the file is enough. */
  isProcessWide: boolean;
};

/** In plugin.cfg order, so that each lands where the previous one makes room. */
const BASELINE: Piece[] = [
  { directive: "reload", text: "reload", isProcessWide: true },
  { directive: "ready", text: "ready", isProcessWide: false },
  { directive: "health", text: "health", isProcessWide: true },
  { directive: "prometheus", text: "prometheus :9153", isProcessWide: false },
  { directive: "errors", text: "errors", isProcessWide: false },
];

function blockUsing(outline: CorefileOutline, name: string): BlockInfo | undefined {
  return outline.blocks.find((b) => usesDirective(b, name));
}

export const observabilityRecipe = defineRecipe({
  id: "observability-baseline",
  title: "Observability baseline",
  summary: "Adds whichever of prometheus :9153, reload, errors, health and ready the block is missing.",
  notes: [
    "prometheus exposes metrics on :9153 (https://coredns.io/plugins/metrics/); a server block's queries are counted only when the block has it, so each block you want on the dashboard needs one. Blocks naming the same address share one listener.",
    "health (https://coredns.io/plugins/health/) and reload (https://coredns.io/plugins/reload/) act for the whole process: one block is enough, and the recipe leaves them out when another block has them. ready (https://coredns.io/plugins/ready/) reports the readiness of the plugins of the blocks it appears in, on one shared :8181 listener.",
    "errors (https://coredns.io/plugins/errors/) writes the errors of its block to the log. The usual CoreDNS Deployment (kubeadm's, the Helm chart's) probes health on :8080 and ready on :8181, the defaults written here.",
  ],
  params: observabilityParamsSchema,
  draft({ outline, params, session }) {
    const target = findBlockByKey(outline, params.block);
    if (!target) return { ok: false, field: "block", reason: `There is no server block ${params.block} in this Corefile.` };
    const warnings: string[] = [];
    for (const piece of BASELINE) {
      // Re-read the text each time: the previous additions moved the block's directives.
      const current = outlineCorefile(session.text);
      const block = current.blocks[target.index];
      if (!block) return { ok: false, reason: "The server block disappeared while editing." };
      if (usesDirective(block, piece.directive)) continue;
      const elsewhere = piece.isProcessWide ? blockUsing(current, piece.directive) : undefined;
      if (elsewhere) {
        warnings.push(`${piece.directive} is already in server block ${describeBlock(elsewhere)}; it acts for the whole process, so it was not added again.`);
        continue;
      }
      const failed = session.apply(
        addDirective(session.text, { block: block.index, index: indexByExecutionOrder(block, piece.directive), directive: piece.text }),
      );
      if (failed) return { ok: false, reason: failed };
    }
    if (!session.changed && warnings.length === 0) warnings.push(`Server block ${describeBlock(target)} already has the whole baseline.`);
    return { ok: true, session, warnings };
  },
});
