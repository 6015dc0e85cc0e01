/**
 * What the troubleshoot page and its actions accept: a name, a record type and the client's namespace. Never an
 * address: live queries only go to the pods the Kubernetes API lists.
 */
import { z } from "zod";

export const QUERY_TYPES = ["A", "AAAA", "SRV", "PTR", "TXT", "CNAME", "MX", "NS", "SOA", "ANY"] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

export const troubleshootQuerySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Type a name to look up, such as frontend.default.svc.cluster.local.")
    .max(253, "A DNS name is at most 253 characters.")
    .regex(/^(\.|[A-Za-z0-9_*-]+(\.[A-Za-z0-9_*-]+)*\.?)$/, "Use letters, digits, hyphens and dots only (for example frontend.default.svc.cluster.local)."),
  type: z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(QUERY_TYPES, { message: `Pick one of ${QUERY_TYPES.join(", ")}.` })).default("A"),
  namespace: z
    .string()
    .trim()
    .max(63, "A namespace name is at most 63 characters.")
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, "A namespace is lower-case letters, digits and hyphens (for example default).")
    .default("default"),
});
export type TroubleshootQuery = z.infer<typeof troubleshootQuerySchema>;

/** The query from URL search parameters (the page is shareable); undefined when there is no name. */
export function queryFromSearchParams(params: Record<string, string | string[] | undefined>): { query?: TroubleshootQuery; error?: string } {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const name = first(params.name);
  if (!name) return {};
  const parsed = troubleshootQuerySchema.safeParse({ name, type: first(params.type) ?? "A", namespace: first(params.ns) ?? "default" });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "That query cannot be asked." };
  return { query: parsed.data };
}

/** The page URL that carries a query. */
export function troubleshootHref(q: { name: string; type: string; namespace: string }, extra: Record<string, string> = {}): string {
  const sp = new URLSearchParams({ name: q.name, type: q.type, ns: q.namespace, ...extra });
  return `/troubleshoot?${sp.toString()}`;
}
