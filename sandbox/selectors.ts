/**
 * Label selectors (`=`, `==`, `!=`, `in`, `notin`, exists, `!` not-exists) and field selectors
 * (`=`, `==`, `!=` on the fields each resource supports), parsed into predicates.
 */
import { badRequest } from "./status";
import type { KubeObject } from "./store";

export type Predicate = (object: KubeObject) => boolean;

type LabelRequirement =
  | { op: "exists" | "!exists"; key: string }
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] };

/** Splits on commas that are not inside parentheses (`a in (x,y),b=c` is two requirements). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, raw: string): string {
  if (!LABEL_KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}

function checkValue(value: string, raw: string): string {
  if (!LABEL_VALUE.test(value) || value.length > 63) {
    throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${raw}"`);
  }
  return value;
}

function parseLabelRequirement(raw: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(raw);
  if (setMatch) {
    const values = setMatch[3]!.split(",").map((v) => checkValue(v.trim(), raw));
    return { op: setMatch[2] as "in" | "notin", key: checkKey(setMatch[1]!, raw), values };
  }
  const eqMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(raw);
  if (eqMatch) {
    const op = eqMatch[2] === "!=" ? "!=" : "=";
    return { op, key: checkKey(eqMatch[1]!, raw), value: checkValue(eqMatch[3]!.trim(), raw) };
  }
  if (raw.startsWith("!")) return { op: "!exists", key: checkKey(raw.slice(1).trim(), raw) };
  if (/^\S+$/.test(raw)) return { op: "exists", key: checkKey(raw, raw) };
  throw badRequest(`unable to parse requirement: found '${raw}', expected: '=', '!=', '==', 'in', notin'`);
}

function matchesRequirement(labels: Record<string, string>, r: LabelRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "=":
      return has && value === r.value;
    case "!=":
      // As in Kubernetes: a missing label satisfies `!=`.
      return !has || value !== r.value;
    case "in":
      return has && r.values.includes(value!);
    case "notin":
      return !has || !r.values.includes(value!);
  }
}

/** Parses a `labelSelector` query value; an empty or missing selector matches everything. */
export function parseLabelSelector(selector: string | null | undefined): Predicate {
  if (!selector || selector.trim() === "") return () => true;
  const requirements = splitTopLevel(selector).map(parseLabelRequirement);
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((r) => matchesRequirement(labels, r));
  };
}

/** The field selectors each resource supports, with how to read the field. */
const FIELD_GETTERS: Record<string, Record<string, (o: KubeObject) => string>> = {
  configmaps: {},
  services: {},
  namespaces: { "status.phase": (o) => String((o.status as { phase?: string } | undefined)?.phase ?? "") },
  pods: {
    "spec.nodeName": (o) => String((o.spec as { nodeName?: string } | undefined)?.nodeName ?? ""),
    "spec.restartPolicy": (o) => String((o.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? ""),
    "spec.schedulerName": (o) => String((o.spec as { schedulerName?: string } | undefined)?.schedulerName ?? ""),
    "spec.serviceAccountName": (o) => String((o.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? ""),
    "status.phase": (o) => String((o.status as { phase?: string } | undefined)?.phase ?? ""),
    "status.podIP": (o) => String((o.status as { podIP?: string } | undefined)?.podIP ?? ""),
  },
};

/** Parses a `fieldSelector` for `resource`; unknown fields are a 400 like `field label not supported: x`. */
export function parseFieldSelector(resource: string, selector: string | null | undefined): Predicate {
  if (!selector || selector.trim() === "") return () => true;
  const getters: Record<string, (o: KubeObject) => string> = {
    "metadata.name": (o) => o.metadata.name,
    "metadata.namespace": (o) => o.metadata.namespace ?? "",
    ...(FIELD_GETTERS[resource] ?? {}),
  };
  const checks = selector
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((part) => {
      const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!m) throw badRequest(`invalid selector: '${part}'; can't understand '${part}'`);
      const field = m[1]!.trim();
      const getter = getters[field];
      if (!getter) throw badRequest(`field label not supported: ${field}`);
      const negate = m[2] === "!=";
      const value = m[3]!.trim();
      return (o: KubeObject) => (getter(o) === value) !== negate;
    });
  return (object) => checks.every((check) => check(object));
}
