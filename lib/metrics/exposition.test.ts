import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import parsePrometheusTextFormat, { type ReferenceFamily, type ReferenceSample } from "parse-prometheus-text-format";
import { describe, expect, it } from "vitest";
import { corpusPath } from "@/lib/testing/corpus";
import { parseExposition } from "./exposition";
import type { Exposition, MetricFamily, Sample } from "./exposition-types";

const CORPUS = corpusPath("metrics");

function listScrapes(dir = CORPUS): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) return listScrapes(file);
      return name.endsWith(".txt") || name.endsWith(".plain") ? [file] : [];
    });
}

const SCRAPES = listScrapes();
const readScrape = (relative: string) => readFileSync(path.join(CORPUS, relative), "utf8");
const countSamples = (e: Exposition) => [...e.families.values()].reduce((sum, f) => sum + f.samples.length, 0);

function family(e: Exposition, name: string): MetricFamily {
  const f = e.families.get(name);
  if (f === undefined) throw new Error(`no family ${name}`);
  return f;
}

function sample(e: Exposition, familyName: string, sampleName: string, labels: Record<string, string> = {}): Sample {
  const found = family(e, familyName).samples.find((s) => s.name === sampleName && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found === undefined) throw new Error(`no sample ${sampleName} ${JSON.stringify(labels)}`);
  return found;
}

describe("parseExposition on the corpus", () => {
  it("finds the scrapes", () => {
    expect(SCRAPES.length).toBeGreaterThanOrEqual(18);
  });

  it.each(SCRAPES.map((file) => [path.relative(CORPUS, file), file]))("%s parses without skipped lines", (_name, file) => {
    const e = parseExposition(readFileSync(file, "utf8"));
    expect(e.skipped).toBe(0);
    expect(e.skippedLines).toEqual([]);
    expect(e.families.size).toBeGreaterThan(0);
  });

  it("CoreDNS 1.1.0 (datadog): 46 families, 178 samples, known values", () => {
    const e = parseExposition(readScrape("datadog-integrations-core/metrics.txt"));
    expect(e.families.size).toBe(46);
    expect(countSamples(e)).toBe(178);
    expect(sample(e, "coredns_cache_hits_total", "coredns_cache_hits_total", { type: "denial" }).value).toBe(8.051403e6);
    const duration = family(e, "coredns_dns_request_duration_seconds");
    expect(duration.type).toBe("histogram");
    expect(duration.samples.filter((s) => s.name.endsWith("_bucket"))).toHaveLength(17);
    expect(sample(e, "coredns_dns_request_duration_seconds", "coredns_dns_request_duration_seconds_bucket", { le: "+Inf" }).value).toBe(8.219674e6);
    expect(sample(e, "coredns_dns_request_duration_seconds", "coredns_dns_request_duration_seconds_sum").value).toBe(1440.4034843871038);
    expect(sample(e, "process_start_time_seconds", "process_start_time_seconds").value).toBe(1.53315401874e9);
  });

  it("CoreDNS 1.5.0 (elastic): 52 families, 291 samples, summary and forward metrics", () => {
    const e = parseExposition(readScrape("elastic-beats/coredns_1.5.0.plain"));
    expect(e.families.size).toBe(52);
    expect(countSamples(e)).toBe(291);
    const gc = family(e, "go_gc_duration_seconds");
    expect(gc.type).toBe("summary");
    expect(gc.samples.map((s) => s.name)).toEqual([...Array(5).fill("go_gc_duration_seconds"), "go_gc_duration_seconds_sum", "go_gc_duration_seconds_count"]);
    expect(sample(e, "go_gc_duration_seconds", "go_gc_duration_seconds", { quantile: "1" }).value).toBe(0.000655576);
    expect(sample(e, "coredns_forward_request_count_total", "coredns_forward_request_count_total", { to: "8.8.8.8:53" }).value).toBe(115);
    expect(family(e, "coredns_dns_request_duration_seconds").samples.filter((s) => s.name.endsWith("_bucket"))).toHaveLength(34);
    expect(sample(e, "process_virtual_memory_max_bytes", "process_virtual_memory_max_bytes").value).toBe(-1);
  });

  it("netdata 1.6.9: histograms with server=\"\" and zone=\"dropped\"", () => {
    const e = parseExposition(readScrape("netdata-go.d.plugin/version169_some_load.txt"));
    expect(family(e, "coredns_dns_request_duration_seconds").samples.filter((s) => s.name.endsWith("_bucket"))).toHaveLength(119);
    expect(sample(e, "coredns_dns_request_duration_seconds", "coredns_dns_request_duration_seconds_count", { server: "", zone: "dropped" }).value).toBe(21);
  });

  it("netdata 1.7.0 quirk: samples under another metric's TYPE become their own untyped family", () => {
    const e = parseExposition(readScrape("netdata-go.d.plugin/version170_some_load.txt"));
    expect(family(e, "coredns_dns_response_rcode_count_total")).toMatchObject({ type: "counter", samples: [] });
    const responses = family(e, "coredns_dns_responses_total");
    expect(responses.type).toBe("untyped");
    expect(responses.samples).toHaveLength(7);
    // The file ends without a newline; its last sample is still read.
    expect(responses.samples.at(-1)).toEqual({ name: "coredns_dns_responses_total", labels: { rcode: "SERVFAIL", server: "dns://:54", zone: "ya.ru." }, value: 12 });
  });

  it("netdata without version label and the small wild excerpts", () => {
    expect(sample(parseExposition(readScrape("netdata-go.d.plugin/no_version_no_load.txt")), "coredns_build_info", "coredns_build_info").labels).toEqual({ goversion: "go1.14.4", revision: "f59c03d" });
    expect(sample(parseExposition(readScrape("wild/sysdig-blog-1.txt")), "coredns_dns_request_duration_seconds", "coredns_dns_request_duration_seconds_count").value).toBe(15018);
    const k3s = parseExposition(readScrape("wild/k3s-student-lab-1.txt"));
    expect(sample(k3s, "coredns_dns_responses_total", "coredns_dns_responses_total", { plugin: "loadbalance", rcode: "NXDOMAIN" }).value).toBe(110761);
    expect(family(k3s, "coredns_dns_requests_total").type).toBe("untyped");
  });

  it("CoreDNS 1.8.5 (wild datadog): no final newline, health histogram without labels", () => {
    const e = parseExposition(readScrape("wild/datadog-integrations-core-1.txt"));
    expect(e.families.size).toBe(57);
    expect(sample(e, "coredns_health_request_duration_seconds", "coredns_health_request_duration_seconds_bucket", { le: "0.0025" }).value).toBe(132);
    expect(family(e, "coredns_forward_request_duration_seconds").samples).toHaveLength(19);
  });
});

describe("parseExposition grammar", () => {
  const only = (text: string) => {
    const e = parseExposition(text);
    expect(e.skippedLines).toEqual([]);
    return e;
  };
  const skippedCodes = (text: string) => parseExposition(text).skippedLines.map((s) => [s.line, s.code]);

  it("reads HELP with \\\\ and \\n escapes and keeps other backslashes", () => {
    const e = only("# HELP m A \\\\ path\\nsecond line \\t kept\n# TYPE m gauge\nm 1\n");
    expect(family(e, "m")).toEqual({ name: "m", type: "gauge", help: "A \\ path\nsecond line \\t kept", samples: [{ name: "m", labels: {}, value: 1 }] });
  });

  it("reads an empty HELP and ignores other comments", () => {
    const e = only("# HELP m\n# just a comment\n#TYPE m counter\n# HELPER not help\nm 2\n");
    expect(family(e, "m")).toMatchObject({ help: "", type: "counter" });
  });

  it("unescapes label values \\\", \\\\ and \\n, and keeps unknown escapes", () => {
    const e = only('m{a="say \\"hi\\"",b="C:\\\\DIR",c="line1\\nline2",d="\\x"} 1\n');
    expect(family(e, "m").samples[0]!.labels).toEqual({ a: 'say "hi"', b: "C:\\DIR", c: "line1\nline2", d: "\\x" });
  });

  it("accepts empty label sets, trailing commas and blanks inside braces", () => {
    const e = only('a{} 1\nb{x="1",} 2\nc { x = "1" , y="2" } 3\n');
    expect([...e.families.values()].map((f) => f.samples[0]!.labels)).toEqual([{}, { x: "1" }, { x: "1", y: "2" }]);
  });

  it("reads NaN, +Inf, -Inf, Inf, exponents and signs", () => {
    const e = only("m NaN\nm +Inf\nm -Inf\nm Inf\nm 1.5e+06\nm -2E-3\nm +7\nm .5\n");
    const values = family(e, "m").samples.map((s) => s.value);
    expect(values[0]).toBeNaN();
    expect(values.slice(1)).toEqual([Infinity, -Infinity, Infinity, 1.5e6, -0.002, 7, 0.5]);
  });

  it("reads timestamps in milliseconds, negative ones too", () => {
    const e = only("m 1 1395066363000\nm{a=\"b\"} 2 -3982045\nm 3\n");
    expect(family(e, "m").samples.map((s) => s.timestampMs)).toEqual([1395066363000, -3982045, undefined]);
  });

  it("handles CRLF, blank lines, leading blanks, tabs and a missing final newline", () => {
    const e = only("# TYPE m counter\r\n\r\n\t m\t{a=\"1\"}\t5\r\n  \nm{a=\"2\"} 6");
    expect(family(e, "m").samples.map((s) => [s.labels.a, s.value])).toEqual([["1", 5], ["2", 6]]);
  });

  it("groups a histogram's _bucket, _sum and _count under its family", () => {
    const text = '# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 3\nh_sum 0.7\nh_count 3\nh_other 1\n';
    const e = only(text);
    expect(family(e, "h").samples.map((s) => s.name)).toEqual(["h_bucket", "h_bucket", "h_sum", "h_count"]);
    expect(family(e, "h_other").type).toBe("untyped");
  });

  it("groups a summary's quantiles, _sum and _count, but not a _bucket", () => {
    const e = only('# TYPE s summary\ns{quantile="0.5"} 4\ns_sum 10\ns_count 3\ns_bucket{le="1"} 1\n');
    expect(family(e, "s").samples.map((s) => s.name)).toEqual(["s", "s_sum", "s_count"]);
    expect(family(e, "s_bucket").type).toBe("untyped");
  });

  it("makes untyped families of samples without TYPE, _count and _sum included", () => {
    const e = only("x_count 1\nx_sum 2\ny 3\n");
    expect([...e.families.values()].map((f) => [f.name, f.type])).toEqual([["x_count", "untyped"], ["x_sum", "untyped"], ["y", "untyped"]]);
  });

  it("keeps the first TYPE and HELP and counts duplicates", () => {
    const e = parseExposition("# HELP m one\n# TYPE m counter\n# HELP m two\n# TYPE m gauge\nm 1\n");
    expect(family(e, "m")).toMatchObject({ type: "counter", help: "one" });
    expect(e.skippedLines.map((s) => [s.line, s.code])).toEqual([[3, "DUPLICATE_HELP"], [4, "DUPLICATE_TYPE"]]);
  });

  it("rejects a TYPE after the metric's samples (as Go's parser does) and keeps the samples", () => {
    const e = parseExposition("m 1\n# TYPE m counter\nm 2\n");
    expect(family(e, "m")).toMatchObject({ type: "untyped", samples: [{ value: 1 }, { value: 2 }] });
    expect(e.skippedLines.map((s) => s.code)).toEqual(["TYPE_AFTER_SAMPLES"]);
  });

  it("a HELP after samples just adds the help", () => {
    const e = only("m 1\n# HELP m late help\n");
    expect(family(e, "m")).toMatchObject({ help: "late help", samples: [{ value: 1 }] });
  });

  it("counts garbage lines with their line numbers and codes, and keeps the good ones", () => {
    const text = [
      "good 1",
      "bad-name 1",
      "{a=\"b\"} 1",
      "m{1a=\"b\"} 1",
      "m{a=b} 1",
      "m{a=\"b\" 1",
      "m{a=\"b\",a=\"c\"} 1",
      "m",
      "m one",
      "m 1 12.5",
      "m 1 2 3",
      "# TYPE",
      "# TYPE m flux",
      "# HELP 9bad x",
      "# TYPE h histogram",
      "h_bucket 1",
      "# TYPE s summary",
      "s 1",
      "m{a=\"unterminated} 1",
      "m 0x10",
      "good 2",
    ].join("\n");
    expect(skippedCodes(text)).toEqual([
      [2, "INVALID_METRIC_NAME"],
      [3, "INVALID_METRIC_NAME"],
      [4, "INVALID_LABEL_NAME"],
      [5, "INVALID_LABEL_SET"],
      [6, "INVALID_LABEL_SET"],
      [7, "DUPLICATE_LABEL"],
      [8, "INVALID_VALUE"],
      [9, "INVALID_VALUE"],
      [10, "INVALID_TIMESTAMP"],
      [11, "TRAILING_TEXT"],
      [12, "INVALID_TYPE"],
      [13, "INVALID_TYPE"],
      [14, "INVALID_HELP"],
      [16, "MISSING_LE"],
      [18, "MISSING_QUANTILE"],
      [19, "INVALID_LABEL_SET"],
      [20, "INVALID_VALUE"],
    ]);
    const e = parseExposition(text);
    expect(e.skipped).toBe(17);
    expect(family(e, "good").samples.map((s) => s.value)).toEqual([1, 2]);
    expect(e.skippedLines[0]!.reason).toMatch(/metric name/);
  });

  it("bounds the skipped lines it describes but counts them all", () => {
    const e = parseExposition("bad-line\n".repeat(50), { maxSkippedReported: 3 });
    expect(e.skipped).toBe(50);
    expect(e.skippedLines.map((s) => s.line)).toEqual([1, 2, 3]);
    expect(parseExposition("x y z\n".repeat(30)).skippedLines).toHaveLength(20);
  });

  it("handles a label named __proto__ as an ordinary label", () => {
    const e = only('m{__proto__="x",constructor="y"} 1\n');
    const labels = family(e, "m").samples[0]!.labels;
    expect(Object.keys(labels)).toEqual(["__proto__", "constructor"]);
    expect(labels["__proto__"]).toBe("x");
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it("reuses one family lookup across lines but follows name changes", () => {
    const e = only('a{x="1"} 1\na{x="2"} 2\nab{x="1"} 3\na 4\n');
    expect(family(e, "a").samples.map((s) => s.value)).toEqual([1, 2, 4]);
    expect(family(e, "ab").samples.map((s) => s.value)).toEqual([3]);
  });

  it("returns an empty exposition for empty input", () => {
    expect(parseExposition("")).toEqual({ families: new Map(), skipped: 0, skippedLines: [] });
  });
});

// ---- fuzzing ---------------------------------------------------------------------------------------------------

function expectWellFormed(e: Exposition): void {
  expect(e.families).toBeInstanceOf(Map);
  expect(Number.isInteger(e.skipped) && e.skipped >= 0).toBe(true);
  expect(e.skippedLines.length).toBeLessThanOrEqual(Math.min(e.skipped, 20));
  for (const s of e.skippedLines) expect(typeof s.code === "string" && s.line >= 1 && s.reason.length > 0).toBe(true);
  const types = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
  for (const [name, f] of e.families) {
    expect(f.name).toBe(name);
    expect(types.has(f.type)).toBe(true);
    for (const s of f.samples) {
      expect(s.name === name || s.name.startsWith(name)).toBe(true);
      expect(typeof s.value).toBe("number");
      for (const v of Object.values(s.labels)) expect(typeof v).toBe("string");
    }
  }
}

describe("parseExposition fuzzing", () => {
  const corpusLines = SCRAPES.flatMap((file) => readFileSync(file, "utf8").split("\n"));
  const alphabet = fc.constantFrom(..."abc_:{}=\",# \t\r\n\\+-.e0123456789NaInf".split(""), "HELP", "TYPE", "histogram", "summary", "_bucket", 'le="', "\u00e9", "\ud800");

  it("never throws on random strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => expectWellFormed(parseExposition(text))),
      { numRuns: 2000 },
    );
  });

  it("never throws on strings of grammar fragments", () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 120 }), (parts) => expectWellFormed(parseExposition(parts.join("")))),
      { numRuns: 2000 },
    );
  });

  it("never throws on mutated corpus lines, and good lines around them survive", () => {
    const mutation = fc.record({
      line: fc.constantFrom(...corpusLines),
      at: fc.nat(),
      remove: fc.nat({ max: 5 }),
      insert: fc.string({ maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 20 }), (mutations) => {
        const lines = mutations.map(({ line, at, remove, insert }) => {
          const i = line.length === 0 ? 0 : at % line.length;
          return line.slice(0, i) + insert + line.slice(i + remove);
        });
        const e = parseExposition(["sentinel_before 1", ...lines, "sentinel_after 2"].join("\n"));
        expectWellFormed(e);
        expect(e.families.get("sentinel_after")?.samples.at(-1)?.value).toBe(2);
      }),
      { numRuns: 1000 },
    );
  });

  it("reports the same samples whatever the line endings", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCRAPES), (file) => {
        const text = readFileSync(file, "utf8");
        const lf = parseExposition(text);
        const crlf = parseExposition(text.replace(/\n/g, "\r\n"));
        expect(crlf.skipped).toBe(0);
        expect(crlf.families).toEqual(lf.families);
      }),
      { numRuns: 20 },
    );
  });
});

// ---- cross-check with parse-prometheus-text-format --------------------------------------------------------------

/** Parses the reference's string values the way Go does. */
function referenceNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "+inf" || lower === "inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  return Number(text);
}

type Comparable = { name: string; help: string; type: string; metrics: Record<string, unknown>[] };

function normaliseReference(families: ReferenceFamily[]): Comparable[] {
  const numbers = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, referenceNumber(v)]));
  return families.map((f) => ({
    name: f.name,
    help: f.help,
    type: f.type.toLowerCase(),
    metrics: f.metrics.map((m: ReferenceSample) => {
      const out: Record<string, unknown> = {};
      if (m.labels !== undefined) out.labels = m.labels;
      for (const key of ["value", "count", "sum", "bucket", "timestamp_ms"] as const) if (m[key] !== undefined) out[key] = referenceNumber(m[key]);
      if (m.buckets !== undefined) out.buckets = numbers(m.buckets);
      if (m.quantiles !== undefined) out.quantiles = numbers(m.quantiles);
      return out;
    }),
  }));
}

/**
 * Our families in the reference's shape: samples with equal consecutive label sets merged into one object, and the
 * reference's flattening of histograms and summaries (which keeps only `le`/`quantile` maps and label-less sum and
 * count) applied alike, so that equal output means we read the same lines the same way.
 */
function projectOurs(e: Exposition): Comparable[] {
  return [...e.families.values()].map((f) => {
    const isGrouped = f.type === "histogram" || f.type === "summary";
    const merged: Record<string, unknown>[] = [];
    let lastLabels: Record<string, string> | undefined;
    for (const s of f.samples) {
      const labels = Object.keys(s.labels).length === 0 ? undefined : { ...s.labels };
      const key = s.name === f.name ? "value" : isGrouped && s.name === `${f.name}_count` ? "count" : isGrouped && s.name === `${f.name}_sum` ? "sum" : f.type === "histogram" ? "bucket" : "value";
      const fields: Record<string, unknown> = { [key]: s.value };
      if (s.timestampMs !== undefined) fields.timestamp_ms = s.timestampMs;
      const last = merged.at(-1);
      if (last !== undefined && JSON.stringify(labels) === JSON.stringify(lastLabels)) Object.assign(last, fields);
      else merged.push(labels === undefined ? fields : { labels, ...fields });
      lastLabels = labels;
    }
    const metrics = f.type === "summary" ? flatten(merged, "quantiles", "quantile", "value") : f.type === "histogram" ? flatten(merged, "buckets", "le", "bucket") : merged;
    return { name: f.name, help: f.help ?? "", type: f.type, metrics };
  });
}

function flatten(metrics: Record<string, unknown>[], group: string, key: string, field: string): Record<string, unknown>[] {
  let flat: Record<string, unknown> | null = null;
  for (const m of metrics) {
    const labels = m.labels as Record<string, string> | undefined;
    if (labels?.[key] !== undefined && m[field] !== undefined) {
      flat ??= {};
      flat[group] = { ...((flat[group] as object | undefined) ?? {}), [labels[key]]: m[field] };
    } else if (labels === undefined) {
      flat ??= {};
      if (m.count !== undefined) flat.count = m.count;
      if (m.sum !== undefined) flat.sum = m.sum;
    }
  }
  return flat === null ? metrics : [flat];
}

describe("cross-check with parse-prometheus-text-format", () => {
  it.each(SCRAPES.map((file) => [path.relative(CORPUS, file), file]))("%s: same families and samples", (_name, file) => {
    const text = readFileSync(file, "utf8");
    // The reference drops the last sample of a text without a final newline; give it one.
    const reference = normaliseReference(parsePrometheusTextFormat(text.endsWith("\n") ? text : `${text}\n`));
    expect(projectOurs(parseExposition(text))).toEqual(reference);
  });

  it("agrees on escapes, NaN/Inf and timestamps", () => {
    const text = '# HELP e Help \\\\ with\\nnewline\n# TYPE e gauge\ne{p="C:\\\\DIR\\\\F",q="say \\"x\\"\\n"} NaN 1395066363000\ne{p="b"} -Inf\ne{p="c"} +Inf -3982045\n';
    expect(projectOurs(parseExposition(text))).toEqual(normaliseReference(parsePrometheusTextFormat(text)));
  });
});
