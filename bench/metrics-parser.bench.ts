/**
 * `npm run bench:metrics-parser`: throughput of the Prometheus text-format parser (lib/metrics/exposition.ts) next
 * to the npm package `parse-prometheus-text-format`, on the same inputs in one run. Target (issue 7): at least as
 * fast as the package. Inputs: every scrape in ../shared/corpus/metrics, and a ~1 MB synthetic CoreDNS 1.14.7 scrape
 * rendered by the sandbox with many server blocks, zones and upstreams.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { parseExposition } from "@/lib/metrics/exposition";
import { corpusPath } from "@/lib/testing/corpus";
import { renderPodMetrics } from "@/sandbox/metrics";
import { formatMs, measure, printTable } from "./measure";

const CORPUS = corpusPath("metrics");
const TARGET_BYTES = 1_000_000;

function readCorpus(): string[] {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith(".txt") || name.endsWith(".plain")) texts.push(readFileSync(file, "utf8"));
    }
  };
  walk(CORPUS);
  return texts;
}

/** A Corefile with `blocks` server blocks of three zones each, every block forwarding to two upstreams. */
function generateCorefile(blocks: number): string {
  const parts: string[] = [];
  for (let i = 0; i < blocks; i++) {
    const zones = [`team${i}.example`, `svc${i}.corp.internal`, `${i}.10.in-addr.arpa`].map((z) => `${z}:53`).join(" ");
    parts.push(`${zones} {\n    errors\n    cache 30\n    forward . 10.${i % 250}.0.1 10.${i % 250}.0.2\n    loadbalance\n    prometheus :9153\n}`);
  }
  parts.push(".:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    reload\n    loadbalance\n}");
  return parts.join("\n");
}

/** Renders the sandbox's CoreDNS page with more and more server blocks until it is about `bytes` long. */
function renderLargeScrape(bytes: number): string {
  const render = (blocks: number) =>
    renderPodMetrics({
      now: Date.UTC(2025, 0, 1, 12),
      startedAt: Date.UTC(2025, 0, 1),
      phase: 0.3,
      load: { qps: 2500, errorRatio: 0.02 },
      corefile: generateCorefile(blocks),
      reloadHash: "5d1f".repeat(32),
      reloadFailures: 0,
    });
  const perBlock = render(2).length - render(1).length;
  return render(Math.max(1, Math.round((bytes - render(0).length) / perBlock)));
}

const megabytesPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

const corpus = readCorpus();
const corpusBytes = corpus.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
const large = renderLargeScrape(TARGET_BYTES);
const largeBytes = Buffer.byteLength(large);
const sampleCount = [...parseExposition(large).families.values()].reduce((sum, f) => sum + f.samples.length, 0);

/** `bytes` is parsed `passes` times per measured run. */
type Input = { label: string; bytes: number; passes: number; repeat: number; parseOurs: () => void; parseReference: () => void };
const CORPUS_PASSES = 20;
const inputs: Input[] = [
  {
    label: `corpus (${corpus.length} scrapes)`,
    bytes: corpusBytes,
    // Small inputs: parse the whole corpus several times per measurement so that timer resolution does not dominate.
    passes: CORPUS_PASSES,
    repeat: 25,
    parseOurs: () => {
      for (let i = 0; i < CORPUS_PASSES; i++) for (const text of corpus) parseExposition(text);
    },
    parseReference: () => {
      for (let i = 0; i < CORPUS_PASSES; i++) for (const text of corpus) parsePrometheusTextFormat(text);
    },
  },
  {
    label: `synthetic CoreDNS 1.14.7 (${sampleCount} samples)`,
    bytes: largeBytes,
    passes: 1,
    repeat: 15,
    parseOurs: () => void parseExposition(large),
    parseReference: () => void parsePrometheusTextFormat(large),
  },
];

const rows: string[][] = [];
for (const input of inputs) {
  const bytesPerRun = input.bytes * input.passes;
  // Warm both up a few times before measuring (measure() adds one more warm-up run).
  for (let i = 0; i < 3; i++) {
    input.parseOurs();
    input.parseReference();
  }
  const ours = measure(input.parseOurs, input.repeat);
  const reference = measure(input.parseReference, input.repeat);
  const oursRate = megabytesPerSecond(bytesPerRun, ours);
  const referenceRate = megabytesPerSecond(bytesPerRun, reference);
  rows.push([
    input.label,
    `${(input.bytes / 1e6).toFixed(3)} MB`,
    `${formatMs(ours)}  ${oursRate.toFixed(1)} MB/s`,
    `${formatMs(reference)}  ${referenceRate.toFixed(1)} MB/s`,
    `${(oursRate / referenceRate).toFixed(1)}x`,
  ]);
}

console.log("Prometheus text-format parser: lib/metrics/exposition.ts vs parse-prometheus-text-format (median of N, after warm-up)");
printTable(["input", "size", "ours (median, rate)", "parse-prometheus-text-format", "speed-up"], rows);
console.log(`(corpus times are for ${CORPUS_PASSES} passes over every scrape)`);
