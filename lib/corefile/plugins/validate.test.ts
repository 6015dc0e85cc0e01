import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "../lexer";
import { normalizeExact } from "./coredns";
import { Dispenser } from "./dispenser";
import { checkExpr, COREDNS_EXPR_ENV } from "./exprlang";
import { atoi, isDomainName, isIP, parseCIDR, parseDuration, parseFloat64, parseUint, splitHostPort } from "./go";
import { checkGoRegexp } from "./goregexp";
import { checkGoTemplate } from "./gotemplate";
import { PLUGIN_CATALOG, PLUGIN_DIAGNOSTIC_CODES, validatePlugin, type PluginDiagnostic, type ValidateContext } from "./index";
import { labelSelectorProblem } from "./specs/kubernetes";

function v(text: string, ctx: ValidateContext = { serverBlockKeys: ["."] }): PluginDiagnostic[] {
  const toks = tokenize(text, "Corefile");
  return validatePlugin(toks[0]!.text, toks, ctx);
}
const errors = (text: string, ctx?: ValidateContext) => v(text, ctx).filter((d) => d.severity === "error");
const codes = (text: string, ctx?: ValidateContext) => v(text, ctx).map((d) => d.code);

describe("Go primitives", () => {
  it("parses durations like time.ParseDuration", () => {
    expect(parseDuration("1h30m")).toEqual({ ok: true, value: 5400e9 });
    expect(parseDuration("0")).toEqual({ ok: true, value: 0 });
    expect(parseDuration("1.5s")).toEqual({ ok: true, value: 1.5e9 });
    expect(parseDuration(".5s")).toEqual({ ok: true, value: 0.5e9 });
    expect(parseDuration("-1s")).toEqual({ ok: true, value: -1e9 });
    expect(parseDuration("1µs").ok).toBe(true);
    for (const bad of ["", "5", "1d", ".s", "1.2.3s", "s", "1s2", "+", "9999999999h"]) expect(parseDuration(bad).ok, bad).toBe(false);
  });

  it("parses integers like strconv", () => {
    expect(atoi("+12")).toEqual({ ok: true, value: 12 });
    expect(atoi("-0")).toEqual({ ok: true, value: -0 });
    for (const bad of ["", "1_000", "0x10", "1.0", " 1", "99999999999999999999"]) expect(atoi(bad).ok, bad).toBe(false);
    expect(parseUint("0xffee", 0, 16)).toEqual({ ok: true, value: 0xffee });
    expect(parseUint("0x1_0", 0, 16)).toEqual({ ok: true, value: 16 });
    expect(parseUint("65536", 10, 16).ok).toBe(false);
    expect(parseUint("-1", 10, 32).ok).toBe(false);
    expect(parseFloat64("50.0", 32).ok).toBe(true);
    expect(parseFloat64("1e39", 32).ok).toBe(false);
  });

  it("parses addresses like the net package", () => {
    for (const ip of ["1.2.3.4", "::1", "2001:db8::1", "::ffff:192.0.2.1", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"]) expect(isIP(ip), ip).toBe(true);
    for (const bad of ["1.2.3", "01.2.3.4", "256.1.1.1", "2001::85a3::1", "fe80::1%eth0", "a.b.c.d", ""]) expect(isIP(bad), bad).toBe(false);
    expect(parseCIDR("10.0.0.0/8").ok).toBe(true);
    expect(parseCIDR("192.168.0/16").ok).toBe(false);
    expect(parseCIDR("10.0.0.0/33").ok).toBe(false);
    const c = parseCIDR("64:ff9b::/96");
    expect(c.ok && c.value.bits).toBe(128);
    expect(splitHostPort(":8080")).toEqual({ ok: true, value: { host: "", port: "8080" } });
    expect(splitHostPort("[::1]:53")).toEqual({ ok: true, value: { host: "::1", port: "53" } });
    expect(splitHostPort("bla").ok).toBe(false);
    expect(splitHostPort("::1").ok).toBe(false);
  });

  it("checks domain names like miekg/dns and normalises zones like CoreDNS", () => {
    expect(isDomainName("example.org")).toBe(true);
    expect(isDomainName(".")).toBe(true);
    expect(isDomainName("example..org")).toBe(false);
    expect(isDomainName("x".repeat(64))).toBe(false);
    expect(normalizeExact("Example.ORG:53")).toEqual(["example.org."]);
    expect(normalizeExact("dns://.:53")).toEqual(["."]);
    expect(normalizeExact("10.0.0.0/8")).toEqual(["10.in-addr.arpa."]);
    expect(normalizeExact("10.9.0.0/18")).toHaveLength(64);
    expect(normalizeExact("10.9.0.0/18")[0]).toBe("0.9.10.in-addr.arpa.");
    expect(normalizeExact("2001:db8::/32")).toEqual(["8.b.d.0.1.0.0.2.ip6.arpa."]);
    expect(normalizeExact("foo:")).toEqual([]);
  });
});

describe("Go regexp syntax", () => {
  it("accepts RE2 syntax and counts capture groups", () => {
    expect(checkGoRegexp("(a)(?:b)(?P<c>d)(?<e>f)")).toMatchObject({ ok: true, numSubexp: 3 });
    for (const ok of ["^[a-z0-9-]+\\.example\\.$", "(?i)abc", "a{2,3}?", "[[:alpha:]]", "\\pL+", "\\Q.*\\E", "a{", "x{1001", "\\x{41}", "[]a]", "\\_"])
      expect(checkGoRegexp(ok).ok, ok).toBe(true);
    for (const bad of ["([a]", "a)", "a**", "*a", "(?=x)", "\\1", "[z-a]", "a{2,1}", "a{1001}", "[[:foo:]]", "\\8", "\\", "(?P<>x)", "[a", "\\C"])
      expect(checkGoRegexp(bad).ok, bad).toBe(false);
  });
});

describe("expr-lang and text/template checks", () => {
  it("type-checks expressions", () => {
    expect(checkExpr("name() == 'a.' && incidr(client_ip(), '10.0.0.0/8')", COREDNS_EXPR_ENV, "t")).toEqual({ ok: true, type: "bool" });
    expect(checkExpr("invalid expression", COREDNS_EXPR_ENV, "t").ok).toBe(false);
    expect(checkExpr("undefined == 1", COREDNS_EXPR_ENV, "t").ok).toBe(false);
    expect(checkExpr("1 + 'x'", COREDNS_EXPR_ENV, "t").ok).toBe(false);
    expect(checkExpr("name() ==", COREDNS_EXPR_ENV, "t").ok).toBe(false);
    expect(checkExpr("len([1, 2]) > 1 ? 'a' : 'b'", COREDNS_EXPR_ENV, "t").ok).toBe(true);
  });

  it("parses Go templates", () => {
    expect(checkGoTemplate('{{ .Name }} 60 IN A {{ if .Var.x }}1.2.3.4{{ else }}5.6.7.8{{ end }}', "answer").ok).toBe(true);
    expect(checkGoTemplate("{{ parseInt .Group.b 16 8 }}", "answer").ok).toBe(true);
    expect(checkGoTemplate("{{", "answer").ok).toBe(false);
    expect(checkGoTemplate("{{ notAFunction }}", "answer").ok).toBe(false);
    expect(checkGoTemplate("{{ if .X }}", "answer").ok).toBe(false);
    expect(checkGoTemplate("{{ end }}", "answer").ok).toBe(false);
  });

  it("parses Kubernetes label selectors", () => {
    expect(labelSelectorProblem("environment in (production, staging, qa),application=nginx")).toBeNull();
    expect(labelSelectorProblem("!canary,tier!=frontend")).toBeNull();
    expect(labelSelectorProblem("environment in (production, qa")).not.toBeNull();
    expect(labelSelectorProblem("a=b c")).not.toBeNull();
    expect(labelSelectorProblem("x>1")).not.toBeNull();
  });
});

describe("caddy dispenser", () => {
  it("treats a quoted token spanning lines as ending on its last line", () => {
    const d = new Dispenser(tokenize('a "b\nc" d\ne', "f"));
    d.next();
    expect(d.remainingArgs()).toEqual(["b\nc", "d"]);
    d.next();
    expect(d.val()).toBe("e");
  });

  it("reads a block only when `{` is on the directive line", () => {
    const d = new Dispenser(tokenize("x\n{\ny\n}", "f"));
    d.next();
    expect(d.nextBlock()).toBe(false);
  });
});

describe("validatePlugin", () => {
  it("points at the offending token and quotes CoreDNS", () => {
    const [d] = errors("forward . 8.8.8.8 {\n  max_fails abc\n}");
    expect(d).toMatchObject({ code: "PLUGIN_INVALID_VALUE", line: 2, column: 13, endLine: 2, endColumn: 16, file: "Corefile" });
    expect(d!.corednsMessage).toContain("invalid syntax");
  });

  it("suggests the closest option name", () => {
    const [d] = errors("forward . 8.8.8.8 {\n  force_tpc\n}");
    expect(d!.code).toBe("PLUGIN_UNKNOWN_OPTION");
    expect(d!.message).toContain("Did you mean 'force_tcp'?");
    expect(d!.corednsMessage).toBe("unknown property 'force_tpc'");
  });

  it("reports extra values on an option line once", () => {
    const d = errors("forward . 8.8.8.8 {\n  max_fails 3 4 5\n}");
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: "PLUGIN_WRONG_ARG_COUNT", column: 15, endColumn: 18 });
  });

  it("accepts typical Kubernetes Corefile directives", () => {
    const ctx = { serverBlockKeys: [".:53"] };
    for (const text of [
      "errors",
      "health {\n lameduck 5s\n}",
      "ready",
      "kubernetes cluster.local in-addr.arpa ip6.arpa {\n pods insecure\n fallthrough in-addr.arpa ip6.arpa\n ttl 30\n}",
      "prometheus :9153",
      "forward . /etc/resolv.conf {\n max_concurrent 1000\n}",
      "cache 30 {\n disable success cluster.local\n disable denial cluster.local\n}",
      "loop",
      "reload",
      "loadbalance",
    ])
      expect(errors(text, ctx), text).toEqual([]);
  });

  it("knows 'only once' rules", () => {
    expect(codes("cache 30\ncache 60")).toContain("PLUGIN_DUPLICATE");
    expect(errors("cache 30\ncache 60")[0]!.corednsMessage).toBe("this plugin can only be used once per Server Block");
    expect(v("whoami\nwhoami").map((d) => [d.code, d.severity])).toEqual([["PLUGIN_DUPLICATE", "warning"]]);
    expect(errors("log\nlog example.org")).toEqual([]);
  });

  it("uses the server-block keys for default zones", () => {
    expect(errors("kubernetes", { serverBlockKeys: ["in-addr.arpa:53"] })[0]!.corednsMessage).toBe("non-reverse zone name must be used");
    expect(errors("kubernetes", { serverBlockKeys: ["cluster.local:53"] })).toEqual([]);
    expect(errors("kubernetes", {})).toEqual([]); // keys unknown: not checked
    expect(errors("shed", { serverBlockKeys: ["tls://.:853"] })[0]!.code).toBe("PLUGIN_INVALID_CONTEXT");
  });

  it("knows versions", () => {
    expect(codes("forward . 1.1.1.1 {\n next_on_nodata\n}", { corednsVersion: "1.14.0" })).toEqual(["OPTION_NOT_YET_AVAILABLE"]);
    expect(codes("forward . 1.1.1.1 {\n next_on_nodata\n}", { corednsVersion: "1.14.7" })).toEqual([]);
    expect(codes("shed", { corednsVersion: "1.12.0", serverBlockKeys: [] })).toEqual(["PLUGIN_NOT_YET_AVAILABLE"]);
    expect(codes("template IN A {\n var x 1\n}", { corednsVersion: "1.14.7" })).toEqual(["OPTION_NOT_YET_AVAILABLE"]);
    expect(codes("template IN A {\n var x 1\n}")).toEqual([]);
    expect(codes("kubernetes cluster.local {\n upstream\n}")).toEqual(["OPTION_REMOVED"]);
    expect(codes("kubernetes cluster.local {\n upstream\n}", { corednsVersion: "1.5.0" })).toEqual(["OPTION_DEPRECATED"]);
    expect(codes("proxy . 8.8.8.8")).toEqual(["PLUGIN_REMOVED"]);
    expect(codes("proxy . 8.8.8.8", { corednsVersion: "1.4.0" })).toEqual(["PLUGIN_DEPRECATED"]);
    expect(codes("proxy . 8.8.8.8", { corednsVersion: "1.3.1" })).toEqual([]);
    expect(codes("etcd {\n stubzones\n}")).toEqual(["OPTION_DEPRECATED"]);
  });

  it("rejects names that are not directives", () => {
    expect(codes("frobnicate x")).toEqual(["PLUGIN_UNKNOWN"]);
    expect(validatePlugin("forward", [])).toEqual([]);
  });

  it("does not touch the machine: files, host names and interfaces are accepted", () => {
    expect(errors("forward . dns.example.net")).toEqual([]);
    expect(errors("hosts /does/not/exist example.org")).toEqual([]);
    expect(errors("tls cert.pem key.pem ca.pem")).toEqual([]);
    expect(errors("bind eth0 lo")).toEqual([]);
    expect(errors("geoip /nope.mmdb")).toEqual([]);
  });

  it("only uses documented codes", () => {
    const all = [
      ...v("cache 0"),
      ...v("forward . 8.8.8.8 {\n tls a b c d\n}"),
      ...v("rewrite name regex (a b"),
      ...v("timeouts"),
      ...v("secondary"),
      ...v("reload 10s {\n foo\n}"),
    ];
    expect(all.length).toBeGreaterThan(4);
    for (const d of all) expect(PLUGIN_DIAGNOSTIC_CODES).toContain(d.code);
  });
});

describe("robustness", () => {
  it("never throws and always returns well-formed diagnostics", () => {
    const words = ["{", "}", "{", "}", ".", "example.org", "1.2.3.4", "::1", "10.0.0.0/8", "30s", "-1", "0", "65536", "abc", '"x y"', "*", "@kubernetes", "tls://1.1.1.1", "regex", "(a", "answer", "name", "from", "to", "all", "IN", "A", "{{", "fallthrough", "upstream", "\\n"];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const spec of PLUGIN_CATALOG) {
      const vocab = [...words, ...spec.options.map((o) => o.name)];
      for (let k = 0; k < 150; k++) {
        const lines: string[] = [];
        const nLines = 1 + rnd(5);
        for (let l = 0; l < nLines; l++) {
          const n = rnd(5);
          const parts = l === 0 || rnd(4) === 0 ? [spec.name] : [];
          for (let i = 0; i < n; i++) parts.push(vocab[rnd(vocab.length)]!);
          lines.push(parts.join(" "));
        }
        const text = lines.join("\n");
        const toks = tokenize(text, "Corefile");
        if (toks.length === 0) continue;
        const diags = validatePlugin(spec.name, toks, { serverBlockKeys: rnd(2) ? ["."] : undefined, corednsVersion: rnd(3) === 0 ? "1.8.0" : undefined });
        for (const d of diags) {
          expect(PLUGIN_DIAGNOSTIC_CODES, text).toContain(d.code);
          expect(d.line, text).toBeGreaterThanOrEqual(1);
          expect(d.endLine * 100000 + d.endColumn, text).toBeGreaterThan(d.line * 100000 + d.column - 1);
          expect(d.message.length, text).toBeGreaterThan(5);
        }
      }
    }
  });
});

describe("performance", () => {
  /** Groups a Corefile's tokens by server block and directive (a minimal caddy parser for the benchmark). */
  function groups(text: string): { keys: string[]; directives: Map<string, Token[]> }[] {
    const toks = tokenize(text, "Corefile");
    const out: { keys: string[]; directives: Map<string, Token[]> }[] = [];
    let i = 0;
    while (i < toks.length) {
      const keys: string[] = [];
      while (i < toks.length && toks[i]!.text !== "{") keys.push(toks[i++]!.text);
      i++;
      const directives = new Map<string, Token[]>();
      while (i < toks.length && toks[i]!.text !== "}") {
        const name = toks[i]!.text;
        const list = directives.get(name) ?? [];
        list.push(toks[i++]!);
        let nesting = 0;
        while (i < toks.length) {
          const t = toks[i]!;
          if (t.text === "{") nesting++;
          else if (nesting === 0 && t.line > toks[i - 1]!.endLine) break;
          else if (t.text === "}") {
            if (nesting === 0) break;
            nesting--;
          }
          list.push(t);
          i++;
        }
        directives.set(name, list);
      }
      i++;
      out.push({ keys, directives });
    }
    return out;
  }

  it("re-validates a 500-line Corefile in well under 5 ms", () => {
    const block = (n: number) => `zone${n}.example:53 {
    errors
    log . "{remote} {type} {name} {rcode}" {
        class denial error
    }
    cache 30 {
        success 9984 300 5
        denial 9984 60
        prefetch 10 1m 20%
        serve_stale 1h verify 100ms 30s
    }
    rewrite stop {
        name regex (.*)\\.zone${n}\\.example {1}.internal.svc.cluster.local
        answer name (.*)\\.internal\\.svc\\.cluster\\.local {1}.zone${n}.example
    }
    template IN A zone${n}.example {
        match ^ip-(?P<a>[0-9]+)-(?P<b>[0-9]+)[.]zone${n}[.]example[.]$
        answer "{{ .Name }} 60 IN A 10.0.{{ .Group.a }}.{{ .Group.b }}"
        fallthrough
    }
    hosts {
        10.0.0.${n % 250} host${n}.zone${n}.example
        fallthrough
    }
    acl {
        allow net 10.0.0.0/8
        block type ANY
    }
    forward . 10.0.0.1 tls://9.9.9.9 {
        tls_servername dns.quad9.net
        health_check 5s
        max_concurrent 1000
        policy sequential
    }
}
`;
    let text = "";
    let n = 0;
    while (text.split("\n").length < 500) text += block(n++);
    const lines = text.split("\n").length;
    expect(lines).toBeGreaterThanOrEqual(500);
    const gs = groups(text);
    const run = () => {
      let count = 0;
      for (const g of gs) for (const [name, toks] of g.directives) count += validatePlugin(name, toks, { serverBlockKeys: g.keys }).length;
      return count;
    };
    expect(run()).toBe(0);
    for (let i = 0; i < 20; i++) run(); // warm up
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(`validatePlugin over a ${lines}-line Corefile (${gs.length} server blocks): median ${median.toFixed(3)} ms`);
    expect(median).toBeLessThan(5);
  });
});
