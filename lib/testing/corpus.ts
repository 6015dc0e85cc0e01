/**
 * Where the shared real-data corpus is, for tests and benchmarks (never for the product). One resolver, so every test
 * finds it the same way:
 * 1. `COREDECK_CORPUS`, when set (a clone that does not sit next to `shared/`, e.g. in a temporary directory);
 * 2. `shared/corpus` beside the checkout (`<checkout>/../shared/corpus`), where CI's clone finds it.
 * Reading a corpus file when neither exists fails with a message that says which paths were tried and what to do.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root (this file is lib/testing/corpus.ts). */
const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The corpus root that tests read: `COREDECK_CORPUS`, else `shared/corpus` beside the checkout. */
export function corpusRoot(): string {
  const fromEnv = process.env.COREDECK_CORPUS;
  const root = fromEnv ? path.resolve(fromEnv) : path.resolve(CHECKOUT, "../shared/corpus");
  if (!existsSync(root)) {
    throw new Error(
      `The shared corpus is not at ${root}${fromEnv ? " (from COREDECK_CORPUS)" : ""}. ` +
        "Clone the repository next to the shared/ folder, or set COREDECK_CORPUS to the corpus folder (the one holding corefiles/, metrics/ and expected/).",
    );
  }
  return root;
}

/** A path inside the corpus, e.g. `corpusPath("metrics")` or `corpusPath("expected/coredns-parser.json")`. */
export function corpusPath(...parts: string[]): string {
  return path.join(corpusRoot(), ...parts);
}
