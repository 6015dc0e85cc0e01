/**
 * Readers for the data files plugins load: hosts files (`hosts`) and RFC 1035 zone files (`file`). They read the
 * common forms; anything they cannot read is reported, never guessed.
 */
import { canonicalIp, isIPv4, normalizeName } from "./util";

/** Addresses by name, and names by address (for PTR). */
export type HostsTable = {
  v4: Map<string, string[]>;
  v6: Map<string, string[]>;
  byAddr: Map<string, string[]>;
};

export function emptyHostsTable(): HostsTable {
  return { v4: new Map(), v6: new Map(), byAddr: new Map() };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Adds hosts-file lines (`IP name...`, `#` comments) to `table`, keeping only names inside `inZone` (the plugin's
 * zones), as the hosts plugin does. `reverse` records names by address for PTR answers.
 */
export function addHostsLines(table: HostsTable, text: string, inZone: (name: string) => boolean, reverse: boolean): void {
  for (const raw of text.split("\n")) {
    const hash = raw.indexOf("#");
    const line = hash >= 0 ? raw.slice(0, hash) : raw;
    const fields = line.split(/\s+/).filter((f) => f !== "");
    if (fields.length < 2) continue;
    const ip = canonicalIp((fields[0] as string).replace(/%.*$/, ""));
    if (!ip) continue;
    for (const f of fields.slice(1)) {
      const name = normalizeName(f);
      if (!inZone(name)) continue;
      push(isIPv4(ip) ? table.v4 : table.v6, name, ip);
      if (reverse) push(table.byAddr, ip, name);
    }
  }
}

/** One record of a zone file. */
export type ZoneRecord = { name: string; ttl: number; class: string; type: string; data: string };

/** A parsed zone: its origin and records; `errors` lists the lines that could not be read. */
export type Zone = { origin: string; records: ZoneRecord[]; errors: string[] };

const CLASSES = new Set(["IN", "CH", "HS", "CS", "NONE", "ANY"]);

/** Splits a zone-file text into logical lines (parentheses join lines; `;` comments removed; quotes kept). */
function logicalLines(text: string): { tokens: string[]; startsWithSpace: boolean; line: number }[] {
  const out: { tokens: string[]; startsWithSpace: boolean; line: number }[] = [];
  let cur: string[] = [];
  let depth = 0;
  let startsWithSpace = false;
  let startLine = 1;
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    if (depth === 0) {
      cur = [];
      startsWithSpace = /^[ \t]/.test(raw);
      startLine = i + 1;
    }
    let tok = "";
    let inQuote = false;
    const flush = (): void => {
      if (tok !== "") cur.push(tok);
      tok = "";
    };
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j] as string;
      if (inQuote) {
        tok += c;
        if (c === '"' && raw[j - 1] !== "\\") inQuote = false;
        continue;
      }
      if (c === '"') {
        tok += c;
        inQuote = true;
      } else if (c === ";") break;
      else if (c === "(") {
        flush();
        depth++;
      } else if (c === ")") {
        flush();
        depth = Math.max(0, depth - 1);
      } else if (c === " " || c === "\t" || c === "\r") flush();
      else tok += c;
    }
    flush();
    if (depth === 0 && cur.length > 0) out.push({ tokens: cur, startsWithSpace, line: startLine });
  });
  if (depth > 0 && cur.length > 0) out.push({ tokens: cur, startsWithSpace, line: startLine });
  return out;
}

function absoluteIn(name: string, origin: string): string {
  if (name === "@") return origin;
  if (name.endsWith(".")) return name.toLowerCase();
  return origin === "." ? `${name}.`.toLowerCase() : `${name}.${origin}`.toLowerCase();
}

function parseTtl(s: string): number | null {
  if (/^[0-9]+$/.test(s)) return Number(s);
  const m = /^(?:([0-9]+)[wW])?(?:([0-9]+)[dD])?(?:([0-9]+)[hH])?(?:([0-9]+)[mM])?(?:([0-9]+)[sS])?$/.exec(s);
  if (!m || s === "") return null;
  const [w, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return w * 604800 + d * 86400 + h * 3600 + mi * 60 + se;
}

/** Record types whose data holds names that are relative to the origin. */
const NAME_DATA: Readonly<Record<string, number[]>> = {
  CNAME: [0],
  NS: [0],
  PTR: [0],
  DNAME: [0],
  MX: [1],
  SRV: [3],
  SOA: [0, 1],
};

/** Parses a zone file for `origin` (the zone the `file` directive serves). */
export function parseZoneFile(text: string, origin: string): Zone {
  let org = normalizeName(origin);
  let defaultTtl = 3600;
  let lastName = org;
  let lastTtl: number | null = null;
  const records: ZoneRecord[] = [];
  const errors: string[] = [];
  for (const { tokens, startsWithSpace, line } of logicalLines(text)) {
    const head = tokens[0] as string;
    if (head.toUpperCase() === "$ORIGIN") {
      if (tokens[1]) org = absoluteIn(tokens[1], org);
      continue;
    }
    if (head.toUpperCase() === "$TTL") {
      const t = tokens[1] ? parseTtl(tokens[1]) : null;
      if (t !== null) defaultTtl = t;
      continue;
    }
    if (head.startsWith("$")) {
      errors.push(`line ${line}: ${head} is not read by the explainer`);
      continue;
    }
    let i = 0;
    let name = lastName;
    if (!startsWithSpace) {
      name = absoluteIn(head, org);
      i = 1;
    }
    let ttl: number | null = null;
    let cls = "IN";
    // TTL and class in either order
    for (let k = 0; k < 2; k++) {
      const t = tokens[i];
      if (t === undefined) break;
      const asTtl = parseTtl(t);
      if (asTtl !== null && ttl === null) {
        ttl = asTtl;
        i++;
      } else if (CLASSES.has(t.toUpperCase())) {
        cls = t.toUpperCase();
        i++;
      }
    }
    const type = tokens[i]?.toUpperCase();
    if (!type) {
      errors.push(`line ${line}: no record type`);
      continue;
    }
    const data = tokens.slice(i + 1);
    for (const idx of NAME_DATA[type] ?? []) {
      if (data[idx] !== undefined) data[idx] = absoluteIn(data[idx] as string, org);
    }
    if (type === "SOA" && data.length >= 7) {
      // The SOA's minimum is the default TTL when no $TTL is given (RFC 2308 usage).
      const min = parseTtl(data[6] as string);
      if (min !== null && !text.toUpperCase().includes("$TTL")) defaultTtl = min;
    }
    if (type === "A" || type === "AAAA") {
      const ip = data[0] ? canonicalIp(data[0]) : null;
      if (ip) data[0] = ip;
    }
    lastName = name;
    const effective = ttl ?? lastTtl ?? defaultTtl;
    if (ttl !== null) lastTtl = ttl;
    records.push({ name, ttl: effective, class: cls, type, data: data.join(" ") });
  }
  return { origin: normalizeName(origin), records, errors };
}
