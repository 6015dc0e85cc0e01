/**
 * Directives that change queries or responses: bufsize, dns64, loadbalance, rewrite, header, minimal.
 */
import type { Token } from "../../lexer";
import { checkGoRegexp } from "../goregexp";
import {
  DNS_CLASS_SET,
  DNS_TYPE_SET,
  atoi,
  byteLength,
  isHex,
  parseCIDR,
  parseUint,
  rcodeOf,
} from "../go";
import {
  arg,
  duration,
  eachOption,
  lastOf,
  opt,
  unknownProperty,
  type PluginDefinition,
  Reporter,
} from "./helpers";
import { repeatWarning, reportUnread } from "./operations";

export const bufsize: PluginDefinition = {
  spec: {
    name: "bufsize",
    summary: "Caps the EDNS0 UDP buffer size advertised in queries, to avoid IP fragmentation (DNS Flag Day 2020 recommends 1232).",
    group: "rewriting",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [arg("SIZE", "integer", { optional: true, min: 512, max: 4096, default: "1232" })],
    options: [],
    block: "none",
    syntax: "bufsize [SIZE]",
    versions: { added: "1.6.6" },
  },
  validate(d, r) {
    // CoreDNS returns after the first occurrence: later ones are never read.
    if (!d.next()) return;
    const name = d.token();
    const args = d.remainingArgTokens();
    if (args.length > 1) {
      r.argCount(args[1]!, "bufsize takes one SIZE between 512 and 4096.", lastOf(args, name));
    } else if (args[0]) {
      const t = args[0];
      const n = atoi(t.text);
      if (!n.ok) r.error("PLUGIN_INVALID_VALUE", t, `The buffer size must be a whole number between 512 and 4096; '${t.text}' is not.`, Reporter.argErrText(t));
      else if (n.value < 512 || n.value > 4096)
        r.error("PLUGIN_INVALID_VALUE", t, `The buffer size must be between 512 and 4096 (got ${n.value}); 1232 is the usual choice.`, Reporter.argErrText(t));
    }
    reportUnread(d, r, "bufsize");
  },
};

// ---------------------------------------------------------------------------------------------------------------------

function checkDns64Prefix(r: Reporter, t: Token): void {
  const c = parseCIDR(t.text);
  if (!c.ok) {
    r.invalid(t, `'${t.text}' is not an IPv6 prefix; write e.g. 64:ff9b::/96.`, c.error);
    return;
  }
  if (c.value.bits !== 128) {
    r.invalid(t, "The DNS64 prefix must be an IPv6 prefix.", `invalid netmask ${c.value.bits} IPv6 address: ${JSON.stringify(t.text)}`);
    return;
  }
  const n = c.value.ones;
  if (n % 8 !== 0 || n < 32 || n > 96)
    r.invalid(t, "The prefix length must be 32, 40, 48, 56, 64 or 96 (RFC 6052).", `invalid prefix length ${JSON.stringify(t.text)}`);
}

export const dns64: PluginDefinition = {
  spec: {
    name: "dns64",
    summary: "Synthesises AAAA records from A records (RFC 6147) so IPv6-only clients can reach IPv4-only hosts through a NAT64 gateway.",
    group: "rewriting",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [arg("PREFIX", "cidr", { optional: true, default: "64:ff9b::/96", help: "NAT64 prefix; length 32, 40, 48, 56, 64 or 96." })],
    options: [
      opt("prefix", [arg("PREFIX", "cidr")], "The NAT64 prefix used to build the synthetic IPv6 addresses.", { default: "64:ff9b::/96" }),
      opt("translate_all", [], "Synthesise AAAA records even when real AAAA records exist."),
      opt("allow_ipv4", [], "Also synthesise answers for clients that ask over IPv4.", { versions: { added: "1.8.7" } }),
    ],
    block: "optional",
    syntax: "dns64 [PREFIX] | dns64 { prefix PREFIX; translate_all; allow_ipv4 }",
    versions: { added: "1.7.0" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      if (seen++ > 0 && name.text === "dns64") r.overridingRepeat(name);
      const args = d.remainingArgTokens();
      if (args.length === 1) {
        checkDns64Prefix(r, args[0]!);
        // With a prefix on the line CoreDNS does not read a block: its tokens are taken as a new directive.
        continue;
      }
      if (args.length > 1) r.argCount(args[1]!, "dns64 takes at most one PREFIX argument.", lastOf(args, name));
      eachOption(d, (o) => {
        switch (o.text) {
          case "prefix":
            if (!d.nextArg()) r.argCount(o, "`prefix` needs an IPv6 prefix such as 64:ff9b::/96.");
            else checkDns64Prefix(r, d.token());
            break;
          case "translate_all":
          case "allow_ipv4":
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

export const loadbalance: PluginDefinition = {
  spec: {
    name: "loadbalance",
    summary: "Shuffles the order of A, AAAA and MX records in answers (round robin), or orders them by weights read from a file.",
    group: "rewriting",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("POLICY", "enum", { optional: true, values: ["round_robin", "weighted"], default: "round_robin" }),
      arg("WEIGHTFILE", "file", { optional: true, help: "With `weighted`: the file listing domain names and address weights." }),
    ],
    options: [
      opt("reload", [arg("DURATION", "duration")], "With `weighted`: how often to re-read the weight file (0 disables reloading).", { default: "30s", versions: { added: "1.10.1" } }),
      opt("prefer", [arg("CIDR", "cidr", { variadic: true })], "With round_robin: put addresses inside these networks first in the answer.", { versions: { added: "1.12.4" } }),
    ],
    block: "optional",
    syntax: "loadbalance [round_robin | weighted WEIGHTFILE { reload DURATION }] { prefer CIDR... }",
    versions: { added: "1.0.0" },
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      const name = d.token();
      repeatWarning(r, name, "loadbalance", seen++);
      const args = d.remainingArgTokens();
      const policy = args[0];
      if (policy && policy.text === "round_robin") {
        if (args.length > 1) r.invalid(args[1]!, "round_robin takes no further arguments.", `unknown property for ${policy.text}`, lastOf(args, name));
      } else if (policy && policy.text === "weighted") {
        if (args.length < 2) r.argCountMsg(policy, "weighted needs the path of the weight file: `loadbalance weighted FILE`.", "missing weight file argument");
        if (args.length > 2) r.argCountMsg(args[2]!, "weighted takes exactly one file.", "unexpected argument(s)", lastOf(args, name));
        eachOption(d, (o) => {
          if (o.text !== "reload") {
            unknownProperty(r, o);
            d.remainingArgTokens();
            return;
          }
          r.optionVersion(o);
          const v = d.remainingArgTokens();
          if (v.length < 1) r.argCountMsg(o, "`reload` needs a duration such as 30s (0s disables reloading).", "reload duration value is missing");
          else if (v.length > 1) r.argCountMsg(v[1]!, "`reload` takes one duration.", "unexpected argument", lastOf(v, o));
          else duration(r, v[0]!, "the weight file reload interval", { corednsMessage: () => `invalid reload duration '${v[0]!.text}'` });
        });
      } else if (policy) {
        r.invalid(policy, `Unknown load balancing policy '${policy.text}'; use round_robin or weighted.`, `unknown policy: ${policy.text}`);
      }
      eachOption(d, (o) => {
        if (o.text !== "prefer") {
          unknownProperty(r, o);
          d.remainingArgTokens();
          return;
        }
        r.optionVersion(o);
        for (const t of d.remainingArgTokens()) {
          const c = parseCIDR(t.text);
          if (!c.ok) r.invalid(t, `'${t.text}' is not a CIDR; write e.g. 10.0.0.0/8.`, `invalid CIDR ${JSON.stringify(t.text)}: ${c.error}`);
        }
      });
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// rewrite

const MATCH_TYPES = ["exact", "prefix", "suffix", "substring", "regex"];
const EDNS0_VARIABLES = ["{qname}", "{qtype}", "{client_ip}", "{client_port}", "{protocol}", "{server_ip}", "{server_port}"];

const GROUP_REF = /\{(\d{1,3})\}/g;

/** CoreDNS `getSubExprUsage`: how many distinct `{0}`..`{100}` references the string contains. */
function countSubexpUsage(s: string): number {
  if (!s.includes("{")) return 0;
  const seen = new Set<number>();
  for (const m of s.matchAll(GROUP_REF)) {
    const digits = m[1]!;
    // "{007}" is not "{7}": only the canonical decimal spelling counts.
    const n = Number(digits);
    if (n <= 100 && String(n) === digits) seen.add(n);
  }
  return seen.size;
}

/** `isValidRegexPattern`: compiles `from` and checks that `to` uses no more {N} groups than it has. */
function validRegexPattern(r: Reporter, fromTok: Token, from: string, to: string, toTok: Token, prefix = ""): boolean {
  if (byteLength(from) > 10000) {
    r.invalid(fromTok, "The regular expression is longer than 10000 characters.", `${prefix}regex pattern too long: ${byteLength(from)} > 10000`);
    return false;
  }
  const c = checkGoRegexp(from);
  if (!c.ok) {
    r.invalid(fromTok, `Invalid regular expression: ${c.error}.`, `${prefix}invalid regex matching pattern: ${from}`);
    return false;
  }
  if (countSubexpUsage(to) > c.numSubexp) {
    r.invalid(
      toTok,
      `The replacement uses ${countSubexpUsage(to)} {N} group reference(s) but the pattern '${from}' only has ${c.numSubexp} capture group(s).`,
      `${prefix}the rewrite regex pattern (${to}) uses more subexpressions than its corresponding matching regex pattern (${from})`,
    );
    return false;
  }
  return true;
}

function simpleRegex(r: Reporter, t: Token, what: string): void {
  if (byteLength(t.text) > 10000) r.invalid(t, "The regular expression is longer than 10000 characters.", `regex pattern too long in a ${what} rule: ${byteLength(t.text)} > 10000`);
  else {
    const c = checkGoRegexp(t.text);
    if (!c.ok) r.invalid(t, `Invalid regular expression: ${c.error}.`, `invalid regex pattern in a ${what} rule: ${t.text}`);
  }
}

function nameRule(r: Reporter, anchor: Token, args: readonly Token[]): void {
  if (args.length < 2) {
    r.argCountMsg(lastOf(args, anchor), "A name rule needs FROM and TO, e.g. `rewrite name foo.example.com bar.example.com` (optionally preceded by exact, prefix, suffix, substring or regex).", "too few arguments for a name rule", lastOf(args, anchor));
    return;
  }
  let matchType: string;
  let fromTok: Token;
  let toTok: Token;
  if (args.length === 2) {
    matchType = "exact";
    fromTok = args[0]!;
    toTok = args[1]!;
  } else {
    matchType = args[0]!.text.toLowerCase();
    fromTok = args[1]!;
    toTok = args[2]!;
  }
  if (!MATCH_TYPES.includes(matchType)) {
    r.invalid(
      args[0]!,
      `Unknown name match type '${args[0]!.text}'; use exact, prefix, suffix, substring or regex.`,
      `name rule supports only exact, prefix, suffix, substring, and regex name matching, received: ${matchType}`,
    );
    return;
  }
  const norm = (s: string): string => (s.endsWith(".") ? s : `${s}.`).toLowerCase();
  if (args.length > 3 && !answerRules(r, matchType, args.slice(3), args[2]!)) return;
  if (matchType === "exact") {
    // CoreDNS compiles the (normalised) TO name as a regular expression here.
    validRegexPattern(r, toTok, norm(toTok.text), norm(fromTok.text), fromTok);
  } else if (matchType === "regex") {
    validRegexPattern(r, fromTok, fromTok.text, toTok.text, toTok);
  }
}

function answerRules(r: Reporter, name: string, args: readonly Token[], before: Token): boolean {
  if (args.length < 2) {
    r.argCountMsg(args[0] ?? before, `After '${name}' FROM TO, a response rewrite needs \`answer name FROM TO\`, \`answer value FROM TO\` or \`answer auto\`.`, `invalid arguments for ${name} rule`, lastOf(args, before));
    return false;
  }
  let i = 0;
  let last = "";
  let auto: Token | undefined;
  let nameRules = 0;
  while (i < args.length) {
    if (last === "" && args[i]!.text !== "answer") {
      r.argCountMsg(args[i]!, `Unexpected '${args[i]!.text}': only \`answer ...\` may follow the FROM and TO of a name rule.`, `exceeded the number of arguments for a non-answer rule argument for ${name} rule`, lastOf(args, before));
      return false;
    }
    if (args[i]!.text === "answer") i++;
    if (i >= args.length) {
      r.argCountMsg(args[i - 1]!, "`answer` must be followed by name, value or auto.", `type missing for answer rule for ${name} rule`);
      return false;
    }
    const kindTok = args[i]!;
    last = kindTok.text;
    i++;
    switch (last) {
      case "auto":
        auto = kindTok;
        continue;
      case "name":
      case "value": {
        if (args.length - i < 2) {
          r.argCountMsg(kindTok, `\`answer ${last}\` needs FROM (a regular expression) and TO.`, `${last} answer rule for ${name} rule: 2 arguments required`, lastOf(args, kindTok));
          return false;
        }
        const from = args[i]!;
        const to = args[i + 1]!;
        if (!validRegexPattern(r, from, from.text, to.text, to, `${last} answer rule for ${name} rule: `)) return false;
        i += 2;
        if (last === "name") nameRules++;
        break;
      }
      default:
        r.invalid(kindTok, `Unknown answer rewrite '${last}'; use name, value or auto.`, `invalid type ${JSON.stringify(last)} for answer rule for ${name} rule`);
        return false;
    }
  }
  if (auto && nameRules > 0) {
    r.error("PLUGIN_CONFLICT", auto, "`answer auto` cannot be combined with explicit `answer name` rules; keep one of them.", "auto name answer rule cannot be combined with explicit name anwer rules");
    return false;
  }
  return true;
}

function edns0Rule(r: Reporter, anchor: Token, args: readonly Token[]): void {
  if (args.length < 2) {
    r.argCountMsg(lastOf(args, anchor), "An edns0 rule needs a type (local, nsid, subnet) and an action (set, append, replace, unset).", "too few arguments for an EDNS0 rule", lastOf(args, anchor));
    return;
  }
  const ruleType = args[0]!.text.toLowerCase();
  const action = args[1]!.text.toLowerCase();
  if (!["append", "replace", "set", "unset"].includes(action)) {
    r.invalid(args[1]!, `Unknown edns0 action '${args[1]!.text}'; use set, append, replace or unset.`, `invalid action: ${JSON.stringify(action)}`);
    return;
  }
  const all = args.length + 0; // args here exclude the rule keyword; Go counts "edns0"-relative args
  if (action === "unset") {
    switch (ruleType) {
      case "local":
        if (all !== 3) r.argCountMsg(args[3] ?? args[1]!, "`edns0 local unset` takes exactly one CODE.", "local unset action requires exactly two arguments", lastOf(args, anchor));
        else unsigned16(r, args[2]!);
        return;
      case "nsid":
        if (all !== 2) r.argCountMsg(args[2]!, "`edns0 nsid unset` takes no further arguments.", "nsid unset action requires exactly one argument", lastOf(args, anchor));
        return;
      case "subnet":
        if (all !== 2) r.argCountMsg(args[2]!, "`edns0 subnet unset` takes no further arguments.", "subnet unset action requires exactly one argument", lastOf(args, anchor));
        return;
      default:
        r.invalid(args[0]!, `Unknown edns0 rule type '${args[0]!.text}'; use local, nsid or subnet.`, `invalid rule type ${JSON.stringify(ruleType)}`);
        return;
    }
  }
  let eff = args.slice();
  if (eff.length > 0 && eff[eff.length - 1]!.text === "revert") eff = eff.slice(0, -1);
  switch (ruleType) {
    case "local": {
      if (eff.length !== 4) {
        r.argCountMsg(eff[4] ?? lastOf(eff, anchor), "`edns0 local ACTION` takes a CODE and DATA (and optionally `revert`).", "EDNS0 local rules require three or four args", lastOf(args, anchor));
        return;
      }
      const data = eff[3]!;
      if (data.text.startsWith("{") && data.text.endsWith("}")) {
        if (!unsigned16(r, eff[2]!)) return;
        const v = data.text;
        const inner = v.slice(1, -1);
        const slash = inner.indexOf("/");
        const isLabel = slash > 0 && slash < inner.length - 1;
        if (!EDNS0_VARIABLES.includes(v) && !isLabel)
          r.invalid(data, `Unknown variable ${v}; use one of ${EDNS0_VARIABLES.join(" ")} or a metadata label such as {plugin/name}.`, `unsupported variable name ${JSON.stringify(v)}`);
        return;
      }
      if (!unsigned16(r, eff[2]!)) return;
      if (data.text.startsWith("0x") && !isHex(data.text.slice(2)))
        r.invalid(data, "Data starting with 0x must be an even number of hex digits.", "encoding/hex: invalid byte or odd length hex string");
      return;
    }
    case "nsid":
      if (eff.length !== 2) r.argCountMsg(eff[2]!, "`edns0 nsid ACTION` takes no data (only an optional `revert`).", "EDNS0 NSID rules can accept no more than one arg", lastOf(args, anchor));
      return;
    case "subnet": {
      if (eff.length !== 4) {
        r.argCountMsg(eff[4] ?? lastOf(eff, anchor), "`edns0 subnet ACTION` takes an IPv4 and an IPv6 prefix length (and optionally `revert`).", "EDNS0 subnet rules require three or four args", lastOf(args, anchor));
        return;
      }
      const v4 = parseUint(eff[2]!.text, 0, 16);
      if (!v4.ok) return void r.invalid(eff[2]!, "The IPv4 prefix length must be a number from 0 to 32.", v4.error);
      if (v4.value > 32) return void r.invalid(eff[2]!, "The IPv4 prefix length must be at most 32.", `invalid IPv4 bit mask length ${v4.value}`);
      const v6 = parseUint(eff[3]!.text, 0, 16);
      if (!v6.ok) return void r.invalid(eff[3]!, "The IPv6 prefix length must be a number from 0 to 128.", v6.error);
      if (v6.value > 128) r.invalid(eff[3]!, "The IPv6 prefix length must be at most 128.", `invalid IPv6 bit mask length ${v6.value}`);
      return;
    }
    default:
      r.invalid(args[0]!, `Unknown edns0 rule type '${args[0]!.text}'; use local, nsid or subnet.`, `invalid rule type ${JSON.stringify(ruleType)}`);
  }
}

function unsigned16(r: Reporter, t: Token): boolean {
  const p = parseUint(t.text, 0, 16);
  if (!p.ok) {
    r.invalid(t, `The EDNS0 option code must be a number from 0 to 65535 (decimal or 0x hex); '${t.text}' is not.`, p.error);
    return false;
  }
  return true;
}

function ttlValid(v: string): boolean {
  const s = v.split("-");
  const u = (x: string): number | null => {
    const p = parseUint(x, 10, 32);
    return p.ok ? p.value : null;
  };
  if (s.length === 1) return u(s[0]!) !== null;
  if (s.length === 2) {
    let min = 0;
    let max = 2147483647;
    if (s[0] !== "") {
      const m = u(s[0]!);
      if (m === null) return false;
      min = m;
    }
    if (s[1] === "") {
      if (s[0] === "") return false;
    } else {
      const m = u(s[1]!);
      if (m === null) return false;
      max = m;
    }
    return min <= max;
  }
  return false;
}

function ttlRule(r: Reporter, anchor: Token, args: readonly Token[]): void {
  if (args.length < 2) {
    r.argCountMsg(lastOf(args, anchor), "A ttl rule needs a NAME and a TTL (seconds, or a range such as 30-300, -300 or 30-).", `too few (${args.length}) arguments for a ttl rule`, lastOf(args, anchor));
    return;
  }
  const ttlTok = args.length === 2 ? args[1] : args.length === 3 ? args[2] : undefined;
  const s = ttlTok?.text ?? "";
  if (!ttlValid(s)) {
    r.invalid(ttlTok ?? args[args.length - 1]!, `'${s}' is not a TTL: write seconds (e.g. 30) or a range MIN-MAX, -MAX or MIN-.`, `invalid TTL '${s}' for a ttl rule`);
    return;
  }
  if (args.length === 3) {
    const mt = args[0]!.text.toLowerCase();
    if (!MATCH_TYPES.includes(mt))
      r.invalid(args[0]!, "Unknown match type; use exact, prefix, suffix, substring or regex.", "ttl rule supports only exact, prefix, suffix, substring, and regex name matching");
    else if (mt === "regex") simpleRegex(r, args[1]!, "ttl");
  }
}

function rcodeValid(v: string): boolean {
  const p = parseUint(v, 10, 32);
  if (p.ok && p.value <= 23) return true;
  return rcodeOf(v.toUpperCase()) !== undefined;
}

function rcodeRule(r: Reporter, anchor: Token, args: readonly Token[]): void {
  if (args.length < 3) {
    r.argCountMsg(lastOf(args, anchor), "An rcode rule needs NAME FROM TO, e.g. `rewrite rcode example.com SERVFAIL NXDOMAIN`.", `too few (${args.length}) arguments for a rcode rule`, lastOf(args, anchor));
    return;
  }
  if (args.length > 4) {
    r.argCountMsg(args[4]!, "An rcode rule takes at most [MATCH] NAME FROM TO.", "many few arguments for a rcode rule", lastOf(args, anchor));
    return;
  }
  const [oldTok, newTok] = args.length === 3 ? [args[1]!, args[2]!] : [args[2]!, args[3]!];
  if (!rcodeValid(oldTok.text)) return void r.invalid(oldTok, `'${oldTok.text}' is not a response code (e.g. NOERROR, SERVFAIL, NXDOMAIN, or 0-23).`, `invalid matching RCODE '${oldTok.text}' for a rcode rule`);
  if (!rcodeValid(newTok.text)) return void r.invalid(newTok, `'${newTok.text}' is not a response code (e.g. NOERROR, SERVFAIL, NXDOMAIN, or 0-23).`, `invalid replacement RCODE '${newTok.text}' for a rcode rule`);
  if (args.length === 4) {
    const mt = args[0]!.text.toLowerCase();
    if (!MATCH_TYPES.includes(mt))
      r.invalid(args[0]!, "Unknown match type; use exact, prefix, suffix, substring or regex.", "rcode rule supports only exact, prefix, suffix, substring, and regex name matching");
    else if (mt === "regex") simpleRegex(r, args[1]!, "rcode");
  }
}

function cnameRule(r: Reporter, anchor: Token, args: readonly Token[]): void {
  if (args.length === 3) {
    const mt = args[0]!.text.toLowerCase();
    if (!MATCH_TYPES.includes(mt)) {
      r.invalid(args[0]!, `Unknown cname match type '${args[0]!.text}'; use exact, prefix, suffix, substring or regex.`, `unknown cname rewrite type: ${mt}`);
      return;
    }
    if (mt === "regex") {
      const from = args[1]!.text.toLowerCase();
      if (byteLength(from) > 10000) r.invalid(args[1]!, "The regular expression is longer than 10000 characters.", `regex pattern too long in a cname rule: ${byteLength(from)} > 10000`);
      else {
        const c = checkGoRegexp(from);
        if (!c.ok) r.invalid(args[1]!, `Invalid regular expression: ${c.error}.`, `invalid cname rewrite regex pattern: ${c.error}`);
      }
    }
  } else if (args.length !== 2) {
    r.argCountMsg(args[3] ?? lastOf(args, anchor), "A cname rule takes [MATCH] FROM TO.", `too few (${args.length}) arguments for a cname rule`, lastOf(args, anchor));
  }
}

/** CoreDNS's rewrite `newRule`: `args` are the rule words (everything after the directive name). */
export function checkRewriteRule(r: Reporter, anchor: Token, args: readonly Token[]): void {
  if (args.length === 0) {
    r.argCountMsg(anchor, "rewrite needs a rule, e.g. `rewrite name old.example.com new.example.com`.", "no rule type specified for rewrite");
    return;
  }
  const arg0 = args[0]!.text.toLowerCase();
  let ruleTok: Token;
  let rest: readonly Token[];
  if (arg0 === "continue" || arg0 === "stop") {
    if (args.length < 2) {
      r.argCountMsg(args[0]!, `\`${arg0}\` must be followed by a rule type (name, type, class, edns0, ttl, cname, rcode).`, `${arg0} rule must begin with a rule type`);
      return;
    }
    ruleTok = args[1]!;
    rest = args.slice(2);
  } else {
    ruleTok = args[0]!;
    rest = args.slice(1);
  }
  const ruleType = ruleTok.text.toLowerCase();
  switch (ruleType) {
    case "answer":
      r.invalid(ruleTok, "A response rewrite (`answer ...`) must follow a name rule: `rewrite name FROM TO answer name FROM TO`.", "response rewrites must begin with a name rule");
      return;
    case "name":
      return nameRule(r, ruleTok, rest);
    case "class":
    case "type": {
      if (rest.length !== 2) {
        r.argCountMsg(rest[2] ?? lastOf(rest, ruleTok), `A ${ruleType} rule takes exactly FROM and TO, e.g. \`rewrite ${ruleType} ${ruleType === "type" ? "ANY HINFO" : "CH IN"}\`.`, `${ruleType} rules must have exactly two arguments`, lastOf(rest, ruleTok));
        return;
      }
      const set = ruleType === "class" ? DNS_CLASS_SET : DNS_TYPE_SET;
      for (const t of rest) {
        const u = t.text.toUpperCase();
        if (!set.has(u) || u === "NONE" && ruleType === "type") {
          r.invalid(t, `'${t.text}' is not a DNS ${ruleType === "class" ? "class (IN, CH, HS, CS, NONE, ANY)" : "record type (A, AAAA, MX...)"}.`, `invalid ${ruleType} ${JSON.stringify(u)}`);
          return;
        }
      }
      return;
    }
    case "edns0":
      return edns0Rule(r, ruleTok, rest);
    case "ttl":
      return ttlRule(r, ruleTok, rest);
    case "cname":
      return cnameRule(r, ruleTok, rest);
    case "rcode":
      return rcodeRule(r, ruleTok, rest);
    default:
      r.invalid(
        args[0]!,
        `Unknown rewrite rule '${args[0]!.text}'; rules are name, type, class, edns0, ttl, cname and rcode (optionally preceded by stop or continue).`,
        `invalid rule type ${JSON.stringify(args[0]!.text)}`,
      );
  }
}

export const rewrite: PluginDefinition = {
  spec: {
    name: "rewrite",
    summary: "Rewrites queries (name, type, class, EDNS0 options) before they are resolved, and optionally maps the answers back.",
    group: "rewriting",
    repeatable: true,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("FLOW", "enum", { optional: true, values: ["stop", "continue"], default: "stop", help: "stop: the first matching rule ends rewriting; continue: later rules are applied too." }),
      arg("RULE", "enum", { values: ["name", "type", "class", "edns0", "ttl", "cname", "rcode"] }),
      arg("ARGS", "string", { variadic: true, help: "Depends on the rule, e.g. `name [exact|prefix|suffix|substring|regex] FROM TO [answer ...]`." }),
    ],
    options: [],
    block: "optional",
    syntax: "rewrite [continue|stop] name|type|class|edns0|ttl|cname|rcode ARGS...",
    versions: { added: "1.0.0", note: "ttl rules since 1.2.3, cname since 1.11.0, rcode since 1.11.3." },
    notes: [
      "With fewer than two words on the line, the rule is read from the block instead, one token after another (e.g. `rewrite stop { name regex ... answer name ... }`).",
    ],
  },
  validate(d, r, ctx) {
    void ctx;
    while (d.next()) {
      const first = d.token();
      const args = d.remainingArgTokens();
      if (args.length < 2) while (d.nextBlock()) args.push(d.token());
      checkRewriteRule(r, first, args);
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

const HEADER_FLAGS = ["aa", "ra", "rd"];

export const header: PluginDefinition = {
  spec: {
    name: "header",
    summary: "Sets or clears header flags (AA, RA, RD) on queries before they are resolved or on responses before they are sent.",
    group: "rewriting",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [
      opt("query", [arg("ACTION", "enum", { values: ["set", "clear"] }), arg("FLAGS", "enum", { variadic: true, values: HEADER_FLAGS })], "Change flags of the incoming query.", {
        repeatable: true,
        versions: { added: "1.12.2" },
      }),
      opt("response", [arg("ACTION", "enum", { values: ["set", "clear"] }), arg("FLAGS", "enum", { variadic: true, values: HEADER_FLAGS })], "Change flags of the outgoing response.", {
        repeatable: true,
        versions: { added: "1.12.2" },
      }),
    ],
    block: "required",
    syntax: "header { query|response set|clear FLAGS... }",
    versions: { added: "1.8.5" },
  },
  validate(d, r) {
    let first: Token | undefined;
    let bad = false;
    while (d.next()) {
      const name = d.token();
      first ??= name;
      let rules = 0;
      eachOption(d, (o) => {
        const selector = o.text.toLowerCase();
        if (selector !== "query" && selector !== "response") {
          r.unknownOption(o, `setting up rule: invalid selector=${selector} should be query or response`);
          d.remainingArgTokens();
          bad = true;
          return;
        }
        r.optionVersion(o, selector);
        const action = d.nextArg() ? d.token() : undefined;
        const flags = d.remainingArgTokens();
        if (!action) {
          r.argCountMsg(o, `\`${o.text}\` needs an action (set or clear) and at least one flag (aa, ra, rd).`, "setting up rule: no flag action provided");
          bad = true;
          return;
        }
        if (flags.length < 1) {
          r.argCountMsg(action, `\`${o.text} ${action.text}\` needs at least one flag: aa, ra or rd.`, "setting up rule: invalid length for flags, at least one should be provided");
          bad = true;
          return;
        }
        const a = action.text.toLowerCase();
        if (a !== "set" && a !== "clear") {
          r.invalid(action, `Unknown action '${action.text}'; use set or clear.`, `setting up rule: unknown flag action=${a}, should be set or clear`);
          bad = true;
          return;
        }
        for (const f of flags) {
          if (!HEADER_FLAGS.includes(f.text.toLowerCase())) {
            r.invalid(f, `Unsupported flag '${f.text}'; header can change aa, ra and rd.`, `setting up rule: unknown/unsupported flag=${f.text.toLowerCase()}`);
            bad = true;
          }
        }
        rules += flags.length;
      });
      if (rules > 0) {
        // CoreDNS stops at the first occurrence that has rules; later ones are never read.
        reportUnread(d, r, "header");
        return;
      }
    }
    if (first && !bad)
      r.error("PLUGIN_MISSING_BLOCK", first, "header needs a block with at least one rule, e.g. `header { response set ra }`.", Reporter.argErrText(d.token()));
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const minimal: PluginDefinition = {
  spec: {
    name: "minimal",
    summary: "Strips the authority and additional sections from successful answers to make responses smaller.",
    group: "rewriting",
    repeatable: false,
    canAnswer: false,
    canFallthrough: false,
    forwards: false,
    args: [],
    options: [],
    block: "none",
    syntax: "minimal",
    versions: { added: "1.8.4" },
  },
  validate(d, r) {
    d.next();
    const name = d.token();
    if (d.nextArg()) {
      const t = d.token();
      r.noArgument(t, "minimal", "", lastOf(d.remainingArgTokens(), t));
    }
    reportUnread(d, r, name.text);
  },
};
