import { describe, expect, it } from "vitest";
import { applyEdits } from "@/lib/corefile";
import { buildBoard, describePluginForm, readForm, validateForm, type FormValues, type ServerBlockCard } from "@/lib/board";
import { cacheModel, type CacheState } from "./cache-model";
import { forwardModel, moveRow, type ForwardState } from "./forward-model";
import { createGenericModel, findShiftedFields } from "./generic-model";
import { hostsModel, type HostsState } from "./hosts-model";
import { kubernetesModel, type KubernetesState } from "./kubernetes-model";
import { orderLikeWrite, trimPositional } from "./options-model";
import { changeField, rewriteModel, type RewriteState } from "./rewrite-model";
import { writeFormValues } from "./write-values";

function idOf(text: string, name: string): string {
  const block = buildBoard(text).items.find((i): i is ServerBlockCard => i.kind === "server");
  const card = block?.items.find((c) => c.kind === "directive" && c.name === name);
  if (!card) throw new Error(`no ${name}`);
  return card.id;
}

function valuesOf(text: string, name: string): FormValues {
  const r = readForm(text, { id: idOf(text, name) });
  if (!r.ok) throw new Error(r.reason);
  return r.values;
}

/** Applies a state change through the model and writeForm, and returns the new text. */
function edit<S>(text: string, name: string, model: { read(v: FormValues): S | null; write(s: S, b: FormValues): FormValues }, change: (s: S) => S): string {
  const base = valuesOf(text, name);
  const state = model.read(base);
  if (!state) throw new Error("editor does not fit");
  const r = writeFormValues(text, { id: idOf(text, name), plugin: name, values: model.write(change(state), base) });
  if (!r.ok) throw new Error(r.reason);
  return applyEdits(text, r.edits);
}

describe("orderLikeWrite", () => {
  it("puts lines where writeForm will", () => {
    const base = [
      { name: "a", args: ["1"] },
      { name: "b", args: [] },
      { name: "a", args: ["2"] },
      { name: "c", args: [] },
    ];
    const next = [
      { name: "a", args: ["1"] },
      { name: "a", args: ["2"] },
      { name: "a", args: ["3"] },
      { name: "d", args: [] },
      { name: "c", args: ["x"] },
    ];
    expect(orderLikeWrite(base, next).map((o) => `${o.name}${o.args.join("")}`)).toEqual(["a1", "a2", "a3", "cx", "d"]);
  });

  it("fills gaps in positional values with defaults and drops trailing empties", () => {
    expect(trimPositional(["100", "", "5"], [undefined, "3600"])).toEqual(["100", "3600", "5"]);
    expect(trimPositional(["100", " ", ""])).toEqual(["100"]);
  });
});

describe("hosts", () => {
  const TEXT = `. {
    hosts /etc/coredns/hosts example.org {
        10.0.0.1 a.example.org
        # the second one
        10.0.0.2 b.example.org b
        ttl 60
        fallthrough
    }
}
`;

  it("reads the entry table and the options", () => {
    const s = hostsModel.read(valuesOf(TEXT, "hosts"));
    expect(s).toEqual<HostsState>({
      file: "/etc/coredns/hosts",
      zones: ["example.org"],
      entries: [
        { ip: "10.0.0.1", names: "a.example.org" },
        { ip: "10.0.0.2", names: "b.example.org b" },
      ],
      ttl: "60",
      isNoReverse: false,
      reload: "",
      fallthrough: [],
      isFallthroughUnsupported: false,
      rest: [],
    });
  });

  it("adds an entry before fallthrough, where CoreDNS reads it", () => {
    const out = edit(TEXT, "hosts", hostsModel, (s) => ({ ...s, entries: [...s.entries, { ip: "10.0.0.3", names: "c.example.org" }], isNoReverse: true }));
    expect(out).toContain("        10.0.0.2 b.example.org b\n        10.0.0.3 c.example.org\n");
    const values = valuesOf(out, "hosts");
    expect(values.options.map((o) => o.name).indexOf("fallthrough")).toBeGreaterThan(values.options.map((o) => o.name).indexOf("10.0.0.3"));
    expect(validateForm("hosts", values).ok).toBe(true);
    expect(out).toContain("# the second one");
  });

  it("edits names in place and removes rows", () => {
    const out = edit(TEXT, "hosts", hostsModel, (s) => ({ ...s, entries: [{ ip: "10.0.0.1", names: "a.example.org  alias" }], fallthrough: null }));
    expect(out).toBe(`. {
    hosts /etc/coredns/hosts example.org {
        10.0.0.1 a.example.org alias
        ttl 60
    }
}
`);
  });

  it("writes /etc/hosts when zones are given without a file", () => {
    const s = hostsModel.read({ args: [], options: [] }) as HostsState;
    expect(hostsModel.write({ ...s, zones: ["example.org"] }, { args: [], options: [] }).args).toEqual(["/etc/hosts", "example.org"]);
  });
});

describe("rewrite", () => {
  it("reads a name rule with its answer rewrite and writes a changed match type", () => {
    const text = `. {\n    rewrite stop name regex (.*)\\.a\\.org {1}.b.org answer name (.*)\\.b\\.org {1}.a.org\n}\n`;
    const s = rewriteModel.read(valuesOf(text, "rewrite")) as RewriteState;
    expect(s).toMatchObject({ layout: "line", flow: "stop", field: "name", match: "regex", operands: ["(.*)\\.a\\.org", "{1}.b.org"] });
    expect(s.answers).toEqual([{ kind: "name", from: "(.*)\\.b\\.org", to: "{1}.a.org", hasKeyword: true }]);
    const out = edit(text, "rewrite", rewriteModel, (r): RewriteState => ({ ...r, match: "suffix", operands: [".a.org.", ".b.org."], answers: [{ kind: "auto", from: "", to: "", hasKeyword: true }] }));
    expect(out).toBe(`. {\n    rewrite stop name suffix .a.org. .b.org. answer auto\n}\n`);
  });

  it("keeps the block layout and writes each answer on its own line", () => {
    const text = `. {\n    rewrite stop {\n        name regex (.*)-x\\.org {1}.y.org\n        answer name (.*)\\.y\\.org {1}-x.org\n    }\n}\n`;
    const s = rewriteModel.read(valuesOf(text, "rewrite")) as RewriteState;
    expect(s.layout).toBe("block");
    const out = edit(text, "rewrite", rewriteModel, (r): RewriteState => ({ ...r, answers: [...r.answers, { kind: "value", from: "(.*)\\.y\\.org", to: "{1}.x.org", hasKeyword: true }] }));
    expect(out).toContain("        answer name (.*)\\.y\\.org {1}-x.org\n        answer value (.*)\\.y\\.org {1}.x.org\n    }");
  });

  it("reads the other fields, and changing the field keeps what fits", () => {
    expect(rewriteModel.read({ args: ["continue", "ttl", "example.com.", "30-300"], options: [] })).toMatchObject({ field: "ttl", flow: "continue", operands: ["example.com.", "30-300"] });
    expect(rewriteModel.read({ args: ["rcode", "suffix", "example.org", "SERVFAIL", "NOERROR"], options: [] })).toMatchObject({ match: "suffix", operands: ["example.org", "SERVFAIL", "NOERROR"] });
    expect(rewriteModel.read({ args: ["edns0", "local", "set", "0xffee", "abcd"], options: [] })).toMatchObject({ field: "edns0", operands: ["local", "set", "0xffee", "abcd"] });
    const s = rewriteModel.read({ args: ["name", "a.org", "b.org"], options: [] }) as RewriteState;
    expect(s.match).toBe("");
    const t = changeField(s, "rcode");
    expect(t.operands).toEqual(["a.org", "b.org", ""]);
    expect(rewriteModel.write(changeField(s, "type"), { args: [], options: [] })).toEqual({ args: ["type", "a.org", "b.org"], options: [] });
  });

  it("leaves rules it cannot show faithfully to the generic form", () => {
    expect(rewriteModel.read({ args: ["name", "a"], options: [] })).toBeNull();
    expect(rewriteModel.read({ args: ["bogus", "a", "b"], options: [] })).toBeNull();
    expect(rewriteModel.read({ args: ["type", "A", "AAAA", "answer", "auto"], options: [] })).toBeNull();
  });
});

describe("kubernetes", () => {
  const TEXT = `.:53 {
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
}
`;
  it("reads zones and options and writes changes in place", () => {
    const s = kubernetesModel.read(valuesOf(TEXT, "kubernetes")) as KubernetesState;
    expect(s).toMatchObject({ zones: ["cluster.local", "in-addr.arpa", "ip6.arpa"], pods: "insecure", fallthrough: ["in-addr.arpa", "ip6.arpa"], ttl: "30", namespaces: [] });
    const out = edit(TEXT, "kubernetes", kubernetesModel, (k) => ({ ...k, pods: "verified", namespaces: ["default", "kube-system"], zones: ["cluster.local"] }));
    expect(out).toBe(`.:53 {
    kubernetes cluster.local {
        pods verified
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
        namespaces default kube-system
    }
}
`);
  });

  it("writes kubeconfig with its context", () => {
    const s = kubernetesModel.read({ args: [], options: [] }) as KubernetesState;
    expect(kubernetesModel.write({ ...s, kubeconfig: "/kube/config", kubeconfigContext: "prod" }, { args: [], options: [] }).options).toEqual([{ name: "kubeconfig", args: ["/kube/config", "prod"] }]);
  });
});

describe("forward", () => {
  const TEXT = `. {
    forward . 8.8.8.8 tls://9.9.9.9 {
        tls_servername dns.quad9.net
        max_concurrent 1000
        except internal.example
    }
}
`;
  it("reads upstreams with their TLS switch, keeps other options, and reorders", () => {
    const s = forwardModel.read(valuesOf(TEXT, "forward")) as ForwardState;
    expect(s.upstreams).toEqual([
      { address: "8.8.8.8", isTls: false },
      { address: "9.9.9.9", isTls: true },
    ]);
    expect(s.rest).toEqual([{ name: "except", args: ["internal.example"] }]);
    const out = edit(TEXT, "forward", forwardModel, (f) => ({
      ...f,
      upstreams: moveRow([...f.upstreams, { address: "1.1.1.1", isTls: true }], 2, -1),
      policy: "sequential",
      isHealthNoRec: true,
    }));
    expect(out).toBe(`. {
    forward . 8.8.8.8 tls://1.1.1.1 tls://9.9.9.9 {
        tls_servername dns.quad9.net
        max_concurrent 1000
        except internal.example
        policy sequential
        health_check 0.5s no_rec
    }
}
`);
  });

  it("reads health_check variants and refuses an order it would not keep", () => {
    expect(forwardModel.read({ args: [".", "1.1.1.1"], options: [{ name: "health_check", args: ["5s", "no_rec", "domain", "example.org"] }] })).toMatchObject({
      healthCheck: "5s",
      isHealthNoRec: true,
      healthDomain: "example.org",
    });
    expect(forwardModel.read({ args: [".", "1.1.1.1"], options: [{ name: "health_check", args: ["5s", "domain", "example.org", "no_rec"] }] })).toBeNull();
  });
});

describe("cache", () => {
  const TEXT = `. {
    cache 30 {
        success 9984 30
        denial 9984 5
        disable denial example.org
    }
}
`;
  it("reads TTL, buckets and disable rows", () => {
    const s = cacheModel.read(valuesOf(TEXT, "cache")) as CacheState;
    expect(s).toMatchObject({
      ttl: "30",
      zones: [],
      success: { capacity: "9984", ttl: "30", minTtl: "" },
      denial: { capacity: "9984", ttl: "5", minTtl: "" },
      disable: [{ type: "denial", zones: "example.org" }],
      prefetch: null,
      serveStale: null,
    });
  });

  it("writes TTL, minimum TTL (filling the gap), prefetch and serve_stale", () => {
    const out = edit(TEXT, "cache", cacheModel, (c) => ({
      ...c,
      ttl: "300",
      success: { capacity: "10000", ttl: "", minTtl: "10" },
      denial: null,
      prefetch: { amount: "10", duration: "", percentage: "" },
      serveStale: { duration: "1h", mode: "verify", extra: "" },
    }));
    expect(out).toBe(`. {
    cache 300 {
        success 10000 3600 10
        disable denial example.org
        prefetch 10
        serve_stale 1h verify
    }
}
`);
  });
});

describe("checks the validator cannot make", () => {
  it("flags a cache TTL that is not a number (CoreDNS would read it as a zone)", () => {
    const s = cacheModel.read({ args: ["30"], options: [] }) as CacheState;
    expect(cacheModel.check?.({ ...s, ttl: "soon" }).map((m) => [m.field, m.code])).toEqual([["local.ttl", "PLUGIN_INVALID_VALUE"]]);
    expect(cacheModel.check?.(s)).toEqual([]);
  });

  it("flags a hosts entry with names but no IP", () => {
    const s = hostsModel.read({ args: [], options: [] }) as HostsState;
    expect(hostsModel.check?.({ ...s, entries: [{ ip: "", names: "a.example.org" }, { ip: "", names: "" }] }).map((m) => m.field)).toEqual(["local.entry.0"]);
  });

  it("flags a generic field whose value would be read into another field", () => {
    const m = createGenericModel(describePluginForm("hosts")!);
    const s = m.read({ args: [], options: [] })!;
    expect(m.check?.({ ...s, fields: { FILE: [], ZONES: ["example.org"] } }).map((x) => x.field)).toEqual(["local.args.ZONES"]);
  });
});

describe("generic form", () => {
  it("round-trips an unknown directive as a raw list", () => {
    const m = createGenericModel(undefined);
    const v = { args: ["a", ""], options: [{ name: "x", args: ["1"] }] };
    expect(m.write(m.read(v)!, v)).toEqual(v);
  });

  it("spreads arguments over fields and tells when a value would move to another field", () => {
    const form = describePluginForm("hosts")!;
    const m = createGenericModel(form);
    const s = m.read({ args: ["/etc/hosts", "example.org"], options: [{ name: "ttl", args: ["60"] }] })!;
    expect(s.fields).toEqual({ FILE: ["/etc/hosts"], ZONES: ["example.org"] });
    expect(s.lines[0]?.fields).toEqual({ SECONDS: ["60"] });
    expect(findShiftedFields(form.args, { FILE: [], ZONES: ["example.org"] }).get("ZONES")).toBe("File");
  });
});
