import { describe, expect, it } from "vitest";
import { forwardToServiceRecipe, stubDomainRecipe } from "./forward";
import { buildAndApply, expectRefused, SAMPLES, type SampleName } from "./test-support";

const LINKERD = {
  zone: "west.cluster.local",
  service: { namespace: "kube-system", name: "kube-dns-west" },
  clusterIPs: ["10.96.77.53"],
  port: 53,
  forceTcp: true,
};

describe("forward a zone to an in-cluster DNS Service", () => {
  it.each<SampleName>(["kubeadm", "deployment", "microk8s", "hostsAndComments", "dn42", "splitDns"])("adds a server block to %s", (name) => {
    const { text, result } = buildAndApply(forwardToServiceRecipe, SAMPLES[name], { zone: "consul", clusterIPs: ["10.96.200.53"] });
    expect(text.startsWith(SAMPLES[name])).toBe(true);
    // At the end, in the file's own indentation; measured like the other blocks when they have prometheus.
    expect(text).toMatch(/\nconsul:53 \{\n( +)errors\n(?:\1prometheus [^\n]+\n)?\1cache 30\n\1# Service ClusterIP: update if the Service is recreated\n\1forward \. 10\.96\.200\.53:53\n\}\n$/);
    expect(result.warnings[0]).toContain("ClusterIP 10.96.200.53");
    expect(result.focus?.line).toBe(text.slice(0, text.indexOf("consul:53")).split("\n").length);
  });

  it("writes force_tcp, policy and health_check, brackets IPv6 and warns when the zone is inside the cluster domain", () => {
    const { text, result } = buildAndApply(forwardToServiceRecipe, SAMPLES.kubeadm, {
      ...LINKERD,
      clusterIPs: ["10.96.77.53", "fd00::53"],
      policy: "sequential",
      healthCheck: "5s",
    });
    expect(text).toContain(
      [
        "west.cluster.local:53 {",
        "    errors",
        "    prometheus :9153",
        "    cache 30",
        "    # kube-system/kube-dns-west ClusterIP: update if the Service is recreated",
        "    forward . 10.96.77.53:53 [fd00::53]:53 {",
        "        force_tcp",
        "        policy sequential",
        "        health_check 5s",
        "    }",
        "}",
      ].join("\n"),
    );
    expect(result.warnings.join("\n")).toContain("Service kube-system/kube-dns-west");
    expect(result.warnings.join("\n")).toContain("inside cluster.local, which the kubernetes plugin answers");
  });

  it("adds the forward to an existing block for the zone, and is idempotent", () => {
    const base = `${SAMPLES.kubeadm}\nconsul:53 {\n    errors\n    cache 30\n}\n`;
    const first = buildAndApply(forwardToServiceRecipe, base, { zone: "consul", clusterIPs: ["10.96.200.53"] });
    expect(first.text).toBe(
      `${SAMPLES.kubeadm}\nconsul:53 {\n    errors\n    cache 30\n    # Service ClusterIP: update if the Service is recreated\n    forward . 10.96.200.53:53\n}\n`,
    );
    const again = forwardToServiceRecipe.build(first.text, { zone: "consul", clusterIPs: ["10.96.200.53"] });
    expect(again).toMatchObject({ ok: true, edits: [] });
  });

  it("refuses a second forward in a block that already forwards the zone", () => {
    const reason = expectRefused(forwardToServiceRecipe, SAMPLES.splitDns, { zone: "ru", clusterIPs: ["10.0.0.1"] }, "zone");
    expect(reason).toContain("already has a forward");
  });

  it("rejects invalid forms with the field", () => {
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, zone: "not a zone" }, "zone");
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, zone: "." }, "zone");
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, clusterIPs: [] }, "clusterIPs");
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, clusterIPs: ["None"] }, "clusterIPs.0");
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, port: 70000 }, "port");
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, policy: "fastest" }, "policy");
    expectRefused(forwardToServiceRecipe, SAMPLES.kubeadm, { ...LINKERD, healthCheck: "5 seconds" }, "healthCheck");
  });

  it("refuses a Corefile whose last block has no braces (a new block would join it)", () => {
    expectRefused(forwardToServiceRecipe, ".:53\nwhoami\n", { zone: "consul", clusterIPs: ["10.0.0.1"] });
  });
});

describe("stub domain", () => {
  it.each<SampleName>(["kubeadm", "microk8s", "dn42"])("forwards a zone to upstreams in %s", (name) => {
    const { text } = buildAndApply(stubDomainRecipe, SAMPLES[name], { zone: "corp.example", upstreams: ["10.0.0.53", "10.0.1.53:5353"] });
    expect(text).toContain("forward . 10.0.0.53 10.0.1.53:5353\n}");
  });

  it("writes DNS-over-TLS upstreams with tls_servername", () => {
    const { text, result } = buildAndApply(stubDomainRecipe, SAMPLES.kubeadm, {
      zone: "corp.example",
      upstreams: ["9.9.9.9", "[2620:fe::fe]:853"],
      tls: true,
      tlsServerName: "dns.quad9.net",
      policy: "round_robin",
    });
    expect(text).toContain(
      "    forward . tls://9.9.9.9 tls://[2620:fe::fe]:853 {\n        tls_servername dns.quad9.net\n        policy round_robin\n    }\n",
    );
    expect(result.warnings).toEqual([]);
  });

  it("warns about DNS-over-TLS without a server name", () => {
    const { result } = buildAndApply(stubDomainRecipe, SAMPLES.kubeadm, { zone: "corp.example", upstreams: ["9.9.9.9"], tls: true });
    expect(result.warnings.join(" ")).toContain("without a TLS server name");
  });

  it("rejects invalid upstreams and a server name without TLS", () => {
    expectRefused(stubDomainRecipe, SAMPLES.kubeadm, { zone: "corp.example", upstreams: ["dns.example.com"] }, "upstreams.0");
    expectRefused(stubDomainRecipe, SAMPLES.kubeadm, { zone: "corp.example", upstreams: ["10.0.0.1:0"] }, "upstreams.0");
    expectRefused(stubDomainRecipe, SAMPLES.kubeadm, { zone: "corp.example", upstreams: [] }, "upstreams");
    expectRefused(stubDomainRecipe, SAMPLES.kubeadm, { zone: "corp.example", upstreams: ["10.0.0.1"], tlsServerName: "dns.example" }, "tlsServerName");
  });
});
