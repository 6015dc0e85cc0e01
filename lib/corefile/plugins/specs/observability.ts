/**
 * Observability directives: nsid, debug, trace, ready, health, pprof, prometheus, errors, log, dnstap.
 */
import type { Token } from "../../lexer";
import { checkGoRegexp } from "../goregexp";
import { atoi, byteLength, parseBool, parseDuration, parseFloat64, parseUint, splitHostPort } from "../go";
import {
  arg,
  duration,
  eachOption,
  lastOf,
  opt,
  tooMany,
  unknownProperty,
  type PluginDefinition,
  Reporter,
} from "./helpers";
import { repeatWarning, reportUnread } from "./operations";

/** `net.SplitHostPort` check used by health, ready, pprof and prometheus for their ADDRESS argument. */
function checkListenAddress(r: Reporter, t: Token, what: string, wrapped: boolean): void {
  const hp = splitHostPort(t.text);
  if (!hp.ok) {
    r.invalid(
      t,
      `'${t.text}' is not a listen address for ${what}: write HOST:PORT or :PORT, e.g. :8080 or 127.0.0.1:8080.`,
      wrapped ? hp.error : hp.error,
    );
  }
}

export const nsid: PluginDefinition = {
  spec: {
    name: "nsid",
    summary: "Adds an NSID (name server identifier, RFC 5001) to responses when the client asks for it, so you can tell which server answered.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("DATA", "string", { optional: true, variadic: true, default: "the host name", help: "The identifier to send; several words are joined with spaces." })],
    options: [],
    block: "none",
    syntax: "nsid [DATA]",
    versions: { added: "1.0.1" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      d.remainingArgTokens();
    }
  },
};

export const debug: PluginDefinition = {
  spec: {
    name: "debug",
    summary: "Turns on debug mode: panics are no longer recovered and plugins may log raw DNS messages.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [],
    options: [],
    block: "none",
    syntax: "debug",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0 && name.text === "debug") r.warning("PLUGIN_DUPLICATE", name, "debug is already enabled in this server block; remove the repeat.");
      if (d.nextArg()) {
        const t = d.token();
        r.noArgument(t, "debug", " (there is no `debug off`: remove the directive to turn debugging off)");
        d.remainingArgTokens();
      }
    }
  },
};

const TRACE_TYPES = ["zipkin", "datadog"];

export const trace: PluginDefinition = {
  spec: {
    name: "trace",
    summary: "Records an OpenTracing span for each query (or a sample of them) and sends it to a Zipkin or Datadog collector.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("ENDPOINT-TYPE", "enum", { optional: true, values: TRACE_TYPES, default: "zipkin" }),
      arg("ENDPOINT", "string", { optional: true, default: "localhost:9411 (zipkin) / localhost:8126 (datadog)", help: "Collector address; for Zipkin a bare host:port becomes http://HOST:PORT/api/v2/spans." }),
    ],
    options: [
      opt("every", [arg("AMOUNT", "integer", { min: 0 })], "Trace one query out of every AMOUNT.", { default: "1" }),
      opt("service", [arg("NAME", "string")], "Service name reported to the collector.", { default: "coredns" }),
      opt("client_server", [arg("BOOL", "boolean", { optional: true, default: "true" })], "Report client and server spans as one span (ClientServerSameSpan)."),
      opt("datadog_analytics_rate", [arg("RATE", "number", { optional: true, min: 0, max: 1 })], "Datadog only: fraction of traces (0 to 1) sent to trace analytics.", {
        versions: { added: "1.8.0" },
      }),
      opt("zipkin_max_backlog_size", [arg("SIZE", "integer")], "Zipkin reporter: spans kept before the oldest are dropped.", { default: "1000", versions: { added: "1.9.4" } }),
      opt("zipkin_max_batch_size", [arg("SIZE", "integer")], "Zipkin reporter: spans per batch sent to the collector.", { default: "100", versions: { added: "1.9.4" } }),
      opt("zipkin_max_batch_interval", [arg("DURATION", "duration")], "Zipkin reporter: longest time spans are buffered before they are sent.", {
        default: "1s",
        versions: { added: "1.9.4" },
      }),
    ],
    block: "optional",
    syntax: "trace [zipkin|datadog] [ENDPOINT] { every N; service NAME; client_server; ... }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      repeatWarning(r, name, "trace", seen++);
      const args = d.remainingArgTokens();
      if (args.length > 2) tooMany(r, args, 2, "trace takes at most ENDPOINT-TYPE and ENDPOINT", Reporter.argErrText(lastOf(args, name)));
      else if (args.length === 2 && !TRACE_TYPES.includes(args[0]!.text.toLowerCase())) {
        r.invalid(args[0]!, `Unknown tracing endpoint type '${args[0]!.text}'; use zipkin or datadog.`, `tracing endpoint type '${args[0]!.text.toLowerCase()}' is not supported`);
      }
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        const one = (): Token | undefined => {
          if (v.length !== 1) {
            r.argCount(v[1] ?? o, `\`${o.text}\` takes exactly one value.`);
            return undefined;
          }
          return v[0];
        };
        r.optionVersion(o);
        switch (o.text) {
          case "every": {
            const t = one();
            if (t) {
              const p = parseUint(t.text, 10, 64);
              if (!p.ok) r.invalid(t, "`every` must be a whole number.", p.error);
            }
            break;
          }
          case "service":
            one();
            break;
          case "client_server":
            if (v.length > 1) tooMany(r, v, 1, "`client_server` takes one optional true/false", Reporter.argErrText(lastOf(v, o)));
            else if (v[0]) {
              const b = parseBool(v[0].text);
              if (!b.ok) r.invalid(v[0], "`client_server` takes true or false.", b.error);
            }
            break;
          case "datadog_analytics_rate":
            if (v.length > 1) tooMany(r, v, 1, "`datadog_analytics_rate` takes one RATE", Reporter.argErrText(lastOf(v, o)));
            else if (v[0]) {
              const p = parseFloat64(v[0].text, 64);
              if (!p.ok) r.invalid(v[0], "The rate must be a number between 0 and 1.", p.error);
              else if (p.value > 1 || p.value < 0)
                r.invalid(v[0], "The rate must be between 0 and 1.", `datadog analytics rate must be between 0 and 1, '${p.value.toFixed(6)}' is not supported`);
            }
            break;
          case "zipkin_max_backlog_size":
          case "zipkin_max_batch_size": {
            const t = one();
            const n = t ? atoi(t.text) : undefined;
            if (t && n && !n.ok) r.invalid(t, `\`${o.text}\` must be a whole number.`, n.error);
            break;
          }
          case "zipkin_max_batch_interval": {
            const t = one();
            if (t) duration(r, t, "zipkin_max_batch_interval");
            break;
          }
          default:
            unknownProperty(r, o);
        }
      });
    }
  },
};

export const ready: PluginDefinition = {
  spec: {
    name: "ready",
    summary: "Serves an HTTP readiness endpoint (/ready) that returns 200 once every plugin that reports readiness is ready.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [arg("ADDRESS", "hostport", { optional: true, default: ":8181" })],
    options: [
      opt(
        "monitor",
        [arg("MODE", "enum", { values: ["until-ready", "continuously"] })],
        "until-ready stops checking a plugin once it was ready; continuously keeps checking, so readiness can drop again.",
        { default: "until-ready", versions: { added: "1.12.2" } },
      ),
    ],
    block: "optional",
    syntax: "ready [ADDRESS] { monitor until-ready|continuously }",
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
      const args = d.remainingArgTokens();
      if (args.length > 1) tooMany(r, args, 1, "ready takes one optional ADDRESS", Reporter.argErrText(lastOf(args, name)));
      else if (args[0]) checkListenAddress(r, args[0], "ready", false);
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        if (o.text !== "monitor") {
          unknownProperty(r, o);
          return;
        }
        r.optionVersion(o);
        if (v.length !== 1) r.argCount(v[1] ?? o, "`monitor` takes one mode: until-ready or continuously.");
        else if (v[0]!.text !== "until-ready" && v[0]!.text !== "continuously")
          r.invalid(v[0]!, "The monitor mode must be until-ready or continuously.", `monitor type '${v[0]!.text}' not supported`);
      });
    }
  },
};

export const health: PluginDefinition = {
  spec: {
    name: "health",
    summary: "Serves an HTTP liveness endpoint (/health) that returns 200 while the process is running.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [arg("ADDRESS", "hostport", { optional: true, default: ":8080" })],
    options: [
      opt("lameduck", [arg("DURATION", "duration")], "On shutdown, keep running for DURATION while /health still answers OK, so load balancers can drain traffic.", {
        versions: { added: "1.0.5" },
      }),
    ],
    block: "optional",
    syntax: "health [ADDRESS] { lameduck DURATION }",
    versions: { added: "1.0.0" },
    notes: ["The endpoint is process-wide; enable it in one server block only (or use different ports)."],
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0 && name.text === "health") r.overridingRepeat(name);
      const args = d.remainingArgTokens();
      if (args.length > 1) tooMany(r, args, 1, "health takes one optional ADDRESS", Reporter.argErrText(lastOf(args, name)));
      else if (args[0]) checkListenAddress(r, args[0], "health", false);
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        if (o.text !== "lameduck") {
          unknownProperty(r, o);
          return;
        }
        r.optionVersion(o);
        if (v.length !== 1) r.argCount(v[1] ?? o, "`lameduck` takes one DURATION, e.g. `lameduck 5s`.");
        else {
          const p = parseDuration(v[0]!.text);
          if (!p.ok)
            r.invalid(v[0]!, `'${v[0]!.text}' is not a duration; write e.g. 5s.`, `unable to parse lameduck duration value: '${v[0]!.text}' : ${p.error}`);
        }
      });
    }
  },
};

export const pprof: PluginDefinition = {
  spec: {
    name: "pprof",
    summary: "Serves Go runtime profiling data (/debug/pprof) over HTTP for performance investigations.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [arg("ADDRESS", "hostport", { optional: true, default: "localhost:6053" })],
    options: [opt("block", [arg("RATE", "integer", { optional: true, default: "1" })], "Also record blocking profiles, sampling one blocking event per RATE nanoseconds blocked.", { versions: { added: "1.5.0" } })],
    block: "optional",
    syntax: "pprof [ADDRESS] { block [RATE] }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      const args = d.remainingArgTokens();
      if (args.length === 1) checkListenAddress(r, args[0]!, "pprof", true);
      if (args.length > 1) tooMany(r, args, 1, "pprof takes one optional ADDRESS", Reporter.argErrText(lastOf(args, name)));
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        if (o.text !== "block") {
          unknownProperty(r, o);
          return;
        }
        r.optionVersion(o);
        if (v.length > 1) tooMany(r, v, 1, "`block` takes one optional RATE", Reporter.argErrText(lastOf(v, o)));
        else if (v[0] && !atoi(v[0].text).ok)
          r.invalid(v[0], "The block profile rate must be a whole number.", `property 'block' invalid integer value '${v[0].text}'`);
      });
    }
  },
};

export const prometheus: PluginDefinition = {
  spec: {
    name: "prometheus",
    summary: "Exposes CoreDNS and plugin metrics in Prometheus format on an HTTP endpoint (/metrics). Implemented by the metrics plugin.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("ADDRESS", "hostport", { optional: true, default: "localhost:9153" })],
    options: [
      opt("runtime_metrics", [], "Also export the full Go runtime/metrics set (CPU classes, scheduler latency...). Process-wide once enabled.", { versions: { added: "1.14.3" } }),
      opt("tls", [arg("CONFIG", "file")], "Serve the metrics over TLS using this TLS configuration file.", { versions: { added: "1.14.3" } }),
    ],
    block: "optional",
    syntax: "prometheus [ADDRESS] { runtime_metrics }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      const args = d.remainingArgTokens();
      if (args.length > 1) tooMany(r, args, 1, "prometheus takes one optional ADDRESS", Reporter.argErrText(lastOf(args, name)));
      else if (args[0]) checkListenAddress(r, args[0], "prometheus", false);
      let tlsSeen = false;
      eachOption(d, (o) => {
        switch (o.text) {
          case "runtime_metrics": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length) r.argCount(v[0]!, "`runtime_metrics` takes no arguments.", lastOf(v, o));
            break;
          }
          case "tls": {
            r.optionVersion(o);
            if (tlsSeen) r.error("OPTION_DUPLICATE", o, "`tls` is already set for prometheus.", "tls block already specified");
            tlsSeen = true;
            const v = d.remainingArgTokens();
            if (v.length !== 1) r.argCount(v[1] ?? o, "`tls` takes one TLS configuration file.");
            break;
          }
          default:
            r.unknownOption(o, `unknown option: ${o.text}`);
            d.remainingArgTokens();
        }
      });
    }
  },
};

const LOG_LEVELS = ["warning", "error", "info", "debug"];

export const errors: PluginDefinition = {
  spec: {
    name: "errors",
    summary: "Logs errors that plugins return while handling queries (to standard output), optionally consolidating repeated messages.",
    group: "observability",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("stdout", "enum", { optional: true, values: ["stdout"], help: "Only `stdout` is accepted (and is the default)." })],
    options: [
      opt("stacktrace", [], "Log a stack trace when a plugin panics and CoreDNS recovers.", { versions: { added: "1.9.3" } }),
      opt(
        "consolidate",
        [
          arg("DURATION", "duration"),
          arg("REGEXP", "regex", { help: "Errors matching this regular expression (at most 10000 characters) are counted instead of printed." }),
          arg("LEVEL", "enum", { optional: true, values: LOG_LEVELS, default: "error" }),
          arg("show_first", "enum", { optional: true, values: ["show_first"] }),
        ],
        "Count errors matching REGEXP for DURATION and log one summary line; `show_first` also logs the first occurrence immediately.",
        { repeatable: true, versions: { added: "1.9.3" } },
      ),
    ],
    block: "optional",
    syntax: "errors { stacktrace; consolidate DURATION REGEXP [LEVEL] [show_first] }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      const args = d.remainingArgTokens();
      if (args.length === 1 && args[0]!.text !== "stdout")
        r.invalid(args[0]!, `errors can only log to stdout; remove '${args[0]!.text}'.`, `invalid log file: ${args[0]!.text}`);
      else if (args.length > 1) tooMany(r, args, 1, "errors takes at most `stdout`", Reporter.argErrText(lastOf(args, name)));
      eachOption(d, (o) => {
        switch (o.text) {
          case "stacktrace":
            r.optionVersion(o);
            break;
          case "consolidate": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length < 2 || v.length > 4) {
              r.argCount(v[4] ?? lastOf(v, o), "`consolidate` takes DURATION REGEXP and optionally a log LEVEL and show_first.", lastOf(v, o));
              break;
            }
            const dur = parseDuration(v[0]!.text);
            if (!dur.ok) r.invalid(v[0]!, `'${v[0]!.text}' is not a duration; write e.g. 30s or 5m.`, dur.error);
            const re = v[1]!;
            if (byteLength(re.text) > 10000) r.invalid(re, "The regular expression is longer than 10000 characters.", `regex pattern too long: ${byteLength(re.text)} > 10000`);
            else {
              const c = checkGoRegexp(re.text);
              if (!c.ok) r.invalid(re, `Invalid regular expression: ${c.error}.`, c.error);
            }
            let level: Token | undefined;
            let showFirst = false;
            for (const t of v.slice(2)) {
              if (LOG_LEVELS.includes(t.text)) {
                if (level) r.invalid(t, "Only one log level can be given to consolidate.", "multiple log levels specified in consolidate");
                else if (showFirst) r.invalid(t, "Write the log level before show_first.", "log level must come before show_first in consolidate");
                level = t;
              } else if (t.text === "show_first") showFirst = true;
              else r.invalid(t, `Unknown consolidate option '${t.text}'; use one of ${LOG_LEVELS.join(", ")} or show_first.`, `unknown option in consolidate: ${t.text}`);
            }
            break;
          }
          default:
            r.unknownOption(o, `Syntax error: Unexpected token '${o.text}', expecting 'Unknown field ${o.text}'`);
            d.remainingArgTokens();
        }
      });
    }
  },
};

const LOG_CLASSES = ["all", "success", "denial", "error"];

export const log: PluginDefinition = {
  spec: {
    name: "log",
    summary: "Writes one line per query to standard output (common or custom format), optionally only for some names or response classes.",
    group: "observability",
    repeatable: true,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("NAMES", "domain", { optional: true, variadic: true, default: ".", help: "Only log queries for these names (and below)." }),
      arg("FORMAT", "string", { optional: true, default: "{common}", help: "Log line template with placeholders such as {remote} {type} {name} {rcode} {duration}; {common} and {combined} are shortcuts." }),
    ],
    options: [
      opt("class", [arg("CLASSES", "enum", { variadic: true, values: LOG_CLASSES })], "Only log responses of these classes: success, denial (NXDOMAIN/NODATA), error, or all.", {
        repeatable: true,
        default: "all",
      }),
    ],
    block: "optional",
    syntax: "log [NAMES...] [FORMAT] { class CLASSES... }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    while (d.next()) {
      d.remainingArgTokens();
      eachOption(d, (o) => {
        const v = d.remainingArgTokens();
        if (o.text !== "class") {
          unknownProperty(r, o);
          return;
        }
        if (v.length === 0) r.argCount(o, "`class` needs at least one of success, denial, error, all.");
        for (const t of v) {
          if (!LOG_CLASSES.includes(t.text)) r.invalid(t, `Unknown response class '${t.text}'; use success, denial, error or all.`, `invalid Class: ${t.text}`);
        }
      });
    }
  },
};

/** Go's url.Parse host check for `tcp://` and `tls://` dnstap endpoints (a port must be numeric). */
function dnstapURLProblem(endpoint: string): string | null {
  const m = /^[a-z]+:\/\/([^/?#]*)/.exec(endpoint);
  const host = m?.[1] ?? "";
  const at = host.lastIndexOf("@");
  const hp = at >= 0 ? host.slice(at + 1) : host;
  if (hp.startsWith("[")) {
    const end = hp.indexOf("]");
    if (end < 0) return "missing ']' in host";
    const after = hp.slice(end + 1);
    if (after !== "" && !/^:[0-9]*$/.test(after)) return `invalid port ${JSON.stringify(after)} after host`;
    return null;
  }
  const colon = hp.lastIndexOf(":");
  if (colon >= 0 && !/^[0-9]*$/.test(hp.slice(colon + 1))) return `invalid port ${JSON.stringify(hp.slice(colon))} after host`;
  if (/[\s%]/.test(hp)) return `invalid character in host name`;
  return null;
}

export const dnstap: PluginDefinition = {
  spec: {
    name: "dnstap",
    summary: "Streams every query and response in dnstap format to a collector (Unix socket, TCP or TLS), or serves the stream to connecting collectors.",
    group: "observability",
    repeatable: true,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("listen", "enum", { optional: true, values: ["listen"], help: "Accept connections from dnstap collectors instead of connecting to one.", default: "connect" }),
      arg("SOCKET", "string", { help: "unix:///path, /path, tcp://HOST:PORT or tls://HOST:PORT." }),
      arg("full", "enum", { optional: true, values: ["full"], help: "Include the wire-format DNS messages." }),
      arg("WRITEBUFFER", "integer", { optional: true, min: 1, max: 1024, help: "TCP write buffer, in MiB." }),
      arg("QUEUE", "integer", { optional: true, min: 1, max: 4096, help: "Queue size, in units of 10,000 messages." }),
    ],
    options: [
      opt("identity", [arg("IDENTITY", "string")], "Server identity written into each message.", { default: "the host name", versions: { added: "1.9.4" } }),
      opt("version", [arg("VERSION", "string")], "Version string written into each message.", { default: "CoreDNS-<version>", versions: { added: "1.9.4" } }),
      opt("extra", [arg("EXTRA", "string")], "Text for the `extra` field; metadata placeholders such as {/geoip/city/name} are filled in.", { versions: { added: "1.11.1" } }),
      opt("skipverify", [], "Do not verify the TLS certificate of the collector (or of connecting clients when listening).", { versions: { added: "1.11.0" } }),
      opt("tls", [arg("CERT", "file"), arg("KEY", "file"), arg("CA", "file", { optional: true })], "Listener only: serve the stream over TLS with this certificate and key (and CA to verify clients).", {
        versions: { added: "1.14.4" },
      }),
    ],
    block: "optional",
    syntax: "dnstap [listen] SOCKET [full] [WRITEBUFFER] [QUEUE] { identity ID; version V; extra E; skipverify; tls CERT KEY [CA] }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      let args = d.remainingArgTokens();
      if (args.length === 0) {
        r.argCount(name, "dnstap needs a SOCKET, e.g. `dnstap /tmp/dnstap.sock full` or `dnstap tcp://127.0.0.1:6000`.");
        while (d.nextBlock());
        continue;
      }
      let endpoint = args[0]!;
      const isListener = endpoint.text === "listen";
      if (isListener) {
        if (args.length < 2) {
          r.argCountMsg(endpoint, "dnstap listen needs the address to listen on, e.g. `dnstap listen tcp://127.0.0.1:6000`.", "dnstap listen requires an endpoint argument");
          while (d.nextBlock());
          continue;
        }
        endpoint = args[1]!;
        args = args.slice(1);
      }
      const num = (t: Token | undefined, max: number, what: string): void => {
        if (!t) return;
        const n = atoi(t.text);
        if (!n.ok) r.invalid(t, `${what} must be a whole number.`, `dnstap: invalid ${what} ${JSON.stringify(t.text)}: ${n.error}`);
        else if (n.value < 1 || n.value > max) r.invalid(t, `${what} must be between 1 and ${max}.`, `dnstap: ${what} must be between 1 and ${max}: ${n.value}`);
      };
      num(args[2], 1024, "MultipleTcpWriteBuf");
      num(args[3], 4096, "MultipleQueue");
      if (args[1] && args[1].text !== "full" && args.length === 2)
        r.warning("PLUGIN_SUSPICIOUS", args[1], `'${args[1].text}' is ignored; the only word accepted after the socket is 'full'.`);
      if (endpoint.text.startsWith("tls://") || endpoint.text.startsWith("tcp://")) {
        const p = dnstapURLProblem(endpoint.text);
        if (p) r.invalid(endpoint, `'${endpoint.text}' is not a valid address: ${p}.`, Reporter.argErrText(endpoint));
      }
      eachOption(d, (o) => {
        r.optionVersion(o);
        switch (o.text) {
          case "skipverify":
            break;
          case "tls": {
            const v = d.remainingArgTokens();
            if (!isListener) r.invalid(o, "`tls` is only valid with `dnstap listen`.", "tls directive only valid for listeners");
            else if (v.length < 2) r.argCountMsg(lastOf(v, o), "`tls` needs a CERT and a KEY file (and optionally a CA).", "tls requires cert and key file paths");
            break;
          }
          case "identity":
          case "version":
          case "extra":
            // CoreDNS reads one value; anything after it on the line is taken as the next option.
            if (!d.nextArg()) r.argCount(o, `\`${o.text}\` needs a value.`);
            break;
          default:
            unknownProperty(r, o);
            d.remainingArgTokens();
        }
      });
    }
  },
};

// Not a directive: re-exported for the catalog tests.
export { reportUnread };
