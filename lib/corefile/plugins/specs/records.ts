/**
 * Directives that answer from local or cloud data: local, any, chaos, template, transfer, hosts, route53, azure,
 * clouddns, file, auto, secondary, etcd, whoami, nomad.
 */
import type { Token } from "../../lexer";
import { hostPortProblem, normalizeExact } from "../coredns";
import { COREDNS_EXPR_ENV, checkExpr, isExprBuiltin, isExprIdentifier, type EnvEntry } from "../exprlang";
import { checkGoRegexp } from "../goregexp";
import { checkGoTemplate } from "../gotemplate";
import { DNS_CLASS_SET, DNS_TYPE_SET, atoi, byteLength, isIP, parseDuration, parseUint, rcodeOf } from "../go";
import {
  arg,
  checkFallthrough,
  checkTLSArgs,
  checkZoneArgs,
  duration,
  eachOption,
  fallthroughOption,
  lastOf,
  opt,
  unknownProperty,
  type PluginDefinition,
  Reporter,
} from "./helpers";
import { repeatWarning, reportUnread } from "./operations";

const UPSTREAM_NOOP = opt("upstream", [arg("ADDRESS", "string", { optional: true, variadic: true })], "Has no effect: CoreDNS resolves out-of-zone names through itself. Kept so old Corefiles still load.", {
  versions: { deprecated: "1.4.0", note: "its arguments are ignored; CoreDNS always resolves through itself" },
});


// ---------------------------------------------------------------------------------------------------------------------

export const local: PluginDefinition = {
  spec: {
    name: "local",
    summary: "Answers queries for localhost names and the loopback reverse zones locally (RFC 6761) instead of sending them upstream.",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [
      opt(
        "localhost_prefix",
        [arg("MODE", "enum", { values: ["on", "off"] })],
        "`on` (default) also answers legacy `localhost.<domain>` names; `off` only treats names under `localhost.` as special, as RFC 6761 says.",
        { default: "on", versions: { added: "1.14.5" } },
      ),
    ],
    block: "optional",
    syntax: "local { localhost_prefix on|off }",
    versions: { added: "1.8.1" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      repeatWarning(r, name, "local", seen++);
      const args = d.remainingArgTokens();
      if (args.length) r.argCount(args[0]!, "local takes no arguments.", lastOf(args, name));
      eachOption(d, (o) => {
        if (o.text !== "localhost_prefix") {
          unknownProperty(r, o);
          return;
        }
        r.optionVersion(o);
        const v = d.remainingArgTokens();
        if (v.length !== 1) r.argCount(v[1] ?? o, "`localhost_prefix` takes on or off.");
        else if (v[0]!.text !== "on" && v[0]!.text !== "off")
          r.invalid(v[0]!, "`localhost_prefix` takes on or off.", `localhost_prefix expects 'on' or 'off', got ${JSON.stringify(v[0]!.text)}`);
        else if (v[0]!.text === "on")
          r.info("OPTION_DEPRECATED", v[0]!, "The legacy localhost.<domain> behaviour is deprecated; consider `localhost_prefix off`.");
      });
    }
  },
};

export const any: PluginDefinition = {
  spec: {
    name: "any",
    summary: "Answers ANY queries with a short HINFO record (RFC 8482) instead of every record of the name.",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [],
    block: "none",
    syntax: "any",
    versions: { added: "1.5.1" },
  },
  validate(d, r) {
    d.next();
    const name = d.token();
    if (d.nextArg()) {
      const t = d.token();
      r.noArgument(t, "any", "", lastOf(d.remainingArgTokens(), t));
      reportUnread(d, r, name.text);
      return;
    }
    if (d.nextBlock()) {
      r.unknownOption(d.token(), `unknown property '${d.val()}'`);
      while (d.nextBlock());
    }
    reportUnread(d, r, name.text);
  },
};

export const chaos: PluginDefinition = {
  spec: {
    name: "chaos",
    summary: "Answers CH-class TXT queries such as version.bind, authors.bind and hostname.bind.",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("VERSION", "string", { optional: true, default: "CoreDNS-<version>" }),
      arg("AUTHORS", "string", { optional: true, variadic: true, help: "Names returned for authors.bind." }),
    ],
    options: [],
    block: "none",
    syntax: "chaos [VERSION] [AUTHORS...]",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    if (!d.next()) return;
    const name = d.token();
    d.remainingArgTokens();
    if (d.nextBlock()) {
      r.unknownOption(d.token(), `unknown property '${d.val()}'`);
      while (d.nextBlock());
    }
    reportUnread(d, r, name.text);
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// template

const TEMPLATE_ENV: Readonly<Record<string, EnvEntry>> = Object.freeze({ ...COREDNS_EXPR_ENV, group: { kind: "func", returns: "string" } });
const VAR_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const template: PluginDefinition = {
  spec: {
    name: "template",
    summary: "Builds answers from Go templates for queries whose name matches a regular expression (synthetic A/PTR records, NXDOMAIN for blocked names...).",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [
      arg("CLASS", "class", { help: "Query class to match (usually IN, or ANY for all)." }),
      arg("TYPE", "rrtype", { help: "Query type to match (A, AAAA, PTR..., or ANY for all)." }),
      arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones the template applies to; defaults to the server block's zones." }),
    ],
    options: [
      opt("match", [arg("REGEX", "regex", { variadic: true })], "Regular expressions tested against the query name; the first that matches wins. Without `match`, every name matches.", { repeatable: true }),
      opt("var", [arg("NAME", "string"), arg("EXPRESSION", "expression", { variadic: true })], "Evaluate EXPRESSION for each matching query and expose it to the templates as .Var.NAME; later vars and exprs may use it.", {
        repeatable: true,
        versions: { added: "1.14.8", note: "present in CoreDNS master after 1.14.7 (not in a release when this catalog was written)" },
      }),
      opt("expr", [arg("EXPRESSION", "expression", { variadic: true })], "A condition that must be true for the query to match (in addition to `match`).", {
        repeatable: true,
        versions: { added: "1.14.8", note: "present in CoreDNS master after 1.14.7 (not in a release when this catalog was written)" },
      }),
      opt("answer", [arg("RR", "template", { variadic: true })], "A record for the answer section, written as a zone-file line with Go template placeholders such as {{ .Name }} and {{ .Group.x }}.", { repeatable: true }),
      opt("additional", [arg("RR", "template", { variadic: true })], "A record for the additional section (Go template).", { repeatable: true }),
      opt("authority", [arg("RR", "template", { variadic: true })], "A record for the authority section (Go template), e.g. an SOA for negative answers.", { repeatable: true }),
      opt("rcode", [arg("CODE", "rcode")], "Response code of the reply (NOERROR, NXDOMAIN, SERVFAIL...).", { default: "NOERROR" }),
      opt("ederror", [arg("CODE", "integer", { min: 0, max: 65535 }), arg("REASON", "string", { optional: true })], "Attach an Extended DNS Error (RFC 8914) with this code and optional text.", {
        versions: { added: "1.10.1" },
      }),
      fallthroughOption(),
      UPSTREAM_NOOP,
    ],
    block: "optional",
    syntax: "template CLASS TYPE [ZONES...] { match REGEX...; answer RR; additional RR; authority RR; rcode CODE; fallthrough }",
    versions: { added: "1.0.3" },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      if (!d.nextArg()) {
        r.argCount(name, "template needs a CLASS and a TYPE, e.g. `template IN A example.org { ... }`.");
        while (d.nextBlock());
        continue;
      }
      const cls = d.token();
      if (!DNS_CLASS_SET.has(cls.text)) {
        r.invalid(cls, `'${cls.text}' is not a query class; use IN, CH, HS, CS, NONE or ANY (upper case).`, `invalid query class ${cls.text}`);
        d.remainingArgTokens();
        while (d.nextBlock());
        continue;
      }
      if (!d.nextArg()) {
        r.argCount(cls, "template needs a TYPE after the class, e.g. `template IN A`.");
        while (d.nextBlock());
        continue;
      }
      const typ = d.token();
      if (!DNS_TYPE_SET.has(typ.text)) {
        r.invalid(typ, `'${typ.text}' is not a record type; write it in upper case (A, AAAA, PTR, ANY...).`, `invalid RR class ${typ.text}`);
        d.remainingArgTokens();
        while (d.nextBlock());
        continue;
      }
      checkZoneArgs(r, d.remainingArgTokens());
      const env: Record<string, EnvEntry> = { ...TEMPLATE_ENV };
      let envKey = "template";
      eachOption(d, (o) => {
        switch (o.text) {
          case "match": {
            const v = d.remainingArgTokens();
            if (v.length === 0) r.argCount(o, "`match` needs at least one regular expression.");
            for (const t of v) {
              if (byteLength(t.text) > 10000) r.invalid(t, "The regular expression is longer than 10000 characters.", `regex pattern too long: ${byteLength(t.text)} > 10000`);
              else {
                const c = checkGoRegexp(t.text);
                if (!c.ok) r.invalid(t, `Invalid regular expression: ${c.error}.`, `could not parse regex: ${t.text}, ${c.error}`);
              }
            }
            break;
          }
          case "answer":
          case "additional":
          case "authority": {
            const v = d.remainingArgTokens();
            if (v.length === 0) r.argCount(o, `\`${o.text}\` needs a record, e.g. ${o.text} "{{ .Name }} 60 IN A 10.0.0.1".`);
            for (const t of v) {
              const c = checkGoTemplate(t.text, o.text);
              if (!c.ok) r.invalid(t, `This template does not parse: ${c.error}.`, `could not compile template: ${t.text}, ${c.error}`);
            }
            break;
          }
          case "var": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length < 2) {
              r.argCount(lastOf(v, o), "`var` needs a NAME and an EXPRESSION, e.g. `var n int(group('n'))`.");
              break;
            }
            const vn = v[0]!;
            if (!VAR_NAME.test(vn.text)) {
              r.invalid(vn, "Variable names start with a letter or _ and contain only letters, digits and _.", `invalid variable name ${JSON.stringify(vn.text)}`);
              break;
            }
            if (Object.hasOwn(env, vn.text) || isExprBuiltin(vn.text) || !isExprIdentifier(vn.text)) {
              r.invalid(vn, `'${vn.text}' is already a function, keyword or variable name; pick another name.`, `variable name ${JSON.stringify(vn.text)} is reserved`);
              break;
            }
            const src = v.slice(1).map((t) => t.text).join(" ");
            const c = checkExpr(src, env, envKey);
            if (!c.ok) {
              r.invalid(v[1]!, `The expression does not compile: ${c.error}.`, `could not compile expression: ${vn.text}, ${c.error}`, lastOf(v, vn));
              break;
            }
            env[vn.text] = { kind: "value", type: c.type === "nil" || c.type === "func" ? "any" : c.type };
            envKey += `|${vn.text}:${c.type}`;
            break;
          }
          case "expr": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length === 0) {
              r.argCount(o, "`expr` needs an expression, e.g. `expr type() == 'A'`.");
              break;
            }
            const c = checkExpr(v.map((t) => t.text).join(" "), env, envKey);
            if (!c.ok) r.invalid(v[0]!, `The expression does not compile: ${c.error}.`, `could not compile expression: ${c.error}`, lastOf(v, o));
            break;
          }
          case "rcode": {
            if (!d.nextArg()) {
              r.argCount(o, "`rcode` needs a response code such as NXDOMAIN.");
              break;
            }
            const t = d.token();
            if (rcodeOf(t.text) === undefined) r.invalid(t, `Unknown response code '${t.text}'; use NOERROR, NXDOMAIN, SERVFAIL, REFUSED... (upper case).`, `unknown rcode ${t.text}`);
            break;
          }
          case "ederror": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length !== 1 && v.length !== 2) {
              r.argCount(v[2] ?? o, "`ederror` takes a numeric code and an optional reason text.");
              break;
            }
            const p = parseUint(v[0]!.text, 10, 16);
            if (!p.ok) r.invalid(v[0]!, "The extended error code must be a number (0-65535; RFC 8914 defines 0-24).", `error parsing extended DNS error code ${lastOf(v, o).text}, ${p.error}`);
            break;
          }
          case "fallthrough":
            checkFallthrough(r, d.remainingArgTokens());
            break;
          case "upstream":
            d.remainingArgTokens();
            r.optionVersion(o);
            break;
          default:
            r.unknownOption(o, Reporter.argErrText(o));
            d.remainingArgTokens();
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const transfer: PluginDefinition = {
  spec: {
    name: "transfer",
    summary: "Serves outgoing zone transfers (AXFR/IXFR) of zones held by other plugins (file, auto, secondary, kubernetes...) and sends NOTIFY messages.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to allow transfers of; defaults to the server block's zones." })],
    options: [
      opt("to", [arg("ADDRESS", "string", { variadic: true, help: "IP, IP:port, or * for anyone." })], "Who may transfer the zones (and who gets NOTIFY messages, for IP addresses). May be repeated.", { repeatable: true }),
      opt("source", [arg("ADDRESS", "ip")], "Local IP address to send NOTIFY messages from.", { versions: { added: "1.14.5" } }),
    ],
    block: "required",
    syntax: "transfer [ZONES...] { to ADDRESS...; source ADDRESS }",
    versions: { added: "1.6.5" },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      checkZoneArgs(r, d.remainingArgTokens());
      let to = 0;
      let source: Token | undefined;
      eachOption(d, (o) => {
        switch (o.text) {
          case "to": {
            const v = d.remainingArgTokens();
            if (v.length === 0) r.argCount(o, "`to` needs at least one address, or * for everyone.");
            for (const t of v) {
              to++;
              if (t.text === "*") continue;
              const p = hostPortProblem(t.text);
              if (p) r.invalid(t, `'${t.text}' must be an IP address (optionally with :port) or *; host names are not allowed here.`, p);
            }
            break;
          }
          case "source": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length !== 1) {
              r.argCount(v[1] ?? o, "`source` takes one IP address.");
              break;
            }
            if (source) r.error("OPTION_DUPLICATE", o, "`source` is already set in this transfer block.", "source already specified");
            source = o;
            if (!isIP(v[0]!.text)) r.invalid(v[0]!, "`source` must be an IP address.", `invalid source address ${JSON.stringify(v[0]!.text)}`);
            break;
          }
          default:
            unknownProperty(r, o, undefined, "q");
            d.remainingArgTokens();
        }
      });
      if (to === 0) {
        r.error("PLUGIN_MISSING_OPTION", name, "transfer needs a `to` line saying who may transfer, e.g. `transfer { to * }` or `to 10.0.0.2`.", "'to' is required");
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const hosts: PluginDefinition = {
  spec: {
    name: "hosts",
    summary: "Answers A, AAAA and PTR queries from an /etc/hosts-style file and/or entries written inline in the Corefile.",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [
      arg("FILE", "file", { optional: true, default: "/etc/hosts" }),
      arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to answer for; defaults to the server block's zones." }),
    ],
    options: [
      opt("ttl", [arg("SECONDS", "integer", { min: 1, max: 65535 })], "TTL of the generated records.", { default: "3600", versions: { added: "1.4.0" } }),
      opt("no_reverse", [], "Do not generate PTR records for the entries.", { versions: { added: "1.4.0" } }),
      opt("reload", [arg("DURATION", "duration")], "How often to check the file for changes; 0 disables reloading.", { default: "5s", versions: { added: "1.4.0" } }),
      fallthroughOption(),
      opt("fallthrough_unsupported", [], "Also pass queries of other types (TXT, HTTPS...) for names in the hosts data to the next plugin. Requires fallthrough.", {
        versions: { added: "1.14.7" },
      }),
    ],
    block: "optional",
    syntax: "hosts [FILE [ZONES...]] { IP NAME...; ttl SECONDS; no_reverse; reload DURATION; fallthrough [ZONES...] }",
    versions: { added: "1.0.0" },
    notes: ["Lines in the block before `fallthrough` that are not options are inline hosts entries (`IP NAME...`)."],
  },
  validate(d, r) {
    let i = 0;
    let fallthroughSeen = false;
    let unsupported: Token | undefined;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      const args = d.remainingArgTokens();
      checkZoneArgs(r, args.slice(1));
      eachOption(d, (o) => {
        switch (o.text) {
          case "fallthrough": {
            const z = d.remainingArgTokens();
            checkFallthrough(r, z);
            fallthroughSeen = true;
            break;
          }
          case "fallthrough_unsupported": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length) r.argCount(v[0]!, "`fallthrough_unsupported` takes no arguments; it uses the zones of `fallthrough`.", lastOf(v, o));
            unsupported = o;
            break;
          }
          case "no_reverse":
            r.optionVersion(o);
            break;
          case "ttl": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length < 1) {
              r.argCountMsg(o, "`ttl` needs a number of seconds (1-65535).", "ttl needs a time in second");
              break;
            }
            const n = atoi(v[0]!.text);
            if (!n.ok) r.invalid(v[0]!, "The TTL must be a whole number of seconds.", "ttl needs a number of second");
            else if (n.value <= 0 || n.value > 65535) r.invalid(v[0]!, "The TTL must be between 1 and 65535 seconds.", "ttl provided is invalid");
            break;
          }
          case "reload": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length !== 1) {
              r.argCountMsg(v[1] ?? o, "`reload` takes one duration (0s disables reloading).", "reload needs a duration (zero seconds to disable)");
              break;
            }
            const p = parseDuration(v[0]!.text);
            if (!p.ok) r.invalid(v[0]!, `'${v[0]!.text}' is not a duration; write e.g. 10s.`, `invalid duration for reload '${v[0]!.text}'`);
            else if (p.value < 0) r.invalid(v[0]!, "The reload interval cannot be negative.", `invalid negative duration for reload '${v[0]!.text}'`);
            break;
          }
          default: {
            const rest = d.remainingArgTokens();
            if (fallthroughSeen) {
              unknownProperty(r, o);
              break;
            }
            // An inline hosts entry: IP NAME...
            if (!isIP(o.text.split("%")[0]!) || rest.length === 0) {
              r.warning(
                "PLUGIN_SUSPICIOUS",
                o,
                `'${o.text}' is not a hosts option, so CoreDNS reads this line as an inline hosts entry; it is ignored because it is not of the form \`IP NAME...\`.`,
                undefined,
                lastOf(rest, o),
              );
            }
          }
        }
      });
    }
    if (unsupported && !fallthroughSeen) {
      r.error("PLUGIN_MISSING_OPTION", unsupported, "`fallthrough_unsupported` only works together with `fallthrough`; add a `fallthrough` line.", "fallthrough_unsupported requires fallthrough");
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

/** `DNSNAME:ID` pairs for route53 / `DNSNAME:PROJECT:ZONE` for clouddns / `GROUP:ZONE` for azure. */
function checkCloudKeys(
  r: Reporter,
  args: readonly Token[],
  parts: number,
  shape: string,
  invalidMsg: (t: string) => string,
  conflictMsg: (t: string) => string,
): void {
  const seen = new Set<string>();
  for (const t of args) {
    const p = splitN(t.text, ":", parts);
    if (p.length !== parts || p.some((x) => x === "")) {
      r.invalid(t, `'${t.text}' must be written ${shape}.`, invalidMsg(t.text));
      continue;
    }
    if (seen.has(t.text)) r.error("PLUGIN_DUPLICATE", t, `'${t.text}' is listed twice; remove the repeat.`, conflictMsg(t.text));
    seen.add(t.text);
  }
}

/** Go's strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

export const route53: PluginDefinition = {
  spec: {
    name: "route53",
    summary: "Serves records of AWS Route 53 hosted zones, refreshed periodically through the AWS API.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("ZONE:HOSTED_ZONE_ID", "string", { variadic: true, help: "DNS name and Route 53 hosted-zone ID, e.g. example.org.:Z1Z2Z3Z4DZ5Z6Z7." })],
    options: [
      opt("aws_access_key", [arg("ACCESS_KEY_ID", "string"), arg("SECRET_ACCESS_KEY", "string")], "Static AWS credentials. Deprecated: prefer environment variables, a shared credentials file or an instance role.", {
        versions: {
          added: "1.0.5",
          deprecated: "1.9.2",
          note: "static keys in the Corefile are discouraged",
          replacedBy: "the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables, a shared credentials file (`credentials PROFILE [FILE]`) or an IAM role",
        },
      }),
      opt("aws_endpoint", [arg("ENDPOINT", "url")], "Use this Route 53 API endpoint instead of AWS's default (e.g. for testing).", { versions: { added: "1.8.7" } }),
      opt("credentials", [arg("PROFILE", "string"), arg("FILENAME", "file", { optional: true })], "Use this profile from the shared AWS credentials file (optionally from this file).", { versions: { added: "1.2.3" } }),
      fallthroughOption(),
      opt("refresh", [arg("DURATION", "duration-or-seconds")], "How often to re-read the hosted zones (a bare number means seconds).", { default: "1m", versions: { added: "1.6.2" } }),
      UPSTREAM_NOOP,
    ],
    block: "optional",
    syntax: "route53 [ZONE:HOSTED_ZONE_ID...] { aws_access_key ID SECRET; credentials PROFILE [FILE]; fallthrough; refresh DURATION }",
    versions: { added: "1.0.5" },
  },
  validate(d, r) {
    while (d.next()) {
      checkCloudKeys(
        r,
        d.remainingArgTokens(),
        2,
        "as ZONE:HOSTED_ZONE_ID, e.g. example.org.:Z1234567890ABC",
        (t) => `invalid zone ${JSON.stringify(t)}`,
        (t) => `conflict zone ${JSON.stringify(t)}`,
      );
      eachOption(d, (o) => {
        switch (o.text) {
          case "aws_access_key": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length < 2) r.argCountMsg(o, "`aws_access_key` needs the key ID and the secret.", `invalid access key: '[${v.map((t) => t.text).join(" ")}]'`);
            break;
          }
          case "aws_endpoint":
            r.optionVersion(o);
            if (!d.nextArg()) r.argCount(o, "`aws_endpoint` needs a URL.");
            break;
          case "upstream":
            d.remainingArgTokens();
            r.optionVersion(o);
            break;
          case "credentials":
            r.optionVersion(o);
            if (!d.nextArg()) r.argCount(o, "`credentials` needs a profile name (and optionally a credentials file).");
            else d.nextArg();
            break;
          case "fallthrough":
            checkFallthrough(r, d.remainingArgTokens());
            break;
          case "refresh": {
            r.optionVersion(o);
            if (!d.nextArg()) {
              r.argCount(o, "`refresh` needs a duration such as 5m (a bare number means seconds).");
              break;
            }
            const t = d.token();
            const text = atoi(t.text).ok ? `${t.text}s` : t.text;
            const p = parseDuration(text);
            if (!p.ok) r.invalid(t, `'${t.text}' is not a duration; write e.g. 90s or 5m.`, `Unable to parse duration: ${p.error}`);
            else if (p.value <= 0) r.invalid(t, "The refresh interval must be positive.", `refresh interval must be greater than 0: ${JSON.stringify(text)}`);
            break;
          }
          default:
            unknownProperty(r, o, undefined, "q");
            d.remainingArgTokens();
        }
      });
    }
  },
};

const AZURE_ENVIRONMENTS = ["AZURECHINACLOUD", "AZUREGERMANCLOUD", "AZURECLOUD", "AZUREPUBLICCLOUD", "AZUREUSGOVERNMENT", "AZUREUSGOVERNMENTCLOUD", "AZURESTACKCLOUD"];

export const azure: PluginDefinition = {
  spec: {
    name: "azure",
    summary: "Serves records of Azure DNS zones (public or private), read through the Azure API.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("RESOURCE_GROUP:ZONE", "string", { variadic: true, help: "Azure resource group and zone name, e.g. my-rg:example.org." })],
    options: [
      opt("tenant", [arg("TENANT_ID", "string")], "Azure AD tenant ID."),
      opt("client", [arg("CLIENT_ID", "string")], "Service principal (application) ID."),
      opt("secret", [arg("CLIENT_SECRET", "string")], "Service principal secret."),
      opt("subscription", [arg("SUBSCRIPTION_ID", "string")], "Azure subscription holding the zones."),
      opt("environment", [arg("ENVIRONMENT", "enum", { values: AZURE_ENVIRONMENTS })], "Azure cloud to talk to.", { default: "AZUREPUBLICCLOUD" }),
      opt("access", [arg("ACCESS", "enum", { values: ["public", "private"] })], "Whether the zones listed on this directive are public or private DNS zones.", { default: "public", versions: { added: "1.6.8" } }),
      fallthroughOption(),
    ],
    block: "optional",
    syntax: "azure RESOURCE_GROUP:ZONE... { tenant ID; client ID; secret SECRET; subscription ID; environment ENV; access public|private; fallthrough }",
    versions: { added: "1.6.2" },
  },
  validate(d, r) {
    const seen = new Set<string>();
    while (d.next()) {
      for (const t of d.remainingArgTokens()) {
        const p = splitN(t.text, ":", 2);
        if (p.length !== 2 || p[0] === "" || p[1] === "") {
          r.invalid(t, `'${t.text}' must be written RESOURCE_GROUP:ZONE.`, `invalid resource group/zone: ${JSON.stringify(t.text)}`);
          continue;
        }
        const key = p[0]! + p[1]!;
        if (seen.has(key)) r.error("PLUGIN_DUPLICATE", t, `'${t.text}' is listed twice; remove the repeat.`, `conflicting zone: ${JSON.stringify(t.text)}`);
        seen.add(key);
      }
      eachOption(d, (o) => {
        switch (o.text) {
          case "subscription":
          case "tenant":
          case "client":
          case "secret":
            if (!d.nextArg()) r.argCount(o, `\`${o.text}\` needs a value.`);
            break;
          case "environment":
            if (!d.nextArg()) r.argCount(o, "`environment` needs an Azure cloud name such as AZUREPUBLICCLOUD.");
            else if (!AZURE_ENVIRONMENTS.includes(d.val().toUpperCase()))
              r.invalid(d.token(), `Unknown Azure environment '${d.val()}'; use one of ${AZURE_ENVIRONMENTS.join(", ")}.`, `cannot set azure environment: "autorest/azure: There is no cloud environment matching the name \\"${d.val().toUpperCase()}\\""`);
            break;
          case "fallthrough":
            checkFallthrough(r, d.remainingArgTokens());
            break;
          case "access":
            r.optionVersion(o);
            if (!d.nextArg()) r.argCount(o, "`access` needs public or private.");
            else if (d.val() !== "public" && d.val() !== "private")
              r.invalid(d.token(), "`access` must be public or private.", `invalid access value: can be public/private, found: ${d.val()}`);
            break;
          default:
            r.unknownOption(o, `unknown property: ${JSON.stringify(o.text)}`);
            d.remainingArgTokens();
        }
      });
    }
  },
};

export const clouddns: PluginDefinition = {
  spec: {
    name: "clouddns",
    summary: "Serves records of Google Cloud DNS managed zones, read through the Google Cloud API.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("ZONE:PROJECT:HOSTED_ZONE", "string", { variadic: true, help: "DNS name, GCP project and managed zone name, e.g. example.org.:my-project:example-zone." })],
    options: [
      opt("credentials", [arg("FILE", "file")], "Service-account (or other) credentials JSON file; without it Application Default Credentials are used."),
      fallthroughOption(),
      UPSTREAM_NOOP,
    ],
    block: "optional",
    syntax: "clouddns [ZONE:PROJECT:HOSTED_ZONE...] { credentials FILE; fallthrough [ZONES...] }",
    versions: { added: "1.6.3" },
  },
  validate(d, r) {
    while (d.next()) {
      checkCloudKeys(
        r,
        d.remainingArgTokens(),
        3,
        "as ZONE:PROJECT:HOSTED_ZONE, e.g. example.org.:my-project:example-zone",
        (t) => `invalid zone ${JSON.stringify(t)}`,
        (t) => `conflict zone ${JSON.stringify(t)}`,
      );
      eachOption(d, (o) => {
        switch (o.text) {
          case "upstream":
            d.remainingArgTokens();
            r.optionVersion(o);
            break;
          case "credentials":
            if (!d.nextArg()) r.argCount(o, "`credentials` needs the path of a credentials JSON file.");
            break;
          case "fallthrough":
            checkFallthrough(r, d.remainingArgTokens());
            break;
          default:
            unknownProperty(r, o, undefined, "q");
            d.remainingArgTokens();
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const file: PluginDefinition = {
  spec: {
    name: "file",
    summary: "Serves zones authoritatively from RFC 1035 zone files, reloading them when the SOA serial changes.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [
      arg("DBFILE", "file", { help: "Zone file; relative paths are resolved against `root`." }),
      arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones the file is authoritative for; defaults to the server block's zones." }),
    ],
    options: [
      opt("reload", [arg("DURATION", "duration")], "How often to check the zone file for a new SOA serial; 0 disables reloading.", { default: "1m", versions: { added: "1.2.3" } }),
      opt("reload_by_mtime", [], "Reload when the file's modification time changes instead of when the SOA serial changes.", { versions: { added: "1.14.4" } }),
      fallthroughOption({ versions: { added: "1.12.2" } }),
      UPSTREAM_NOOP,
      opt("transfer", [arg("to|from", "string"), arg("ADDRESS", "string", { variadic: true })], "Removed: zone transfers out are configured with the transfer plugin.", {
        versions: { added: "1.0.0", removed: "1.8.0", replacedBy: "the `transfer` plugin (`transfer { to ADDRESS }`)" },
      }),
      opt("no_reload", [], "Removed: write `reload 0` instead.", { versions: { added: "1.0.0", removed: "1.5.0", replacedBy: "`reload 0`" } }),
    ],
    block: "optional",
    syntax: "file DBFILE [ZONES...] { reload DURATION; reload_by_mtime; fallthrough [ZONES...] }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      if (!d.nextArg()) {
        r.argCount(name, "file needs the path of a zone file, e.g. `file /etc/coredns/db.example.org example.org`.");
        continue;
      }
      checkZoneArgs(r, d.remainingArgTokens());
      eachOption(d, (o) => {
        switch (o.text) {
          case "fallthrough":
            r.optionVersion(o);
            checkFallthrough(r, d.remainingArgTokens());
            break;
          case "reload": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length < 1) r.argCountMsg(o, "`reload` needs a duration such as 30s (0 disables reloading).", "reload duration value is expected");
            else duration(r, v[0]!, "the reload interval");
            break;
          }
          case "reload_by_mtime":
            r.optionVersion(o);
            break;
          case "upstream":
            d.remainingArgTokens();
            r.optionVersion(o);
            break;
          default:
            unknownProperty(r, o);
            d.remainingArgTokens();
        }
      });
    }
  },
};

export const auto: PluginDefinition = {
  spec: {
    name: "auto",
    summary: "Serves every zone file found in a directory, deriving each zone's name from the file name, and picks up new or removed files.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to answer for; defaults to the server block's zones." })],
    options: [
      opt(
        "directory",
        [
          arg("DIR", "file"),
          arg("REGEXP", "regex", { optional: true, default: "db\\.(.*)", help: "Matched against file names; needs at least one capture group." }),
          arg("ORIGIN_TEMPLATE", "string", { optional: true, default: "{1}", help: "Builds the zone name from the captures ({1}, {2}...)." }),
        ],
        "Directory to scan for zone files, with an optional file-name pattern and origin template.",
      ),
      opt("reload", [arg("DURATION", "duration")], "How often to rescan the directory and check serials; 0 disables it.", { default: "1m", versions: { added: "1.2.3" } }),
      UPSTREAM_NOOP,
      opt("transfer", [arg("to|from", "string"), arg("ADDRESS", "string", { variadic: true })], "Removed: use the transfer plugin.", {
        versions: { added: "1.5.0", removed: "1.8.0", replacedBy: "the `transfer` plugin" },
      }),
      opt("no_reload", [], "Removed: write `reload 0` instead.", { versions: { added: "1.0.0", removed: "1.5.0", replacedBy: "`reload 0`" } }),
    ],
    block: "required",
    syntax: "auto [ZONES...] { directory DIR [REGEXP ORIGIN_TEMPLATE]; reload DURATION }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    while (d.next()) {
      checkZoneArgs(r, d.remainingArgTokens());
      eachOption(d, (o) => {
        switch (o.text) {
          case "directory": {
            if (!d.nextArg()) {
              r.argCount(o, "`directory` needs the directory that holds the zone files.");
              break;
            }
            if (d.nextArg()) {
              const re = d.token();
              if (byteLength(re.text) > 10000) r.invalid(re, "The regular expression is longer than 10000 characters.", "regexp too large");
              else {
                const c = checkGoRegexp(re.text);
                if (!c.ok) r.invalid(re, `Invalid regular expression: ${c.error}.`, c.error);
                else if (c.numSubexp === 0)
                  r.invalid(re, "The file-name pattern needs at least one capture group, e.g. db\\.(.*), so the zone name can be taken from it.", "Need at least one sub expression");
              }
              if (!d.nextArg()) {
                r.argCount(re, "After the REGEXP, give the ORIGIN_TEMPLATE, e.g. `{1}`.");
                break;
              }
            }
            if (d.nextArg()) r.argCount(d.token(), "`directory` takes DIR [REGEXP ORIGIN_TEMPLATE]; remove the extra value.", lastOf(d.remainingArgTokens(), d.token()));
            break;
          }
          case "reload": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length < 1) r.argCountMsg(o, "`reload` needs a duration such as 30s (0 disables reloading).", "reload duration value is expected");
            else duration(r, v[0]!, "the reload interval", { nonNegative: true, corednsMessage: () => "invalid duration" });
            break;
          }
          case "upstream":
            d.remainingArgTokens();
            r.optionVersion(o);
            break;
          default:
            unknownProperty(r, o);
            d.remainingArgTokens();
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

/** CoreDNS `parse.TransferIn`: `transfer from ADDRESS...` (IP addresses with optional port). */
function checkTransferIn(d: import("../dispenser").Dispenser, r: Reporter, o: Token): void {
  if (!d.nextArg()) {
    r.argCount(o, "Write `transfer from ADDRESS...` with the primary server's IP address.");
    return;
  }
  const kw = d.token();
  if (kw.text !== "from") {
    r.invalid(kw, `Only \`transfer from ADDRESS...\` is supported here; '${kw.text}' is not (outgoing transfers use the transfer plugin).`, `unknown property ${kw.text}`);
    d.remainingArgTokens();
    return;
  }
  const froms = d.remainingArgTokens();
  if (froms.length === 0) r.argCount(kw, "`transfer from` needs at least one IP address of a primary server.");
  for (const t of froms) {
    if (t.text === "*") {
      r.invalid(t, "`*` cannot be used in `transfer from`; give the primary server's IP address.", "can't use '*' in transfer from");
      continue;
    }
    const p = hostPortProblem(t.text);
    if (p) r.invalid(t, `'${t.text}' must be an IP address (optionally with :port).`, p);
  }
}

export const secondary: PluginDefinition = {
  spec: {
    name: "secondary",
    summary: "Serves zones as a secondary: transfers them in (AXFR) from primary servers and refreshes them per the SOA timers.",
    group: "records",
    repeatable: true,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to transfer in; defaults to the server block's zones." })],
    options: [
      opt("transfer", [arg("from", "enum", { values: ["from"] }), arg("ADDRESS", "string", { variadic: true, help: "IP or IP:port of a primary." })], "Where to transfer the zone from; several addresses (or lines) are tried in turn. Required.", {
        repeatable: true,
      }),
      opt("catalog", [arg("MEMBER-ZONES", "zones", { optional: true, variadic: true })], "Treat the zone as an RFC 9432 catalog zone and also serve its member zones (optionally only those under MEMBER-ZONES).", {
        repeatable: true,
        versions: { added: "1.14.5" },
      }),
      fallthroughOption({ versions: { added: "1.14.4" } }),
      opt("upstream", [arg("ADDRESS", "string", { optional: true, variadic: true })], "Removed: secondary resolves through CoreDNS itself; delete the line.", { versions: { added: "1.0.0", removed: "1.8.0" } }),
    ],
    block: "required",
    syntax: "secondary [ZONES...] { transfer from ADDRESS...; catalog [ZONES...]; fallthrough [ZONES...] }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      if (d.val() !== "secondary") continue;
      checkZoneArgs(r, d.remainingArgTokens());
      let hasTransfer = false;
      eachOption(d, (o) => {
        switch (o.text) {
          case "transfer":
            checkTransferIn(d, r, o);
            hasTransfer = true;
            break;
          case "catalog":
            r.optionVersion(o);
            for (const t of d.remainingArgTokens()) {
              if (normalizeExact(t.text).length === 0)
                r.invalid(t, `'${t.text}' is not a valid zone name.`, `invalid catalog member zone ${JSON.stringify(t.text)}`);
            }
            break;
          case "fallthrough":
            r.optionVersion(o);
            checkFallthrough(r, d.remainingArgTokens());
            break;
          default:
            unknownProperty(r, o);
            d.remainingArgTokens();
        }
      });
      if (!hasTransfer) {
        r.error(
          "PLUGIN_MISSING_OPTION",
          name,
          "secondary needs to know where to get the zone: add a block with `transfer from PRIMARY_IP`.",
          "secondary zones require a transfer from property",
        );
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

function etcdTTL(r: Reporter, t: Token, what: string): void {
  let s = t.text.trim();
  if (s === "") return;
  if (parseUint(s, 10, 64).ok) s += "s";
  const p = parseDuration(s);
  const msg = (e: string): string => `invalid ${what} value: ${e}`;
  if (!p.ok) r.invalid(t, `'${t.text}' is not a TTL; write seconds (30) or a duration (30s, 5m, 2h30m).`, msg("invalid TTL format, use format like '30', '30s', '5m', '1h', or '2h30m'"));
  else if (p.value < 0) r.invalid(t, "The TTL cannot be negative.", msg("TTL must be non-negative"));
  else if (p.value / 1e9 > 4294967295) r.invalid(t, "The TTL is too large (maximum 4294967295 seconds).", msg("TTL too large, maximum is 4294967295 seconds"));
}

export const etcd: PluginDefinition = {
  spec: {
    name: "etcd",
    summary: "Serves records stored in etcd v3 in the SkyDNS format (service discovery).",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to answer for; defaults to the server block's zones." })],
    options: [
      fallthroughOption(),
      opt("path", [arg("PATH", "string")], "Key prefix of the records in etcd.", { default: "/skydns" }),
      opt("endpoint", [arg("ENDPOINT", "url", { variadic: true })], "etcd endpoints.", { default: "http://localhost:2379" }),
      opt("credentials", [arg("USERNAME", "string"), arg("PASSWORD", "string")], "Authenticate to etcd with this user and password.", { versions: { added: "1.4.0" } }),
      opt("tls", [arg("CERT", "file", { optional: true }), arg("KEY", "file", { optional: true }), arg("CACERT", "file", { optional: true })], "TLS to etcd: nothing (system CAs), CA only, CERT KEY, or CERT KEY CA."),
      opt("min-lease-ttl", [arg("TTL", "duration-or-seconds")], "Lowest TTL given to records that come from etcd leases.", { default: "30s", versions: { added: "1.12.4" } }),
      opt("max-lease-ttl", [arg("TTL", "duration-or-seconds")], "Highest TTL given to records that come from etcd leases.", { default: "24h", versions: { added: "1.12.4" } }),
      UPSTREAM_NOOP,
      opt("stubzones", [], "Has no effect (stub zones were removed).", { versions: { deprecated: "1.4.0", note: "stub zones are no longer supported" } }),
      opt("debug", [], "Has no effect.", { versions: { deprecated: "1.4.0", note: "it is a no-op" } }),
    ],
    block: "optional",
    syntax: "etcd [ZONES...] { fallthrough; path PATH; endpoint URL...; credentials USER PASS; tls [CERT KEY [CA]] }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    if (!d.next()) return;
    const name = d.token();
    checkZoneArgs(r, d.remainingArgTokens());
    eachOption(d, (o) => {
      r.optionVersion(o);
      switch (o.text) {
        case "stubzones":
        case "debug":
          break;
        case "fallthrough":
          checkFallthrough(r, d.remainingArgTokens());
          break;
        case "path":
          if (!d.nextArg()) r.argCount(o, "`path` needs the etcd key prefix, e.g. /skydns.");
          break;
        case "endpoint":
          if (d.remainingArgTokens().length === 0) r.argCount(o, "`endpoint` needs at least one etcd URL.");
          break;
        case "upstream":
          d.remainingArgTokens();
          break;
        case "tls":
          checkTLSArgs(r, o, d.remainingArgTokens());
          break;
        case "credentials": {
          const v = d.remainingArgTokens();
          if (v.length === 0) r.argCount(o, "`credentials` needs a USERNAME and a PASSWORD.");
          else if (v.length !== 2) r.argCountMsg(lastOf(v, o), "`credentials` takes exactly a USERNAME and a PASSWORD.", "credentials requires 2 arguments, username and password");
          break;
        }
        case "min-lease-ttl":
        case "max-lease-ttl":
          if (!d.nextArg()) r.argCount(o, `\`${o.text}\` needs a TTL.`);
          else etcdTTL(r, d.token(), o.text);
          break;
        default:
          if (o.text !== "}") {
            unknownProperty(r, o);
            d.remainingArgTokens();
          }
      }
    });
    reportUnread(d, r, name.text);
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const whoami: PluginDefinition = {
  spec: {
    name: "whoami",
    summary: "Answers every query with the client's IP address and port (testing aid).",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [],
    block: "none",
    syntax: "whoami",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    d.next();
    const name = d.token();
    if (d.nextArg()) {
      const t = d.token();
      r.noArgument(t, "whoami", "", lastOf(d.remainingArgTokens(), t));
    }
    reportUnread(d, r, name.text);
  },
};

export const nomad: PluginDefinition = {
  spec: {
    name: "nomad",
    summary: "Answers queries for HashiCorp Nomad services (SRV and A/AAAA records) from the Nomad API.",
    group: "records",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONE", "domain", { optional: true, default: "service.nomad" })],
    options: [
      opt("address", [arg("URL", "url", { variadic: true })], "Nomad API addresses; several are tried in turn.", { default: "http://127.0.0.1:4646", repeatable: true }),
      opt("token", [arg("TOKEN", "string")], "ACL token for the Nomad API."),
      opt("ttl", [arg("SECONDS", "integer", { min: 0, max: 3600 })], "TTL of the answers.", { default: "30" }),
      opt("filter", [arg("EXPRESSION", "string")], "Nomad filter expression restricting which services are returned.", { versions: { added: "1.13.2" } }),
    ],
    block: "optional",
    syntax: "nomad [ZONE] { address URL...; token TOKEN; ttl SECONDS; filter EXPR }",
    versions: { added: "1.13.0" },
  },
  validate(d, r) {
    if (!d.next()) return;
    const name = d.token();
    d.remainingArgTokens();
    eachOption(d, (o) => {
      const selector = o.text.toLowerCase();
      const v = selector === "address" || selector === "filter" || selector === "token" || selector === "ttl" ? d.remainingArgTokens() : [];
      switch (selector) {
        case "address":
          if (v.length === 0) r.argCountMsg(o, "`address` needs at least one Nomad URL.", "at least one address is required");
          break;
        case "filter":
          r.optionVersion(o, "filter");
          if (v.length !== 1) r.argCountMsg(v[1] ?? o, "`filter` takes exactly one (quoted) expression.", "exactly one filter is required");
          break;
        case "token":
          if (v.length !== 1) r.argCountMsg(v[1] ?? o, "`token` takes exactly one value.", "exactly one token is required");
          break;
        case "ttl": {
          if (v.length !== 1) {
            r.argCountMsg(v[1] ?? o, "`ttl` takes exactly one number of seconds.", "exactly one ttl value is required");
            break;
          }
          const n = atoi(v[0]!.text);
          if (!n.ok) r.invalid(v[0]!, "The TTL must be a whole number of seconds.", `error parsing ttl: ${n.error}`);
          else if (n.value < 0 || n.value > 3600) r.invalid(v[0]!, "The TTL must be between 0 and 3600 seconds.", `ttl must be in range [0, 3600]: ${n.value}`);
          break;
        }
        default:
          r.unknownOption(o, `unknown property '${selector}'`);
          d.remainingArgTokens();
      }
    });
    reportUnread(d, r, name.text);
  },
};
