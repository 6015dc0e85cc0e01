/**
 * Just enough of a Corefile reader to label the simulated metrics: the server blocks (server address
 * and zones), the directives in each, and the `forward` upstreams. It is not a parser (the product
 * has its own); on anything it does not understand it falls back to the kubeadm layout, because the
 * metrics only need plausible labels.
 */

export type ServerBlockSummary = {
  /** The `server` label: `dns://:53`, `tls://:853`, ... */
  server: string;
  /** Zones as they appear in metric labels: `.`, `cluster.local.`, ... */
  zones: string[];
  /** Directive names in order of appearance. */
  plugins: string[];
  /** `to` labels of the forward upstreams (`host:port`). */
  forwardTo: string[];
};

/** What a pod's `/etc/resolv.conf` would point at on a kind node; nothing is ever contacted. */
export const RESOLV_CONF_UPSTREAM = "172.18.0.1:53";

const DEFAULT_BLOCKS: ServerBlockSummary[] = [
  {
    server: "dns://:53",
    zones: ["."],
    plugins: ["errors", "health", "ready", "kubernetes", "prometheus", "forward", "cache", "loop", "reload", "loadbalance"],
    forwardTo: [RESOLV_CONF_UPSTREAM],
  },
];

const DEFAULT_PORTS: Record<string, string> = { dns: "53", tls: "853", https: "443", grpc: "443", quic: "853", https3: "443" };

function stripComments(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '"' && line[i - 1] !== "\\") quoted = !quoted;
        if (line[i] === "#" && !quoted) return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}

/** Splits a server block key such as `dns://cluster.local:53` into scheme, zone and port. */
function parseKey(key: string): { scheme: string; zone: string; port: string } {
  let rest = key.toLowerCase();
  let scheme = "dns";
  const m = /^([a-z0-9]+):\/\//.exec(rest);
  if (m) {
    scheme = m[1]!;
    rest = rest.slice(m[0].length);
  }
  let port = DEFAULT_PORTS[scheme] ?? "53";
  const portMatch = /:(\d+)$/.exec(rest);
  if (portMatch) {
    port = portMatch[1]!;
    rest = rest.slice(0, -portMatch[0].length);
  }
  let zone = rest === "" ? "." : rest;
  if (!zone.endsWith(".")) zone += ".";
  return { scheme, zone, port };
}

/** Normalises a forward target to the `to` label form (`host:port`). */
function upstreamLabel(target: string): string {
  if (target.startsWith("/")) return RESOLV_CONF_UPSTREAM;
  const t = target.replace(/^(dns|tls):\/\//, "");
  if (/^\[.*\]:\d+$/.test(t) || /^[^:]+:\d+$/.test(t)) return t;
  if (t.includes(":")) return `[${t}]:53`;
  return `${t}:53`;
}

/** Summarises a Corefile for the metrics; never throws. */
export function summariseCorefile(text: string): ServerBlockSummary[] {
  try {
    const blocks: ServerBlockSummary[] = [];
    let depth = 0;
    let current: ServerBlockSummary | undefined;
    let pendingKeys: string[] = [];
    for (const rawLine of stripComments(text).split("\n")) {
      const tokens = rawLine.replace(/([{}])/g, " $1 ").trim().split(/\s+/).filter((t) => t !== "");
      for (let i = 0; i < tokens.length; i++) {
        const tok = tokens[i]!;
        if (tok === "{") {
          if (depth === 0) {
            const keys = pendingKeys.flatMap((k) => k.split(",")).filter((k) => k !== "");
            pendingKeys = [];
            if (keys.length === 0 || keys[0]!.startsWith("(")) {
              current = undefined; // a snippet definition, not a server block
            } else {
              const parsed = keys.map(parseKey);
              const first = parsed[0]!;
              current = { server: `${first.scheme}://:${first.port}`, zones: parsed.map((p) => p.zone), plugins: [], forwardTo: [] };
              blocks.push(current);
            }
          }
          depth++;
        } else if (tok === "}") {
          depth = Math.max(0, depth - 1);
          if (depth === 0) current = undefined;
        } else if (depth === 0) {
          pendingKeys.push(tok);
        } else if (depth === 1 && current && i === 0) {
          // The first word of a line inside a block is a directive; the rest are its arguments.
          current.plugins.push(tok);
          if (tok === "forward") {
            const args = tokens.slice(2).filter((t) => t !== "{" && t !== "}");
            current.forwardTo.push(...args.map(upstreamLabel));
          }
        }
      }
    }
    return blocks.length > 0 && depth === 0 ? blocks : DEFAULT_BLOCKS;
  } catch {
    return DEFAULT_BLOCKS;
  }
}
