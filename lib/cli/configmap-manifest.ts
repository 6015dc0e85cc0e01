/**
 * Corefiles inside Kubernetes manifests, for the CLI: GitOps repositories keep the CoreDNS ConfigMap as YAML (one
 * resource, or many in a kustomize/helm output), not as a bare Corefile. This finds every ConfigMap with the Corefile
 * key, the text of that key, the ConfigMap's other keys (mounted beside the Corefile, so `import` can read them) and a
 * way back from a Corefile position to the position in the YAML file, so messages point into the file the user edits.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, Scalar, type Document } from "yaml";

/** Where kubeadm's (and most) CoreDNS Deployments mount the ConfigMap, and the `-conf` path CoreDNS is started with. */
export const MOUNT_DIR = "/etc/coredns";

/** One ConfigMap of a manifest that holds a Corefile. */
export type ManifestCorefile = {
  /** `namespace/name` of the ConfigMap (namespace `default` when the manifest names none). */
  configMap: string;
  text: string;
  /** The ConfigMap's other keys, by the path CoreDNS sees them at (`/etc/coredns/<key>`). */
  files: Record<string, string>;
  /** The YAML file's line and column (1-based) of a Corefile position, or of the value's start when not mappable. */
  toManifest(line: number, column: number): { line: number; column: number };
};

export type ManifestResult = { ok: true; corefiles: ManifestCorefile[] } | { ok: false; error: string };

/** Whether a file looks like a Kubernetes manifest rather than a Corefile: its name, else its first lines. */
export function looksLikeManifest(name: string, text: string): boolean {
  if (/\.ya?ml$/i.test(name)) return true;
  // A Corefile's first word is a server key, a snippet or an import; a manifest starts with apiVersion or kind.
  for (const line of text.split("\n", 20)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed === "---") continue;
    return /^(apiVersion|kind)\s*:/.test(trimmed);
  }
  return false;
}

/** The Corefiles (key `key`) of every ConfigMap in a YAML stream. */
export function corefilesFromManifest(source: string, key: string): ManifestResult {
  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(source, { lineCounter }) as Document.Parsed[];
  } catch (error) {
    return { ok: false, error: `not valid YAML: ${(error as Error).message}` };
  }
  if (!Array.isArray(documents)) return { ok: false, error: "not a YAML stream" };
  const corefiles: ManifestCorefile[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      const first = document.errors[0]!;
      const at = lineCounter.linePos(first.pos[0]);
      return { ok: false, error: `not valid YAML (line ${at.line}): ${first.message.split("\n")[0]}` };
    }
    const root = document.contents;
    if (!isMap(root)) continue;
    if (scalarValue(root.get("kind", true)) !== "ConfigMap") continue;
    const data = root.get("data", true);
    if (!isMap(data)) continue;
    const value: unknown = data.get(key, true);
    if (!isScalar(value) || typeof value.value !== "string") continue;
    const metadata = root.get("metadata", true);
    const field = (name: string, otherwise: string): string => {
      const found = isMap(metadata) ? scalarValue(metadata.get(name, true)) : undefined;
      return found === null || found === undefined ? otherwise : String(found);
    };
    const name = field("name", "");
    const namespace = field("namespace", "default");
    const files: Record<string, string> = {};
    for (const item of data.items) {
      const itemKey = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (itemKey !== key && isScalar(item.value) && typeof item.value.value === "string") files[`${MOUNT_DIR}/${itemKey}`] = item.value.value;
    }
    corefiles.push({
      configMap: `${namespace}/${name}`,
      text: value.value,
      files,
      toManifest: positionMapper(source, value, lineCounter),
    });
  }
  return { ok: true, corefiles };
}

/** The value of a scalar node, or undefined for anything else. */
function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}

/**
 * Maps Corefile positions into the YAML source. A block literal (`|`) holds the text line by line at one indentation,
 * so the mapping is exact when every line checks out; any other style (quoted, folded, plain) maps to the value's start.
 */
function positionMapper(source: string, value: Scalar, lineCounter: LineCounter): ManifestCorefile["toManifest"] {
  const range = value.range;
  const start = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
  const fallback = () => ({ line: start.line, column: start.col });
  if (!range || value.type !== Scalar.BLOCK_LITERAL) return fallback;
  const yamlLines = source.split(/\r?\n/);
  // The header line (`Corefile: |`) is the value's first line; the content starts on the next one.
  const firstContent = start.line; // 0-based index of the line after the header
  const textLines = (value.value as string).split("\n");
  let indent = -1;
  for (let i = 0; i < textLines.length; i++) {
    const textLine = textLines[i]!;
    if (textLine === "") continue;
    const yamlLine = yamlLines[firstContent + i];
    if (yamlLine === undefined) return fallback;
    if (indent < 0) indent = yamlLine.length - yamlLine.trimStart().length - (textLine.length - textLine.trimStart().length);
    if (indent < 0 || yamlLine.slice(indent) !== textLine) return fallback;
  }
  if (indent < 0) return fallback;
  return (line, column) => ({ line: firstContent + line, column: column + indent });
}
