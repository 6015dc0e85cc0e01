/**
 * zod schemas for the values recipe forms ask for, checked the way CoreDNS reads them (Go's IP parser, miekg/dns's
 * name rules), so that a form rejects what CoreDNS would.
 */
import { z } from "zod";
import { isDomainName, isIP, normalizeServerKey } from "@/lib/corefile/keys";

/** Drops one trailing dot (but keeps the root `.`), lower-cases. */
function tidyName(value: string): string {
  const v = value.trim().toLowerCase();
  return v.length > 1 && v.endsWith(".") && !v.endsWith("\\.") ? v.slice(0, -1) : v;
}

/** Letters, digits, `-`, `_` and dots: what a zone typed into a form should look like. */
const PLAIN_NAME = /^[a-z0-9_*-]+(\.[a-z0-9_*-]+)*$/;

/** A DNS zone such as `example.org` (written without the trailing dot); `.` is the root. */
export const zoneSchema = z
  .string()
  .transform(tidyName)
  .refine((v) => v === "." || (PLAIN_NAME.test(v) && !v.includes("*") && isDomainName(v)), {
    error: "Enter a DNS zone such as example.org (letters, digits, '-', '_' and dots).",
  });

/** A zone other than the root. */
export const subZoneSchema = zoneSchema.refine((v) => v !== ".", { error: "Enter a zone below the root, such as example.org." });

/** A host name, optionally with `*` as its leftmost label (hosts wildcards). */
export const hostNameSchema = z
  .string()
  .transform(tidyName)
  .refine((v) => v !== "." && PLAIN_NAME.test(v) && !v.slice(2).includes("*") && (!v.includes("*") || v.startsWith("*.")) && isDomainName(v), {
    error: "Enter a host name such as app.example.org ('*.' is allowed as the first label).",
  });

/** An IPv4 or IPv6 address, as Go's net.ParseIP reads it. */
export const ipSchema = z
  .string()
  .trim()
  .refine((v) => isIP(v), { error: "Enter an IPv4 or IPv6 address such as 10.96.0.10." });

export const portSchema = z.coerce.number().int().min(1, { error: "Ports go from 1 to 65535." }).max(65535, { error: "Ports go from 1 to 65535." });

/** A Go duration such as `500ms`, `5s` or `1m30s`. */
export const durationSchema = z
  .string()
  .trim()
  .refine((v) => /^([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(v), { error: "Enter a duration such as 500ms, 5s or 1m." });

/** A server-block key such as `.:53` or `example.org:53`. */
export const blockKeySchema = z
  .string()
  .trim()
  .refine((v) => v !== "" && !("error" in normalizeServerKey(v)), { error: "Enter a server block key such as .:53 or example.org:53." });

/** The load-balancing policies of `forward`. */
export const forwardPolicySchema = z.enum(["random", "round_robin", "sequential"]);

/** The first problem of a failed parse, as a recipe failure. */
export function describeIssue(error: z.ZodError): { reason: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { reason: "The form is not valid." };
  const field = issue.path.map(String).join(".");
  return field ? { reason: issue.message, field } : { reason: issue.message };
}
