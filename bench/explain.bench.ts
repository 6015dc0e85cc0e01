/**
 * `npm run bench:explain`: the cost of explaining a question (issue 9): the kubeadm seed Corefile with a short name
 * (four search-list candidates), a large generated Corefile (parse once, then many questions), and a draft/live
 * comparison over the proposed names, as the review step runs it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { compareExplain, explainQuery, prepareCorefile, proposeNames, type ClusterData } from "@/lib/corefile";
import { generateCorefile } from "./generate-corefile";
import { formatMs, measure, printTable } from "./measure";

const SEED = readFileSync(path.resolve(import.meta.dirname, "../sandbox/seed/kubeadm-Corefile.conf"), "utf8");

const cluster: ClusterData = {
  services: Array.from({ length: 2000 }, (_, i) => ({
    name: `svc-${i}`,
    namespace: `team-${i % 50}`,
    clusterIP: `10.96.${Math.floor(i / 250)}.${i % 250}`,
    ports: [{ name: "http", port: 80 }],
  })),
};
const context = { clientNamespace: "team-7", cluster };

const seedPrepared = prepareCorefile(SEED);
const big = generateCorefile(256 * 1024);
const bigPrepared = prepareCorefile(big);
const draft = SEED.replace("    kubernetes cluster.local", "    hosts {\n       10.0.0.99 svc-7.team-7.svc.cluster.local\n       fallthrough\n    }\n    kubernetes cluster.local");
const names = proposeNames(draft, SEED, { cluster });

const rows: string[][] = [
  ["seed Corefile, short Service name (4 candidates), text each time", formatMs(measure(() => explainQuery(SEED, { name: "svc-7", type: "A" }, context), 200))],
  ["seed Corefile, short Service name, prepared once", formatMs(measure(() => explainQuery(seedPrepared, { name: "svc-7", type: "A" }, context), 500))],
  ["seed Corefile, external name (4 candidates), prepared", formatMs(measure(() => explainQuery(seedPrepared, { name: "example.com", type: "AAAA" }, context), 500))],
  [`256 KB Corefile (${bigPrepared.model.blocks.length} blocks): prepare`, formatMs(measure(() => prepareCorefile(big), 5))],
  ["256 KB Corefile: one question, prepared", formatMs(measure(() => explainQuery(bigPrepared, { name: "host3.zone42.example.com", type: "A" }, context), 50))],
  [`draft vs live over ${names.length} proposed names`, formatMs(measure(() => compareExplain(draft, SEED, names, context), 20))],
];
console.log("Explain (median)");
printTable(["case", "time"], rows);
