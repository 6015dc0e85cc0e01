/**
 * CoreDNS version arithmetic and the history of plugins that are no longer part of CoreDNS.
 *
 * Added/removed versions were derived from the `plugin.cfg` of every CoreDNS release tag (v1.0.0 ... v1.14.7) and
 * cross-checked with coredns/corefile-migration v1.0.31 (which knows releases up to 1.14.2). "1.0.0" means
 * "1.0.0 or earlier": the tags start there.
 */

/** Compares two dotted versions (`1.10.0` > `1.9.4`). A leading `v` is ignored. */
export function compareVersions(a: string, b: string): number {
  const x = versionKey(a);
  const y = versionKey(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

const keys = new Map<string, number>();

/** A sortable number for a version (each part may go up to 9999). Memoised: versions repeat on every keystroke. */
function versionKey(v: string): number {
  let k = keys.get(v);
  if (k === undefined) {
    const p = v.replace(/^v/, "").split(".");
    k = 0;
    for (let i = 0; i < 3; i++) k = k * 10000 + Math.min(9999, Number.parseInt(p[i] ?? "0", 10) || 0);
    if (keys.size > 1000) keys.clear();
    keys.set(v, k);
  }
  return k;
}

/** Whether `v` looks like a CoreDNS version number. */
export function isVersion(v: string): boolean {
  return /^v?\d+\.\d+(\.\d+)?$/.test(v);
}

/** A directive that existed in older CoreDNS releases and is gone now. */
export interface RemovedPlugin {
  name: string;
  /** First release that had it (1.0.0 = 1.0.0 or earlier). */
  added: string;
  /** First release that no longer accepts it. */
  removed: string;
  /** First release that marked it deprecated, when known. */
  deprecated?: string;
  /** What to use instead, in words. */
  replacedBy?: string;
}

/** Plugins removed from CoreDNS (no longer in plugin.cfg), oldest first. */
export const REMOVED_PLUGINS: readonly RemovedPlugin[] = Object.freeze([
  {
    name: "startup",
    added: "1.0.0",
    removed: "1.1.1",
    replacedBy: "`on startup COMMAND` (the `on` directive)",
  },
  {
    name: "shutdown",
    added: "1.0.0",
    removed: "1.1.1",
    replacedBy: "`on shutdown COMMAND` (the `on` directive)",
  },
  {
    name: "reverse",
    added: "1.0.0",
    removed: "1.2.0",
    replacedBy: "the `template` plugin (synthesise PTR and A/AAAA answers with a regex match)",
  },
  {
    name: "proxy",
    added: "1.0.0",
    deprecated: "1.4.0",
    removed: "1.5.0",
    replacedBy: "the `forward` plugin (`forward . UPSTREAMS...`; most proxy options have a forward equivalent)",
  },
  {
    name: "federation",
    added: "1.0.0",
    removed: "1.7.0",
    replacedBy: "nothing in stock CoreDNS (it lives on as an external plugin; Kubernetes federation DNS is obsolete)",
  },
]);

export function getRemovedPlugin(name: string): RemovedPlugin | undefined {
  return REMOVED_PLUGINS.find((p) => p.name === name);
}
