import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

/** The folder of the Kubernetes manifests (`deploy/` at the project root). */
export const DEPLOY_DIR = path.resolve(import.meta.dirname, "../../deploy");

/** A Kubernetes object as far as the manifest checks look into it. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
};

export type ManifestFile = { file: string; documents: Manifest[] };

/**
 * Parses one YAML file of `deploy/` into its documents. Throws with the file and the parser's message when the
 * YAML is invalid, so a broken manifest fails the tests with a pointer to the line.
 */
export function readManifestFile(file: string): ManifestFile {
  const text = readFileSync(path.join(DEPLOY_DIR, file), "utf8");
  const documents = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(documents)) throw new Error(`${file}: not a YAML stream`);
  const parsed: Manifest[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
    const value = document.toJS() as Manifest | null;
    if (value !== null) parsed.push(value);
  }
  return { file, documents: parsed };
}

/** The Kustomization's own fields that the checks use. */
export type Kustomization = { resources: string[]; transformers?: string[] };

export function readKustomization(): Kustomization {
  const [document] = readManifestFile("kustomization.yaml").documents;
  return document as unknown as Kustomization;
}

/** Every object the kustomization applies (its resources), with the file each came from. */
export function readKustomizationResources(): (Manifest & { file: string })[] {
  return readKustomization().resources.flatMap((file) => readManifestFile(file).documents.map((document) => ({ ...document, file })));
}
