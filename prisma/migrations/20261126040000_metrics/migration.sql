-- Metrics collected from the CoreDNS pods (lib/metrics). Derived series only, never raw samples: one row per pod and
-- scrape round ("MetricPoint", 15 s, kept 24 h) and one per pod and 5 minutes ("MetricRollup", kept 30 days), plus the
-- reload state each time it changes ("MetricReloadObservation"), which rollout verification reads.
-- Times are epoch milliseconds in INTEGER columns. A pod is stored once in "MetricPod" and referred to by a small
-- integer, so that the point rows do not repeat the cluster id and the pod name. Points are keyed by (podId, at) and
-- stored WITHOUT ROWID: a pod's range is one contiguous read, and the key is the only index.

-- CreateTable
CREATE TABLE "MetricPod" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "firstSeenAt" BIGINT NOT NULL,
    "lastSeenAt" BIGINT NOT NULL,
    CONSTRAINT "MetricPod_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "MetricPod_clusterId_name_key" ON "MetricPod"("clusterId", "name");

-- CreateTable
CREATE TABLE "MetricPoint" (
    "podId" INTEGER NOT NULL,
    "at" BIGINT NOT NULL,
    "qps" REAL,
    "qpsA" REAL,
    "qpsAaaa" REAL,
    "qpsOther" REAL,
    "rcodeNoerror" REAL,
    "rcodeNxdomain" REAL,
    "rcodeServfail" REAL,
    "rcodeOther" REAL,
    "latencyP50" REAL,
    "latencyP90" REAL,
    "latencyP99" REAL,
    "cacheHits" REAL,
    "cacheMisses" REAL,
    "cacheEntries" REAL,
    "forwardRequests" REAL,
    "forwardErrors" REAL,
    "forwardUpstreams" TEXT,
    "reloads" REAL,
    "reloadFailures" REAL,
    "panics" REAL,
    "cpuCores" REAL,
    "rssBytes" REAL,
    PRIMARY KEY ("podId", "at"),
    CONSTRAINT "MetricPoint_podId_fkey" FOREIGN KEY ("podId") REFERENCES "MetricPod" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "MetricRollup" (
    "podId" INTEGER NOT NULL,
    "at" BIGINT NOT NULL,
    "samples" INTEGER NOT NULL,
    "qps" REAL,
    "qpsA" REAL,
    "qpsAaaa" REAL,
    "qpsOther" REAL,
    "rcodeNoerror" REAL,
    "rcodeNxdomain" REAL,
    "rcodeServfail" REAL,
    "rcodeOther" REAL,
    "latencyP50" REAL,
    "latencyP90" REAL,
    "latencyP99" REAL,
    "cacheHits" REAL,
    "cacheMisses" REAL,
    "cacheEntries" REAL,
    "forwardRequests" REAL,
    "forwardErrors" REAL,
    "forwardUpstreams" TEXT,
    "reloads" REAL,
    "reloadFailures" REAL,
    "panics" REAL,
    "cpuCores" REAL,
    "rssBytes" REAL,
    PRIMARY KEY ("podId", "at"),
    CONSTRAINT "MetricRollup_podId_fkey" FOREIGN KEY ("podId") REFERENCES "MetricPod" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "MetricReloadObservation" (
    "podId" INTEGER NOT NULL,
    "at" BIGINT NOT NULL,
    "processStartAt" BIGINT,
    "hash" TEXT,
    "failedTotal" REAL,
    PRIMARY KEY ("podId", "at"),
    CONSTRAINT "MetricReloadObservation_podId_fkey" FOREIGN KEY ("podId") REFERENCES "MetricPod" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
