/**
 * The configuration hash CoreDNS's `reload` plugin computes and exports as
 * `coredns_reload_version_info{hash="sha512",value="<hex>"}`:
 * `sha512(json.Marshal(caddyfile.Parse(path, corefile, nil)))`. Comparing it with the value every pod reports tells
 * whether each pod runs the Corefile you expect.
 *
 * Note what goes into it: the parse runs with no directive list (unknown directives do not stop it), env variables
 * are substituted and imports expanded, tokens of the root Corefile carry an empty `File` while imported ones carry
 * the imported file's absolute path, and comments/whitespace/quoting that do not change token values do not change
 * the hash (but moving a directive to another line does: `Line` is part of it).
 */
import { caddyParse, type ServerBlock } from "./caddy-parser";
import type { Diagnostic } from "./diagnostics";
import { fastCaddyParse, mayHaveEnvRefs } from "./fast-parse";
import { marshalServerBlocks, sha512IndexedBlocks, sha512ServerBlocks } from "./gojson";
import { lexTokensOnly, type Token } from "./lexer";
import { internalError, resolveOptions, type ParseOptions } from "./parse";
import { toHex } from "./sha512";
import { scanTable } from "./table";

/** The result of {@link reloadHash}: the hex digest, or the parse error that makes the reload plugin skip the file. */
export type ReloadHashResult = { ok: true; hash: string } | { ok: false; error: Diagnostic };

/**
 * The exact JSON the reload plugin hashes (Go's `encoding/json` output), or the error that stops caddy's parse.
 * Useful to see why two Corefiles hash differently.
 */
export function reloadJson(text: string, options?: ParseOptions): { ok: true; json: string } | { ok: false; error: Diagnostic } {
  try {
    const r = reloadParse(text, options);
    return r.ok ? { ok: true, json: marshalServerBlocks(r.blocks) } : r;
  } catch (e) {
    return { ok: false, error: internalError(e, options?.filename ?? "Corefile") };
  }
}

/**
 * The SHA-512 hex that CoreDNS's reload plugin reports for this Corefile. Pass `filename` as CoreDNS sees it
 * (usually `/etc/coredns/Corefile` in Kubernetes) when the Corefile imports other files: their paths are hashed.
 */
export function reloadHash(text: string, options?: ParseOptions): ReloadHashResult {
  try {
    return reloadHashUnchecked(text, options);
  } catch (e) {
    return { ok: false, error: internalError(e, options?.filename ?? "Corefile") };
  }
}

function reloadHashUnchecked(text: string, options?: ParseOptions): ReloadHashResult {
  const filename = options?.filename ?? "Corefile";
  const table = scanTable(text, filename);
  // The common case (no import, snippet or env reference, no parse error): hash straight from the token table,
  // without token objects. Anything else goes through caddy's full parser.
  const fast = mayHaveEnvRefs(table) ? null : fastCaddyParse(table, filename, null);
  if (fast !== null) {
    const line = (i: number): number => table.lineIndexOf(table.start[i] as number) + 1;
    const tokenText = (i: number): string => table.text(i);
    return { ok: true, hash: toHex(sha512IndexedBlocks(fast.indexedBlocks(), line, tokenText)) };
  }
  const r = reloadParse(text, options, table.tokens());
  if (!r.ok) return r;
  // Encode the JSON straight into the hash instead of building it.
  return { ok: true, hash: toHex(sha512ServerBlocks(r.blocks)) };
}

/** caddy's parse without a directive list, as the reload plugin runs it (`tokens`: the root file's, when at hand). */
function reloadParse(
  text: string,
  options?: ParseOptions,
  tokens?: Token[],
): { ok: true; blocks: ServerBlock[] } | { ok: false; error: Diagnostic } {
  const { filename, env, fs } = resolveOptions(text, options);
  const result = caddyParse(tokens ?? lexTokensOnly(text, filename), { filename, env, fs, validDirectives: null });
  if (result.fatal) {
    const error = result.diagnostics.find((d) => d.severity === "error");
    if (error) return { ok: false, error };
  }
  return { ok: true, blocks: result.serverBlocks };
}
