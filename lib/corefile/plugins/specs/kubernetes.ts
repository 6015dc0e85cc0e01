/**
 * Kubernetes directives: autopath, k8s_external, kubernetes (and the label-selector parser kubernetes needs).
 */
import type { Token } from "../../lexer";
import { isReverseZone, normalizeExact, originsFromArgsOrServerBlock } from "../coredns";
import { atoi, parseDuration, parseFloat64 } from "../go";
import { repeatWarning } from "./operations";
import {
  arg,
  checkFallthrough,
  checkZoneArgs,
  eachOption,
  fallthroughOption,
  lastOf,
  opt,
  unknownProperty,
  type PluginDefinition,
} from "./helpers";

// ---------------------------------------------------------------------------------------------------------------------
// Kubernetes label selectors (k8s.io/apimachinery labels.Parse + ParseToLabelSelector)

type SelTok = { kind: "id" | "!" | "!=" | "=" | "==" | "(" | ")" | "," | ">" | "<" | "in" | "notin" | "eos"; text: string };

function lexSelector(s: string): SelTok[] {
  const out: SelTok[] = [];
  let i = 0;
  const special = "=!(),<>";
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (special.includes(c)) {
      const two = s.slice(i, i + 2);
      if (two === "!=" || two === "==") {
        out.push({ kind: two, text: two });
        i += 2;
      } else {
        out.push({ kind: c as SelTok["kind"], text: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]!) && !special.includes(s[j]!)) j++;
    const w = s.slice(i, j);
    out.push({ kind: w === "in" ? "in" : w === "notin" ? "notin" : "id", text: w });
    i = j;
  }
  out.push({ kind: "eos", text: "" });
  return out;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function labelKeyProblem(k: string): string | null {
  const parts = k.split("/");
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) return "prefix part must be non-empty";
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return "prefix part must be a lowercase RFC 1123 subdomain";
  } else return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'";
  if (name.length === 0) return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!QUALIFIED_NAME.test(name)) return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return null;
}

function labelValueProblem(v: string): string | null {
  if (v.length > 63) return "must be no more than 63 characters";
  if (v !== "" && !QUALIFIED_NAME.test(v)) return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return null;
}

/** Parses a label selector; returns an error message or null. */
export function labelSelectorProblem(src: string): string | null {
  const toks = lexSelector(src);
  let p = 0;
  const peek = (): SelTok => toks[p]!;
  const take = (): SelTok => toks[Math.min(p++, toks.length - 1)]!;
  // In value position "in"/"notin" are plain identifiers.
  const asValue = (t: SelTok): SelTok => (t.kind === "in" || t.kind === "notin" ? { kind: "id", text: t.text } : t);
  for (;;) {
    const t = asValue(peek());
    if (t.kind === "eos") return null;
    if (t.kind !== "id" && t.kind !== "!") return `found '${t.text}', expected: !, identifier, or 'end of string'`;
    // requirement
    let tok = asValue(take());
    let notExists = false;
    if (tok.kind === "!") {
      notExists = true;
      tok = asValue(take());
    }
    if (tok.kind !== "id") return `unable to parse requirement: found '${tok.text}', expected: identifier`;
    const kp = labelKeyProblem(tok.text);
    if (kp) return `unable to parse requirement: key: Invalid value: "${tok.text}": ${kp}`;
    const la = asValue(peek());
    if (la.kind === "eos" || la.kind === ",") {
      // exists / does not exist
    } else {
      if (notExists) return `unable to parse requirement: found '${la.text}', expected: ',' or 'end of string'`;
      const op = take();
      const ops = ["in", "notin", "=", "==", "!=", ">", "<"];
      if (!ops.includes(op.kind)) return `unable to parse requirement: found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`;
      if (op.kind === ">" || op.kind === "<") return `${JSON.stringify(op.kind === ">" ? "gt" : "lt")} is not a valid label selector operator`;
      if (op.kind === "in" || op.kind === "notin") {
        const open = asValue(take());
        if (open.kind !== "(") return `unable to parse requirement: found '${open.text}' expected: '('`;
        const values: string[] = [];
        const first = asValue(peek());
        if (first.kind === ")") {
          take();
          values.push("");
        } else if (first.kind === "id" || first.kind === ",") {
          for (;;) {
            const v = asValue(take());
            if (v.kind === "id") {
              values.push(v.text);
              const n = asValue(peek());
              if (n.kind === ",") continue;
              if (n.kind === ")") break;
              return `unable to parse requirement: found '${n.text}', expected: ',' or ')'`;
            } else if (v.kind === ",") {
              if (values.length === 0) values.push("");
              const n = asValue(peek());
              if (n.kind === ")") {
                values.push("");
                break;
              }
              if (n.kind === ",") {
                take();
                values.push("");
              }
            } else return `unable to parse requirement: found '${v.text}', expected: ',', or identifier`;
          }
          const close = asValue(take());
          if (close.kind !== ")") return `unable to parse requirement: found '${close.text}', expected: ')'`;
        } else return `unable to parse requirement: found '${first.text}', expected: ',', ')' or identifier`;
        for (const v of values) {
          const vp = labelValueProblem(v);
          if (vp) return `unable to parse requirement: values[0]: Invalid value: "${v}": ${vp}`;
        }
      } else {
        const n = asValue(peek());
        if (n.kind !== "eos" && n.kind !== ",") {
          const v = asValue(take());
          if (v.kind !== "id") return `unable to parse requirement: found '${v.text}', expected: identifier`;
          const vp = labelValueProblem(v.text);
          if (vp) return `unable to parse requirement: values[0]: Invalid value: "${v.text}": ${vp}`;
        }
      }
    }
    const after = asValue(take());
    if (after.kind === "eos") return null;
    if (after.kind !== ",") return `found '${after.text}', expected: ',' or 'end of string'`;
    const n = asValue(peek());
    if (n.kind !== "id" && n.kind !== "!") return `found '${n.text}', expected: identifier after ','`;
  }
}

// ---------------------------------------------------------------------------------------------------------------------

export const autopath: PluginDefinition = {
  spec: {
    name: "autopath",
    summary: "Follows the client's DNS search path on the server side, so a pod's short-name lookup takes one round trip instead of several NXDOMAINs.",
    group: "kubernetes",
    repeatable: false,
    canAnswer: true,
    canFallthrough: false,
    forwards: false,
    args: [
      arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones autopath applies to; defaults to the server block's zones." }),
      arg("RESOLV-CONF", "string", { help: "A resolv.conf file whose `search` line is used, or @kubernetes to take each pod's search path from the kubernetes plugin." }),
    ],
    options: [],
    block: "none",
    syntax: "autopath [ZONES...] RESOLV-CONF|@kubernetes",
    versions: { added: "1.0.0" },
    notes: ["`@kubernetes` needs `pods verified` in the kubernetes plugin to know which namespace a client is in."],
  },
  validate(d, r) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0 && name.text === "autopath") r.overridingRepeat(name);
      const args = d.remainingArgTokens();
      if (args.length < 1) {
        r.argCountMsg(name, "autopath needs a resolv.conf path or @kubernetes as its last argument, e.g. `autopath @kubernetes`.", "no resolv-conf specified");
        continue;
      }
      const resolv = args[args.length - 1]!;
      checkZoneArgs(r, args.slice(0, -1));
      if (resolv.text.startsWith("@")) {
        if (resolv.text !== "@kubernetes" && resolv.text !== "@erratic")
          r.warning(
            "PLUGIN_SUSPICIOUS",
            resolv,
            `Only kubernetes (and the erratic test plugin) provide search paths; with '${resolv.text}' autopath does nothing, or CoreDNS fails at startup if that plugin is loaded but cannot provide them.`,
          );
      } else if (resolv.text === "") {
        r.invalid(resolv, "The resolv.conf path is empty.", `failed to parse ${JSON.stringify(resolv.text)}: open : no such file or directory`);
      } else if (!resolv.text.includes("/") && !resolv.text.includes(".")) {
        r.warning("PLUGIN_SUSPICIOUS", resolv, `'${resolv.text}' is read as a file name. Did you mean '@${resolv.text}'?`);
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------------------------------

export const k8sExternal: PluginDefinition = {
  spec: {
    name: "k8s_external",
    summary: "Answers for Kubernetes services' external IPs (LoadBalancer/externalIPs) under a zone you own, so clients outside the cluster can resolve them.",
    group: "kubernetes",
    repeatable: false,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to answer for; defaults to the server block's zones." })],
    options: [
      opt("apex", [arg("APEX", "domain")], "Name under the zone used for the zone's SOA/NS records and the name servers' addresses.", { default: "dns" }),
      opt("ttl", [arg("TTL", "integer", { min: 0, max: 3600 })], "TTL of the answers in seconds.", { default: "5" }),
      opt("headless", [], "Also answer for headless services (the addresses of their endpoints).", { versions: { added: "1.9.4" } }),
      fallthroughOption({ versions: { added: "1.11.0" } }),
    ],
    block: "optional",
    syntax: "k8s_external [ZONES...] { apex APEX; ttl TTL; headless; fallthrough [ZONES...] }",
    versions: { added: "1.3.0" },
    notes: ["Needs the kubernetes plugin in the same server block."],
  },
  validate(d, r) {
    let seen = 0;
    while (d.next()) {
      repeatWarning(r, d.token(), "k8s_external", seen++);
      checkZoneArgs(r, d.remainingArgTokens());
      eachOption(d, (o) => {
        r.optionVersion(o);
        switch (o.text) {
          case "ttl": {
            const v = d.remainingArgTokens();
            if (v.length === 0) {
              r.argCount(o, "`ttl` needs a number of seconds (0-3600).");
              break;
            }
            const n = atoi(v[0]!.text);
            if (!n.ok) r.invalid(v[0]!, "The TTL must be a whole number of seconds.", n.error);
            else if (n.value < 0 || n.value > 3600) r.invalid(v[0]!, "The TTL must be between 0 and 3600 seconds.", `ttl must be in range [0, 3600]: ${n.value}`);
            break;
          }
          case "apex":
            if (d.remainingArgTokens().length === 0) r.argCount(o, "`apex` needs a name, e.g. `apex dns`.");
            break;
          case "headless":
            break;
          case "fallthrough":
            checkFallthrough(r, d.remainingArgTokens());
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

const POD_MODES = ["disabled", "insecure", "verified"];

export const kubernetes: PluginDefinition = {
  spec: {
    name: "kubernetes",
    summary: "Serves DNS for Kubernetes services and pods (the cluster.local zone) from the Kubernetes API, per the Kubernetes DNS specification.",
    group: "kubernetes",
    repeatable: false,
    canAnswer: true,
    canFallthrough: true,
    forwards: false,
    args: [arg("ZONES", "zones", { optional: true, variadic: true, help: "Zones to serve (e.g. cluster.local in-addr.arpa ip6.arpa); defaults to the server block's zones." })],
    options: [
      opt("endpoint", [arg("URL", "url")], "Kubernetes API URL when CoreDNS runs outside the cluster; ignored when kubeconfig is set. Only the first URL is used.", {
        versions: { note: "several URLs are deprecated: only the first one is used" },
      }),
      opt("tls", [arg("CERT", "file"), arg("KEY", "file"), arg("CACERT", "file")], "Client certificate, key and CA for a remote API endpoint."),
      opt("kubeconfig", [arg("KUBECONFIG", "file"), arg("CONTEXT", "string", { optional: true })], "Connect using this kubeconfig file (and context).", { versions: { added: "1.2.3" } }),
      opt("apiserver_qps", [arg("QPS", "number", { min: 0 })], "Client-side rate limit (queries per second) for API requests.", { versions: { added: "1.14.0" } }),
      opt("apiserver_burst", [arg("BURST", "integer", { min: 0 })], "Burst allowed above the QPS limit.", { versions: { added: "1.14.0" } }),
      opt("apiserver_max_inflight", [arg("MAX", "integer", { min: 0 })], "Maximum concurrent API requests.", { versions: { added: "1.14.0" } }),
      opt("namespaces", [arg("NAMESPACE", "string", { variadic: true })], "Only expose these namespaces (default: all)."),
      opt("namespace_labels", [arg("EXPRESSION", "label-selector", { variadic: true })], "Only expose namespaces matching this label selector. Cannot be combined with `namespaces`.", { versions: { added: "1.5.0" } }),
      opt("labels", [arg("EXPRESSION", "label-selector", { variadic: true })], "Only expose objects matching this label selector, e.g. `environment in (staging, qa),application=nginx`."),
      opt("pods", [arg("POD-MODE", "enum", { values: POD_MODES })], "How to answer pod A records (1-2-3-4.ns.pod.cluster.local): disabled, insecure (echo the IP, like kube-dns), or verified (only existing pods; costs memory).", {
        default: "disabled",
      }),
      opt("endpoint_pod_names", [], "Name endpoint records after the pod (when the endpoint has no hostname) instead of the dashed IP."),
      opt("ttl", [arg("TTL", "integer", { min: 0, max: 3600 })], "TTL of the answers in seconds.", { default: "5" }),
      opt("noendpoints", [], "Do not watch endpoints: endpoint and headless-service queries get NXDOMAIN.", { versions: { added: "1.0.6" } }),
      fallthroughOption(),
      opt("ignore", [arg("empty_service", "enum", { values: ["empty_service"] })], "`ignore empty_service`: answer NXDOMAIN for services without ready endpoints, so the client tries its next search domain.", {
        versions: { added: "1.1.3" },
      }),
      opt("multicluster", [arg("ZONES", "zones", { optional: true, variadic: true })], "Zones for Multi-Cluster Services (MCS-API); the plugin must also be authoritative for them.", { versions: { added: "1.12.2" } }),
      opt("zonal", [], "Answer zone-scoped names for headless services (e.g. us-west-2a.pin._zone.svc.ns.svc.cluster.local). Needs the endpoint watch.", { versions: { added: "1.14.7" } }),
      opt("startup_timeout", [arg("DURATION", "duration")], "How long to wait for the API caches to sync at startup.", { default: "5s", versions: { added: "1.12.3" } }),
      opt("upstream", [arg("ADDRESS", "string", { optional: true, variadic: true })], "Removed: CoreDNS resolves external names through itself.", {
        versions: { added: "1.0.0", deprecated: "1.4.0", removed: "1.7.0" },
      }),
      opt("resyncperiod", [arg("DURATION", "duration")], "Removed: the API cache resync period is no longer configurable; delete the line.", { versions: { added: "1.0.0", deprecated: "1.5.0", removed: "1.7.0" } }),
      opt("transfer", [arg("to", "string"), arg("ADDRESS", "string", { variadic: true })], "Removed: zone transfers are configured with the transfer plugin.", {
        versions: { added: "1.0.6", removed: "1.8.0", replacedBy: "the `transfer` plugin" },
      }),
    ],
    block: "optional",
    syntax: "kubernetes [ZONES...] { endpoint URL; kubeconfig FILE [CONTEXT]; namespaces NS...; labels EXPR; pods MODE; ttl TTL; fallthrough [ZONES...]; ... }",
    versions: { added: "1.0.0" },
  },
  validate(d, r, ctx) {
    let i = 0;
    while (d.next()) {
      const name = d.token();
      if (i++ > 0) {
        r.once(name);
        break;
      }
      const zoneArgs = d.remainingArgTokens();
      checkZoneArgs(r, zoneArgs);
      const zones = originsFromArgsOrServerBlock(
        zoneArgs.map((t) => t.text),
        ctx.serverBlockKeys,
      );
      if (zones !== undefined && !zones.some((z) => !isReverseZone(z))) {
        r.error(
          "PLUGIN_INVALID_VALUE",
          zoneArgs[0] ?? name,
          "kubernetes needs at least one forward zone such as cluster.local (reverse zones like in-addr.arpa alone are not enough).",
          "non-reverse zone name must be used",
          lastOf(zoneArgs, name),
        );
      }
      let namespaces: Token | undefined;
      let namespaceLabels: Token | undefined;
      let zonal: Token | undefined;
      let noendpoints = false;
      const multicluster: { tok: Token; zone: string }[] = [];
      eachOption(d, (o) => {
        r.optionVersion(o);
        const v = d.remainingArgTokens();
        switch (o.text) {
          case "endpoint_pod_names":
          case "noendpoints":
          case "zonal":
            if (v.length > 0) r.argCount(v[0]!, `\`${o.text}\` takes no arguments.`, lastOf(v, o));
            if (o.text === "zonal") zonal = o;
            if (o.text === "noendpoints") noendpoints = true;
            break;
          case "pods":
            if (v.length !== 1) r.argCount(v[1] ?? o, "`pods` takes one mode: disabled, insecure or verified.");
            else if (!POD_MODES.includes(v[0]!.text))
              r.invalid(v[0]!, `Unknown pods mode '${v[0]!.text}'; use disabled, insecure or verified.`, `wrong value for pods: ${v[0]!.text},  must be one of: disabled, verified, insecure`);
            break;
          case "namespaces":
            if (v.length === 0) r.argCount(o, "`namespaces` needs at least one namespace name.");
            else namespaces = o;
            break;
          case "endpoint":
            if (v.length === 0) r.argCount(o, "`endpoint` needs the API server URL.");
            else if (v.length > 1)
              r.warning("OPTION_DEPRECATED", v[1]!, "Several endpoints are deprecated: CoreDNS only uses the first one.", undefined, lastOf(v, o));
            break;
          case "tls":
            if (v.length !== 3) r.argCount(v[3] ?? lastOf(v, o), "`tls` takes exactly CERT KEY CACERT.", lastOf(v, o));
            break;
          case "labels":
          case "namespace_labels": {
            if (v.length === 0) {
              r.argCount(o, `\`${o.text}\` needs a label selector, e.g. \`${o.text} app=nginx\`.`);
              break;
            }
            const sel = v.map((t) => t.text).join(" ");
            const p = labelSelectorProblem(sel);
            if (p)
              r.invalid(v[0]!, `Invalid label selector: ${p}.`, `unable to parse ${o.text === "labels" ? "label" : "namespace_label"} selector value: '${sel}': ${p}`, lastOf(v, o));
            if (o.text === "namespace_labels") namespaceLabels = o;
            break;
          }
          case "fallthrough":
            checkFallthrough(r, v);
            break;
          case "ttl": {
            if (v.length === 0) {
              r.argCount(o, "`ttl` needs a number of seconds (0-3600).");
              break;
            }
            const n = atoi(v[0]!.text);
            if (!n.ok) r.invalid(v[0]!, "The TTL must be a whole number of seconds.", n.error);
            else if (n.value < 0 || n.value > 3600) r.invalid(v[0]!, "The TTL must be between 0 and 3600 seconds.", `ttl must be in range [0, 3600]: ${n.value}`);
            break;
          }
          case "ignore":
            if (v.length > 0 && v[0]!.text !== "empty_service")
              r.invalid(v[0]!, "The only thing that can be ignored is `empty_service`.", `unable to parse ignore value: '${v[0]!.text}'`);
            break;
          case "kubeconfig":
            if (v.length !== 1 && v.length !== 2) r.argCount(v[2] ?? o, "`kubeconfig` takes a file and an optional context.", lastOf(v, o));
            break;
          case "multicluster":
            for (const t of v) for (const z of normalizeExact(t.text)) multicluster.push({ tok: t, zone: z });
            break;
          case "startup_timeout": {
            if (v.length === 0) {
              r.argCount(o, "`startup_timeout` needs a duration such as 10s.");
              break;
            }
            const p = parseDuration(v[0]!.text);
            if (!p.ok) r.invalid(v[0]!, `'${v[0]!.text}' is not a duration; write e.g. 10s.`, `failed to parse startup_timeout: ${v[0]!.text}, ${p.error}`);
            break;
          }
          case "apiserver_qps": {
            if (v.length !== 1) {
              r.argCount(v[1] ?? o, "`apiserver_qps` takes one number.");
              break;
            }
            const p = parseFloat64(v[0]!.text, 32);
            if (!p.ok) r.invalid(v[0]!, "The QPS must be a number.", `invalid apiserver_qps ${JSON.stringify(v[0]!.text)}: ${p.error}`);
            else if (p.value < 0) r.invalid(v[0]!, "The QPS cannot be negative.", "apiserver_qps must be >= 0");
            break;
          }
          case "apiserver_burst":
          case "apiserver_max_inflight": {
            if (v.length !== 1) {
              r.argCount(v[1] ?? o, `\`${o.text}\` takes one number.`);
              break;
            }
            const n = atoi(v[0]!.text);
            if (!n.ok) r.invalid(v[0]!, `\`${o.text}\` must be a whole number.`, `invalid ${o.text} ${JSON.stringify(v[0]!.text)}: ${n.error}`);
            else if (n.value < 0) r.invalid(v[0]!, `\`${o.text}\` cannot be negative.`, `${o.text} must be >= 0`);
            break;
          }
          default:
            unknownProperty(r, o);
        }
      });
      if (namespaces && namespaceLabels) {
        r.error("PLUGIN_CONFLICT", namespaceLabels, "`namespaces` and `namespace_labels` cannot both be set; keep one of them.", "namespaces and namespace_labels cannot both be set");
      }
      if (zones !== undefined) {
        for (const m of multicluster) {
          if (!zones.includes(m.zone)) {
            r.invalid(
              m.tok,
              `kubernetes is not authoritative for ${m.zone}; add it to the kubernetes zones (e.g. \`kubernetes cluster.local ${m.zone}\`).`,
              `is not authoritative for the multicluster zone ${m.zone} (authoritative zones: [${zones.join(" ")}])`,
            );
          }
        }
      }
      if (zonal && noendpoints) {
        r.error("PLUGIN_CONFLICT", zonal, "`zonal` needs the endpoint watch; remove `noendpoints`.", "zonal requires the endpoint cache; remove noendpoints");
      }
    }
  },
};
