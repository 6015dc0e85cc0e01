/** Resource records and flags in presentation form, for people (the troubleshoot page) and comparisons. */
import { typeName, type DnsFlags, type DnsRecord } from "./message";

const CLASS_NAMES: Record<number, string> = { 1: "IN", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY" };

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `name ttl class type data`, as zone files write it (unknown types in RFC 3597 form). */
export function presentRecord(r: DnsRecord): string {
  const d = r.data;
  let data: string;
  switch (d.kind) {
    case "A":
    case "AAAA":
      data = d.address;
      break;
    case "CNAME":
    case "NS":
    case "PTR":
      data = d.target;
      break;
    case "MX":
      data = `${d.preference} ${d.exchange}`;
      break;
    case "SRV":
      data = `${d.priority} ${d.weight} ${d.port} ${d.target}`;
      break;
    case "TXT":
      data = d.text.map((t) => `"${t.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(" ");
      break;
    case "SOA":
      data = `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
      break;
    default:
      data = `\\# ${d.rdata.length}${d.rdata.length > 0 ? ` ${hex(d.rdata)}` : ""}`;
  }
  return `${r.name} ${r.ttl} ${CLASS_NAMES[r.class] ?? `CLASS${r.class}`} ${typeName(r.type)} ${data}`;
}

/** The flags that are set, in dig's order (`qr aa rd`). */
export function presentFlags(flags: DnsFlags): string[] {
  return (["qr", "aa", "tc", "rd", "ra", "ad", "cd"] as const).filter((f) => flags[f]);
}
