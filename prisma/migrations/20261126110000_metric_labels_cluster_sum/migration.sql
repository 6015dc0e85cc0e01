-- Labelled series and a stored cluster sum (lib/metrics/storage.ts, sizing in lib/metrics/STORAGE.md).
--
-- 1. "MetricLabelPoint" / "MetricLabelRollup": series whose label values vary from cluster to cluster, one row per pod,
--    kind, label value and scrape round (15 s, kept 24 h) or 5-minute bucket (kept 30 days):
--      kind 'zone'     label "<zone> <server>"  value = queries per second
--      kind 'plugin'   label answering plugin   value = responses per second ("" = no plugin wrote the response)
--      kind 'upstream' label forward upstream   value = requests/s, errors = error answers/s, p50/p99 = latency in
--                                               seconds, failures = failed health checks in the interval
--    At most 20 label values per pod, kind and round are stored; the rest are summed into the label "(other)", so a
--    scrape with thousands of zones or upstreams cannot grow the database. Keyed (podId, kind, at, label) WITHOUT
--    ROWID: a chart reads one contiguous range per pod and kind.
-- 2. "MetricPod"."isClusterSum": one row per cluster, named "(cluster)", whose points, rollups and labelled rows are the
--    sum over the cluster's pods of each scrape round (latency weighted by query rate), written with the round. The
--    cluster view of a chart reads one row per point instead of one per pod. Kubernetes pod names cannot contain
--    parentheses, so the name never meets a real pod.
-- 3. "forwardHealthcheckBroken": times all upstreams of a forward were unhealthy at once, in the interval.

-- AlterTable
ALTER TABLE "MetricPod" ADD COLUMN "isClusterSum" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "MetricPoint" ADD COLUMN "forwardHealthcheckBroken" REAL;

-- AlterTable
ALTER TABLE "MetricRollup" ADD COLUMN "forwardHealthcheckBroken" REAL;

-- CreateTable
CREATE TABLE "MetricLabelPoint" (
    "podId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "at" BIGINT NOT NULL,
    "label" TEXT NOT NULL,
    "value" REAL,
    "errors" REAL,
    "p50" REAL,
    "p99" REAL,
    "failures" REAL,
    PRIMARY KEY ("podId", "kind", "at", "label"),
    CONSTRAINT "MetricLabelPoint_podId_fkey" FOREIGN KEY ("podId") REFERENCES "MetricPod" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "MetricLabelRollup" (
    "podId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "at" BIGINT NOT NULL,
    "label" TEXT NOT NULL,
    "samples" INTEGER NOT NULL,
    "value" REAL,
    "errors" REAL,
    "p50" REAL,
    "p99" REAL,
    "failures" REAL,
    PRIMARY KEY ("podId", "kind", "at", "label"),
    CONSTRAINT "MetricLabelRollup_podId_fkey" FOREIGN KEY ("podId") REFERENCES "MetricPod" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- Backfill: the cluster sum of what is already stored, so that the cluster view of existing ranges keeps its data
-- (the per-upstream JSON is not summed here: those lines start with the first round after this migration).
INSERT INTO "MetricPod" ("clusterId", "name", "firstSeenAt", "lastSeenAt", "isClusterSum")
SELECT "clusterId", '(cluster)', MIN("firstSeenAt"), MAX("lastSeenAt"), true FROM "MetricPod" GROUP BY "clusterId";

INSERT INTO "MetricPoint" ("podId", "at", "qps", "qpsA", "qpsAaaa", "qpsOther", "rcodeNoerror", "rcodeNxdomain", "rcodeServfail",
    "rcodeOther", "cacheHits", "cacheMisses", "forwardRequests", "forwardErrors", "cpuCores", "cacheEntries", "rssBytes", "reloads",
    "reloadFailures", "panics", "latencyP50", "latencyP90", "latencyP99")
SELECT c."id", t."at", SUM(t."qps"), SUM(t."qpsA"), SUM(t."qpsAaaa"), SUM(t."qpsOther"), SUM(t."rcodeNoerror"), SUM(t."rcodeNxdomain"),
    SUM(t."rcodeServfail"), SUM(t."rcodeOther"), SUM(t."cacheHits"), SUM(t."cacheMisses"), SUM(t."forwardRequests"), SUM(t."forwardErrors"),
    SUM(t."cpuCores"), SUM(t."cacheEntries"), SUM(t."rssBytes"), SUM(t."reloads"), SUM(t."reloadFailures"), SUM(t."panics"),
    SUM(CASE WHEN t."qps" > 0 THEN t."latencyP50" * t."qps" END) / SUM(CASE WHEN t."qps" > 0 AND t."latencyP50" IS NOT NULL THEN t."qps" END),
    SUM(CASE WHEN t."qps" > 0 THEN t."latencyP90" * t."qps" END) / SUM(CASE WHEN t."qps" > 0 AND t."latencyP90" IS NOT NULL THEN t."qps" END),
    SUM(CASE WHEN t."qps" > 0 THEN t."latencyP99" * t."qps" END) / SUM(CASE WHEN t."qps" > 0 AND t."latencyP99" IS NOT NULL THEN t."qps" END)
FROM "MetricPoint" t
JOIN "MetricPod" p ON p."id" = t."podId" AND p."isClusterSum" = false
JOIN "MetricPod" c ON c."clusterId" = p."clusterId" AND c."isClusterSum" = true
GROUP BY c."id", t."at";

INSERT INTO "MetricRollup" ("podId", "at", "samples", "qps", "qpsA", "qpsAaaa", "qpsOther", "rcodeNoerror", "rcodeNxdomain", "rcodeServfail",
    "rcodeOther", "cacheHits", "cacheMisses", "forwardRequests", "forwardErrors", "cpuCores", "cacheEntries", "rssBytes", "reloads",
    "reloadFailures", "panics", "latencyP50", "latencyP90", "latencyP99")
SELECT c."id", t."at", MAX(t."samples"), SUM(t."qps"), SUM(t."qpsA"), SUM(t."qpsAaaa"), SUM(t."qpsOther"), SUM(t."rcodeNoerror"), SUM(t."rcodeNxdomain"),
    SUM(t."rcodeServfail"), SUM(t."rcodeOther"), SUM(t."cacheHits"), SUM(t."cacheMisses"), SUM(t."forwardRequests"), SUM(t."forwardErrors"),
    SUM(t."cpuCores"), SUM(t."cacheEntries"), SUM(t."rssBytes"), SUM(t."reloads"), SUM(t."reloadFailures"), SUM(t."panics"),
    SUM(CASE WHEN t."qps" > 0 THEN t."latencyP50" * t."qps" END) / SUM(CASE WHEN t."qps" > 0 AND t."latencyP50" IS NOT NULL THEN t."qps" END),
    SUM(CASE WHEN t."qps" > 0 THEN t."latencyP90" * t."qps" END) / SUM(CASE WHEN t."qps" > 0 AND t."latencyP90" IS NOT NULL THEN t."qps" END),
    SUM(CASE WHEN t."qps" > 0 THEN t."latencyP99" * t."qps" END) / SUM(CASE WHEN t."qps" > 0 AND t."latencyP99" IS NOT NULL THEN t."qps" END)
FROM "MetricRollup" t
JOIN "MetricPod" p ON p."id" = t."podId" AND p."isClusterSum" = false
JOIN "MetricPod" c ON c."clusterId" = p."clusterId" AND c."isClusterSum" = true
GROUP BY c."id", t."at";
