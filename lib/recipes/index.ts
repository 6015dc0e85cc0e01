/**
 * Recipes: small forms that insert correct, validated Corefile blocks as minimal edits. Each recipe's `build` parses
 * its form with zod, makes structured edits (lib/corefile/edits.ts), and refuses a result that CoreDNS would reject.
 * Pure TypeScript: runs in the browser and on the server. See README.md for what each one writes and why.
 */
import { blockNameRecipe } from "./block-name";
import { clusterAliasRecipe } from "./cluster-alias";
import { forwardToServiceRecipe, stubDomainRecipe } from "./forward";
import { hostsRecipe } from "./hosts";
import { observabilityRecipe } from "./observability";
import { queryLogRecipe } from "./query-log";
import type { Recipe } from "./recipe";
import { rewriteRecipe } from "./rewrite";

export { blockNameRecipe, blockNameParamsSchema, type BlockNameParams } from "./block-name";
export { clusterAliasRecipe, clusterAliasParamsSchema, type ClusterAliasParams } from "./cluster-alias";
export {
  forwardToServiceRecipe,
  forwardToServiceParamsSchema,
  stubDomainRecipe,
  stubDomainParamsSchema,
  type ForwardToServiceParams,
  type StubDomainParams,
} from "./forward";
export { hostsRecipe, hostsParamsSchema, type HostsParams } from "./hosts";
export { observabilityRecipe, observabilityParamsSchema, type ObservabilityParams } from "./observability";
export { queryLogRecipe, queryLogParamsSchema, type QueryLogParams } from "./query-log";
export { rewriteRecipe, rewriteParamsSchema, type RewriteParams } from "./rewrite";
export type { OffsetEdit, Recipe, RecipeContext, RecipeResult } from "./recipe";

/** Every recipe, in the order the palette lists them. */
export const RECIPES: readonly Recipe[] = [
  forwardToServiceRecipe,
  stubDomainRecipe,
  hostsRecipe,
  rewriteRecipe,
  clusterAliasRecipe,
  blockNameRecipe,
  queryLogRecipe,
  observabilityRecipe,
];

/** The recipe with this id, if any. */
export function getRecipe(id: string): Recipe | undefined {
  return RECIPES.find((r) => r.id === id);
}
