/**
 * The RBAC of deploy/ against the code: the declared table of API operations (lib/k8s/api-operations.ts) must list
 * every client-node call and every raw API path in the app's source, and deploy/rbac.yaml must grant exactly the
 * table's in-cluster operations: nothing more, nothing less.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import * as clientNode from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { KUBERNETES_OPERATIONS, NON_KUBERNETES_API_PATHS, type KubernetesOperation } from "@/lib/k8s/api-operations";
import { readManifestFile, type Manifest } from "./manifests";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The product's source: what runs in the pod. The sandbox and tests are not part of it. */
const SOURCE_DIRS = ["lib", "app", "components", "scripts", "instrumentation.ts", "proxy.ts"];

function listSourceFiles(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (/\.(ts|tsx|mjs|js)$/.test(entry)) return [entry];
  return readdirSync(full, { withFileTypes: true }).flatMap((child) => {
    const relative = path.join(entry, child.name);
    if (child.isDirectory()) return child.name === "generated" || child.name === "node_modules" ? [] : listSourceFiles(relative);
    // Tests and their helpers (test-helpers.ts, test-environment.ts...) talk to the sandbox, not as the app.
    if (!/\.(ts|tsx)$/.test(child.name) || /\.test\.tsx?$|^test-[\w-]+\.ts$/.test(child.name)) return [];
    return [relative];
  });
}

const SOURCES = SOURCE_DIRS.flatMap((entry) => listSourceFiles(entry)).map((file) => ({
  file,
  text: readFileSync(path.join(ROOT, file), "utf8"),
}));

/**
 * Every method of client-node's generated API classes (CoreV1Api, AppsV1Api, VersionApi, ...). The generic
 * KubernetesObjectApi (read, list, create...) is left out: its names are everyday words; the import check below
 * keeps it (and every other client-node class) out of the source instead.
 */
function listClientNodeApiMethods(): Set<string> {
  const methods = new Set<string>();
  for (const [name, value] of Object.entries(clientNode)) {
    if (!/Api$/.test(name) || name === "KubernetesObjectApi" || typeof value !== "function" || !value.prototype) continue;
    for (const method of Object.getOwnPropertyNames(value.prototype)) {
      if (method !== "constructor") methods.add(method);
    }
  }
  return methods;
}

/** Lines without comments, so that prose mentioning an API path is not taken for a request. */
function codeLines(text: string): { line: number; code: string }[] {
  return text.split("\n").flatMap((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("/*")) return [];
    return [{ line: index + 1, code: raw.replace(/\s\/\/\s.*$/, "") }];
  });
}

/** `${...}` placeholders of a template literal (balanced braces) and `{name}` of the table become `{}`. */
function normalisePath(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === "{") depth++;
        else if (text[j] === "}" && --depth === 0) break;
      }
      out += "{}";
      i = j;
    } else {
      out += text[i];
    }
  }
  return out.replace(/\{[a-zA-Z]+\}/g, "{}");
}

const VERB_OF_PREFIX: Record<string, KubernetesOperation["verb"] | "deletecollection"> = {
  read: "get",
  list: "list",
  create: "create",
  replace: "update",
  patch: "patch",
  delete: "delete",
  deleteCollection: "deletecollection",
  connectGet: "get",
};

/** What a client-node method asks of RBAC, read from its name (`listServiceForAllNamespaces` → list services, cluster). */
function deriveFromMethod(method: string): { verb: string; resource: string; isClusterWide: boolean } {
  const match = /^(deleteCollection|connectGet|read|list|create|replace|patch|delete)(Namespaced)?([A-Z]\w*?)(ForAllNamespaces)?$/.exec(method);
  if (!match) throw new Error(`cannot derive the RBAC of ${method}: add it to deriveFromMethod`);
  const [, prefix, , kind, forAll] = match;
  const proxy = /^(\w+?)Proxy(WithPath)?$/.exec(kind!);
  const base = (proxy ? proxy[1]! : kind!).replace(/Status$/, "");
  // Kinds already plural in the API's method names (Endpoints) take no second "s".
  const plural = base.endsWith("s") ? base.toLowerCase() : `${base.toLowerCase()}s`;
  const resource = `${plural}${proxy ? "/proxy" : ""}`;
  return { verb: VERB_OF_PREFIX[prefix!]!, resource, isClusterWide: Boolean(forAll) };
}

const rawOperations = KUBERNETES_OPERATIONS.filter((op) => op.call.startsWith("raw:"));
const methodOperations = KUBERNETES_OPERATIONS.filter((op) => !op.call.startsWith("raw:"));

describe("the table of Kubernetes operations matches the code", () => {
  const apiMethods = listClientNodeApiMethods();

  it("knows client-node's API methods (sanity: the scan below would find nothing otherwise)", () => {
    expect(apiMethods.has("readNamespacedConfigMap")).toBe(true);
    expect(apiMethods.has("connectGetNamespacedPodProxyWithPath")).toBe(true);
  });

  const calledMethods = new Map<string, string[]>();
  for (const { file, text } of SOURCES) {
    for (const { line, code } of codeLines(text)) {
      for (const match of code.matchAll(/\.([a-zA-Z]+)\(/g)) {
        const method = match[1]!;
        if (!apiMethods.has(method)) continue;
        calledMethods.set(method, [...(calledMethods.get(method) ?? []), `${file}:${line}`]);
      }
    }
  }

  it("imports from client-node only the classes whose calls the scan recognises", () => {
    // A new class (AppsV1Api, Watch, KubernetesObjectApi, Exec...) means new API calls: scan for them, then allow it here.
    const allowed = new Set(["CoreV1Api", "KubeConfig", "Observable"]);
    const imported = SOURCES.flatMap(({ file, text }) =>
      [...text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@kubernetes\/client-node"/g)].flatMap((match) =>
        match[1]
          ? []
          : match[2]!
              .split(",")
              .map((name) => name.trim())
              .filter((name) => name && !name.startsWith("type "))
              .map((name) => ({ file, name })),
      ),
    );
    expect(imported.filter(({ name }) => !allowed.has(name))).toEqual([]);
    expect(SOURCES.filter(({ text }) => /from\s+"@kubernetes\/client-node"/.test(text) && !/import\s+(type\s+)?\{/.test(text))).toEqual([]);
  });

  it("lists every client-node API method the source calls", () => {
    const unlisted = [...calledMethods.keys()].filter((method) => !methodOperations.some((op) => op.call === method));
    expect(unlisted, `add these calls to lib/k8s/api-operations.ts (and their RBAC to deploy/rbac.yaml): ${unlisted
      .map((m) => `${m} at ${calledMethods.get(m)!.join(", ")}`)
      .join("; ")}`).toEqual([]);
  });

  it("lists no method the source no longer calls", () => {
    const stale = methodOperations.filter((op) => !calledMethods.has(op.call)).map((op) => op.call);
    expect(stale, "remove these rows from lib/k8s/api-operations.ts (and their grants from deploy/rbac.yaml)").toEqual([]);
  });

  it("gives each method the verb, resource and scope its name implies", () => {
    for (const op of methodOperations) {
      const derived = deriveFromMethod(op.call);
      expect({ call: op.call, verb: op.verb, resource: op.resource }).toEqual({ call: op.call, verb: derived.verb, resource: derived.resource });
      // A call across all namespaces needs a ClusterRole; a namespaced one may be covered by a ClusterRole too.
      if (derived.isClusterWide) expect(op.scope, op.call).toBe("cluster");
    }
  });

  const rawHits: { file: string; line: number; path: string }[] = [];
  for (const { file, text } of SOURCES) {
    if (NON_KUBERNETES_API_PATHS[file] || file === path.join("lib", "k8s", "api-operations.ts")) continue;
    for (const { line, code: raw } of codeLines(text)) {
      const code = normalisePath(raw);
      // Kubernetes paths: /api/v1/... (not Coredeck's own REST API under /api/v1/clusters, nor import paths) and /apis/...
      for (const match of code.matchAll(/(?<![@\w.])\/(?:api\/v1\/(?!clusters\b)|apis\/)[^`"'\s?)]*/g)) rawHits.push({ file, line, path: match[0] });
    }
  }

  it("finds the raw requests (sanity: the watch and the pod proxy are made by hand)", () => {
    expect(rawHits.length).toBeGreaterThanOrEqual(2);
  });

  it("lists every API path the source requests by hand", () => {
    const unlisted = rawHits.filter((hit) => !rawOperations.some((op) => normalisePath(op.call.replace(/^raw:\w+ /, "").split("?")[0]!) === hit.path));
    expect(unlisted, "add these raw API requests to lib/k8s/api-operations.ts, or NON_KUBERNETES_API_PATHS when they are not Kubernetes").toEqual([]);
  });

  it("lists no raw path the source no longer requests, and a watch row only where the file asks for watch=true", () => {
    for (const op of rawOperations) {
      const [, , pathAndQuery] = /^raw:(\w+) (.*)$/.exec(op.call)!;
      const wanted = normalisePath(pathAndQuery!.split("?")[0]!);
      const files = [...new Set(rawHits.filter((hit) => hit.path === wanted).map((hit) => hit.file))];
      expect(files, `${op.call} is not requested anywhere`).not.toEqual([]);
      if (op.verb === "watch") {
        expect(files.some((file) => /searchParams\.set\("watch", "true"\)|[?&]watch=true/.test(SOURCES.find((s) => s.file === file)!.text))).toBe(true);
      }
    }
  });

  it("names each operation only once", () => {
    const calls = KUBERNETES_OPERATIONS.map((op) => op.call);
    expect(new Set(calls).size).toBe(calls.length);
  });
});

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };

/** One (resource, verb, restricted-to-a-name) triple per grant, so that two sets can be compared exactly. */
function expandRules(rules: Rule[]): string[] {
  return rules
    .flatMap((rule) => {
      expect(rule.apiGroups, "only the core API group is used").toEqual([""]);
      expect(rule.nonResourceURLs).toBeUndefined();
      expect(rule.verbs).not.toContain("*");
      expect(rule.resources).not.toContain("*");
      return rule.resources!.flatMap((resource) =>
        rule.verbs!.map((verb) => `${resource} ${verb}${rule.resourceNames ? ` names=${[...rule.resourceNames].sort().join(",")}` : ""}`),
      );
    })
    .sort();
}

function expectedGrants(scope: KubernetesOperation["scope"]): string[] {
  return [
    ...new Set(
      KUBERNETES_OPERATIONS.filter((op) => op.scope === scope && !op.isOutsideClusterOnly).map(
        (op) => `${op.resource} ${op.verb}${op.isNamedConfigMap ? " names=coredns" : ""}`,
      ),
    ),
  ].sort();
}

describe("deploy/rbac.yaml grants exactly what the code uses in-cluster", () => {
  const documents = readManifestFile("rbac.yaml").documents;
  const byKind = (kind: string) => documents.filter((d) => d.kind === kind);

  it("has one Role in kube-system holding the namespaced operations (the Corefile ConfigMap by name)", () => {
    const roles = byKind("Role");
    expect(roles).toHaveLength(1);
    expect(roles[0]!.metadata.namespace).toBe("kube-system");
    expect(expandRules((roles[0] as Manifest & { rules: Rule[] }).rules)).toEqual(expectedGrants("corefile-namespace"));
  });

  it("has a ClusterRole only for the cluster-wide operations", () => {
    const granted = byKind("ClusterRole").flatMap((role) => expandRules((role as Manifest & { rules: Rule[] }).rules)).sort();
    expect(granted).toEqual(expectedGrants("cluster"));
  });

  it("binds each role to the coredeck ServiceAccount, and nothing else", () => {
    const bindings = [...byKind("RoleBinding"), ...byKind("ClusterRoleBinding")] as (Manifest & {
      roleRef: { kind: string; name: string };
      subjects: { kind: string; name: string; namespace?: string }[];
    })[];
    const roles = [...byKind("Role"), ...byKind("ClusterRole")];
    expect(bindings.map((b) => `${b.roleRef.kind}/${b.roleRef.name}`).sort()).toEqual(roles.map((r) => `${r.kind}/${r.metadata.name}`).sort());
    for (const binding of bindings) {
      if (binding.kind === "RoleBinding") {
        expect(binding.metadata.namespace).toBe(roles.find((r) => r.metadata.name === binding.roleRef.name && r.kind === "Role")!.metadata.namespace);
      }
      // The subject's namespace is left to the kustomization's namespace transformer.
      expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "coredeck" }]);
    }
    expect(documents.map((d) => d.kind).sort()).toEqual(["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]);
  });

  it("does not grant the pod proxy, which only the outside-cluster connection uses", () => {
    expect(KUBERNETES_OPERATIONS.find((op) => op.resource === "pods/proxy")?.isOutsideClusterOnly).toBe(true);
    expect(JSON.stringify(documents)).not.toContain("pods/proxy");
  });
});

describe("the derivation used above", () => {
  it("reads verbs, resources and scope from client-node method names", () => {
    expect(deriveFromMethod("replaceNamespacedConfigMap")).toEqual({ verb: "update", resource: "configmaps", isClusterWide: false });
    expect(deriveFromMethod("listServiceForAllNamespaces")).toEqual({ verb: "list", resource: "services", isClusterWide: true });
    expect(deriveFromMethod("connectGetNamespacedPodProxyWithPath")).toEqual({ verb: "get", resource: "pods/proxy", isClusterWide: false });
    expect(normalisePath("`${prefix}/api/v1/namespaces/${encodeURIComponent(pod.namespace)}/pods/${a}:${b}/proxy/metrics`")).toBe(
      "`{}/api/v1/namespaces/{}/pods/{}:{}/proxy/metrics`",
    );
  });
});
