import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { tokenize } from "@/lib/corefile/lexer";

const MAX_FILES = 1_000;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const GLOB_CHARS = /[*?[]/;

/**
 * The files a Corefile on disk may `import`, read from disk for the engine's virtual file map (the
 * engine itself never touches a disk). Follows `import` arguments transitively; a glob loads every
 * file of the directory its pattern points into. Missing files are left out, so the engine reports
 * them as CoreDNS would.
 */
export function readImportFiles(corefilePath: string, text: string): Record<string, string> {
  const files: Record<string, string> = {};
  const queue: { file: string; text: string }[] = [{ file: corefilePath, text }];
  const seen = new Set<string>([corefilePath]);
  while (queue.length > 0 && Object.keys(files).length < MAX_FILES) {
    const current = queue.shift()!;
    const tokens = tokenize(current.text, current.file);
    for (let i = 0; i < tokens.length - 1; i++) {
      if (tokens[i]?.text !== "import") continue;
      const argument = tokens[i + 1]?.text;
      if (!argument || argument.startsWith("(")) continue;
      const resolved = path.resolve(path.dirname(corefilePath), argument);
      const candidates = GLOB_CHARS.test(resolved) ? listDirectory(path.dirname(resolved)) : [resolved];
      for (const candidate of candidates) {
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        const content = readSmallFile(candidate);
        if (content === undefined) continue;
        files[candidate] = content;
        queue.push({ file: candidate, text: content });
      }
    }
  }
  return files;
}

function listDirectory(directory: string): string[] {
  if (!existsSync(directory) || GLOB_CHARS.test(directory)) return [];
  return readdirSync(directory).map((name) => path.join(directory, name));
}

function readSmallFile(file: string): string | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
