/**
 * Types for `parse-prometheus-text-format` (a devDependency without its own types), the reference the exposition
 * parser is benchmarked and cross-checked against. Only the bench and the tests import it.
 */
declare module "parse-prometheus-text-format" {
  export type ReferenceSample = {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    count?: string;
    sum?: string;
    /** A histogram bucket sample the package could not fold into `buckets`. */
    bucket?: string;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
  };
  export type ReferenceFamily = { name: string; help: string; type: string; metrics: ReferenceSample[] };
  export default function parsePrometheusTextFormat(text: string): ReferenceFamily[];
}
