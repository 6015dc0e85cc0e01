/**
 * Environment-variable substitution exactly as caddy's `replaceEnvVars` does it: first every `{%NAME%}`, then every
 * `{$NAME}`, in each token that the parser looks at. A missing variable becomes the empty string.
 *
 * Quirks kept on purpose (they change what CoreDNS sees):
 * - after each substitution the scan restarts from the beginning, so a value that itself contains `{$OTHER}` is
 *   substituted again (and a value containing its own reference would loop forever in CoreDNS; here the loop is capped);
 * - substitution replaces *every* occurrence of the same reference at once;
 * - `{$}` / `{%%}`-like empty references stop the scan: the rest of the token is left as written.
 */

/** Variables available to `{$VAR}` / `{%VAR%}`; `undefined` counts as unset (empty). */
export type EnvMap = Readonly<Record<string, string | undefined>>;

/** Substitution rounds per reference style before giving up (CoreDNS itself would hang on self-referencing values). */
const MAX_ROUNDS = 1000;
/** Stop growing a token past this length (a value that references itself twice doubles the token every round). */
const MAX_LENGTH = 1 << 20;

function lookup(env: EnvMap, name: string): string {
  return Object.hasOwn(env, name) ? (env[name] ?? "") : "";
}

function replaceRefs(s: string, refStart: string, refEnd: string, env: EnvMap): string {
  let index = s.indexOf(refStart);
  let rounds = 0;
  while (index !== -1) {
    const endIndex = s.indexOf(refEnd, index);
    if (endIndex === -1) break;
    if (endIndex <= index + refStart.length) return s;
    const ref = s.slice(index, endIndex + refEnd.length);
    const value = lookup(env, ref.slice(refStart.length, ref.length - refEnd.length));
    s = s.split(ref).join(value);
    if (++rounds >= MAX_ROUNDS || s.length > MAX_LENGTH) return s;
    index = s.indexOf(refStart);
  }
  return s;
}

/** caddy's `replaceEnvVars(s)`, reading variables from `env` instead of the process environment. */
export function replaceEnvVars(s: string, env: EnvMap): string {
  // Fast path: every reference starts with `{`.
  if (s.indexOf("{") < 0) return s;
  return replaceRefs(replaceRefs(s, "{%", "%}", env), "{$", "}", env);
}
