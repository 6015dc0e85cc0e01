/**
 * Where the shared real-data corpus is, for tests and benchmarks (never for the product). One resolver, so every test
 * finds it the same way:
 * 1. `COREDECK_CORPUS`, when set;
 * 2. `shared/corpus` beside the checkout (`<checkout>/../shared/corpus`), where CI's clone finds it;
 * 3. `shared/corpus` beside the repository this checkout was cloned from, when that is a folder on this machine (a
 *    `git clone` of the workspace's checkout into a temporary directory).
 * Reading a corpus file when none of them exists fails with a message that says which paths were tried and what to do.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root (this file is lib/testing/corpus.ts). */
const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The corpus root that tests read (see the list above). */
export function corpusRoot(): string {
  const fromEnv = process.env.COREDECK_CORPUS;
  if (fromEnv) {
    const root = path.resolve(fromEnv);
    if (!existsSync(root)) throw new Error(`The shared corpus is not at ${root} (from COREDECK_CORPUS). ${HOW_TO_FIX}`);
    return root;
  }
  const tried = [path.resolve(CHECKOUT, "../shared/corpus")];
  const origin = localOrigin();
  if (origin) tried.push(path.resolve(origin, "../shared/corpus"));
  const found = tried.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`The shared corpus is not at ${tried.join(" nor ")}. ${HOW_TO_FIX}`);
  return found;
}

const HOW_TO_FIX =
  "Clone the repository next to the shared/ folder, or set COREDECK_CORPUS to the corpus folder (the one holding corefiles/, metrics/ and expected/).";

/** The folder this checkout was cloned from, when its `origin` is a path on this machine (else null). */
function localOrigin(): string | null {
  let url: string;
  try {
    url = execFileSync("git", ["config", "--get", "remote.origin.url"], { cwd: CHECKOUT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
  if (url.startsWith("file://")) return url.slice("file://".length);
  return path.isAbsolute(url) ? url : null;
}

/** A path inside the corpus, e.g. `corpusPath("metrics")` or `corpusPath("expected/coredns-parser.json")`. */
export function corpusPath(...parts: string[]): string {
  return path.join(corpusRoot(), ...parts);
}
