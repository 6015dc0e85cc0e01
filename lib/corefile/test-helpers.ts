/**
 * Test-only helpers (not exported from index.ts): where the shared real-data corpus lives and how to read it.
 * Only tests import this file; it is the one place in lib/corefile allowed to use node:fs / node:path.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { corpusRoot } from "@/lib/testing/corpus";

/** The shared corpus (see lib/testing/corpus.ts: `COREDECK_CORPUS`, else `shared/corpus` beside the checkout). */
export const CORPUS = corpusRoot();

/** Reads a corpus file as UTF-8 text. */
export function readCorpus(rel: string): string {
  return readFileSync(path.join(CORPUS, rel), "utf8");
}

/** Every file under a corpus directory, as paths relative to the corpus root, sorted. */
export function listCorpus(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(CORPUS, rel)).sort()) {
      const child = path.join(rel, name);
      if (statSync(path.join(CORPUS, child)).isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(dir);
  return out;
}

/** A small seeded PRNG (mulberry32), so random tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
