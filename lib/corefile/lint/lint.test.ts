/**
 * Every lint rule: a fixture that raises it (code, severity, range) and one that does not; every quick fix, applied,
 * gives a Corefile that parses without new errors, no longer raises the finding and keeps every other line.
 */
import { describe, expect, it } from "vitest";
import { parse } from "../parse";
import { validatePlugin } from "../plugins/index";
import { applyEdits, type TextEdit } from "../text-edit";
import { readCorpus } from "../test-helpers";
import { LINT_CODES, LINT_OVERLAPS, LINT_RULES, lintCorefile, suggestDirective, type LintCode, type LintDiagnostic, type LintOptions } from "./index";

type Where = [line: number, column: number, endLine: number, endColumn: number];

function only(text: string, code: LintCode, options?: LintOptions): LintDiagnostic[] {
  return lintCorefile(text, options).filter((d) => d.code === code);
}

function at(d: LintDiagnostic | undefined): Where {
  return d ? [d.line, d.column, d.endLine, d.endColumn] : [0, 0, 0, 0];
}

function errorCodes(text: string): string[] {
  return parse(text)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => d.code)
    .sort();
}

/** The original lines outside the edited region must come back unchanged (before it, and after it counted from the end). */
function expectOtherLinesKept(before: string, after: string, edits: readonly TextEdit[]): void {
  const lineOf = (off: number): number => before.slice(0, off).split("\n").length - 1;
  const first = Math.min(...edits.map((e) => lineOf(e.start)));
  const last = Math.max(...edits.map((e) => lineOf(e.end)));
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b.slice(0, first)).toEqual(a.slice(0, first));
  const tail = a.length - 1 - last;
  expect(b.slice(b.length - tail)).toEqual(a.slice(a.length - tail));
}

/**
 * Applies the (single) fix of `d`: no new parse errors, the finding is gone (one fewer of its code), other lines kept.
 */
function expectFixWorks(text: string, d: LintDiagnostic, options?: LintOptions): string {
  expect(d.fixes?.length).toBe(1);
  const change = d.fixes?.[0];
  if (!change) throw new Error("no fix");
  const fixed = applyEdits(text, change.edits);
  expect(fixed).not.toBe(text);
  const beforeErrors = errorCodes(text);
  const afterErrors = errorCodes(fixed);
  for (const c of afterErrors) expect(beforeErrors).toContain(c);
  expect(afterErrors.length).toBeLessThanOrEqual(beforeErrors.length);
  const count = (t: string): number => lintCorefile(t, options).filter((x) => x.code === d.code).length;
  expect(count(fixed)).toBe(count(text) - 1);
  expectOtherLinesKept(text, fixed, change.edits);
  return fixed;
}

describe("LINT_RULES", () => {
  it("lists every code once, in SCREAMING_SNAKE", () => {
    expect(new Set(LINT_CODES).size).toBe(LINT_CODES.length);
    for (const c of LINT_CODES) expect(c).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(LINT_CODES).toEqual(Object.keys(LINT_RULES));
    for (const c of LINT_CODES) expect(["error", "warning", "info"]).toContain(LINT_RULES[c].severity);
  });

  it("is documented in LINT.md", async () => {
    const { readFileSync } = await import("node:fs");
    const doc = readFileSync(new URL("../LINT.md", import.meta.url), "utf8");
    for (const c of LINT_CODES) expect(doc).toContain(`\`${c}\``);
  });
});

describe("the kubeadm default Corefile", () => {
  const kubeadm = readCorpus("corefiles/deployment/kubeadm-Corefile.rendered-cluster.local.conf");

  it("has no warnings or errors", () => {
    const ds = lintCorefile(kubeadm);
    expect(ds.filter((d) => d.severity !== "info")).toEqual([]);
  });

  it("only notes that its text order is not the execution order", () => {
    const ds = lintCorefile(kubeadm);
    expect(ds.map((d) => [d.code, d.severity, ...at(d)])).toEqual([["EXECUTION_ORDER", "info", 12, 5, 12, 15]]);
  });

  it("accepts a precomputed parse result and gives the same answer", () => {
    expect(lintCorefile(kubeadm, { parse: parse(kubeadm) })).toEqual(lintCorefile(kubeadm));
  });
});

describe("SERVER_KEY_CONFLICT", () => {
  it("an interface-bound block next to an unbound one on the same zone and port", () => {
    const text = "example.org {\n    bind eth0\n    whoami\n}\nexample.org {\n    whoami\n}\n";
    // parse() cannot resolve interface names, so it stays silent
    expect(parse(text).diagnostics.filter((d) => d.code === "DUPLICATE_SERVER_KEY")).toEqual([]);
    const ds = only(text, "SERVER_KEY_CONFLICT");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["error", 5, 1, 5, 12]]);
  });

  it("two blocks bound to the same interface", () => {
    const text = "example.org:1053 {\n    bind eth0\n}\nexample.org:1053 {\n    bind eth1 eth0\n}\n";
    expect(only(text, "SERVER_KEY_CONFLICT").map(at)).toEqual([[4, 1, 4, 17]]);
  });

  it("not for different interfaces, other ports, views, or what parse() already reports", () => {
    expect(only("example.org {\n    bind eth0\n}\nexample.org {\n    bind eth1\n}\n", "SERVER_KEY_CONFLICT")).toEqual([]);
    expect(only("example.org {\n    bind eth0\n}\nexample.org:1053 {\n    whoami\n}\n", "SERVER_KEY_CONFLICT")).toEqual([]);
    expect(
      only('example.org {\n    bind eth0\n}\nexample.org {\n    view v {\n        expr name() == "a.example.org."\n    }\n}\n', "SERVER_KEY_CONFLICT"),
    ).toEqual([]);
    const dup = "example.org {\n    whoami\n}\nexample.org {\n    whoami\n}\n";
    expect(parse(dup).diagnostics.some((d) => d.code === "DUPLICATE_SERVER_KEY")).toBe(true);
    expect(lintCorefile(dup).filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe("PORT_CONFLICT", () => {
  it("two HTTP endpoints on one port", () => {
    const text = ". {\n    health :8181\n    ready\n    prometheus :9153\n    reload\n    whoami\n}\n";
    const ds = only(text, "PORT_CONFLICT");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 3, 5, 3, 10]]);
  });

  it("two DNS transports on one TCP port", () => {
    const text = ". {\n    whoami\n}\ntls://example.org:53 {\n    tls cert.pem key.pem\n    whoami\n}\n";
    expect(only(text, "PORT_CONFLICT").map(at)).toEqual([[4, 1, 4, 21]]);
  });

  it("not for separate ports, one transport, or different bind addresses", () => {
    expect(only(". {\n    health :8080\n    ready :8181\n    prometheus :9153\n}\n", "PORT_CONFLICT")).toEqual([]);
    expect(only(".:53 {\n    whoami\n}\nexample.org:53 {\n    whoami\n}\n", "PORT_CONFLICT")).toEqual([]);
    expect(only(". {\n    bind 10.0.0.1\n}\ntls://. {\n    bind 10.0.0.2\n    tls a b\n}\n", "PORT_CONFLICT")).toEqual([]);
  });
});

describe("EMPTY_ZONE_FIX", () => {
  it("carries the fix for parse()'s INVALID_SERVER_KEY on ':53'", () => {
    const text = ":53 {\n    whoami\n}\n";
    const p = parse(text);
    const err = p.diagnostics.find((d) => d.code === "INVALID_SERVER_KEY");
    const ds = only(text, "EMPTY_ZONE_FIX");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["info", ...at(err as unknown as LintDiagnostic)]]);
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(fixed).toBe(".:53 {\n    whoami\n}\n");
    expect(parse(fixed).ok).toBe(true);
  });

  it("keeps a transport prefix and a trailing comma", () => {
    const text = "dns://:1053, example.org {\n    whoami\n}\n";
    const ds = only(text, "EMPTY_ZONE_FIX");
    expect(ds.map(at)).toEqual([[1, 1, 1, 13]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe("dns://.:1053, example.org {\n    whoami\n}\n");
  });

  it("not for a valid key or a key broken in another way", () => {
    expect(only(".:53 {\n    whoami\n}\n", "EMPTY_ZONE_FIX")).toEqual([]);
    expect(only("a..b:53 {\n    whoami\n}\n", "EMPTY_ZONE_FIX")).toEqual([]);
  });
});

describe("DID_YOU_MEAN", () => {
  const text = ". {\n    forwrad . 8.8.8.8\n    reload\n    prometheus :9153\n}\n";

  it("sits on parse()'s UNKNOWN_DIRECTIVE and replaces the name", () => {
    const unknown = parse(text).diagnostics.find((d) => d.code === "UNKNOWN_DIRECTIVE");
    const ds = only(text, "DID_YOU_MEAN");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["info", ...at(unknown as unknown as LintDiagnostic)]]);
    expect(ds[0]?.fixes?.[0]?.edits).toEqual([{ start: text.indexOf("forwrad"), end: text.indexOf("forwrad") + 7, newText: "forward" }]);
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(parse(fixed).ok).toBe(true);
  });

  it("suggests close names and aliases, not far ones", () => {
    expect(suggestDirective("kubernets")).toBe("kubernetes");
    expect(suggestDirective("Forward")).toBe("forward");
    expect(suggestDirective("metrics")).toBe("prometheus");
    expect(suggestDirective("helth")).toBe("health");
    expect(suggestDirective("omada")).toBeUndefined();
    expect(suggestDirective("[tls")).toBeUndefined();
  });

  it("not for removed plugins, options outside their block or names nothing resembles", () => {
    expect(only(". {\n    proxy . 8.8.8.8\n}\n", "DID_YOU_MEAN")).toEqual([]);
    expect(only(". {\n    fallthrough\n}\n", "DID_YOU_MEAN")).toEqual([]);
    expect(only(". {\n    zzzzzz\n}\n", "DID_YOU_MEAN")).toEqual([]);
    expect(only(". {\n    forward . 8.8.8.8\n}\n", "DID_YOU_MEAN")).toEqual([]);
  });
});

describe("DUPLICATE_DIRECTIVE", () => {
  const twoForwards = ". {\n    forward example.org 10.0.0.1\n    forward . 8.8.8.8\n}\n";

  it("several forward in one block before CoreDNS 1.9.4 (refused then)", () => {
    const ds = only(twoForwards, "DUPLICATE_DIRECTIVE", { corednsVersion: "1.9.3" });
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["error", 3, 5, 3, 12]]);
  });

  it("not where validatePlugin() already reports PLUGIN_DUPLICATE, nor for allowed repeats", () => {
    const text = ". {\n    cache 30\n    cache 60\n}\n";
    const b = parse(text).serverBlocks[0];
    expect(validatePlugin("cache", b?.tokens["cache"] ?? [], { serverBlockKeys: b?.keys ?? [] }).some((d) => d.code === "PLUGIN_DUPLICATE")).toBe(true);
    expect(only(text, "DUPLICATE_DIRECTIVE")).toEqual([]);
    expect(only(twoForwards, "DUPLICATE_DIRECTIVE")).toEqual([]);
    expect(only(". {\n    log\n    log example.org\n}\n", "DUPLICATE_DIRECTIVE")).toEqual([]);
  });
});

describe("FORWARD_SHADOWED", () => {
  const text = ". {\n    forward . 8.8.8.8\n    forward example.org 10.0.0.1 # corp\n    cache 30\n}\n";

  it("a subzone forward after the forward for '.'", () => {
    const ds = only(text, "FORWARD_SHADOWED");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 3, 13, 3, 24]]);
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(fixed).toBe(". {\n    forward example.org 10.0.0.1 # corp\n    forward . 8.8.8.8\n    cache 30\n}\n");
  });

  it("the same FROM twice: reported, with no fix", () => {
    const ds = only(". {\n    forward . 8.8.8.8\n    forward . 1.1.1.1\n}\n", "FORWARD_SHADOWED");
    expect(ds.map(at)).toEqual([[3, 13, 3, 14]]);
    expect(ds[0]?.fixes).toBeUndefined();
  });

  it("not when the subzone comes first, is excepted, or the first one passes answers on with next", () => {
    expect(only(". {\n    forward example.org 10.0.0.1\n    forward . 8.8.8.8\n}\n", "FORWARD_SHADOWED")).toEqual([]);
    expect(only(". {\n    forward . 8.8.8.8 {\n        except example.org\n    }\n    forward example.org 10.0.0.1\n}\n", "FORWARD_SHADOWED")).toEqual([]);
    expect(only(". {\n    forward . 8.8.8.8 {\n        next NXDOMAIN\n    }\n    forward . 1.1.1.1\n}\n", "FORWARD_SHADOWED")).toEqual([]);
    expect(only(". {\n    forward example.org 10.0.0.1\n    forward example.net 10.0.0.2\n}\n", "FORWARD_SHADOWED")).toEqual([]);
  });
});

describe("RESOLV_CONF_WITHOUT_LOOP", () => {
  const text = ".:53 {\n  forward . /etc/resolv.conf\n  cache 30\n}\n";

  it("forwarding to /etc/resolv.conf without loop", () => {
    const ds = only(text, "RESOLV_CONF_WITHOUT_LOOP");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 2, 13, 2, 29]]);
    // inserted with the block's own indentation
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe(".:53 {\n  forward . /etc/resolv.conf\n  cache 30\n  loop\n}\n");
  });

  it("not with loop, nor when forwarding to IP addresses", () => {
    expect(only(".:53 {\n  forward . /etc/resolv.conf\n  loop\n}\n", "RESOLV_CONF_WITHOUT_LOOP")).toEqual([]);
    expect(only(".:53 {\n  forward . 8.8.8.8\n}\n", "RESOLV_CONF_WITHOUT_LOOP")).toEqual([]);
  });
});

describe("RELOAD_MISSING", () => {
  it("no block has reload", () => {
    const text = "example.org {\n\twhoami\n}\n. {\n\tforward . 8.8.8.8\n}\n";
    const ds = only(text, "RELOAD_MISSING");
    // reported (and fixed) on the root zone's block; tabs as in the file
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 4, 1, 4, 2]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe("example.org {\n\twhoami\n}\n. {\n\tforward . 8.8.8.8\n\treload\n}\n");
  });

  it("keeps CRLF line endings and handles a block without braces", () => {
    const crlf = ". {\r\n    whoami\r\n}\r\n";
    const d = only(crlf, "RELOAD_MISSING")[0] as LintDiagnostic;
    expect(expectFixWorks(crlf, d)).toBe(". {\r\n    whoami\r\n    reload\r\n}\r\n");
    const braceless = ".:53\nwhoami\n";
    const d2 = only(braceless, "RELOAD_MISSING")[0] as LintDiagnostic;
    expect(expectFixWorks(braceless, d2)).toBe(".:53\nwhoami\nreload\n");
  });

  it("not when one block has it, nor while the file does not parse to the end", () => {
    expect(only("example.org {\n    whoami\n}\n. {\n    reload\n}\n", "RELOAD_MISSING")).toEqual([]);
    expect(only(". {\n    whoami\n}\nexample.org {\n    whoami\n", "RELOAD_MISSING")).toEqual([]);
  });
});

describe("PROMETHEUS_MISSING", () => {
  it("a block without prometheus", () => {
    const text = ". {\n    reload\n    forward . 8.8.8.8\n}\n";
    const ds = only(text, "PROMETHEUS_MISSING");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 1, 1, 1, 2]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe(". {\n    reload\n    forward . 8.8.8.8\n    prometheus :9153\n}\n");
  });

  it("in each block that lacks it, all keys covered", () => {
    const text = ". {\n    prometheus :9153\n}\nexample.org example.net {\n    whoami\n}\n";
    expect(only(text, "PROMETHEUS_MISSING").map(at)).toEqual([[4, 1, 4, 24]]);
  });

  it("not when present", () => {
    expect(only(". {\n    prometheus :9153\n}\n", "PROMETHEUS_MISSING")).toEqual([]);
  });
});

describe("PROMETHEUS_UNREACHABLE", () => {
  it("no address (localhost:9153 by default)", () => {
    const text = ". {\n    prometheus\n    reload\n}\n";
    const ds = only(text, "PROMETHEUS_UNREACHABLE");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 2, 5, 2, 15]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe(". {\n    prometheus :9153\n    reload\n}\n");
  });

  it.each(["localhost:9153", "127.0.0.1:9153", "[::1]:9153"])("%s", (addr) => {
    const text = `. {\n    prometheus ${addr}\n}\n`;
    const ds = only(text, "PROMETHEUS_UNREACHABLE");
    expect(ds.map(at)).toEqual([[2, 16, 2, 16 + addr.length]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe(". {\n    prometheus :9153\n}\n");
  });

  it("not on every address", () => {
    expect(only(". {\n    prometheus :9153\n}\n", "PROMETHEUS_UNREACHABLE")).toEqual([]);
    expect(only(". {\n    prometheus 0.0.0.0:9153\n}\n", "PROMETHEUS_UNREACHABLE")).toEqual([]);
  });
});

describe("PROMETHEUS_NONSTANDARD_PORT", () => {
  it("another port than 9153", () => {
    const text = ". {\n    prometheus 0.0.0.0:9253\n}\n";
    const ds = only(text, "PROMETHEUS_NONSTANDARD_PORT");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["info", 2, 16, 2, 28]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe(". {\n    prometheus 0.0.0.0:9153\n}\n");
  });

  it("not on 9153, nor when the port comes from an unset variable", () => {
    expect(only(". {\n    prometheus :9153\n}\n", "PROMETHEUS_NONSTANDARD_PORT")).toEqual([]);
    expect(only(". {\n    prometheus :{$PORT}\n}\n", "PROMETHEUS_NONSTANDARD_PORT")).toEqual([]);
  });
});

describe("HEALTH_REPEATED", () => {
  const text = ". {\n    health {\n        lameduck 5s\n    }\n}\nexample.org {\n    health # again\n    whoami\n}\n";

  it("health in two blocks on the same address", () => {
    const ds = only(text, "HEALTH_REPEATED");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 7, 5, 7, 11]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe(". {\n    health {\n        lameduck 5s\n    }\n}\nexample.org {\n    whoami\n}\n");
  });

  it("not on different ports", () => {
    expect(only(". {\n    health :8080\n}\nexample.org {\n    health :8081\n}\n", "HEALTH_REPEATED")).toEqual([]);
  });
});

describe("READY_SHARED", () => {
  it("ready in two blocks on the same address", () => {
    const text = ". {\n    ready\n}\nexample.org {\n    ready :8181\n}\n";
    expect(only(text, "READY_SHARED").map((d) => [d.severity, ...at(d)])).toEqual([["info", 5, 5, 5, 10]]);
  });

  it("not on different addresses", () => {
    expect(only(". {\n    ready\n}\nexample.org {\n    ready :8182\n}\n", "READY_SHARED")).toEqual([]);
  });
});

describe("KUBERNETES_REVERSE_NO_FALLTHROUGH", () => {
  const head = ".:53 {\n    errors\n";
  const tail = "    forward . /etc/resolv.conf\n    loop\n    reload\n    prometheus :9153\n}\n";

  it("no block: adds one", () => {
    const text = `${head}    kubernetes cluster.local in-addr.arpa ip6.arpa\n${tail}`;
    const ds = only(text, "KUBERNETES_REVERSE_NO_FALLTHROUGH");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 3, 30, 3, 51]]);
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(fixed).toBe(`${head}    kubernetes cluster.local in-addr.arpa ip6.arpa {\n        fallthrough in-addr.arpa ip6.arpa\n    }\n${tail}`);
  });

  it("a block without fallthrough: adds the line with the block's indentation", () => {
    const text = `${head}    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n    }\n${tail}`;
    const ds = only(text, "KUBERNETES_REVERSE_NO_FALLTHROUGH");
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(fixed).toContain("       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n    }\n");
  });

  it("a later fallthrough line replaces the reverse zones (only the last one counts)", () => {
    const text = `${head}    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      fallthrough in-addr.arpa ip6.arpa\n      fallthrough example.local\n    }\n${tail}`;
    const ds = only(text, "KUBERNETES_REVERSE_NO_FALLTHROUGH");
    expect(ds.map(at)).toEqual([[3, 30, 3, 51]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toContain("      fallthrough example.local in-addr.arpa ip6.arpa\n");
  });

  it("a one-line block and a trailing comment", () => {
    const oneLine = `${head}    kubernetes cluster.local in-addr.arpa { ttl 30 }\n${tail}`;
    const d1 = only(oneLine, "KUBERNETES_REVERSE_NO_FALLTHROUGH")[0] as LintDiagnostic;
    expect(expectFixWorks(oneLine, d1)).toContain("    kubernetes cluster.local in-addr.arpa { ttl 30\n        fallthrough in-addr.arpa\n    }\n");
    const commented = `${head}\tkubernetes cluster.local in-addr.arpa # k8s\n${tail}`;
    const d2 = only(commented, "KUBERNETES_REVERSE_NO_FALLTHROUGH")[0] as LintDiagnostic;
    expect(expectFixWorks(commented, d2)).toContain("\tkubernetes cluster.local in-addr.arpa {\n\t    fallthrough in-addr.arpa\n\t} # k8s\n");
  });

  it("reverse zones from the server block's keys", () => {
    const text = "cluster.local 10.0.0.0/8 {\n    kubernetes\n    forward . 8.8.8.8\n}\n";
    const ds = only(text, "KUBERNETES_REVERSE_NO_FALLTHROUGH");
    expect(ds.map(at)).toEqual([[2, 5, 2, 15]]);
    expect(expectFixWorks(text, ds[0] as LintDiagnostic)).toBe("cluster.local 10.0.0.0/8 {\n    kubernetes {\n        fallthrough 10.in-addr.arpa\n    }\n    forward . 8.8.8.8\n}\n");
  });

  it("not with a covering or bare fallthrough, without reverse zones, or with nothing to fall through to", () => {
    expect(only(`${head}    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      fallthrough\n    }\n${tail}`, "KUBERNETES_REVERSE_NO_FALLTHROUGH")).toEqual([]);
    expect(only(`${head}    kubernetes cluster.local 10.in-addr.arpa {\n      fallthrough in-addr.arpa\n    }\n${tail}`, "KUBERNETES_REVERSE_NO_FALLTHROUGH")).toEqual([]);
    expect(only(`${head}    kubernetes cluster.local\n${tail}`, "KUBERNETES_REVERSE_NO_FALLTHROUGH")).toEqual([]);
    expect(only(".:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    cache 30\n}\n", "KUBERNETES_REVERSE_NO_FALLTHROUGH")).toEqual([]);
  });
});

describe("REMOVED_PLUGIN / DEPRECATED_PLUGIN", () => {
  const text = ".:53 {\n    proxy . /etc/resolv.conf 8.8.8.8:53 {\n        except example.org\n    }\n    cache 30\n}\n";

  it("proxy is gone since 1.5.0: error, fixed by renaming to forward", () => {
    const ds = only(text, "REMOVED_PLUGIN");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["error", 2, 5, 2, 10]]);
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(fixed).toBe(text.replace("proxy", "forward"));
    expect(parse(fixed).ok).toBe(true);
  });

  it("deprecated in 1.4.x, fine before", () => {
    expect(only(text, "DEPRECATED_PLUGIN", { corednsVersion: "1.4.0" }).map((d) => [d.severity, ...at(d)])).toEqual([["warning", 2, 5, 2, 10]]);
    expect(only(text, "REMOVED_PLUGIN", { corednsVersion: "1.4.0" })).toEqual([]);
    expect(lintCorefile(text, { corednsVersion: "1.3.1" }).filter((d) => d.code.includes("PLUGIN"))).toEqual([]);
  });

  it("no fix where proxy's syntax does not map to forward", () => {
    const ds = only(".:53 {\n    proxy . 8.8.8.8 {\n        protocol https_google\n    }\n}\n", "REMOVED_PLUGIN");
    expect(ds).toHaveLength(1);
    expect(ds[0]?.fixes).toBeUndefined();
  });

  it("not for current plugins", () => {
    expect(only(".:53 {\n    forward . 8.8.8.8\n}\n", "REMOVED_PLUGIN")).toEqual([]);
  });
});

describe("REMOVED_OPTION / DEPRECATED_OPTION", () => {
  const text = ".:53 {\n    kubernetes cluster.local {\n        pods insecure\n        upstream\n        resyncperiod 30s\n    }\n}\n";

  it("upstream and resyncperiod are gone since 1.7.0: errors, fixed by deleting the lines", () => {
    const ds = only(text, "REMOVED_OPTION");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([
      ["error", 4, 9, 4, 17],
      ["error", 5, 9, 5, 21],
    ]);
    const fixed = expectFixWorks(text, ds[0] as LintDiagnostic);
    expect(fixed).toBe(".:53 {\n    kubernetes cluster.local {\n        pods insecure\n        resyncperiod 30s\n    }\n}\n");
    const all = applyEdits(fixed, only(fixed, "REMOVED_OPTION")[0]?.fixes?.[0]?.edits ?? []);
    expect(parse(all).ok).toBe(true);
    expect(only(all, "REMOVED_OPTION")).toEqual([]);
  });

  it("deprecated, then ignored, before removal", () => {
    const v14 = only(text, "DEPRECATED_OPTION", { corednsVersion: "1.4.0" });
    expect(v14.map((d) => [d.severity, ...at(d)])).toEqual([["warning", 4, 9, 4, 17]]);
    const v16 = only(text, "DEPRECATED_OPTION", { corednsVersion: "1.6.0" });
    expect(v16.map(at)).toEqual([
      [4, 9, 4, 17],
      [5, 9, 5, 21],
    ]);
    expect(v16[0]?.message).toContain("ignored");
    expectFixWorks(text, v16[1] as LintDiagnostic, { corednsVersion: "1.6.0" });
    expect(lintCorefile(text, { corednsVersion: "1.3.1" }).filter((d) => d.code.includes("OPTION"))).toEqual([]);
  });

  it("a removed option with a replacement gets no deleting fix", () => {
    const ds = only(".:53 {\n    kubernetes cluster.local {\n        transfer to *\n    }\n}\n", "REMOVED_OPTION");
    expect(ds.map(at)).toEqual([[3, 9, 3, 17]]);
    expect(ds[0]?.fixes).toBeUndefined();
  });
});

describe("EXECUTION_ORDER", () => {
  it("once, at the first directive written after one that runs later", () => {
    const text = ". {\n    forward . 8.8.8.8\n    cache 30\n    log\n}\n";
    const ds = only(text, "EXECUTION_ORDER");
    expect(ds.map((d) => [d.severity, ...at(d)])).toEqual([["info", 3, 5, 3, 10]]);
    expect(ds[0]?.message).toContain("log → cache → forward");
  });

  it("not when written in execution order, nor for server-wide settings out of place", () => {
    expect(only(". {\n    log\n    cache 30\n    forward . 8.8.8.8\n}\n", "EXECUTION_ORDER")).toEqual([]);
    expect(only(". {\n    errors\n    health\n    reload\n}\n", "EXECUTION_ORDER")).toEqual([]);
  });
});

describe("overlap with parse() and validatePlugin()", () => {
  const cases: [string, string][] = [
    ["EMPTY_ZONE_FIX", ":53 {\n    whoami\n}\n"],
    ["DID_YOU_MEAN", ". {\n    forwrad . 8.8.8.8\n}\n"],
    ["REMOVED_PLUGIN", ". {\n    proxy . 8.8.8.8\n}\n"],
    ["REMOVED_OPTION", ". {\n    kubernetes cluster.local {\n        upstream\n    }\n}\n"],
  ];

  it.each(cases)("%s sits on the range of the code LINT_OVERLAPS names", (code, text) => {
    const d = only(text, code as LintCode)[0] as LintDiagnostic;
    const p = parse(text);
    const others: { code: string; line: number; column: number }[] = [...p.diagnostics];
    for (const b of p.serverBlocks) {
      for (const [name, toks] of Object.entries(b.tokens)) others.push(...validatePlugin(name, toks, { serverBlockKeys: b.keys }));
    }
    const there = others.filter((o) => o.line === d.line && o.column === d.column).map((o) => o.code);
    expect(there.some((c) => LINT_OVERLAPS[code as LintCode]?.includes(c))).toBe(true);
  });

  it("rules that LINT_OVERLAPS does not list add nothing parse() or validatePlugin() already says there", () => {
    const texts = [
      "example.org {\n    bind eth0\n}\nexample.org {\n    whoami\n}\n",
      ". {\n    health :8181\n    ready\n}\n",
      ". {\n    forward . 8.8.8.8\n    forward example.org 10.0.0.1\n    forward example.org 10.0.0.2\n}\n",
      ".:53 {\n    forward . /etc/resolv.conf\n    prometheus\n    health\n}\nexample.org {\n    health\n    ready\n    prometheus :9253\n}\n",
      ".:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . 8.8.8.8\n}\n",
    ];
    let checked = 0;
    for (const text of texts) {
      for (const version of ["1.14.7", "1.9.3"]) {
        const p = parse(text);
        const others: { code: string; severity: string; line: number; column: number }[] = [...p.diagnostics];
        for (const b of p.serverBlocks) {
          for (const [name, toks] of Object.entries(b.tokens)) others.push(...validatePlugin(name, toks, { serverBlockKeys: b.keys, corednsVersion: version }));
        }
        for (const d of lintCorefile(text, { corednsVersion: version })) {
          if (LINT_OVERLAPS[d.code]) continue;
          checked++;
          const same = others.filter((o) => o.severity !== "info" && o.line === d.line && o.column === d.column);
          expect([d.code, same.map((o) => o.code)]).toEqual([d.code, []]);
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});

describe("robustness", () => {
  it("never throws and tolerates broken input", () => {
    for (const t of ["", "{", "}", ". {", ". {\n  forward\n}", "(s) {\n  log\n}\n. {\n  import s\n  import s\n}\n", "\ufeff. {\r\n  prometheus\r\n}\r\n"]) {
      expect(() => lintCorefile(t)).not.toThrow();
    }
  });

  it("reports a snippet imported into several blocks once, and offers no fix inside the snippet", () => {
    const text = "(common) {\n    prometheus\n}\na.org {\n    import common\n    reload\n}\nb.org {\n    import common\n}\n";
    const ds = only(text, "PROMETHEUS_UNREACHABLE");
    expect(ds.map(at)).toEqual([[2, 5, 2, 15]]);
  });

  it("reports findings inside imported files with their own file name and no fix", () => {
    const text = ". {\n    import extra.conf\n    reload\n}\n";
    const ds = lintCorefile(text, { filename: "/etc/coredns/Corefile", files: { "/etc/coredns/extra.conf": "prometheus localhost:9153\n" } });
    const d = ds.find((x) => x.code === "PROMETHEUS_UNREACHABLE");
    expect(d && [d.file, ...at(d)]).toEqual(["/etc/coredns/extra.conf", 1, 12, 1, 26]);
    expect(d?.fixes).toBeUndefined();
  });

  it("falls back to 1.14.7 for a version it cannot read", () => {
    const text = ". {\n    proxy . 8.8.8.8\n}\n";
    expect(only(text, "REMOVED_PLUGIN", { corednsVersion: "latest" })).toHaveLength(1);
    expect(only(text, "DEPRECATED_PLUGIN", { corednsVersion: "v1.4.0" })).toHaveLength(1);
  });
});
