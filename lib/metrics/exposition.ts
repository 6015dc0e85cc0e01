/**
 * A parser for the Prometheus text exposition format 0.0.4, the `/metrics` page of CoreDNS (and of every Go program
 * that uses client_golang).
 *
 * Grammar, per line: blank; `# HELP name docstring` (docstring escapes `\\` and `\n`); `# TYPE name type`; any other
 * `#` line is a comment; or a sample `name[{label="value",...}] value [timestamp]` (label value escapes `\"`, `\\`,
 * `\n`; empty and trailing-comma label sets; value a Go float including `NaN`, `+Inf`, `-Inf`, `Inf`; timestamp
 * integer milliseconds). `_bucket`/`_sum`/`_count` samples join their histogram family and `_sum`/`_count` their
 * summary family when a `# TYPE` line announced it; any other sample without a family becomes an `untyped` family.
 *
 * Tolerant: a line that breaks the grammar is skipped and counted with its line number and a `SkipCode`; nothing
 * throws. Where a choice had to be made the parser follows Go's `expfmt` text parser (first HELP and first TYPE win,
 * a TYPE after the family's samples is rejected) but keeps unknown escape sequences verbatim as Prometheus does.
 *
 * Speed: one pass over the text with `indexOf`/`charCodeAt`, no regular expression and no split per line. The
 * family of the previous line, label names and label values are compared in place with the previous line's strings
 * and reused when equal, so a typical scrape allocates little besides the samples themselves.
 *
 * Pure TypeScript: no `node:` imports; runs in the browser too.
 */
import type { Exposition, MetricFamily, MetricType, Sample, SkipCode, SkippedLine } from "./exposition-types";

export type ParseExpositionOptions = {
  /** How many skipped lines to describe in `skippedLines` (all are counted in `skipped`). Default 20. */
  maxSkippedReported?: number;
};

const DEFAULT_MAX_SKIPPED_REPORTED = 20;

/** The situation behind each `SkipCode`, in words (also the `reason` of a `SkippedLine`). */
export const SKIP_REASONS: Readonly<Record<SkipCode, string>> = {
  INVALID_METRIC_NAME: "the sample does not start with a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) followed by a blank or '{'",
  INVALID_LABEL_NAME: "a label name is not [a-zA-Z_][a-zA-Z0-9_]*",
  INVALID_LABEL_SET: "the label set is malformed (expected name=\"value\" pairs separated by ',' and closed by '}')",
  DUPLICATE_LABEL: "the same label name appears twice in one sample",
  INVALID_VALUE: "the sample value is missing or is not a float (NaN, +Inf, -Inf and exponents are fine)",
  INVALID_TIMESTAMP: "the timestamp is not an integer number of milliseconds",
  TRAILING_TEXT: "there is text after the timestamp",
  INVALID_HELP: "a HELP line without a valid metric name",
  INVALID_TYPE: "a TYPE line without a valid metric name or with a type other than counter, gauge, histogram, summary, untyped",
  DUPLICATE_HELP: "a second HELP line for the same metric (the first one is kept)",
  DUPLICATE_TYPE: "a second TYPE line for the same metric (the first one is kept)",
  TYPE_AFTER_SAMPLES: "a TYPE line after samples of that metric were already read as untyped",
  MISSING_LE: "a histogram _bucket sample without an 'le' label",
  MISSING_QUANTILE: "a summary sample without a 'quantile' label",
};

const TAB = 9;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const BACKSLASH = 92;
const LOWER_N = 110;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

// Character classes for ASCII: metric names are [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*.
const METRIC_START = 1;
const METRIC_PART = 2;
const LABEL_START = 4;
const LABEL_PART = 8;
const NUMBER_PART = 16;
const CHAR_CLASS = buildCharClasses();

function buildCharClasses(): Uint8Array {
  const classes = new Uint8Array(128);
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
  for (const ch of letters) classes[ch.charCodeAt(0)] = METRIC_START | METRIC_PART | LABEL_START | LABEL_PART;
  for (const ch of "0123456789") classes[ch.charCodeAt(0)] = METRIC_PART | LABEL_PART | NUMBER_PART;
  classes[":".charCodeAt(0)] = METRIC_START | METRIC_PART;
  for (const ch of ".eE+-") {
    const code = ch.charCodeAt(0);
    classes[code] = (classes[code] ?? 0) | NUMBER_PART;
  }
  return classes;
}

const hasClass = (code: number, cls: number): boolean => code < 128 && (CHAR_CLASS[code]! & cls) !== 0;
const isBlank = (code: number): boolean => code === SPACE || code === TAB;

const METRIC_TYPES: ReadonlySet<string> = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);

/** Label sets of samples without labels share this one frozen object. */
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** What a sample name resolved to: its family, and which label the family's type requires on it. */
type Resolution = { name: string; family: MetricFamily; requires: "" | "le" | "quantile" };

/**
 * Parses a Prometheus text-format (0.0.4) scrape. Never throws: lines it cannot read are skipped and counted
 * (`skipped`), the first `maxSkippedReported` of them described in `skippedLines`.
 */
export function parseExposition(text: string, options: ParseExpositionOptions = {}): Exposition {
  const reader = new ExpositionReader(String(text), options.maxSkippedReported ?? DEFAULT_MAX_SKIPPED_REPORTED);
  reader.readAll();
  return { families: reader.families, skipped: reader.skipped, skippedLines: reader.skippedLines };
}

class ExpositionReader {
  readonly families = new Map<string, MetricFamily>();
  skipped = 0;
  readonly skippedLines: SkippedLine[] = [];

  private readonly text: string;
  private readonly maxReported: number;
  private line = 0;
  /** Families whose TYPE line was read (a second one is a duplicate). */
  private readonly typed = new Set<MetricFamily>();
  /** Sample name → family (see `familyForMetadata` for why entries stay valid). */
  private readonly resolved = new Map<string, Resolution>();
  private previous: Resolution | null = null;
  /** Label names and values of the previous sample, by position, reused when the current line repeats them. */
  private readonly labelNames: string[] = [];
  private readonly labelValues: string[] = [];
  /** Position of the next backslash at or after the last label value read (text.length if none). */
  private nextBackslash = -1;

  // Scratch results of the helpers below, to avoid returning tuples.
  private labels: Record<string, string> = {};
  private labelValue = "";
  private failure: SkipCode | null = null;

  constructor(text: string, maxReported: number) {
    this.text = text;
    this.maxReported = Number.isFinite(maxReported) ? Math.max(0, Math.floor(maxReported)) : DEFAULT_MAX_SKIPPED_REPORTED;
  }

  readAll(): void {
    const text = this.text;
    const length = text.length;
    let start = 0;
    while (start < length) {
      let next = text.indexOf("\n", start);
      if (next === -1) next = length;
      const end = next > start && text.charCodeAt(next - 1) === CR ? next - 1 : next;
      this.line++;
      this.readLine(start, end);
      start = next + 1;
    }
  }

  private readLine(start: number, end: number): void {
    const p = this.skipBlanks(start, end);
    if (p === end) return;
    if (this.text.charCodeAt(p) === HASH) this.readComment(p + 1, end);
    else this.readSample(p, end);
  }

  private skip(code: SkipCode): void {
    this.skipped++;
    if (this.skippedLines.length < this.maxReported) this.skippedLines.push({ line: this.line, code, reason: SKIP_REASONS[code] });
  }

  private skipBlanks(p: number, end: number): number {
    const text = this.text;
    while (p < end && isBlank(text.charCodeAt(p))) p++;
    return p;
  }

  /** End of the metric name starting at `p` (== p when there is none). */
  private scanMetricName(p: number, end: number): number {
    const text = this.text;
    if (p >= end || !hasClass(text.charCodeAt(p), METRIC_START)) return p;
    p++;
    while (p < end && hasClass(text.charCodeAt(p), METRIC_PART)) p++;
    return p;
  }

  // ---- samples -------------------------------------------------------------------------------------------------

  private readSample(start: number, end: number): void {
    const text = this.text;
    const nameEnd = this.scanMetricName(start, end);
    if (nameEnd === start) return this.skip("INVALID_METRIC_NAME");
    let p = this.skipBlanks(nameEnd, end);
    let labels = NO_LABELS;
    if (p < end && text.charCodeAt(p) === OPEN_BRACE) {
      p = this.readLabels(p + 1, end);
      if (p < 0) return this.skip(this.failure ?? "INVALID_LABEL_SET");
      labels = this.labels;
      p = this.skipBlanks(p, end);
    } else if (p === nameEnd) {
      // The name ran into a character that may not be part of it, e.g. `foo-bar 1`.
      return this.skip(p === end ? "INVALID_VALUE" : "INVALID_METRIC_NAME");
    }

    const valueEnd = this.scanToken(p, end);
    const value = valueEnd > p ? readFloat(text, p, valueEnd) : undefined;
    if (value === undefined) return this.skip("INVALID_VALUE");
    p = this.skipBlanks(valueEnd, end);

    let timestampMs: number | undefined;
    if (p < end) {
      const timestampEnd = this.scanToken(p, end);
      timestampMs = readInteger(text, p, timestampEnd);
      if (timestampMs === undefined) return this.skip("INVALID_TIMESTAMP");
      if (this.skipBlanks(timestampEnd, end) < end) return this.skip("TRAILING_TEXT");
    }

    const resolution = this.resolve(start, nameEnd);
    if (resolution.requires !== "" && labels[resolution.requires] === undefined) {
      return this.skip(resolution.requires === "le" ? "MISSING_LE" : "MISSING_QUANTILE");
    }
    const sample: Sample = timestampMs === undefined ? { name: resolution.name, labels, value } : { name: resolution.name, labels, value, timestampMs };
    resolution.family.samples.push(sample);
  }

  /** End of the token (value or timestamp) starting at `p`: the next blank or the end of the line. */
  private scanToken(p: number, end: number): number {
    const text = this.text;
    while (p < end && !isBlank(text.charCodeAt(p))) p++;
    return p;
  }

  /**
   * Reads `name="value",...}` from just after `{`. Returns the position after `}` and leaves the labels in
   * `this.labels`, or returns -1 and leaves the reason in `this.failure`.
   */
  private readLabels(p: number, end: number): number {
    const text = this.text;
    const labels: Record<string, string> = {};
    let count = 0;
    for (;;) {
      p = this.skipBlanks(p, end);
      if (p >= end) return this.fail("INVALID_LABEL_SET");
      if (text.charCodeAt(p) === CLOSE_BRACE) break;

      const nameStart = p;
      if (!hasClass(text.charCodeAt(p), LABEL_START)) return this.fail("INVALID_LABEL_NAME");
      p++;
      while (p < end && hasClass(text.charCodeAt(p), LABEL_PART)) p++;
      const after = text.charCodeAt(p);
      if (p < end && after !== EQUALS && !isBlank(after)) return this.fail("INVALID_LABEL_NAME");
      const name = this.internLabelName(count, nameStart, p);
      for (let i = 0; i < count; i++) if (this.labelNames[i] === name) return this.fail("DUPLICATE_LABEL");

      p = this.skipBlanks(p, end);
      if (p >= end || text.charCodeAt(p) !== EQUALS) return this.fail("INVALID_LABEL_SET");
      p = this.skipBlanks(p + 1, end);
      if (p >= end || text.charCodeAt(p) !== QUOTE) return this.fail("INVALID_LABEL_SET");
      p = this.readLabelValue(count, p + 1, end);
      if (p < 0) return this.fail("INVALID_LABEL_SET");

      if (name === "__proto__") Object.defineProperty(labels, name, { value: this.labelValue, enumerable: true, writable: true, configurable: true });
      else labels[name] = this.labelValue;
      count++;

      p = this.skipBlanks(p, end);
      if (p >= end) return this.fail("INVALID_LABEL_SET");
      const separator = text.charCodeAt(p);
      if (separator === COMMA) p++;
      else if (separator !== CLOSE_BRACE) return this.fail("INVALID_LABEL_SET");
    }
    this.labels = count === 0 ? (NO_LABELS as Record<string, string>) : labels;
    return p + 1;
  }

  private fail(code: SkipCode): number {
    this.failure = code;
    return -1;
  }

  /** The label name in text[start, end), as the same string as the previous sample's label at `index` when equal. */
  private internLabelName(index: number, start: number, end: number): string {
    const cached = this.labelNames[index];
    if (cached !== undefined && cached.length === end - start && this.text.startsWith(cached, start)) return cached;
    const name = this.text.slice(start, end);
    this.labelNames[index] = name;
    return name;
  }

  /** Reads a label value from just after its opening quote into `this.labelValue`; returns the position after the closing quote or -1. */
  private readLabelValue(index: number, start: number, end: number): number {
    const text = this.text;
    const close = text.indexOf('"', start);
    if (close === -1 || close >= end) return -1;
    if (this.nextBackslash < start) {
      const backslash = text.indexOf("\\", start);
      this.nextBackslash = backslash === -1 ? text.length : backslash;
    }
    if (this.nextBackslash < close) return this.readEscapedLabelValue(index, start, end);

    const cached = this.labelValues[index];
    if (cached !== undefined && cached.length === close - start && text.startsWith(cached, start)) {
      this.labelValue = cached;
    } else {
      this.labelValue = text.slice(start, close);
      this.labelValues[index] = this.labelValue;
    }
    return close + 1;
  }

  /** The slow path of `readLabelValue`, for values with backslash escapes. */
  private readEscapedLabelValue(index: number, start: number, end: number): number {
    const text = this.text;
    let value = "";
    let chunk = start;
    let p = start;
    while (p < end) {
      const code = text.charCodeAt(p);
      if (code === QUOTE) {
        this.labelValue = value + text.slice(chunk, p);
        this.labelValues[index] = this.labelValue;
        return p + 1;
      }
      if (code === BACKSLASH) {
        if (p + 1 >= end) return -1;
        value += text.slice(chunk, p) + unescapeCharacter(text.charCodeAt(p + 1), true);
        p += 2;
        chunk = p;
      } else {
        p++;
      }
    }
    return -1;
  }

  // ---- families ------------------------------------------------------------------------------------------------

  /** The family of the sample named text[start, end): the previous line's when the name repeats, else looked up. */
  private resolve(start: number, end: number): Resolution {
    const previous = this.previous;
    if (previous !== null && previous.name.length === end - start && this.text.startsWith(previous.name, start)) return previous;
    const name = this.text.slice(start, end);
    let resolution = this.resolved.get(name);
    if (resolution === undefined) {
      resolution = this.resolveName(name);
      this.resolved.set(name, resolution);
    }
    this.previous = resolution;
    return resolution;
  }

  /** A sample joins the family of its own name, else the histogram or summary it is a `_bucket`/`_sum`/`_count` of. */
  private resolveName(name: string): Resolution {
    const own = this.families.get(name);
    if (own !== undefined) return { name, family: own, requires: own.type === "summary" ? "quantile" : "" };
    const base = histogramOrSummaryBase(name);
    if (base !== null) {
      const family = this.families.get(base);
      if (family !== undefined && family.type === "histogram") return { name, family, requires: name.endsWith("_bucket") ? "le" : "" };
      if (family !== undefined && family.type === "summary" && !name.endsWith("_bucket")) return { name, family, requires: "" };
    }
    return { name, family: this.createFamily(name), requires: "" };
  }

  private createFamily(name: string): MetricFamily {
    const family: MetricFamily = { name, type: "untyped", help: undefined, samples: [] };
    this.families.set(name, family);
    return family;
  }

  /**
   * The family a HELP or TYPE line names, created if new. A sample name, once resolved, keeps its family: families
   * are never removed and a type is only set on a family without samples. The one exception is a HELP/TYPE line that
   * creates family `x` after `x` samples were read into a histogram or summary as its `_sum`/`_count`/`_bucket`.
   */
  private familyForMetadata(name: string): MetricFamily {
    const existing = this.families.get(name);
    if (existing !== undefined) return existing;
    this.resolved.delete(name);
    this.previous = null;
    return this.createFamily(name);
  }

  // ---- comments ------------------------------------------------------------------------------------------------

  /** A `#` line from just after the `#`: HELP, TYPE, or a comment to ignore. */
  private readComment(start: number, end: number): void {
    const p = this.skipBlanks(start, end);
    if (this.isKeyword("HELP", p, end)) this.readHelp(this.skipBlanks(p + 4, end), end);
    else if (this.isKeyword("TYPE", p, end)) this.readType(this.skipBlanks(p + 4, end), end);
  }

  /** Whether the four-letter `word` stands at `p` on its own (followed by a blank or the end of the line). */
  private isKeyword(word: string, p: number, end: number): boolean {
    return this.text.startsWith(word, p) && (p + 4 === end || isBlank(this.text.charCodeAt(p + 4)));
  }

  /** The metric name of a HELP/TYPE line at `p`, or null when there is none or it runs into an invalid character. */
  private readMetadataName(p: number, end: number): string | null {
    const nameEnd = this.scanMetricName(p, end);
    if (nameEnd === p || (nameEnd < end && !isBlank(this.text.charCodeAt(nameEnd)))) return null;
    return this.text.slice(p, nameEnd);
  }

  private readHelp(p: number, end: number): void {
    const name = this.readMetadataName(p, end);
    if (name === null) return this.skip("INVALID_HELP");
    const family = this.familyForMetadata(name);
    if (family.help !== undefined) return this.skip("DUPLICATE_HELP");
    family.help = unescapeHelp(this.text, this.skipBlanks(p + name.length, end), end);
  }

  private readType(p: number, end: number): void {
    const name = this.readMetadataName(p, end);
    if (name === null) return this.skip("INVALID_TYPE");
    const typeStart = this.skipBlanks(p + name.length, end);
    const typeEnd = this.scanToken(typeStart, end);
    const type = this.text.slice(typeStart, typeEnd).toLowerCase();
    if (!METRIC_TYPES.has(type) || this.skipBlanks(typeEnd, end) < end) return this.skip("INVALID_TYPE");

    const family = this.familyForMetadata(name);
    if (this.typed.has(family)) return this.skip("DUPLICATE_TYPE");
    if (family.samples.length > 0) return this.skip("TYPE_AFTER_SAMPLES");
    family.type = type as MetricType;
    this.typed.add(family);
  }
}

/** `x` for `x_bucket`, `x_sum`, `x_count`; otherwise null. */
function histogramOrSummaryBase(name: string): string | null {
  for (const suffix of ["_bucket", "_count", "_sum"]) {
    if (name.length > suffix.length && name.endsWith(suffix)) return name.slice(0, -suffix.length);
  }
  return null;
}

/** `\\` → `\`, `\n` → newline, and in label values `\"` → `"`; any other escape stays as written (as Prometheus does). */
function unescapeCharacter(code: number, inLabelValue: boolean): string {
  if (code === BACKSLASH) return "\\";
  if (code === LOWER_N) return "\n";
  if (code === QUOTE && inLabelValue) return '"';
  return "\\" + String.fromCharCode(code);
}

function unescapeHelp(text: string, start: number, end: number): string {
  // Not indexOf: on a scrape without backslashes it would search to the end of the text for every HELP line.
  let p = start;
  while (p < end && text.charCodeAt(p) !== BACKSLASH) p++;
  if (p === end) return text.slice(start, end);
  let help = text.slice(start, p);
  while (p < end) {
    const code = text.charCodeAt(p);
    if (code === BACKSLASH && p + 1 < end) {
      help += unescapeCharacter(text.charCodeAt(p + 1), false);
      p += 2;
    } else {
      help += text[p];
      p++;
    }
  }
  return help;
}

/**
 * A Go `strconv.ParseFloat` number in text[start, end): decimal with optional exponent, or NaN / [+-]Inf /
 * [+-]Infinity in any case. Undefined when it is none of these (hexadecimal floats are not accepted).
 */
function readFloat(text: string, start: number, end: number): number | undefined {
  let isPlain = true;
  for (let i = start; i < end; i++) {
    if (!hasClass(text.charCodeAt(i), NUMBER_PART)) {
      isPlain = false;
      break;
    }
  }
  const token = text.slice(start, end);
  if (isPlain) {
    const value = Number(token);
    return Number.isNaN(value) ? undefined : value;
  }
  switch (token.toLowerCase()) {
    case "nan":
      return NaN;
    case "inf":
    case "+inf":
    case "infinity":
    case "+infinity":
      return Infinity;
    case "-inf":
    case "-infinity":
      return -Infinity;
    default:
      return undefined;
  }
}

/** An optionally signed decimal integer in text[start, end), or undefined. */
function readInteger(text: string, start: number, end: number): number | undefined {
  let p = start;
  const sign = text.charCodeAt(p);
  if (sign === 43 || sign === 45) p++;
  if (p >= end) return undefined;
  for (; p < end; p++) {
    const code = text.charCodeAt(p);
    if (code < 48 || code > 57) return undefined;
  }
  return Number(text.slice(start, end));
}
