/** The sandbox driven by an unmodified kubectl 1.32 (no --validate=false anywhere). */
import { execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./server";

const KUBECTL = "/usr/bin/kubectl";
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`sandbox/kubectl.test.ts: skipped, ${KUBECTL} is missing`);

let sb: Sandbox;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "sandbox-kubectl-"));
  sb = await startSandbox({ kubeconfigPath: path.join(dir, "kubeconfig") });
});
afterEach(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

/** kubectl's environment: the sandbox kubeconfig, and a throwaway HOME for its discovery cache. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Deliberately not the parent's environment: nothing of the real HOME or KUBECONFIG leaks in.
  const vars: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, KUBECONFIG: sb.kubeconfigPath!, ...extra };
  return vars as unknown as NodeJS.ProcessEnv;
}

function kubectl(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { env: env(extraEnv), timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const storedCorefile = () => (sb.getObject("configmaps", "kube-system", "coredns")?.data as Record<string, string>).Corefile;
const managers = (ns: string, name: string) => (sb.getObject("configmaps", ns, name)?.metadata.managedFields ?? []).map((e) => `${e.manager}/${e.operation}`);

describe.skipIf(!hasKubectl)("kubectl 1.32 against the sandbox", () => {
  it("gets the coredns ConfigMap as YAML and lists resources as tables", async () => {
    const yaml = await kubectl(["-n", "kube-system", "get", "cm", "coredns", "-o", "yaml"]);
    expect(yaml.stderr).toBe("");
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain("kind: ConfigMap");
    expect(yaml.stdout).toContain("name: coredns");
    expect(yaml.stdout).toContain("kubernetes cluster.local in-addr.arpa ip6.arpa {");

    const table = await kubectl(["-n", "kube-system", "get", "cm"]);
    expect(table.stdout).toMatch(/^NAME\s+DATA\s+AGE$/m);
    expect(table.stdout).toMatch(/^coredns\s+1\s+\d+h$/m);

    const pods = await kubectl(["-n", "kube-system", "get", "pods", "-l", "k8s-app=kube-dns", "-o", "wide"]);
    expect(pods.stdout.match(/^coredns-\S+\s+1\/1\s+Running\s+0\s+\S+\s+127\.0\.0\.1\s/gm)).toHaveLength(2);

    const svc = await kubectl(["get", "svc", "-A"]);
    expect(svc.stdout).toMatch(/kube-system\s+kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
  });

  it("edits with $EDITOR: the change is stored and attributed to kubectl-edit", async () => {
    const editor = file("editor.sh", "#!/bin/sh\nsed -i 's/ttl 30/ttl 60/' \"$1\"\n");
    chmodSync(editor, 0o755);
    const res = await kubectl(["-n", "kube-system", "edit", "cm", "coredns"], { EDITOR: editor, KUBE_EDITOR: editor });
    expect(res.stderr).toBe("");
    expect(res.stdout).toContain("configmap/coredns edited");
    expect(storedCorefile()).toContain("ttl 60");
    expect(storedCorefile()).not.toContain("ttl 30");
    expect(managers("kube-system", "coredns")).toContain("kubectl-edit/Update");
  });

  it("refuses replace -f with a stale resourceVersion", async () => {
    const current = await kubectl(["-n", "kube-system", "get", "cm", "coredns", "-o", "yaml"]);
    const stale = file("stale.yaml", current.stdout.replace("ttl 30", "ttl 5"));
    expect((await kubectl(["-n", "kube-system", "patch", "cm", "coredns", "--type", "merge", "-p", '{"data":{"other":"x"}}'])).code).toBe(0);
    const res = await kubectl(["replace", "-f", stale]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/Conflict/);
    expect(res.stderr).toContain("the object has been modified");
    expect(storedCorefile()).toContain("ttl 30");
  });

  it("creates and then updates with client-side apply", async () => {
    const manifest = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coredns-custom\n  namespace: kube-system\ndata:\n  extra.server: |\n    example.org:53 {\n        forward . ${value}\n    }\n`;
    const first = await kubectl(["apply", "-f", file("a.yaml", manifest("10.0.0.1"))]);
    expect(first.stderr).toBe("");
    expect(first.stdout.trim()).toBe("configmap/coredns-custom created");
    const second = await kubectl(["apply", "-f", file("a.yaml", manifest("10.0.0.2"))]);
    expect(second.stdout.trim()).toBe("configmap/coredns-custom configured");
    const stored = sb.getObject("configmaps", "kube-system", "coredns-custom")!;
    expect((stored.data as Record<string, string>)["extra.server"]).toContain("forward . 10.0.0.2");
    expect(stored.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]).toContain("10.0.0.2");
    expect(managers("kube-system", "coredns-custom")).toEqual(["kubectl-client-side-apply/Update"]);
  });

  it("creates with kubectl create configmap, whose typed client sends a protobuf body", async () => {
    const res = await kubectl(["-n", "kube-system", "create", "configmap", "made", "--from-literal=Corefile=.:53 {\n    whoami\n}\n", "--from-literal=other=1"]);
    expect(res.stderr).toBe("");
    expect(res.stdout.trim()).toBe("configmap/made created");
    const stored = sb.getObject("configmaps", "kube-system", "made")!;
    expect(stored.data).toEqual({ Corefile: ".:53 {\n    whoami\n}\n", other: "1" });
    expect(stored.metadata.generateName).toBeUndefined();
    expect(managers("kube-system", "made")).toEqual(["kubectl-create/Update"]);
  });

  it("applies server-side, and reports a conflict until forced", async () => {
    const manifest = file("ssa.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: default\ndata:\n  key: one\n");
    const created = await kubectl(["apply", "--server-side", "-f", manifest]);
    expect(created.stdout.trim()).toBe("configmap/ssa serverside-applied");
    expect(managers("default", "ssa")).toEqual(["kubectl/Apply"]);

    expect((await kubectl(["patch", "cm", "ssa", "--type", "merge", "-p", '{"data":{"key":"two"}}'])).stdout.trim()).toBe("configmap/ssa patched");
    expect(managers("default", "ssa")).toContain("kubectl-patch/Update");

    const conflicted = await kubectl(["apply", "--server-side", "-f", manifest]);
    expect(conflicted.code).not.toBe(0);
    expect(conflicted.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.key');

    const forced = await kubectl(["apply", "--server-side", "--force-conflicts", "-f", manifest]);
    expect(forced.code).toBe(0);
    expect((sb.getObject("configmaps", "default", "ssa")!.data as Record<string, string>).key).toBe("one");
  });

  it("patches with --type merge and reads metrics through the pod proxy", async () => {
    const res = await kubectl(["-n", "kube-system", "patch", "cm", "coredns", "--type", "merge", "-p", '{"data":{"note":"hello"}}']);
    expect(res.stdout.trim()).toBe("configmap/coredns patched");
    expect((sb.getObject("configmaps", "kube-system", "coredns")!.data as Record<string, string>).note).toBe("hello");

    const pod = sb.pods()[0]!.name;
    const raw = await kubectl(["get", "--raw", `/api/v1/namespaces/kube-system/pods/${pod}:9153/proxy/metrics`]);
    expect(raw.stdout).toContain("# TYPE coredns_dns_requests_total counter");
  });

  it("streams a change to get -w", async () => {
    const child = spawn(KUBECTL, ["-n", "kube-system", "get", "cm", "coredns", "-w"], { env: env() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const waitFor = (re: RegExp) =>
      new Promise<boolean>((resolve) => {
        const deadline = setTimeout(() => resolve(false), 10_000);
        const check = () => {
          if (re.test(stdout)) {
            clearTimeout(deadline);
            resolve(true);
          } else setTimeout(check, 25);
        };
        check();
      });
    try {
      expect(await waitFor(/^coredns\s+1\s+/m)).toBe(true);
      await expect.poll(() => sb.openWatches(), { timeout: 10_000 }).toBe(1);
      await kubectl(["-n", "kube-system", "patch", "cm", "coredns", "--type", "merge", "-p", '{"data":{"watched":"yes"}}']);
      expect(await waitFor(/^coredns\s+2\s+/m)).toBe(true);
      expect(stderr).toBe("");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
