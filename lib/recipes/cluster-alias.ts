/**
 * Serve the cluster's records under a second domain (`svc.ns.svc.cluster.example` next to `...cluster.local`) by
 * giving the kubernetes plugin the alias as one more zone. The plugin answers every zone it is given from the same
 * Services and Pods, names its answers in the zone that was asked, and keeps using its first forward zone for PTR
 * answers, so the cluster domain stays first.
 */
import { z } from "zod";
import { setDirectiveArgs, setServerBlockKeys, type DirectiveNode } from "@/lib/corefile";
import {
  argsOf,
  describeBlock,
  directivesNamed,
  findBlockForZone,
  findServingBlock,
  indexOfDirective,
  isWithin,
  portSuffixOf,
  toFqdn,
  type BlockInfo,
} from "./blocks";
import { subZoneSchema } from "./fields";
import { defineRecipe } from "./recipe";

export const clusterAliasParamsSchema = z.object({
  /** The extra domain, e.g. `cluster.example`. */
  alias: subZoneSchema,
  /** The cluster domain it mirrors; by default the kubernetes plugin's first forward zone. */
  clusterDomain: subZoneSchema.optional(),
});
export type ClusterAliasParams = z.input<typeof clusterAliasParamsSchema>;

const isReverse = (zone: string) => /(^|\.)(in-addr|ip6)\.arpa\.?$/i.test(zone);

/** The kubernetes directive's zones as written: its arguments, else its block's zones. */
function zonesOf(block: BlockInfo, directive: DirectiveNode): string[] {
  const args = argsOf(directive);
  if (args.length) return args;
  return block.keys.map((k) => k.replace(/^[a-z0-9]+:\/\//i, "").replace(/:\d+$/, ""));
}

export const clusterAliasRecipe = defineRecipe({
  id: "cluster-domain-alias",
  title: "Extra cluster domain alias",
  summary: "Answers cluster names under a second domain too, e.g. my-svc.my-ns.svc.cluster.example.",
  notes: [
    "The kubernetes plugin is authoritative for every zone listed after it, and answers each one from the same Services and Pods, naming the records in the zone that was asked. Adding the alias there is the supported way: nothing is rewritten, and SRV targets and CNAMEs come out in the alias too. See https://coredns.io/plugins/kubernetes/.",
    "The cluster domain stays first in the list, because the plugin names PTR answers (reverse lookups) in its first forward zone.",
    "Pods' search lists come from the kubelet's cluster domain, which does not change: short names keep resolving through cluster.local, and the alias works for fully qualified names such as my-svc.my-ns.svc.cluster.example.",
    "A rewrite of the suffix (rewrite name suffix .cluster.example. .cluster.local. answer auto) also works, but it leaves the original zone inside SRV and CNAME targets unless 'answer value' rules are added as well.",
  ],
  params: clusterAliasParamsSchema,
  draft({ outline, params, session }) {
    const candidates = outline.blocks.flatMap((block) => directivesNamed(block, "kubernetes").map((directive) => ({ block, directive })));
    if (candidates.length === 0) {
      return { ok: false, reason: "No server block uses the kubernetes plugin (written in the Corefile itself, not through an import)." };
    }
    const wanted = params.clusterDomain ? toFqdn(params.clusterDomain) : undefined;
    const found = wanted ? candidates.find((c) => zonesOf(c.block, c.directive).some((z) => toFqdn(z) === wanted)) : candidates[0];
    if (!found) return { ok: false, field: "clusterDomain", reason: `No kubernetes plugin serves ${params.clusterDomain}.` };
    const { block, directive } = found;
    const zones = zonesOf(block, directive);
    const alias = toFqdn(params.alias);
    if (zones.some((z) => toFqdn(z) === alias)) return { ok: true, session, warnings: [`The kubernetes plugin already serves ${params.alias}.`] };
    const primary = zones.find((z) => !isReverse(z));
    if (primary && isWithin(alias, toFqdn(primary))) {
      return { ok: false, field: "alias", reason: `${params.alias} is inside ${primary}, which the kubernetes plugin already answers.` };
    }
    const other = findBlockForZone(outline, params.alias);
    if (other && other !== block) {
      return { ok: false, field: "alias", reason: `Server block ${describeBlock(other)} already serves ${params.alias}; remove it or pick another alias.` };
    }

    // Right after the first forward zone, so that zone stays the one PTR answers are named in.
    const at = primary ? zones.indexOf(primary) + 1 : 0;
    const args = [...zones.slice(0, at), params.alias, ...zones.slice(at)];
    const failed = session.apply(setDirectiveArgs(session.text, { block: block.index, directive: indexOfDirective(block, directive), args }));
    if (failed) return { ok: false, reason: failed };

    const warnings: string[] = [];
    // The queries must reach this block: add the alias to its keys unless a key already covers it and no more specific
    // block would take them.
    if (findServingBlock(outline, params.alias) !== block) {
      const failedKeys = session.apply(setServerBlockKeys(session.text, { block: block.index, keys: [...block.keys, `${params.alias}${portSuffixOf(block)}`] }));
      if (failedKeys) return { ok: false, reason: failedKeys };
      warnings.push(`Server block ${describeBlock(block)} now also listens for ${params.alias}, so that its queries reach the kubernetes plugin.`);
    }
    return { ok: true, session, warnings };
  },
});
