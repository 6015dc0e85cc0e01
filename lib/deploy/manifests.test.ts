/** deploy/: every manifest parses, and the Deployment has the shape and the security settings the README promises. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { DEPLOY_DIR, readKustomization, readKustomizationResources, readManifestFile, type Manifest } from "./manifests";

type Container = {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string; optional?: boolean } }[];
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
};
type Probe = { httpGet?: { path: string; port: string | number }; timeoutSeconds?: number };
type PodSpec = {
  serviceAccountName?: string;
  enableServiceLinks?: boolean;
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: Container[];
  volumes?: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }[];
};
type Deployment = Manifest & {
  spec: { replicas: number; strategy?: { type: string }; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

const objects = readKustomizationResources();
const find = <T extends Manifest>(kind: string, name?: string) => objects.find((o) => o.kind === kind && (!name || o.metadata.name === name)) as T | undefined;
const deployment = find<Deployment>("Deployment", "coredeck")!;
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;

describe("deploy/ manifests", () => {
  it("every YAML file parses, and each is applied by the kustomization or says why not", () => {
    const files = readdirSync(DEPLOY_DIR).filter((f) => f.endsWith(".yaml"));
    for (const file of files) {
      const documents = parseAllDocuments(readFileSync(path.join(DEPLOY_DIR, file), "utf8"));
      for (const document of Array.isArray(documents) ? documents : [documents]) expect(document.errors, file).toEqual([]);
      expect(() => readManifestFile(file)).not.toThrow();
    }
    const kustomization = readKustomization();
    const used = new Set(["kustomization.yaml", ...kustomization.resources, ...(kustomization.transformers ?? [])]);
    // Examples hold placeholders and must never be applied by `kubectl apply -k`.
    expect(files.filter((f) => !used.has(f))).toEqual(["auth-secret.example.yaml"]);
    for (const object of objects) {
      expect(object.apiVersion, object.file).toBeTruthy();
      expect(object.metadata.name, object.file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });

  it("sets no namespace except kube-system for the Role (the kustomization chooses the rest)", () => {
    for (const object of objects) {
      if (object.kind === "Role" || object.kind === "RoleBinding") expect(object.metadata.namespace).toBe("kube-system");
      else expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBeUndefined();
    }
    const transformer = readManifestFile("namespace-transformer.yaml").documents[0] as Manifest & { unsetOnly?: boolean };
    expect(transformer.unsetOnly).toBe(true);
    expect(find("Namespace")!.metadata.name).toBe(transformer.metadata.namespace);
  });

  it("runs one replica, recreated rather than rolled (SQLite on a ReadWriteOnce volume)", () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy?.type).toBe("Recreate");
    const claim = find<Manifest & { spec: { accessModes: string[] } }>("PersistentVolumeClaim")!;
    expect(claim.spec.accessModes).toEqual(["ReadWriteOnce"]);
    expect(pod.volumes?.find((v) => v.name === "data")?.persistentVolumeClaim?.claimName).toBe(claim.metadata.name);
    expect(container.volumeMounts?.find((m) => m.name === "data")?.mountPath).toBe("/data");
    expect(container.env?.find((e) => e.name === "COREDECK_DATA_DIR")?.value).toBe("/data");
  });

  it("runs as non-root with a read-only root filesystem, no capabilities, no privilege escalation and the RuntimeDefault seccomp profile", () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(pod.securityContext?.seccompProfile?.type).toBe("RuntimeDefault");
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(c.securityContext?.privileged ?? false).toBe(false);
      expect(c.securityContext?.capabilities?.drop).toEqual(["ALL"]);
      expect(c.securityContext?.capabilities?.add).toBeUndefined();
      expect(c.resources?.requests?.cpu).toBeTruthy();
      expect(c.resources?.requests?.memory).toBeTruthy();
      expect(c.resources?.limits?.memory).toBeTruthy();
    }
  });

  it("gives every path the server writes a volume: /data, /tmp and Next's cache", () => {
    const mounts = Object.fromEntries((container.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
    expect(Object.keys(mounts).sort()).toEqual(["/app/.next/cache", "/data", "/tmp"]);
    for (const name of [mounts["/tmp"], mounts["/app/.next/cache"]]) expect(pod.volumes?.find((v) => v.name === name)?.emptyDir).toBeDefined();
  });

  it("probes /api/health: liveness and start-up the process only, readiness the database and the API", () => {
    expect(container.livenessProbe?.httpGet).toEqual({ path: "/api/health?probe=live", port: "http" });
    expect(container.startupProbe?.httpGet).toEqual({ path: "/api/health?probe=live", port: "http" });
    expect(container.readinessProbe?.httpGet).toEqual({ path: "/api/health", port: "http" });
    // Each readiness check may take 2 s (lib/health); the probe must wait longer than that.
    expect(container.readinessProbe?.timeoutSeconds).toBeGreaterThan(2);
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(container.env?.find((e) => e.name === "HOSTNAME")?.value).toBe("0.0.0.0");
  });

  it("uses its own ServiceAccount and reads the auth settings from the ConfigMap and an optional Secret", () => {
    expect(pod.serviceAccountName).toBe(find("ServiceAccount")!.metadata.name);
    // Service links would add COREDECK_SERVICE_HOST, COREDECK_PORT... beside the app's own COREDECK_ settings.
    expect(pod.enableServiceLinks).toBe(false);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: find("ConfigMap")!.metadata.name } },
      { secretRef: { name: "coredeck-auth", optional: true } },
    ]);
    const example = readManifestFile("auth-secret.example.yaml").documents[0] as Manifest & { stringData: Record<string, string> };
    expect(example.metadata.name).toBe("coredeck-auth");
    expect(Object.keys(example.stringData).every((key) => key.startsWith("COREDECK_"))).toBe(true);
  });

  it("exposes port 80 to the pod's 3000 through a ClusterIP Service that selects the Deployment's pods", () => {
    const service = find<Manifest & { spec: { type: string; selector: Record<string, string>; ports: { port: number; targetPort: string }[] } }>("Service")!;
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
  });
});

const hasKubectl = existsSync("/usr/bin/kubectl");
if (!hasKubectl) console.warn("lib/deploy/manifests.test.ts: kustomize rendering skipped, /usr/bin/kubectl is missing");

describe.skipIf(!hasKubectl)("kubectl kustomize deploy/", () => {
  it("puts everything in the coredeck namespace except the kube-system Role, and binds the right ServiceAccount", () => {
    const rendered = execFileSync("/usr/bin/kubectl", ["kustomize", DEPLOY_DIR], { encoding: "utf8" });
    const documents = parseAllDocuments(rendered);
    const list = (Array.isArray(documents) ? documents : [documents]).map((d) => d.toJS() as Manifest & { subjects?: { namespace?: string }[] });
    for (const object of list) {
      const expected = ["Role", "RoleBinding"].includes(object.kind) ? "kube-system" : ["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(object.kind) ? undefined : "coredeck";
      expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(expected);
      for (const subject of object.subjects ?? []) expect(subject.namespace).toBe("coredeck");
    }
    const image = (list.find((o) => o.kind === "Deployment") as Deployment).spec.template.spec.containers[0]!.image;
    expect(image).toBe("coredeck:latest");
  });
});
