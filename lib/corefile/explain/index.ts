/**
 * The query explainer: how a Corefile resolves a name (search-list expansion, server-block choice, each plugin's
 * step, the reply), and draft-against-live comparison. See README.md beside this file for what it models.
 */
export { explainQuery, prepareCorefile } from "./explain";
export type { PreparedCorefile } from "./explain";
export { compareExplain, proposeNames } from "./compare";
export type { ExplainComparison, QueryComparison, ProposedName, ProposeOptions } from "./compare";
export { expandCandidates, defaultSearchPath, DEFAULT_NDOTS, DEFAULT_CLUSTER_DOMAIN } from "./resolver";
export { formatRecord } from "./util";
export { renderTrace } from "./render";
export { clusterDataFromObjects } from "./cluster-data";
export type { ClusterObjects, ServiceObject, EndpointSliceObject, EndpointsObject, PodObject } from "./cluster-data";
export type * from "./types";
