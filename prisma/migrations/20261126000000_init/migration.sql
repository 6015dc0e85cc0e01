-- CreateTable
CREATE TABLE "Cluster" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "connection" TEXT NOT NULL,
    "kubeconfigPath" TEXT,
    "kubeconfigContext" TEXT,
    "configMapNamespace" TEXT NOT NULL DEFAULT 'kube-system',
    "configMapName" TEXT NOT NULL DEFAULT 'coredns',
    "configMapKey" TEXT NOT NULL DEFAULT 'Corefile',
    "podLabelSelector" TEXT NOT NULL DEFAULT 'k8s-app=kube-dns',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");
