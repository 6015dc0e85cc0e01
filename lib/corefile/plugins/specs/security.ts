/**
 * Security directives: tsig, acl, dnssec, tls, sign.
 */
import type { Token } from "../../lexer";
import { DNS_OPCODES, DNS_TYPE_SET, atoi, isDomainName, isIP, normalizeName, parseCIDR, splitHostPort } from "../go";
import {
  arg,
  checkZoneArgs,
  eachOption,
  lastOf,
  opt,
  unknownProperty,
  type PluginDefinition,
} from "./helpers";

export const tsig: PluginDefinition = {
  spec: {
    name: "tsig",
    summary: "Verifies TSIG signatures on incoming requests, signs responses, and can refuse unsigned requests of chosen types or opcodes.",
    group: "security",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to enforce TSIG for; defaults to the server block's zones." })],
    options: [
      opt("secret", [arg("NAME", "domain"), arg("KEY", "string", { help: "Base64 secret." })], "A TSIG key name and its secret. Repeat for several keys.", { repeatable: true }),
      opt("secrets", [arg("FILE", "file")], "Read keys from a file in BIND named.conf `key` format.", { repeatable: true }),
      opt("require", [arg("QTYPE", "rrtype", { variadic: true, help: "Record types, or all / none." })], "Refuse unsigned requests of these query types (`all`, or `none` to require nothing).", {
        default: "none",
      }),
      opt("require_opcode", [arg("OPCODE", "enum", { variadic: true, values: [...DNS_OPCODES, "all", "none"] })], "Refuse unsigned requests with these opcodes (QUERY, IQUERY, STATUS, NOTIFY, UPDATE, or all / none).", {
        default: "none",
        versions: { added: "1.14.3" },
      }),
    ],
    block: "optional",
    syntax: "tsig [ZONES...] { secret NAME KEY; secrets FILE; require [QTYPE...|all|none]; require_opcode [OPCODE...|all|none] }",
    versions: { added: "1.9.4" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      checkZoneArgs(r, d.remainingArgTokens());
      const keys = new Set<string>();
      eachOption(d, (o) => {
        r.optionVersion(o);
        const v = d.remainingArgTokens();
        switch (o.text) {
          case "secret": {
            if (v.length !== 2) {
              r.argCount(v[2] ?? o, "`secret` takes a key NAME and its base64 SECRET.", lastOf(v, o));
              break;
            }
            const k = normalizeName(v[0]!.text);
            if (keys.has(k)) r.error("PLUGIN_DUPLICATE", v[0]!, `The key ${k} is defined twice; remove one.`, `key ${JSON.stringify(k)} redefined`);
            keys.add(k);
            break;
          }
          case "secrets":
            if (v.length !== 1) r.argCount(v[1] ?? o, "`secrets` takes one file.", lastOf(v, o));
            break;
          case "require":
          case "require_opcode": {
            if (v.length === 0) {
              r.argCount(o, `\`${o.text}\` needs ${o.text === "require" ? "query types" : "opcodes"}, or all / none.`);
              break;
            }
            if (v[0]!.text === "all" || v[0]!.text === "none") break;
            for (const t of v) {
              if (o.text === "require" ? !DNS_TYPE_SET.has(t.text) : !DNS_OPCODES.includes(t.text)) {
                r.invalid(
                  t,
                  o.text === "require" ? `Unknown query type '${t.text}' (write it in upper case, e.g. AXFR).` : `Unknown opcode '${t.text}'; use ${DNS_OPCODES.join(", ")}.`,
                  o.text === "require" ? `unknown query type '${t.text}'` : `unknown opcode '${t.text}'`,
                );
                break;
              }
            }
            break;
          }
          default:
            unknownProperty(r, o);
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

const ACL_ACTIONS = ["allow", "block", "filter", "drop"];

export const acl: PluginDefinition = {
  spec: {
    name: "acl",
    summary: "Allows, blocks (REFUSED), filters (empty NOERROR) or drops queries by client network and query type.",
    group: "security",
    repeatable: true,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones the rules apply to; defaults to the server block's zones." })],
    options: [
      opt("allow", [arg("type QTYPE...", "rrtype", { optional: true, variadic: true }), arg("net SOURCE...", "cidr", { optional: true, variadic: true })], "Let matching queries through (later rules are not consulted).", {
        repeatable: true,
      }),
      opt("block", [arg("type QTYPE...", "rrtype", { optional: true, variadic: true }), arg("net SOURCE...", "cidr", { optional: true, variadic: true })], "Answer matching queries with REFUSED.", {
        repeatable: true,
      }),
      opt("filter", [arg("type QTYPE...", "rrtype", { optional: true, variadic: true }), arg("net SOURCE...", "cidr", { optional: true, variadic: true })], "Answer matching queries with an empty NOERROR response.", {
        repeatable: true,
        versions: { added: "1.8.3" },
      }),
      opt("drop", [arg("type QTYPE...", "rrtype", { optional: true, variadic: true }), arg("net SOURCE...", "cidr", { optional: true, variadic: true })], "Silently drop matching queries (no response).", {
        repeatable: true,
        versions: { added: "1.11.0" },
      }),
    ],
    block: "required",
    syntax: "acl [ZONES...] { allow|block|filter|drop [type QTYPE...] [net SOURCE...] }",
    versions: { added: "1.6.4" },
    notes: ["Rules are evaluated in order; the first match decides. Without `type` or `net`, a rule matches every type or source."],
  },
  validate(d, r) {
    const isSection = (s: string): boolean => {
      const l = s.toLowerCase();
      return l === "type" || l === "net";
    };
    while (d.next()) {
      checkZoneArgs(r, d.remainingArgTokens());
      eachOption(d, (o) => {
        const action = o.text.toLowerCase();
        if (!ACL_ACTIONS.includes(action)) {
          r.unknownOption(o, `unexpected token ${JSON.stringify(o.text)}; expect 'allow', 'block', 'filter' or 'drop'`);
          d.remainingArgTokens();
          return;
        }
        r.optionVersion(o, action);
        let rest = d.remainingArgTokens();
        while (rest.length > 0) {
          const sec = rest[0]!;
          if (!isSection(sec.text)) {
            r.invalid(sec, `Unexpected '${sec.text}'; after the action write \`type QTYPE...\` and/or \`net CIDR...\`.`, `unexpected token ${JSON.stringify(sec.text)}; expect 'type | net'`);
            return;
          }
          let k = 1;
          while (k < rest.length && !isSection(rest[k]!.text)) k++;
          const toks = rest.slice(1, k);
          rest = rest.slice(k);
          const section = sec.text.toLowerCase();
          if (toks.length === 0) {
            r.argCountMsg(sec, `\`${section}\` needs at least one ${section === "type" ? "query type (or *)" : "network (or *)"}.`, `no token specified in ${JSON.stringify(section)} section`);
            return;
          }
          for (const t of toks) {
            if (t.text === "*") break;
            if (section === "type") {
              if (!DNS_TYPE_SET.has(t.text)) {
                r.invalid(t, `'${t.text}' is not a query type; write it in upper case (A, AAAA, MX...) or use *.`, `unexpected token ${JSON.stringify(t.text)}; expect legal QTYPE`);
                return;
              }
            } else {
              const norm = t.text.includes("/") ? t.text : t.text.includes(":") ? `${t.text}/128` : `${t.text}/32`;
              if (!parseCIDR(norm).ok) {
                r.invalid(t, `'${t.text}' is not an IP address or CIDR (e.g. 192.168.0.0/16).`, `illegal CIDR notation ${JSON.stringify(norm)}`);
                return;
              }
            }
          }
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const dnssec: PluginDefinition = {
  spec: {
    name: "dnssec",
    summary: "Signs answers on the fly with DNSSEC keys (online signing, NSEC black lies) and caches the signatures.",
    group: "security",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to sign; defaults to the server block's zones." })],
    options: [
      opt("key", [arg("SOURCE", "enum", { values: ["file", "aws_secretsmanager"] }), arg("KEY", "string", { variadic: true })], "Signing keys: `file` with key file base names (Kexample.org.+013+45330), or `aws_secretsmanager` with secret names.", {
        repeatable: true,
      }),
      opt("cache_capacity", [arg("CAPACITY", "integer")], "Number of signatures kept in the cache.", { default: "10000" }),
    ],
    block: "optional",
    syntax: "dnssec [ZONES...] { key file|aws_secretsmanager KEY...; cache_capacity N }",
    versions: { added: "1.0.0" },
    notes: ["Each key's owner name must be one of the signed zones; CoreDNS checks this when it reads the key files."],
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      checkZoneArgs(r, d.remainingArgTokens());
      eachOption(d, (o) => {
        switch (o.text) {
          case "key": {
            if (!d.nextArg()) {
              r.argCount(o, "`key` needs a source (file or aws_secretsmanager) and key names.");
              break;
            }
            const src = d.token();
            if (src.text === "file" || src.text === "aws_secretsmanager") {
              if (d.remainingArgTokens().length === 0) r.argCount(src, `\`key ${src.text}\` needs at least one key.`);
            } else {
              r.warning("PLUGIN_SUSPICIOUS", src, `Unknown key source '${src.text}'; CoreDNS ignores this key. Use \`key file NAME\` or \`key aws_secretsmanager NAME\`.`);
            }
            break;
          }
          case "cache_capacity":
            if (!d.nextArg()) r.argCount(o, "`cache_capacity` needs a number.");
            else {
              const n = atoi(d.val());
              if (!n.ok) r.invalid(d.token(), "The cache capacity must be a whole number.", n.error);
            }
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

const CLIENT_AUTH = ["nocert", "request", "require", "verify_if_given", "require_and_verify"];
const ACME_OPTIONS = ["acme", "email", "ca", "storage", "ca_root", "resolver"];

function acmeDomainProblem(raw: string): string | null {
  const domain = raw.toLowerCase().replace(/\.$/, "");
  const check = domain.startsWith("*.") ? domain.slice(2) : domain;
  if (domain === "" || check === "" || check.includes("*") || isIP(check)) return `invalid ACME domain ${JSON.stringify(domain)}`;
  if (!/^[\x00-\x7f]*$/.test(check)) return null; // IDNA names: accepted after punycode conversion
  if (!isDomainName(check)) return `invalid ACME domain ${JSON.stringify(domain)}`;
  return null;
}

export const tls: PluginDefinition = {
  spec: {
    name: "tls",
    summary: "Configures the certificate for DNS-over-TLS/HTTPS/gRPC/QUIC server blocks: from files, or obtained automatically over ACME (DNS-01).",
    group: "security",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    serverSetting: true,
    args: [
      arg("CERT", "file", { optional: true, help: "Certificate file (omit all three to use ACME)." }),
      arg("KEY", "file", { optional: true, help: "Private key file." }),
      arg("CA", "file", { optional: true, help: "CA bundle used to verify client certificates." }),
    ],
    options: [
      opt("client_auth", [arg("TYPE", "enum", { values: CLIENT_AUTH })], "Whether clients must present certificates (with CERT KEY): nocert, request, require, verify_if_given, require_and_verify.", {
        default: "nocert",
        versions: { added: "1.5.1" },
      }),
      opt("keylog", [arg("FILE", "file")], "Write TLS session keys to FILE for debugging with packet captures. Never in production.", { versions: { added: "1.14.3" } }),
      opt("acme", [arg("DOMAIN", "domain", { variadic: true })], "ACME mode: obtain and renew a certificate for these names using DNS-01 challenges answered by this CoreDNS.", {
        versions: { added: "1.14.7" },
      }),
      opt("email", [arg("EMAIL", "string")], "ACME account contact address.", { versions: { added: "1.14.7" } }),
      opt("ca", [arg("URL", "url")], "ACME directory URL.", { default: "Let's Encrypt production", versions: { added: "1.14.7" } }),
      opt("storage", [arg("DIRECTORY", "file")], "Where ACME accounts, keys and certificates are kept.", { default: ".coredns/acme under root", versions: { added: "1.14.7" } }),
      opt("ca_root", [arg("FILE", "file")], "PEM bundle trusted when talking to a private ACME server.", { versions: { added: "1.14.7" } }),
      opt("resolver", [arg("HOST:PORT", "hostport")], "DNS resolver used to reach the ACME server.", { versions: { added: "1.14.7" } }),
    ],
    block: "optional",
    syntax: "tls CERT KEY [CA] { client_auth TYPE; keylog FILE }  |  tls { acme DOMAIN...; email E; ca URL; storage DIR; ca_root FILE; resolver HOST:PORT }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0 && name.text === "tls") r.overridingRepeat(name);
      const args = d.remainingArgTokens();
      if (args.length === 0) {
        // ACME
        const seen = new Set<string>();
        let domains: Token[] | undefined;
        eachOption(d, (o) => {
          const v = d.remainingArgTokens();
          if (seen.has(o.text)) r.error("OPTION_DUPLICATE", o, `\`${o.text}\` can only be given once.`, `ACME option ${JSON.stringify(o.text)} can only be specified once`);
          seen.add(o.text);
          if (!ACME_OPTIONS.includes(o.text)) {
            r.unknownOption(o, `unknown ACME option ${JSON.stringify(o.text)}`, []);
            return;
          }
          r.optionVersion(o);
          if (o.text === "acme") {
            if (v.length === 0) r.argCount(o, "`acme` needs at least one domain name.");
            else domains = v;
            return;
          }
          if (v.length !== 1) {
            r.argCount(v[1] ?? o, `\`${o.text}\` takes exactly one value.`, lastOf(v, o));
            return;
          }
          const t = v[0]!;
          if (o.text === "ca") {
            const m = /^(https?):\/\/([^/?#]+)/i.exec(t.text);
            if (!m || (m[1] !== "https" && m[1] !== "http"))
              r.invalid(t, "The ACME CA must be an http:// or https:// URL with a host.", `invalid ACME CA URL ${JSON.stringify(t.text)}`);
          } else if (o.text === "resolver") {
            const hp = splitHostPort(t.text);
            if (!hp.ok) r.invalid(t, "The ACME resolver must be written HOST:PORT, e.g. 1.1.1.1:53.", `invalid ACME resolver ${JSON.stringify(t.text)}: ${hp.error}`);
            else if (hp.value.host === "") r.invalid(t, "The ACME resolver needs a host before the port.", `invalid ACME resolver ${JSON.stringify(t.text)}: host is empty`);
            else {
              const n = atoi(hp.value.port);
              if (!n.ok || n.value < 1 || n.value > 65535) r.invalid(t, "The ACME resolver port must be a number from 1 to 65535.", `invalid ACME resolver port ${JSON.stringify(hp.value.port)}`);
            }
          }
        });
        if (!domains) {
          r.error(
            "PLUGIN_MISSING_OPTION",
            name,
            "tls without certificate files uses ACME and needs `acme DOMAIN...` in its block; otherwise write `tls CERT KEY [CA]`.",
            "ACME requires at least one domain",
          );
        } else {
          for (const t of domains) {
            const p = acmeDomainProblem(t.text);
            if (p) {
              r.invalid(t, `'${t.text}' cannot get an ACME certificate: use a DNS name (a single leading *. wildcard is allowed), not an IP address.`, p);
              break;
            }
          }
        }
        continue;
      }
      if (args.length < 2 || args.length > 3) {
        r.argCount(args[3] ?? args[0]!, "tls takes CERT KEY [CA] (or no arguments and an `acme` block).", lastOf(args, name));
      }
      eachOption(d, (o) => {
        switch (o.text) {
          case "client_auth": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length !== 1) r.argCount(v[1] ?? o, "`client_auth` takes one of nocert, request, require, verify_if_given, require_and_verify.", lastOf(v, o));
            else if (!CLIENT_AUTH.includes(v[0]!.text))
              r.invalid(v[0]!, `Unknown client_auth '${v[0]!.text}'; use ${CLIENT_AUTH.join(", ")}.`, `unknown authentication type '${v[0]!.text}'`);
            break;
          }
          case "keylog": {
            r.optionVersion(o);
            const v = d.remainingArgTokens();
            if (v.length !== 1) r.argCount(v[1] ?? o, "`keylog` takes one file.", lastOf(v, o));
            else r.warning("PLUGIN_SUSPICIOUS", o, "keylog writes TLS secrets to disk; use it only for debugging.");
            break;
          }
          default:
            r.unknownOption(o, `unknown option '${o.text}'`, ["client_auth", "keylog"]);
            d.remainingArgTokens();
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const sign: PluginDefinition = {
  spec: {
    name: "sign",
    summary: "Signs a zone file with DNSSEC offline and writes the signed copy to disk (re-signing periodically) for the file plugin to serve.",
    group: "security",
    repeatable: true,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("DBFILE", "file", { help: "Unsigned zone file; relative paths are resolved against `root`." }),
      arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to sign; defaults to the server block's zones." }),
    ],
    options: [
      opt("key", [arg("file", "enum", { values: ["file"] }), arg("KEY", "file", { variadic: true })], "Key Signing Key files to sign with (base name, .key or .private).", { repeatable: true }),
      opt("directory", [arg("DIR", "file")], "Where the signed zone (db.<zone>.signed) is written.", { default: "/var/lib/coredns" }),
    ],
    block: "optional",
    syntax: "sign DBFILE [ZONES...] { key file KEY...; directory DIR }",
    versions: { added: "1.6.3" },
  },
  validate(d, r) {
    while (d.next()) {
      const name = d.token();
      if (!d.nextArg()) {
        r.argCount(name, "sign needs the zone file to sign, e.g. `sign db.example.org example.org { key file Kexample.org }`.");
        continue;
      }
      const db = d.token();
      if (db.text.includes("\uFFFD"))
        r.invalid(db, "The file name contains the replacement character U+FFFD (the Corefile probably had bytes that are not UTF-8).", `dbfile ${JSON.stringify(db.text)} contains invalid characters`);
      checkZoneArgs(r, d.remainingArgTokens());
      eachOption(d, (o) => {
        switch (o.text) {
          case "key": {
            if (!d.nextArg()) {
              r.argCount(o, "`key` needs `file` followed by key file names.");
              break;
            }
            const src = d.token();
            if (src.text === "file") {
              if (d.remainingArgTokens().length === 0) r.argCount(src, "`key file` needs at least one key file.");
            } else if (src.text === "directory") {
              r.invalid(src, "`key directory` is not implemented; list the key files with `key file`.", "directory: not implemented");
              d.remainingArgTokens();
            } else {
              r.warning("PLUGIN_SUSPICIOUS", src, `Unknown key source '${src.text}'; CoreDNS ignores this line. Use \`key file NAME\`.`);
            }
            break;
          }
          case "directory": {
            const v = d.remainingArgTokens();
            if (v.length !== 1) r.argCountMsg(v[1] ?? o, "`directory` takes exactly one directory.", 'can only be one argument after "directory"', lastOf(v, o));
            break;
          }
          default:
            unknownProperty(r, o);
            d.remainingArgTokens();
        }
      });
    }
  },
};
