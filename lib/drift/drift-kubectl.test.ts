/** Drift capture of changes made with an unmodified kubectl 1.32 against the sandbox, while the watcher runs. */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { DriftSupervisor } from "./drift-supervisor";
import { createDriftEnvironment, waitFor, type DriftEnvironment } from "./test-environment";

const KUBECTL = "/usr/bin/kubectl";
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`lib/drift/drift-kubectl.test.ts: skipped, ${KUBECTL} is missing`);

let env: DriftEnvironment;
let supervisor: DriftSupervisor;
let seedCorefile: string;

beforeEach(async () => {
  env = await createDriftEnvironment();
  seedCorefile = env.configMap().data.Corefile ?? "";
  supervisor = new DriftSupervisor({ db: env.db, backoff: { initialMs: 20, maxMs: 200 }, log: { info: () => {}, error: () => {} } });
  await supervisor.start();
  await waitForRevisions(1);
  await waitFor("the watch to open", () => env.sandbox.openWatches() === 1);
});

afterEach(async () => {
  await supervisor.stop();
  await env.dispose();
});

function kubectl(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only what kubectl needs: nothing of the real HOME or KUBECONFIG leaks in.
  const vars: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: env.dir, KUBECONFIG: env.sandbox.kubeconfigPath ?? "", ...extraEnv };
  const childEnv = vars as unknown as NodeJS.ProcessEnv;
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { env: childEnv, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function file(name: string, text: string, mode?: number): string {
  const filePath = path.join(env.dir, name);
  writeFileSync(filePath, text);
  if (mode !== undefined) chmodSync(filePath, mode);
  return filePath;
}

function waitForRevisions(count: number) {
  return waitFor(`${count} revision(s)`, async () => {
    const revisions = await env.revisions();
    return revisions.length >= count && revisions;
  });
}

/** Waits until the watcher has checked the live state, then returns the whole history. */
async function settledRevisions() {
  const live = env.configMap().metadata.resourceVersion;
  await waitFor(`the watcher to check resourceVersion ${live}`, () => supervisor.getStatus(env.cluster.id)?.checkedResourceVersion === live);
  return env.revisions();
}

describe.skipIf(!hasKubectl)("drift capture of kubectl changes", () => {
  it("records kubectl edit as one external revision by kubectl-edit, byte for byte", async () => {
    const editor = file("editor.sh", "#!/bin/sh\nsed -i 's/ttl 30/ttl 60/' \"$1\"\n", 0o755);
    const edited = await kubectl(["-n", "kube-system", "edit", "cm", "coredns"], { EDITOR: editor, KUBE_EDITOR: editor });
    expect(edited.stderr).toBe("");
    expect(edited.stdout).toContain("configmap/coredns edited");

    const revisions = await waitForRevisions(2);
    const expected = seedCorefile.replace("ttl 30", "ttl 60");
    expect(env.configMap().data.Corefile).toBe(expected);
    expect(revisions[1]).toMatchObject({ number: 2, source: "external", author: "kubectl-edit", text: expected });
    expect(revisions[1]?.message).toBe("Changed outside Coredeck (kubectl-edit)");
    expect(revisions[1]?.resourceVersionAfter).toBe(env.configMap().metadata.resourceVersion);
    expect(await settledRevisions()).toHaveLength(2);
  });

  it("records kubectl replace and kubectl apply with their field managers", async () => {
    const current = await kubectl(["-n", "kube-system", "get", "cm", "coredns", "-o", "yaml"]);
    expect(current.stdout).toContain("max_concurrent 1000");
    const replaced = await kubectl(["replace", "-f", file("replace.yaml", current.stdout.replace("max_concurrent 1000", "max_concurrent 500"))]);
    expect(replaced.stdout.trim()).toBe("configmap/coredns replaced");
    const afterReplace = await waitForRevisions(2);
    expect(afterReplace[1]).toMatchObject({ author: "kubectl-replace", text: seedCorefile.replace("max_concurrent 1000", "max_concurrent 500") });

    const applied = seedCorefile.replace("max_concurrent 1000", "max_concurrent 250");
    const manifest = stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: "kube-system" }, data: { Corefile: applied } });
    const result = await kubectl(["apply", "-f", file("apply.yaml", manifest)]);
    expect(result.stdout.trim()).toBe("configmap/coredns configured");
    const afterApply = await waitForRevisions(3);
    expect(afterApply[2]).toMatchObject({ source: "external", author: "kubectl-client-side-apply", text: applied });
    expect(env.configMap().data.Corefile).toBe(applied);
    expect(await settledRevisions()).toHaveLength(3);
  });
});
