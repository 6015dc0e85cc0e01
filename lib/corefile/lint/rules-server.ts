/**
 * Rules about server blocks and listeners: zone/port clashes parse() cannot see, sockets shared by different servers,
 * and the quick fix for an empty zone (`:53`).
 */
import { isIP, normalizeServerKey, splitTransport } from "../keys";
import type { Token } from "../lexer";
import { fix, type LintContext } from "./context";
import type { BlockModel } from "./model";
import { listenHostKey, portNumber, splitHostPort } from "./net";

/** The listen addresses `bind` gives a block; `unknown` when an argument is neither an IP nor an interface name. */
type Binding = { wildcard: boolean; ips: string[]; interfaces: string[]; unknown: boolean };

/** What a network interface name can look like (Linux: at most 15 bytes, no spaces or slashes). */
const INTERFACE_NAME = /^[A-Za-z0-9_@-][A-Za-z0-9_.@:-]{0,14}$/;

export function bindingOf(bm: BlockModel): Binding {
  const occs = bm.byName.get("bind");
  if (!occs) return { wildcard: true, ips: [], interfaces: [], unknown: false };
  const hosts: string[] = [];
  const except: string[] = [];
  for (const o of occs) {
    for (const a of o.args) hosts.push(a.text);
    for (const opt of o.options) if (opt.name.text === "except") for (const a of opt.args) except.push(a.text);
  }
  const ips: string[] = [];
  const interfaces: string[] = [];
  let unknown = false;
  for (const h of hosts) {
    if (isIP(h)) {
      if (!except.includes(h)) ips.push(h);
    } else if (INTERFACE_NAME.test(h)) {
      interfaces.push(h);
    } else {
      unknown = true; // a template placeholder or a mistake (validatePlugin reports the latter)
    }
  }
  return { wildcard: false, ips, interfaces, unknown };
}

/**
 * SERVER_KEY_CONFLICT: the zone/port overlaps CoreDNS refuses that parse() leaves out because a block binds to an
 * interface name: the same interface in two blocks, or an interface-bound block next to an unbound one.
 */
export function serverKeyConflicts(ctx: LintContext): void {
  const blocks = ctx.model.blocks;
  const bindings = blocks.map(bindingOf);
  if (!bindings.some((b) => b.interfaces.length > 0 && !b.unknown)) return;
  for (let j = 1; j < blocks.length; j++) {
    const b = blocks[j] as BlockModel;
    const bb = bindings[j] as Binding;
    if (b.byName.has("view") || bb.unknown) continue;
    let reported = false;
    for (let i = 0; i < j && !reported; i++) {
      const a = blocks[i] as BlockModel;
      const ab = bindings[i] as Binding;
      if (a.byName.has("view") || ab.unknown) continue;
      if (ab.interfaces.length === 0 && bb.interfaces.length === 0) continue; // parse() decides these
      const shared = ab.interfaces.filter((x) => bb.interfaces.includes(x));
      const unboundSide = ab.wildcard || bb.wildcard;
      if (!unboundSide && shared.length === 0) continue;
      for (const kb of b.keys) {
        const ka = a.keys.find((k) => k.transport === kb.transport && k.port === kb.port && k.zones.some((z) => kb.zones.includes(z)));
        if (!ka) continue;
        const zone = ka.zones.find((z) => kb.zones.includes(z)) ?? "";
        const what = `${kb.transport}://${zone}:${kb.port}`;
        const message = unboundSide
          ? `${what} is also served by the block at line ${ka.token.line}. One of the two blocks has no 'bind' and so listens on every address of the port, including those of the other block's interface(s): CoreDNS refuses to start ("zone overlap listener capacity"). Bind both blocks, or serve the zone from one block.`
          : `${what} is also served by the block at line ${ka.token.line}, bound to the same interface (${shared.join(", ")}): CoreDNS refuses to start ("already defined"). Serve the zone from one block, or bind the blocks to different interfaces.`;
        ctx.report("SERVER_KEY_CONFLICT", message, kb.token);
        reported = true;
        break;
      }
    }
  }
}

/** One socket a server opens. */
type Listener = { proto: "tcp" | "udp"; host: string; port: number; server: string; label: string; token: Token };

const TRANSPORT_PROTOCOLS: Readonly<Record<string, readonly ("tcp" | "udp")[]>> = {
  dns: ["udp", "tcp"],
  tls: ["tcp"],
  grpc: ["tcp"],
  https: ["tcp"],
  quic: ["udp"],
  https3: ["udp"],
};

/** HTTP side services and their default addresses (CoreDNS 1.14 source). */
export const HTTP_DEFAULTS: Readonly<Record<string, string>> = {
  health: ":8080",
  ready: ":8181",
  prometheus: "localhost:9153",
  pprof: "localhost:6053",
};

/**
 * PORT_CONFLICT: two different servers on one port and address. CoreDNS opens every listener with SO_REUSEPORT, so
 * nothing fails at startup; the kernel then hands each connection (or datagram) to one of the sockets at random.
 */
export function portConflicts(ctx: LintContext): void {
  const listeners: Listener[] = [];
  for (const bm of ctx.model.blocks) {
    const binding = bindingOf(bm);
    if (binding.interfaces.length === 0 && !binding.unknown) {
      const hosts = binding.wildcard ? ["*"] : binding.ips.map((h) => listenHostKey(h) ?? h);
      for (const k of bm.keys) {
        const protos = TRANSPORT_PROTOCOLS[k.transport];
        const port = portNumber(k.port);
        if (!protos || port === null) continue;
        for (const host of hosts) {
          for (const proto of protos) {
            listeners.push({ proto, host, port, server: k.transport, label: `the ${k.transport} server of '${k.key}'`, token: k.token });
          }
        }
      }
    }
    for (const name of Object.keys(HTTP_DEFAULTS)) {
      const occ = bm.byName.get(name)?.[0];
      if (!occ) continue;
      const addrTok = occ.args[0];
      const hp = splitHostPort(addrTok ? addrTok.text : (HTTP_DEFAULTS[name] as string));
      const host = hp ? listenHostKey(hp.host) : null;
      const port = hp ? portNumber(hp.port) : null;
      if (host === null || port === null) continue;
      listeners.push({ proto: "tcp", host, port, server: name, label: `'${name}'`, token: addrTok ?? occ.nameToken });
    }
  }
  const groups = new Map<string, Listener[]>();
  for (const l of listeners) {
    const key = `${l.proto}|${l.host}|${l.port}`;
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  const reported = new Set<Token>();
  for (const g of groups.values()) {
    const first = g[0] as Listener;
    const seen = new Set<string>([first.server]);
    for (const l of g) {
      if (seen.has(l.server) || reported.has(l.token)) continue;
      seen.add(l.server);
      reported.add(l.token);
      const where = l.host === "*" ? `port ${l.port}` : `${l.host} port ${l.port}`;
      ctx.report(
        "PORT_CONFLICT",
        `${capitalize(l.label)} and ${first.label} (line ${first.token.line}) both listen on ${l.proto.toUpperCase()} ${where}. ` +
          "CoreDNS opens every listener with SO_REUSEPORT, so both start, and the kernel then gives each connection to one of them at random: " +
          "about half of the requests reach the wrong server. Use a different port for one of them.",
        l.token,
      );
    }
  }
}

function capitalize(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/**
 * EMPTY_ZONE_FIX: parse() reports `:53` (no zone) as INVALID_SERVER_KEY; this adds, at the same range, the fix that
 * writes the root zone in (`.:53`).
 */
export function emptyZoneFixes(ctx: LintContext): void {
  const keyTokens = new Map<string, Token>();
  for (const bm of ctx.model.blocks) {
    for (const t of bm.block.keyTokens) if (ctx.editable(t)) keyTokens.set(`${t.line}:${t.column}`, t);
  }
  for (const d of ctx.parse.diagnostics) {
    if (d.code !== "INVALID_SERVER_KEY" || d.file !== ctx.root) continue;
    const tok = keyTokens.get(`${d.line}:${d.column}`);
    if (!tok) continue;
    const key = tok.text.endsWith(",") ? tok.text.slice(0, -1) : tok.text;
    const { rest } = splitTransport(key);
    if (!rest.startsWith(":")) continue;
    const prefix = key.slice(0, key.length - rest.length);
    const fixed = `${prefix}.${rest}`;
    if ("error" in normalizeServerKey(fixed)) continue;
    const at = tok.start + (tok.quoted ? 1 : 0) + prefix.length;
    if (ctx.text.slice(at, at + rest.length) !== rest) continue; // env variables or escapes: no safe edit
    ctx.report(
      "EMPTY_ZONE_FIX",
      `'${key}' has no zone. CoreDNS 1.14 needs one ("zone is not a valid domain name"); write '${fixed}' to serve every name (the root zone).`,
      tok,
      tok,
      fix(`Write '${fixed}'`, { start: at, end: at, newText: "." }),
    );
  }
}
