/**
 * Server-wide and operational directives: root, metadata, geoip, cancel, proxyproto, the transport tuning directives
 * (quic, grpc_server, https, https3, timeouts, multisocket), reload, bind, shed, loop, erratic, on, view.
 */
import type { Token } from "../../lexer";
import { splitTransport } from "../coredns";
import type { Dispenser } from "../dispenser";
import { COREDNS_EXPR_ENV, checkExpr } from "../exprlang";
import { atoi, isIP, parseCIDR, parseDuration, parseInt64, SECOND, HOUR } from "../go";
import {
  arg,
  checkZoneArgs,
  duration,
  eachOption,
  lastOf,
  opt,
  tooMany,
  unknownProperty,
  type PluginDefinition,
  Reporter,
} from "./helpers";

/** Walks the tokens CoreDNS never reads (after a plugin that only looks at its first occurrence). */
export function reportUnread(d: Dispenser, r: Reporter, name: string): void {
  let depth = 0;
  let warnedStray = false;
  while (d.next()) {
    const t = d.token();
    if (t.text === "{") {
      if (depth === 0) r.warning("PLUGIN_UNEXPECTED_BLOCK", t, `${name} does not read a block here; CoreDNS ignores everything in it.`);
      depth++;
    } else if (t.text === "}") depth = Math.max(0, depth - 1);
    else if (depth === 0 && t.text === name) {
      r.ignoredRepeat(t);
      // The whole ignored occurrence (its arguments and block) is covered by that warning.
      d.remainingArgTokens();
      while (d.nextBlock());
    } else if (!warnedStray && depth === 0) {
      warnedStray = true;
      r.warning("PLUGIN_SUSPICIOUS", t, `CoreDNS never reads '${t.text}' here; it is ignored.`);
    }
  }
}

/** Warns about later occurrences of a directive whose settings replace (or merge with) the first one's. */
export function repeatWarning(r: Reporter, tok: Token, name: string, seen: number): void {
  if (seen > 0 && tok.text === name) r.overridingRepeat(tok);
}

// ---------------------------------------------------------------------------------------------------------------------

export const root: PluginDefinition = {
  spec: {
    name: "root",
    summary: "Sets the directory that relative file names of other plugins (zone files, keys, hosts files) are resolved against.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [arg("PATH", "file", { help: "Directory used as the base for relative paths in this server block." })],
    options: [],
    block: "none",
    syntax: "root PATH",
    versions: { added: "1.0.0" },
    notes: ["A path that does not exist only produces a warning in CoreDNS's log; plugins then fail to find their files."],
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      if (seen++ > 0 && name.text === "root") r.overridingRepeat(name);
      if (!d.nextArg()) {
        r.argCount(name, "root needs a PATH: the directory relative file names are resolved against, e.g. `root /etc/coredns/zones`.");
        continue;
      }
      const v = d.token();
      if (v.text === "{") {
        r.error("PLUGIN_UNEXPECTED_BLOCK", v, "root takes a directory path, not a block. Write `root /path/to/dir`.", Reporter.argErrText(v));
        // Skip to the end of the bogus block; CoreDNS fails on it anyway.
        while (d.next() && d.val() !== "}");
        continue;
      }
      const extra = d.remainingArgTokens();
      if (extra.length) r.warning("PLUGIN_SUSPICIOUS", extra[0]!, `root uses a single path; '${extra[0]!.text}' and anything after it is ignored.`, undefined, lastOf(extra, v));
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const metadata: PluginDefinition = {
  spec: {
    name: "metadata",
    summary: "Turns on metadata collection so plugins can publish per-query labels (view, geoip, kubernetes...) that others such as log and rewrite read.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Collect metadata only for queries in these zones; defaults to the server block's zones." })],
    options: [],
    block: "none",
    syntax: "metadata [ZONES...]",
    versions: { added: "1.2.0" },
  },
  validate(d, r) {
    d.next();
    const name = d.token();
    checkZoneArgs(r, d.remainingArgTokens());
    if (d.nextBlock()) {
      r.error("PLUGIN_UNEXPECTED_BLOCK", d.token(), "metadata takes no block; list zones on the directive line instead.", Reporter.argErrText(d.token()));
      while (d.nextBlock());
      return;
    }
    if (d.next()) {
      const t = d.token();
      if (t.text === name.text) r.once(t);
      else r.argCount(t, `Unexpected '${t.text}' after metadata.`);
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const geoip: PluginDefinition = {
  spec: {
    name: "geoip",
    summary: "Looks up the client's address in a MaxMind database and publishes its location (country, city, ASN...) as metadata for other plugins.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("DBFILE", "file", { help: "Path to a MaxMind .mmdb database (City, Country or ASN)." })],
    options: [
      opt("edns-subnet", [], "Locate the client by the EDNS0 client-subnet option of the query when present, instead of the packet's source address."),
    ],
    block: "optional",
    syntax: "geoip DBFILE { edns-subnet }",
    versions: { added: "1.8.5" },
    notes: ["The database is opened at startup; a missing or unreadable file makes CoreDNS fail to start."],
  },
  validate(d, r) {
    let db: string | undefined;
    while (d.next()) {
      const name = d.token();
      if (!d.nextArg()) {
        r.argCount(name, "geoip needs the path of a MaxMind database, e.g. `geoip /etc/coredns/GeoLite2-City.mmdb`.");
        continue;
      }
      if (db !== undefined) {
        r.error(
          "PLUGIN_DUPLICATE",
          name,
          "Only one geoip database can be configured per server block; remove this second geoip.",
          "configuring multiple databases is not supported",
        );
      }
      db = d.val();
      if (db === "{") r.argCount(d.token(), "geoip needs the database path before the block: `geoip DBFILE { ... }`.");
      const extra = d.remainingArgTokens();
      if (extra.length) r.argCount(extra[0]!, "geoip takes exactly one argument, the database file.", lastOf(extra, name));
      eachOption(d, (o) => {
        if (o.text !== "edns-subnet") r.unknownOption(o, `unknown property ${JSON.stringify(o.text)}`);
        else r.optionVersion(o);
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const cancel: PluginDefinition = {
  spec: {
    name: "cancel",
    summary: "Gives every query a deadline: plugins working on it (forwarding, lookups) are cancelled when it expires.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("TIMEOUT", "duration", { optional: true, default: "5001ms", help: "How long a query may take before it is cancelled." })],
    options: [],
    block: "none",
    syntax: "cancel [TIMEOUT]",
    versions: { added: "1.5.0" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      if (seen++ > 0 && name.text === "cancel") r.overridingRepeat(name);
      const args = d.remainingArgTokens();
      if (args.length === 0) continue;
      if (args.length > 1) {
        tooMany(r, args, 1, "cancel takes one optional TIMEOUT");
        continue;
      }
      const t = args[0]!;
      const p = parseDuration(t.text);
      if (!p.ok) {
        r.invalid(t, `'${t.text}' is not a duration. Write the timeout with a unit, e.g. \`cancel 2s\`.`, `invalid duration: ${JSON.stringify(t.text)}`);
      } else if (p.value <= 0) {
        r.invalid(t, "The cancel timeout must be positive.", `invalid negative duration: ${JSON.stringify(t.text)}`);
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

const PROXY_POLICIES = ["use", "ignore", "reject", "skip"];

export const proxyproto: PluginDefinition = {
  spec: {
    name: "proxyproto",
    summary: "Accepts PROXY protocol (v1/v2) headers from load balancers so plugins see the real client address.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [],
    options: [
      opt("allow", [arg("CIDR", "cidr", { variadic: true, optional: true })], "Only trust PROXY headers from these source networks. Without `allow`, headers from any address are used.", { repeatable: true }),
      opt(
        "default",
        [arg("POLICY", "enum", { values: PROXY_POLICIES })],
        "What to do with connections from sources outside `allow`: use the header, ignore it, reject the connection, or skip PROXY processing entirely.",
        { default: "ignore" },
      ),
      opt(
        "udp_session_tracking",
        [arg("DURATION", "duration"), arg("MAX_SESSIONS", "integer", { optional: true, min: 1, default: "10240" })],
        "For PROXY v2 over UDP where the header arrives in its own datagram: remember the real client address for DURATION and apply it to later header-less datagrams (at most MAX_SESSIONS sessions).",
        { versions: { added: "1.14.3" } },
      ),
    ],
    block: "optional",
    syntax: "proxyproto { allow CIDR...; default use|ignore|reject|skip; udp_session_tracking DURATION [MAX] }",
    versions: { added: "1.14.3" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      repeatWarning(r, name, "proxyproto", seen++);
      const args = d.remainingArgTokens();
      if (args.length) r.argCount(args[0]!, "proxyproto takes no arguments; put its settings in a block.", lastOf(args, name));
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        switch (o.text) {
          case "allow":
            for (const t of v) {
              if (!parseCIDR(t.text).ok)
                r.invalid(t, `'${t.text}' is not a CIDR; write a network such as 10.0.0.0/8 or 2001:db8::/32.`, `${t.text}: invalid CIDR address: ${t.text}`);
            }
            break;
          case "default":
            if (v.length !== 1) r.argCount(v[1] ?? o, "`default` takes one policy: use, ignore, reject or skip.");
            else if (!PROXY_POLICIES.includes(v[0]!.text.toLowerCase()))
              r.error("PLUGIN_INVALID_VALUE", v[0]!, `Unknown policy '${v[0]!.text}'; use one of use, ignore, reject, skip.`, Reporter.argErrText(v[0]!));
            break;
          case "udp_session_tracking": {
            r.optionVersion(o);
            if (v.length < 1 || v.length > 2) {
              r.argCount(v[2] ?? o, "`udp_session_tracking` takes a DURATION and an optional maximum number of sessions.");
              break;
            }
            const dur = parseDuration(v[0]!.text);
            if (!dur.ok)
              r.invalid(v[0]!, `'${v[0]!.text}' is not a duration (e.g. 30s).`, `udp_session_tracking: invalid duration ${JSON.stringify(v[0]!.text)}: ${dur.error}`);
            if (v[1]) {
              const n = atoi(v[1].text);
              if (!n.ok || n.value <= 0)
                r.invalid(v[1], "The maximum number of sessions must be a positive whole number.", `udp_session_tracking: invalid max sessions ${JSON.stringify(v[1].text)}: must be a positive integer`);
            }
            break;
          }
          default:
            r.unknownOption(o, `unknown option '${o.text}'`);
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

/** quic/grpc_server/https/https3: `NAME { opt N ... }` where each option may be given once. */
function transportTuning(
  name: string,
  summary: string,
  added: string,
  options: { name: string; positive: boolean; help: string; default: string; added?: string }[],
): PluginDefinition {
  return {
    spec: {
      name,
      summary,
      group: "operations",
      repeatable: false,
      canAnswer: false,
      canFallthrough: false,
      forwards: false,
      serverSetting: true,
      args: [],
      options: options.map((o) =>
        opt(o.name, [arg("N", "integer", { min: o.positive ? 1 : 0 })], o.help, {
          default: o.default,
          ...(o.added ? { versions: { added: o.added } } : {}),
        }),
      ),
      block: "optional",
      syntax: `${name} { ${options.map((o) => `${o.name} N`).join("; ")} }`,
      versions: { added },
    },
    validate(d, r) {
      d.next();
      const dir = d.token();
      const args = d.remainingArgTokens();
      if (args.length) r.argCount(args[0]!, `${name} takes no arguments; put its settings in a block.`, lastOf(args, dir));
      const seen = new Set<string>();
      eachOption(d, (o) => {
        const spec = options.find((x) => x.name === o.text);
        if (!spec) {
          unknownProperty(r, o);
          d.remainingArgTokens();
          return;
        }
        r.optionVersion(o);
        const v = d.remainingArgTokens();
        if (v.length !== 1) {
          r.argCount(v[1] ?? o, `\`${o.text}\` takes exactly one number.`);
          return;
        }
        const t = v[0]!;
        const n = atoi(t.text);
        if (!n.ok) {
          r.invalid(t, `\`${o.text}\` must be a whole number; '${t.text}' is not.`, `invalid ${o.text} value '${t.text}': ${n.error}`);
        } else if (spec.positive ? n.value <= 0 : n.value < 0) {
          r.invalid(
            t,
            `\`${o.text}\` must be ${spec.positive ? "a positive number" : "0 or more"} (got ${n.value}).`,
            `${o.text} must be a ${spec.positive ? "positive" : "non-negative"} integer: ${n.value}`,
          );
        }
        if (seen.has(o.text)) {
          r.error("OPTION_DUPLICATE", o, `\`${o.text}\` is already set in this ${name} block; keep only one.`, `${o.text} already defined for this server block`);
        }
        seen.add(o.text);
      });
      reportUnread(d, r, name);
    },
  };
}

export const quic = transportTuning(
  "quic",
  "Tunes the DNS-over-QUIC listener of a `quic://` server block (stream and worker limits).",
  "1.12.2",
  [
    { name: "max_streams", positive: true, default: "256", help: "Maximum concurrent QUIC streams per connection." },
    { name: "worker_pool_size", positive: true, default: "512", help: "Number of workers handling QUIC streams across all connections." },
  ],
);

export const grpcServer = transportTuning(
  "grpc_server",
  "Tunes the DNS-over-gRPC listener of a `grpc://` server block (stream and connection limits).",
  "1.14.0",
  [
    { name: "max_streams", positive: false, default: "256", help: "Maximum concurrent gRPC streams per connection; 0 means unlimited." },
    { name: "max_connections", positive: false, default: "200", help: "Maximum concurrent TCP connections; 0 means unlimited." },
  ],
);

export const https = transportTuning(
  "https",
  "Tunes the DNS-over-HTTPS listener of an `https://` server block (connection limit).",
  "1.14.0",
  [{ name: "max_connections", positive: false, default: "200", help: "Maximum concurrent TCP connections; 0 means unlimited." }],
);

export const https3 = transportTuning(
  "https3",
  "Tunes the DNS-over-HTTP/3 listener of an `https3://` server block (stream and connection limits).",
  "1.14.0",
  [
    { name: "max_streams", positive: false, default: "256", help: "Maximum concurrent QUIC streams per connection; 0 keeps the QUIC library's default." },
    { name: "max_connections", positive: false, default: "200", help: "Maximum concurrent HTTP/3 connections; 0 disables CoreDNS's own limit.", added: "1.14.7" },
  ],
);

// ---------------------------------------------------------------------------------------------------------------------

export const timeouts: PluginDefinition = {
  spec: {
    name: "timeouts",
    summary: "Sets read, write and idle timeouts (and a per-connection query limit) for TCP, TLS, DoH and DoQ listeners.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [],
    options: [
      opt("read", [arg("DURATION", "duration-or-seconds", { help: "1s to 24h" })], "How long to wait for a query to be read from a connection (a bare number means seconds)."),
      opt("write", [arg("DURATION", "duration-or-seconds", { help: "1s to 24h" })], "How long writing a response may take (a bare number means seconds)."),
      opt("idle", [arg("DURATION", "duration-or-seconds", { help: "1s to 24h" })], "How long an idle connection is kept open (a bare number means seconds)."),
      opt(
        "maxtcpqueries",
        [arg("MAXIMUM", "integer", { help: "-1 for unlimited, otherwise 1 or more" })],
        "Close a TCP/TLS connection after this many queries so clients reconnect and load balancers can spread load; -1 (the default) means no limit.",
        { default: "-1", versions: { added: "1.14.7" } },
      ),
    ],
    block: "required",
    syntax: "timeouts { read DURATION; write DURATION; idle DURATION; maxtcpqueries N }",
    versions: { added: "1.10.1" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      repeatWarning(r, name, "timeouts", seen++);
      const args = d.remainingArgTokens();
      if (args.length) r.argCount(args[0]!, "timeouts takes no arguments; put the timeouts in a block.", lastOf(args, name));
      let count = 0;
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        const known = ["read", "write", "idle", "maxtcpqueries"].includes(o.text);
        if (v.length !== 1) {
          if (!known) unknownProperty(r, o);
          else r.argCount(v[1] ?? o, `\`${o.text}\` takes exactly one value.`);
          count++;
          return;
        }
        const t = v[0]!;
        if (o.text === "maxtcpqueries") {
          r.optionVersion(o);
          const n = atoi(t.text);
          if (!n.ok) r.invalid(t, "maxtcpqueries must be a whole number (-1 for unlimited).", `invalid value for maxtcpqueries '${t.text}': ${n.error}`);
          else if (n.value === 0 || n.value < -1)
            r.invalid(t, "maxtcpqueries must be -1 (unlimited) or a positive number.", `maxtcpqueries provided '${n.value}' needs to be -1 (unlimited) or a positive integer`);
          count++;
          return;
        }
        // CoreDNS parses the duration before it looks at the option name.
        const n = atoi(t.text);
        const text = n.ok ? `${t.text}s` : t.text;
        const p = parseDuration(text);
        if (!p.ok) {
          r.invalid(t, `'${t.text}' is not a duration; write e.g. 30s or 1m (a bare number means seconds).`, `failed to parse duration '${text}'`);
        } else if (p.value < SECOND || p.value > 24 * HOUR) {
          r.invalid(t, "Timeouts must be between 1 second and 24 hours.", `timeout provided '${t.text}' needs to be between 1 second and 24 hours`);
        } else if (!known) {
          r.unknownOption(o, `unknown option: '${o.text}'`);
        }
        count++;
      });
      if (count === 0) {
        r.error(
          "PLUGIN_MISSING_BLOCK",
          name,
          "timeouts needs at least one setting, e.g. `timeouts { read 10s }`; otherwise remove the directive.",
          "timeouts block with no timeouts specified",
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const multisocket: PluginDefinition = {
  spec: {
    name: "multisocket",
    summary: "Opens several listening sockets on the same port (SO_REUSEPORT) so the kernel spreads queries across them.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [arg("NUM_SOCKETS", "integer", { optional: true, min: 1, max: 1024, default: "GOMAXPROCS", help: "Number of sockets (1-1024)." })],
    options: [],
    block: "none",
    syntax: "multisocket [NUM_SOCKETS]",
    versions: { added: "1.12.0" },
  },
  validate(d, r) {
    d.next();
    const name = d.token();
    const args = d.remainingArgTokens();
    if (args.length > 1) {
      tooMany(r, args, 1, "multisocket takes one optional number", Reporter.argErrText(args[0]!));
      reportUnread(d, r, "multisocket");
      return;
    }
    if (d.next()) {
      const t = d.token();
      if (t.text === "{") r.error("PLUGIN_UNEXPECTED_BLOCK", t, "multisocket takes no block.", Reporter.argErrText(lastOf(args, name)));
      else if (t.text === "multisocket") r.error("PLUGIN_DUPLICATE", t, "multisocket can only appear once per server block.", Reporter.argErrText(lastOf(args, name)));
      else r.argCount(t, `Unexpected '${t.text}' after multisocket.`);
      return;
    }
    const t = args[0];
    if (!t) return;
    const n = atoi(t.text);
    if (!n.ok) r.invalid(t, `The number of sockets must be a whole number; '${t.text}' is not.`, `invalid num sockets: ${n.error}`);
    else if (n.value < 1) r.invalid(t, "The number of sockets must be at least 1.", `num sockets can not be zero or negative: ${n.value}`);
    else if (n.value > 1024) r.invalid(t, "The number of sockets can be at most 1024.", `num sockets exceeds maximum (1024): ${n.value}`);
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const reload: PluginDefinition = {
  spec: {
    name: "reload",
    summary: "Watches the Corefile and reloads CoreDNS gracefully when its content changes.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [
      arg("INTERVAL", "duration", { optional: true, default: "30s", help: "How often to check the Corefile (minimum 2s)." }),
      arg("JITTER", "duration", { optional: true, default: "15s", help: "Random spread added to the interval (0, or at least 1s; capped at half the interval)." }),
    ],
    options: [],
    block: "none",
    syntax: "reload [INTERVAL] [JITTER]",
    versions: { added: "1.1.0" },
    notes: ["reload is process-wide: one occurrence in any server block enables it for the whole Corefile."],
  },
  validate(d, r) {
    d.next();
    const args = d.remainingArgTokens();
    if (args.length > 2) tooMany(r, args, 2, "reload takes at most INTERVAL and JITTER", Reporter.argErrText(args[0]!));
    else {
      let interval = 30 * SECOND;
      const i = args[0];
      if (i) {
        const v = duration(r, i, "the reload interval");
        if (v !== undefined) interval = v;
        else interval = NaN;
      }
      if (!Number.isNaN(interval) && interval < 2 * SECOND) {
        r.invalid(i ?? d.token(), "The reload interval must be at least 2s.", "interval value must be greater or equal to 2s");
      }
      const j = args[1];
      if (j && !Number.isNaN(interval)) {
        const v = duration(r, j, "the reload jitter");
        if (v !== undefined && v !== 0 && v < SECOND)
          r.invalid(j, "The jitter must be 0 or at least 1s.", "jitter value must be 0 or greater or equal to 1s");
      }
    }
    reportUnread(d, r, "reload");
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const bind: PluginDefinition = {
  spec: {
    name: "bind",
    summary: "Restricts the server block's listeners to the given IP addresses or network interfaces (default: all addresses).",
    group: "operations",
    repeatable: true,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [arg("ADDRESS|IFACE", "ip-or-interface", { variadic: true, help: "IP addresses or interface names to listen on." })],
    options: [
      opt("except", [arg("ADDRESS|IFACE", "ip-or-interface", { variadic: true })], "Leave out these addresses or interfaces (for example one address of an interface listed above).", {
        versions: { added: "1.8.4" },
      }),
    ],
    block: "optional",
    syntax: "bind ADDRESS|IFACE... { except ADDRESS|IFACE... }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    const checkAddr = (t: Token): void => {
      if (isIP(t.text)) return;
      // Interface names exist only on the machine, so any name Linux would accept is allowed: 1-15 characters,
      // no '/', ':' or white space. Something that starts like an IP address is reported as a bad address.
      const ipLike = /^[0-9.]+$|^[0-9]+\.[0-9]+\./.test(t.text) || t.text.includes(":");
      if (!ipLike && t.text.length <= 15 && t.text !== "." && t.text !== ".." && !/[/:\s]/.test(t.text)) return;
      r.invalid(
        t,
        ipLike
          ? `'${t.text}' is not a valid IP address.`
          : `'${t.text}' is neither an IP address nor a possible interface name (interface names have at most 15 characters).`,
        `not a valid IP address or interface name: ${JSON.stringify(t.text)}`,
      );
    };
    while (d.next()) {
      const name = d.token();
      const addrs = d.remainingArgTokens();
      if (addrs.length === 0) {
        r.argCountMsg(name, "bind needs at least one IP address or interface name, e.g. `bind 127.0.0.1` or `bind eth0`.", "at least one address or interface name is expected");
      }
      addrs.forEach(checkAddr);
      eachOption(d, (o) => {
        if (o.text !== "except") {
          r.unknownOption(o, `invalid option ${JSON.stringify(o.text)}`);
          d.remainingArgTokens();
          return;
        }
        r.optionVersion(o);
        const ex = d.remainingArgTokens();
        if (ex.length === 0)
          r.argCountMsg(o, "`except` needs at least one address or interface.", "at least one address or interface must be given to except subdirective");
        ex.forEach(checkAddr);
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const shed: PluginDefinition = {
  spec: {
    name: "shed",
    summary: "Protects UDP listeners from overload: one writer per socket with a bounded queue, and new queries are dropped silently while that queue is full.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [],
    block: "none",
    syntax: "shed",
    versions: { added: "1.14.7" },
    notes: [
      "Only valid in plain DNS server blocks (no tls://, grpc://, https:// or quic:// keys).",
      "It has no settings; TCP queries are not affected.",
    ],
  },
  validate(d, r, ctx) {
    let i = 0;
    let first: Token | undefined;
    while (d.next()) {
      const name = d.token();
      first ??= name;
      if (i++ > 0) {
        r.once(name);
        break;
      }
      const args = d.remainingArgTokens();
      if (args.length) r.noArgument(args[0]!, "shed", "", lastOf(args, name));
      if (d.nextBlock()) {
        r.error("PLUGIN_UNEXPECTED_BLOCK", d.token(), "shed takes no options.", "shed takes no options");
        while (d.nextBlock());
      }
    }
    if (first && ctx.serverBlockKeys) {
      for (const key of ctx.serverBlockKeys) {
        const { transport } = splitTransport(key);
        if (transport !== "dns") {
          r.error(
            "PLUGIN_INVALID_CONTEXT",
            first,
            `shed only works in plain DNS server blocks, but '${key}' uses ${transport}. Move shed to a dns:// (or scheme-less) server block.`,
            `only plain DNS server blocks are supported; ${JSON.stringify(key)} uses transport ${JSON.stringify(transport)}`,
          );
          break;
        }
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const loop: PluginDefinition = {
  spec: {
    name: "loop",
    summary: "Detects forwarding loops at startup (a query to itself coming back) and stops CoreDNS instead of looping forever.",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [],
    block: "none",
    syntax: "loop",
    versions: { added: "1.2.1" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      if (d.nextArg()) {
        const t = d.token();
        r.noArgument(t, "loop");
        d.remainingArgTokens();
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const erratic: PluginDefinition = {
  spec: {
    name: "erratic",
    summary: "Testing aid: answers A and AAAA queries with fixed documentation addresses while deliberately dropping, delaying or truncating some responses.",
    group: "operations",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [
      opt("drop", [arg("AMOUNT", "integer", { optional: true, min: 0, default: "2" })], "Drop one in every AMOUNT queries (no reply)."),
      opt("truncate", [arg("AMOUNT", "integer", { optional: true, min: 0, default: "2" })], "Set the truncated bit on one in every AMOUNT responses."),
      opt(
        "delay",
        [arg("AMOUNT", "integer", { optional: true, min: 0, default: "2" }), arg("DURATION", "duration", { optional: true, default: "100ms" })],
        "Delay one in every AMOUNT responses by DURATION.",
      ),
      opt("large", [], "Add many records so the response no longer fits in a UDP packet.", { versions: { added: "1.2.5" } }),
    ],
    block: "optional",
    syntax: "erratic { drop [N]; truncate [N]; delay [N [DURATION]]; large }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    const amount = (t: Token): void => {
      const p = parseInt64(t.text, 10, 32);
      if (!p.ok) r.invalid(t, `The amount must be a whole number; '${t.text}' is not.`, p.error);
      else if (p.value < 0) r.invalid(t, "The amount cannot be negative.", `illegal amount value given ${JSON.stringify(t.text)}`);
    };
    let seen = 0;
    while (d.next()) {
      repeatWarning(r, d.token(), "erratic", seen++);
      eachOption(d, (o) => {
        const v = o.text === "large" ? [] : d.remainingArgTokens();
        switch (o.text) {
          case "drop":
          case "truncate":
            if (v.length > 1) tooMany(r, v, 1, `\`${o.text}\` takes one optional AMOUNT`, Reporter.argErrText(lastOf(v, o)));
            else if (v[0]) amount(v[0]);
            break;
          case "delay":
            if (v.length > 2) tooMany(r, v, 2, "`delay` takes an optional AMOUNT and DURATION", Reporter.argErrText(lastOf(v, o)));
            else {
              if (v[0]) amount(v[0]);
              if (v[1]) duration(r, v[1], "the delay");
            }
            break;
          case "large":
            r.optionVersion(o);
            break;
          default:
            unknownProperty(r, o);
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

const ON_EVENTS = ["startup", "shutdown", "certrenew"];

/** A shell-like split check (github.com/google/shlex): unclosed quotes and a trailing escape fail. */
function shlexProblem(s: string): string | null {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === "\\") {
      if (i + 1 >= s.length) return "EOF found after escape character";
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
  }
  if (quote) return "EOF found when expecting closing quote";
  return null;
}

export const on: PluginDefinition = {
  spec: {
    name: "on",
    summary: "Runs an external command when CoreDNS starts up, shuts down or renews a certificate.",
    group: "operations",
    repeatable: true,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [
      arg("EVENT", "enum", { values: ON_EVENTS, help: "startup, shutdown or certrenew." }),
      arg("COMMAND", "string", { variadic: true, help: "The program to run and its arguments (shell-style quoting)." }),
    ],
    options: [],
    block: "none",
    syntax: "on startup|shutdown|certrenew COMMAND [ARGS...]",
    versions: { added: "1.0.5", note: "Replaced the separate startup and shutdown directives (removed in 1.1.1)." },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      if (!d.nextArg()) {
        r.argCount(name, "on needs an event (startup, shutdown or certrenew) and a command, e.g. `on startup /usr/bin/notify ready`.");
        continue;
      }
      const ev = d.token();
      if (!ON_EVENTS.includes(ev.text.toLowerCase())) {
        r.invalid(ev, `Unknown event '${ev.text}'; use startup, shutdown or certrenew.`, `Wrong event name or event not supported: '${ev.text}'`);
        d.remainingArgTokens();
        continue;
      }
      const cmd = d.remainingArgTokens();
      const joined = cmd.map((t) => t.text).join(" ");
      const problem = shlexProblem(joined);
      if (problem) r.invalid(cmd[0] ?? ev, `The command cannot be split into words: ${problem}.`, `error parsing command: ${problem}`, lastOf(cmd, ev));
      else if (joined.trim() === "") r.argCountMsg(ev, `on ${ev.text} needs a command to run.`, `no command contained in '${joined}'`);
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const view: PluginDefinition = {
  spec: {
    name: "view",
    summary: "Makes the server block answer only queries for which an expression is true (split-horizon DNS by client address, name, type...).",
    group: "operations",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("NAME", "string", { help: "Name of the view, used in metrics and exposed as metadata." })],
    options: [
      opt(
        "expr",
        [arg("EXPRESSION", "expression", { variadic: true })],
        "An expr-lang expression over the query (name(), type(), client_ip(), incidr(ip, cidr), metadata(label)...). Every `expr` must be true for the block to handle the query.",
        { repeatable: true },
      ),
    ],
    block: "optional",
    syntax: "view NAME { expr EXPRESSION }",
    versions: { added: "1.10.0" },
    notes: ["Server blocks for the same zone and port are tried top to bottom: put view blocks before the catch-all block."],
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (++i > 1) {
        r.once(name);
        while (d.nextBlock());
        continue;
      }
      const args = d.remainingArgTokens();
      if (args.length !== 1) {
        r.argCount(args[1] ?? name, "view needs exactly one NAME, e.g. `view internal { expr incidr(client_ip(), '10.0.0.0/8') }`.", lastOf(args, name));
      }
      eachOption(d, (o) => {
        if (o.text !== "expr") {
          r.unknownOption(o, `unknown property '${o.text}'`);
          d.remainingArgTokens();
          return;
        }
        const v = d.remainingArgTokens();
        const src = v.map((t) => t.text).join(" ");
        const c = checkExpr(src, COREDNS_EXPR_ENV, "view");
        if (!c.ok) r.invalid(v[0] ?? o, `This expression does not compile: ${c.error}.`, c.error, lastOf(v, o));
      });
    }
  },
};
