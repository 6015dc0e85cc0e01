/**
 * Forwarding directives: forward and grpc.
 */
import type { Token } from "../../lexer";
import { classifyUpstream, normalizeExact, splitTransport } from "../coredns";
import type { Dispenser } from "../dispenser";
import { atoi, isDomainName, isIP, parseDuration, parseUint, rcodeOf, splitHostPort } from "../go";
import {
  arg,
  checkFallthrough,
  checkTLSArgs,
  eachOption,
  fallthroughOption,
  lastOf,
  opt,
  unknownProperty,
  type PluginDefinition,
  Reporter,
} from "./helpers";

const POLICIES = ["random", "round_robin", "sequential"];
const MAX_UPSTREAMS = 15;

/** forward's `splitZone`: the TLS server name written as `tls://IP%NAME[:PORT]`. */
function tlsServerNameOf(h: string): string {
  const sep = h.indexOf("://");
  const host = sep >= 0 ? h.slice(sep + 3) : h;
  const pct = host.lastIndexOf("%");
  if (pct < 0) return "";
  let zone = host.slice(pct + 1);
  const colon = zone.lastIndexOf(":");
  if (colon >= 0) zone = zone.slice(0, colon).replace(/\]$/, "");
  return zone;
}

/** Checks one FROM argument (the zone to forward). Returns false on error. */
function checkFrom(r: Reporter, t: Token): void {
  const zones = normalizeExact(t.text);
  if (zones.length === 0) {
    r.invalid(t, `'${t.text}' is not a valid zone to forward; write a domain such as . or example.org, or a CIDR.`, `unable to normalize '${t.text}'`);
  } else if (zones.length > 1) {
    r.warning("PLUGIN_SUSPICIOUS", t, `'${t.text}' expands to ${zones.length} reverse zones but only the first (${zones[0]}) is forwarded. Use a prefix on an octet boundary (e.g. /16 or /24).`);
  }
}

function healthCheck(d: Dispenser, r: Reporter, o: Token): void {
  if (!d.nextArg()) {
    r.argCount(o, "`health_check` needs an interval such as 0.5s, optionally followed by no_rec and domain NAME.");
    return;
  }
  const t = d.token();
  const p = parseDuration(t.text);
  if (!p.ok) {
    r.invalid(t, `'${t.text}' is not a duration; the first value of health_check is the interval, e.g. 0.5s.`, p.error);
    d.remainingArgTokens();
    return;
  }
  if (p.value < 0) r.invalid(t, "The health check interval cannot be negative.", `health_check can't be negative: ${p.value}`);
  while (d.nextArg()) {
    const x = d.token();
    if (x.text === "no_rec") continue;
    if (x.text === "domain") {
      if (!d.nextArg()) {
        r.argCount(x, "`domain` needs the name to query in health checks, e.g. `domain example.org`.");
        return;
      }
      const dn = d.token();
      if (!isDomainName(dn.text)) r.invalid(dn, `'${dn.text}' is not a valid domain name.`, `health_check: invalid domain name ${dn.text}`);
      continue;
    }
    r.invalid(x, `Unknown health_check option '${x.text}'; use no_rec or domain NAME.`, `health_check: unknown option ${x.text}`);
    d.remainingArgTokens();
    return;
  }
}

function rcodes(r: Reporter, o: Token, v: readonly Token[], failover: boolean): void {
  if (v.length === 0) {
    r.argCount(o, `\`${o.text}\` needs at least one response code such as SERVFAIL.`);
    return;
  }
  for (const t of v) {
    const rc = rcodeOf(t.text.toUpperCase());
    if (rc === undefined) {
      r.invalid(t, `'${t.text}' is not a response code; use NXDOMAIN, SERVFAIL, REFUSED...`, `${t.text} is not a valid rcode`);
      return;
    }
    if (failover && rc === 0) {
      r.invalid(t, "NOERROR cannot trigger a failover.", "NoError cannot be used in failover");
      return;
    }
  }
}

export const forward: PluginDefinition = {
  spec: {
    name: "forward",
    summary: "Sends queries to upstream resolvers over DNS, DNS-over-TLS or DNS-over-HTTPS, with health checks and connection reuse.",
    group: "forwarding",
    repeatable: true,
    canAnswer: true,
    canFallthrough: false,
    forwards: true,
    args: [
      arg("FROM", "zones", { help: "Domain whose queries are forwarded (`.` for everything)." }),
      arg("TO", "upstream", {
        variadic: true,
        help: "Up to 15 upstreams: IP[:PORT], tls://IP[%SERVERNAME][:PORT], https://IP, a resolv.conf-style file such as /etc/resolv.conf, or a host name resolved at startup.",
      }),
    ],
    options: [
      opt("except", [arg("NAMES", "domain", { variadic: true })], "Do not forward these names (and below); they go to the next plugin."),
      opt("force_tcp", [], "Talk to upstreams over TCP even when the client used UDP."),
      opt("prefer_udp", [], "Try UDP first even when the client used TCP (retry over TCP when truncated).", { versions: { added: "1.2.0" } }),
      opt("expire", [arg("DURATION", "duration")], "Close cached upstream connections after this idle time.", { default: "10s" }),
      opt("max_age", [arg("DURATION", "duration")], "Close upstream connections older than this, even when busy (0 = never). Must not be less than `expire`.", {
        default: "0",
        versions: { added: "1.14.3" },
      }),
      opt("max_idle_conns", [arg("N", "integer", { min: 0 })], "Idle connections kept per upstream (0 = unlimited).", { default: "0", versions: { added: "1.14.1" } }),
      opt("read_timeout", [arg("DURATION", "duration")], "How long to wait for each upstream's answer.", { default: "2s", versions: { added: "1.14.5" } }),
      opt("max_fails", [arg("N", "integer", { min: 0 })], "Consecutive failed health checks before an upstream is considered down (0 = never).", { default: "2" }),
      opt("max_connect_attempts", [arg("N", "integer", { min: 0 })], "Cap on upstream connection attempts per query (0 = no cap).", { default: "2 × upstreams", versions: { added: "1.13.2" } }),
      opt("doh_method", [arg("METHOD", "enum", { values: ["GET", "POST"] })], "HTTP method for DNS-over-HTTPS upstreams.", { default: "POST", versions: { added: "1.14.5" } }),
      opt("tls", [arg("CERT", "file", { optional: true }), arg("KEY", "file", { optional: true }), arg("CA", "file", { optional: true })], "TLS settings for tls:// and https:// upstreams: nothing (system CAs), CA, CERT KEY, or CERT KEY CA."),
      opt("tls_servername", [arg("NAME", "domain")], "Server name checked in the upstream's TLS certificate (e.g. dns.quad9.net). Strongly recommended with tls://."),
      opt("policy", [arg("POLICY", "enum", { values: POLICIES })], "How to pick an upstream: random, round_robin or sequential.", { default: "random" }),
      opt(
        "health_check",
        [arg("DURATION", "duration"), arg("no_rec", "enum", { optional: true, values: ["no_rec"] }), arg("domain FQDN", "domain", { optional: true })],
        "Health-check interval; `no_rec` clears the RD bit of the probe; `domain NAME` changes the probed name (default `.`).",
        { default: "0.5s" },
      ),
      opt("max_concurrent", [arg("MAX", "integer", { min: 0 })], "Refuse queries beyond MAX in flight (each costs about 2 KB of memory).", { versions: { added: "1.6.8" } }),
      opt("next", [arg("RCODE", "rcode", { variadic: true })], "When an upstream answers with one of these codes, try the next forward plugin instead.", { versions: { added: "1.11.4" } }),
      opt("next_on_nodata", [], "Also go to the next forward plugin when the answer is NOERROR but empty.", { versions: { added: "1.14.4" } }),
      opt("failfast_all_unhealthy_upstreams", [], "Answer SERVFAIL at once when every upstream is down, instead of trying one anyway.", { versions: { added: "1.12.1" } }),
      opt("failover", [arg("RCODE", "rcode", { variadic: true })], "Try the next upstream when one answers with these codes (not NOERROR).", { versions: { added: "1.13.0" } }),
      opt("source_address", [arg("IP", "ip")], "Local address used for all upstream queries and health checks.", { versions: { added: "1.14.6" } }),
      opt("resolver", [arg("IP[:PORT]", "hostport", { variadic: true })], "Resolvers used at startup to look up host-name upstreams (default: the system resolver).", { versions: { added: "1.14.4" } }),
    ],
    block: "optional",
    syntax: "forward FROM TO... { except NAMES...; force_tcp; prefer_udp; expire D; max_fails N; tls [CERT KEY CA]; tls_servername NAME; policy P; health_check D; max_concurrent N; ... }",
    versions: { added: "1.0.5" },
    notes: ["Several forward directives in one server block are chained: `next` rcodes pass a query from one to the next."],
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      if (!d.nextArg()) {
        r.argCount(name, "forward needs FROM and at least one TO, e.g. `forward . 8.8.8.8 1.1.1.1`.");
        continue;
      }
      const from = d.token();
      checkFrom(r, from);
      const to = d.remainingArgTokens();
      if (to.length === 0) {
        r.argCount(from, "forward needs at least one upstream after FROM, e.g. `forward . 8.8.8.8` or `forward . /etc/resolv.conf`.");
        while (d.nextBlock());
        continue;
      }
      let tlsServerName: Token | undefined;
      let expire = 10e9;
      let maxAge: { v: number; tok: Token } | undefined;
      eachOption(d, (o) => {
        r.optionVersion(o);
        switch (o.text) {
          case "except": {
            const v = d.remainingArgTokens();
            if (v.length === 0) r.argCount(o, "`except` needs at least one domain name.");
            break;
          }
          case "max_fails":
          case "max_connect_attempts": {
            if (!d.nextArg()) {
              r.argCount(o, `\`${o.text}\` needs a number.`);
              break;
            }
            const p = parseUint(d.val(), 10, 32);
            if (!p.ok) r.invalid(d.token(), `\`${o.text}\` must be a whole number of 0 or more.`, p.error);
            break;
          }
          case "health_check":
            healthCheck(d, r, o);
            break;
          case "force_tcp":
          case "prefer_udp":
          case "next_on_nodata":
            if (d.nextArg()) r.argCount(d.token(), `\`${o.text}\` takes no arguments.`, lastOf(d.remainingArgTokens(), d.token()));
            break;
          case "failfast_all_unhealthy_upstreams": {
            const v = d.remainingArgTokens();
            if (v.length) r.argCount(v[0]!, `\`${o.text}\` takes no arguments.`, lastOf(v, o));
            break;
          }
          case "tls":
            checkTLSArgs(r, o, d.remainingArgTokens());
            break;
          case "tls_servername":
            if (!d.nextArg()) r.argCount(o, "`tls_servername` needs the name in the upstream's certificate, e.g. dns.quad9.net.");
            else tlsServerName = d.token();
            break;
          case "expire":
          case "max_age":
          case "read_timeout": {
            if (!d.nextArg()) {
              r.argCount(o, `\`${o.text}\` needs a duration such as 10s.`);
              break;
            }
            const t = d.token();
            const p = parseDuration(t.text);
            if (!p.ok) {
              r.invalid(t, `'${t.text}' is not a duration; write e.g. 10s.`, p.error);
              break;
            }
            if (o.text === "read_timeout") {
              if (p.value <= 0) r.invalid(t, "read_timeout must be positive.", `read_timeout must be positive: ${t.text}`);
            } else if (p.value < 0) r.invalid(t, `${o.text} cannot be negative.`, `${o.text} can't be negative: ${t.text}`);
            else if (o.text === "expire") expire = p.value;
            else maxAge = { v: p.value, tok: t };
            break;
          }
          case "max_idle_conns":
          case "max_concurrent": {
            if (!d.nextArg()) {
              r.argCount(o, `\`${o.text}\` needs a number.`);
              break;
            }
            const n = atoi(d.val());
            if (!n.ok) r.invalid(d.token(), `\`${o.text}\` must be a whole number.`, n.error);
            else if (n.value < 0) r.invalid(d.token(), `\`${o.text}\` cannot be negative.`, `${o.text} can't be negative: ${n.value}`);
            break;
          }
          case "doh_method":
            if (!d.nextArg()) r.argCount(o, "`doh_method` needs GET or POST.");
            else if (d.val() !== "GET" && d.val() !== "POST") r.invalid(d.token(), "`doh_method` must be GET or POST (upper case).", "doh_method must be either POST or GET");
            break;
          case "policy":
            if (!d.nextArg()) r.argCount(o, "`policy` needs random, round_robin or sequential.");
            else if (!POLICIES.includes(d.val())) r.invalid(d.token(), `Unknown policy '${d.val()}'; use random, round_robin or sequential.`, `unknown policy '${d.val()}'`);
            break;
          case "next":
            rcodes(r, o, d.remainingArgTokens(), false);
            break;
          case "failover":
            rcodes(r, o, d.remainingArgTokens(), true);
            break;
          case "resolver": {
            const v = d.remainingArgTokens();
            if (v.length === 0) r.argCount(o, "`resolver` needs at least one IP address (optionally with :port).");
            for (const t of v) {
              const hp = splitHostPort(t.text);
              const host = hp.ok ? hp.value.host : t.text;
              if (!isIP(host)) r.invalid(t, `'${t.text}' must be an IP address or IP:port.`, `resolver must be an IP address or IP:port: ${JSON.stringify(t.text)}`);
            }
            break;
          }
          case "source_address":
            if (!d.nextArg()) r.argCount(o, "`source_address` needs a local IP address.");
            else if (!isIP(d.val())) r.invalid(d.token(), `'${d.val()}' is not an IP address.`, `invalid IP address: ${d.val()}`);
            break;
          default:
            unknownProperty(r, o);
        }
      });
      if (maxAge && maxAge.v > 0 && maxAge.v < expire) {
        r.invalid(maxAge.tok, "max_age must not be shorter than expire (10s unless set); raise max_age or lower expire.", `max_age (${maxAge.tok.text}) must not be less than expire`);
      }
      if (to.length > MAX_UPSTREAMS) {
        r.error("PLUGIN_WRONG_ARG_COUNT", to[MAX_UPSTREAMS]!, `forward accepts at most ${MAX_UPSTREAMS} upstreams; this line has ${to.length}.`, `more than ${MAX_UPSTREAMS} TOs configured: ${to.length}`, lastOf(to, name));
      }
      for (const t of to) {
        const { transport, rest } = splitTransport(t.text);
        if (transport === "https" && rest.includes("/")) {
          r.invalid(t, "DoH upstreams are written without a path (CoreDNS always uses /dns-query): remove the path.", `paths are not allowed in HTTPS upstream addresses (the /dns-query path is used by default): ${t.text}`);
          continue;
        }
        const u = classifyUpstream(t.text);
        if (u.kind === "invalid") {
          r.invalid(t, `'${t.text}' is not a valid upstream.`, u.error);
          continue;
        }
        if (u.kind === "file-or-host") {
          if (transport === "dns" && (u.host.includes("/") || !u.host.includes("."))) continue; // a file
          const h = splitHostPort(u.host);
          const hostname = (h.ok ? h.value.host : u.host).replace(/^\[|\]$/g, "");
          if (!(transport === "dns" || transport === "tls" || transport === "https") || !isDomainName(hostname) || hostname === "") {
            if (!(transport === "dns" || transport === "tls" || transport === "https"))
              r.invalid(t, `forward only sends to dns://, tls:// or https:// upstreams; '${transport}' is not supported.`, `'${transport}' is not supported as a destination protocol in forward: ${t.text}`);
            else r.invalid(t, `'${t.text}' is neither an IP address, a file nor a valid host name.`, `not an IP address, file, or valid domain: ${JSON.stringify(t.text)}`);
          }
          continue;
        }
        if (transport !== "dns" && transport !== "tls" && transport !== "https") {
          r.invalid(t, `forward only sends to dns://, tls:// or https:// upstreams; '${transport}' is not supported (use the grpc plugin for grpc://).`, `'${transport}' is not supported as a destination protocol in forward: ${t.text}`);
          continue;
        }
        if (transport === "tls" && tlsServerName) {
          const sn = tlsServerNameOf(t.text);
          if (sn !== "")
            r.error(
              "PLUGIN_CONFLICT",
              tlsServerName,
              `The server name is given both here and in '${t.text}' (%${sn}); keep only one of them.`,
              `both forward ('${tlsServerName.text}') and proxy level ('${sn}') TLS servernames are set for upstream proxy '${t.text}'`,
            );
        }
      }
    }
  },
};

export const grpc: PluginDefinition = {
  spec: {
    name: "grpc",
    summary: "Sends queries to upstream servers over gRPC (the DNS-over-gRPC protocol CoreDNS itself can serve).",
    group: "forwarding",
    repeatable: false,
    canAnswer: true,
    canFallthrough: true,
    forwards: true,
    args: [
      arg("FROM", "zones", { help: "Domain whose queries are sent (`.` for everything)." }),
      arg("TO", "upstream", { variadic: true, help: "Up to 15 upstreams: IP[:PORT] (default port 443), unix:///path, or a resolv.conf-style file." }),
    ],
    options: [
      opt("except", [arg("NAMES", "domain", { variadic: true })], "Do not send these names (and below) upstream."),
      opt("tls", [arg("CERT", "file", { optional: true }), arg("KEY", "file", { optional: true }), arg("CA", "file", { optional: true })], "Use TLS to the upstreams: nothing (system CAs), CA, CERT KEY, or CERT KEY CA."),
      opt("tls_servername", [arg("NAME", "domain")], "Server name expected in the upstream's TLS certificate."),
      opt("policy", [arg("POLICY", "enum", { values: POLICIES })], "How to pick an upstream.", { default: "random" }),
      fallthroughOption({ versions: { added: "1.12.3" } }),
    ],
    block: "optional",
    syntax: "grpc FROM TO... { except NAMES...; tls [CERT KEY CA]; tls_servername NAME; policy P; fallthrough [ZONES...] }",
    versions: { added: "1.5.0" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      if (!d.nextArg()) {
        r.argCount(name, "grpc needs FROM and at least one TO, e.g. `grpc . 10.0.0.10:443`.");
        continue;
      }
      checkFrom(r, d.token());
      const to = d.remainingArgTokens();
      if (to.length === 0) {
        r.argCount(d.token(), "grpc needs at least one upstream after FROM.");
        while (d.nextBlock());
        continue;
      }
      for (const t of to) {
        const u = classifyUpstream(t.text);
        if (u.kind === "invalid") r.invalid(t, `'${t.text}' is not a valid upstream.`, u.error);
        else if (u.kind === "file-or-host" && !u.host.includes("/"))
          r.warning(
            "PLUGIN_SUSPICIOUS",
            t,
            `grpc does not resolve host names: '${t.text}' is read as a resolv.conf-style file and CoreDNS fails to start if it does not exist. Use an IP address.`,
          );
      }
      if (to.length > MAX_UPSTREAMS) {
        r.error("PLUGIN_WRONG_ARG_COUNT", to[MAX_UPSTREAMS]!, `grpc accepts at most ${MAX_UPSTREAMS} upstreams.`, `more than ${MAX_UPSTREAMS} TOs configured: ${to.length}`, lastOf(to, name));
      }
      eachOption(d, (o) => {
        r.optionVersion(o);
        switch (o.text) {
          case "except":
            if (d.remainingArgTokens().length === 0) r.argCount(o, "`except` needs at least one domain name.");
            break;
          case "tls":
            checkTLSArgs(r, o, d.remainingArgTokens());
            break;
          case "tls_servername":
            if (!d.nextArg()) r.argCount(o, "`tls_servername` needs a name.");
            break;
          case "policy":
            if (!d.nextArg()) r.argCount(o, "`policy` needs random, round_robin or sequential.");
            else if (!POLICIES.includes(d.val())) r.invalid(d.token(), `Unknown policy '${d.val()}'; use random, round_robin or sequential.`, `unknown policy '${d.val()}'`);
            break;
          case "fallthrough":
            checkFallthrough(r, d.remainingArgTokens());
            break;
          default:
            if (o.text !== "}") unknownProperty(r, o);
        }
      });
    }
  },
};
