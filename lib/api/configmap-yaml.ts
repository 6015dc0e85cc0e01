import { Document, parse, Scalar } from "yaml";
import type { CorefileLocation } from "@/lib/k8s/corefile-configmap";

/**
 * A ConfigMap manifest holding `text` under the Corefile key, for `kubectl apply -f`. The Corefile is written as a
 * block literal (`|`, `|-`, `|+`), which keeps it readable; the rare text a block literal cannot carry exactly (CR
 * characters, control characters, whitespace-only text) is written double-quoted instead. Either way, parsing the
 * YAML gives back exactly `text`; this is checked before the YAML is returned.
 *
 * The manifest holds only the Corefile key: other keys of the live ConfigMap are not part of a revision.
 */
export function renderConfigMapYaml(location: CorefileLocation, text: string): string {
  for (const type of [Scalar.BLOCK_LITERAL, Scalar.QUOTE_DOUBLE] as const) {
    const yaml = renderWithStringType(location, text, type);
    if (readCorefileFromYaml(yaml, location.key) === text) return yaml;
  }
  throw new Error("The Corefile cannot be written as YAML without changing it.");
}

function renderWithStringType(location: CorefileLocation, text: string, type: Scalar.Type): string {
  const document = new Document({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: location.name, namespace: location.namespace },
    data: {},
  });
  const corefile = new Scalar(text);
  corefile.type = type;
  document.setIn(["data", location.key], corefile);
  // lineWidth 0: never fold long lines (a folded quoted string is exact too, but harder to read).
  return document.toString({ lineWidth: 0 });
}

/** The value under `data.<key>`, or undefined when the YAML does not parse back (the caller then tries another style). */
function readCorefileFromYaml(yaml: string, key: string): unknown {
  let manifest: unknown;
  try {
    // e.g. a block literal whose first lines are blank but for more indentation than the rest (" \n\t\n").
    manifest = parse(yaml);
  } catch {
    return undefined;
  }
  const data = (manifest as { data?: Record<string, unknown> } | null)?.data;
  return data?.[key];
}
