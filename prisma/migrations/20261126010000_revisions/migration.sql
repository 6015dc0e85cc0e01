-- CreateTable
CREATE TABLE "Revision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "author" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "reloadHash" TEXT,
    "resourceVersionBefore" TEXT,
    "resourceVersionAfter" TEXT NOT NULL,
    "parentId" TEXT,
    "restoredFromId" TEXT,
    "linesAdded" INTEGER NOT NULL,
    "linesRemoved" INTEGER NOT NULL,
    CONSTRAINT "Revision_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Revision_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Revision" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Revision_restoredFromId_fkey" FOREIGN KEY ("restoredFromId") REFERENCES "Revision" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApplyIntent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "author" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "baseResourceVersion" TEXT,
    "baseText" TEXT NOT NULL,
    "restoredFromId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "settledAt" DATETIME,
    "revisionId" TEXT,
    CONSTRAINT "ApplyIntent_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ApplyIntent_revisionId_fkey" FOREIGN KEY ("revisionId") REFERENCES "Revision" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Draft" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "baseText" TEXT NOT NULL,
    "baseResourceVersion" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Draft_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Revision_clusterId_createdAt_idx" ON "Revision"("clusterId", "createdAt");

-- CreateIndex
CREATE INDEX "Revision_clusterId_resourceVersionAfter_idx" ON "Revision"("clusterId", "resourceVersionAfter");

-- CreateIndex
CREATE UNIQUE INDEX "Revision_clusterId_number_key" ON "Revision"("clusterId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ApplyIntent_revisionId_key" ON "ApplyIntent"("revisionId");

-- CreateIndex
CREATE INDEX "ApplyIntent_status_clusterId_createdAt_idx" ON "ApplyIntent"("status", "clusterId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Draft_clusterId_userId_key" ON "Draft"("clusterId", "userId");
