import { describe, expect, it } from "vitest";
import { clusterAliasRecipe } from "./cluster-alias";
import { buildAndApply, expectRefused, SAMPLES, type SampleName } from "./test-support";

describe("extra cluster domain alias", () => {
  it.each<SampleName>(["kubeadm", "deployment", "microk8s"])("adds the alias after the cluster domain in %s", (name) => {
    const { text, result } = buildAndApply(clusterAliasRecipe, SAMPLES[name], { alias: "cluster.example" });
    expect(text).toContain("kubernetes cluster.local cluster.example in-addr.arpa ip6.arpa {");
    expect(result.edits).toEqual([{ start: expect.any(Number), end: expect.any(Number), newText: " cluster.local cluster.example in-addr.arpa ip6.arpa" }]);
    expect(result.warnings).toEqual([]);
  });

  it("is idempotent", () => {
    const once = buildAndApply(clusterAliasRecipe, SAMPLES.kubeadm, { alias: "cluster.example" });
    expect(clusterAliasRecipe.build(once.text, { alias: "Cluster.Example." })).toMatchObject({ ok: true, edits: [] });
  });

  it("adds the alias to the block's keys when the block does not receive it", () => {
    const base = "# cluster names\ncluster.local:53 {\n    kubernetes\n}\n\n.:53 {\n    forward . 9.9.9.9\n}\n";
    const { text, result } = buildAndApply(clusterAliasRecipe, base, { alias: "cluster.example" });
    expect(text).toBe("# cluster names\ncluster.local:53 cluster.example:53 {\n    kubernetes cluster.local cluster.example\n}\n\n.:53 {\n    forward . 9.9.9.9\n}\n");
    expect(result.warnings.join(" ")).toContain("now also listens");
  });

  it("refuses without a kubernetes plugin, or an alias inside the cluster domain or served elsewhere", () => {
    expectRefused(clusterAliasRecipe, SAMPLES.dn42, { alias: "cluster.example" });
    expectRefused(clusterAliasRecipe, SAMPLES.kubeadm, { alias: "svc.cluster.local" }, "alias");
    expectRefused(clusterAliasRecipe, `${SAMPLES.kubeadm}\ncluster.example:53 {\n    whoami\n}\n`, { alias: "cluster.example" }, "alias");
    expectRefused(clusterAliasRecipe, SAMPLES.kubeadm, { alias: "cluster.example", clusterDomain: "other.local" }, "clusterDomain");
  });

  it("rejects invalid forms with the field", () => {
    expectRefused(clusterAliasRecipe, SAMPLES.kubeadm, { alias: "." }, "alias");
    expectRefused(clusterAliasRecipe, SAMPLES.kubeadm, { alias: "bad zone" }, "alias");
    expectRefused(clusterAliasRecipe, SAMPLES.kubeadm, {}, "alias");
  });
});
