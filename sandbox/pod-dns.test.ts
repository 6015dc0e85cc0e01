import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { queryPod, type DnsTransport, type QueryPodResult } from "@/lib/dns/client";
import { buildQuery, decodeMessage, encodeMessage, RCODE } from "@/lib/dns/message";
import { startSandbox, type Sandbox } from "./server";
import { call, eventually } from "./testing";

const PODS = "/api/v1/namespaces/kube-system/pods";
const CM = "/api/v1/namespaces/kube-system/configmaps/coredns";
const TRANSPORTS: DnsTransport[] = ["udp", "tcp"];

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const putCorefile = (s: Sandbox, corefile: string) => call(s, "PATCH", CM, { data: { Corefile: corefile } }, { "Content-Type": "application/merge-patch+json" });

/** The DNS address of each pod, read the way the app reads it: the pod list's podIP and `dns` / `dns-tcp` ports. */
async function listDnsAddresses(s: Sandbox): Promise<{ name: string; ip: string; udp: number; tcp: number }[]> {
  const list = await call(s, "GET", `${PODS}?labelSelector=k8s-app%3Dkube-dns`);
  return list.body.items.map((pod: { metadata: { name: string }; status: { podIP: string }; spec: { containers: { ports: { name: string; containerPort: number }[] }[] } }) => {
    const ports = pod.spec.containers[0]!.ports;
    return { name: pod.metadata.name, ip: pod.status.podIP, udp: ports.find((p) => p.name === "dns")!.containerPort, tcp: ports.find((p) => p.name === "dns-tcp")!.containerPort };
  });
}

const ask = (ip: string, port: number, name: string, transport: DnsTransport, type = "A") => queryPod({ address: ip, port, name, type, transport, timeoutMs: 2000 });

function addresses(result: QueryPodResult): string[] {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.answers.map((r) => (r.data.kind === "A" || r.data.kind === "AAAA" ? r.data.address : r.data.kind));
}

const HOSTS_COREFILE = (seed: string) => seed.replace("    prometheus :9153", "    hosts {\n        10.20.30.40 legacy-db.corp.example\n        fallthrough\n    }\n    prometheus :9153");

describe("simulated CoreDNS pods answer DNS", () => {
  it("answers each pod's own port over UDP and TCP from the Services, as the pod list advertises it", async () => {
    const s = (sb = await startSandbox());
    const pods = await listDnsAddresses(s);
    expect(pods).toHaveLength(2);
    expect(new Set(pods.map((p) => p.udp)).size).toBe(2);
    for (const pod of pods) {
      expect(pod.ip).toBe("127.0.0.1");
      expect(pod.udp).toBe(pod.tcp);
      for (const transport of TRANSPORTS) {
        const port = transport === "udp" ? pod.udp : pod.tcp;
        const k8s = await ask(pod.ip, port, "kubernetes.default.svc.cluster.local", transport);
        expect(k8s).toMatchObject({ ok: true, rcode: RCODE.NOERROR, rcodeName: "NOERROR", flags: { qr: true, aa: true, rd: true, tc: false } });
        expect(addresses(k8s)).toEqual(["10.96.0.1"]);
        expect(addresses(await ask(pod.ip, port, "frontend.default.svc.cluster.local.", transport))).toEqual(["10.96.120.15"]);

        const missing = await ask(pod.ip, port, "missing.default.svc.cluster.local", transport);
        expect(missing).toMatchObject({ ok: true, rcodeName: "NXDOMAIN", flags: { aa: true }, answers: [], authority: [{ name: "cluster.local.", type: 6 }] });

        const external = await ask(pod.ip, port, "example.com", transport);
        expect(external).toMatchObject({ ok: true, rcodeName: "SERVFAIL", flags: { aa: false } });
      }
    }
  });

  it("answers from the Corefile each pod has loaded: a restarted pod runs the new one, the other the old one until it reloads", async () => {
    const s = (sb = await startSandbox({ reload: { kubeletSyncMs: 10, pollMs: 3_600_000, jitterMs: 0 } }));
    const seed = s.pods()[0]!.loadedCorefile;
    expect((await putCorefile(s, HOSTS_COREFILE(seed))).status).toBe(200);
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile.includes("legacy-db")))).toBe(true);

    const [first, second] = s.pods();
    const replacement = (await s.restartPod(first!.name))!;
    expect(replacement.loadedCorefile).toContain("legacy-db");
    const fresh = await ask("127.0.0.1", replacement.dnsPort, "legacy-db.corp.example", "udp");
    expect(addresses(fresh)).toEqual(["10.20.30.40"]);
    const stale = await ask("127.0.0.1", second!.dnsPort, "legacy-db.corp.example", "udp");
    expect(stale).toMatchObject({ ok: true, rcodeName: "SERVFAIL" });

    s.pollPodsNow();
    for (const transport of TRANSPORTS) {
      expect(addresses(await ask("127.0.0.1", second!.dnsPort, "legacy-db.corp.example", transport))).toEqual(["10.20.30.40"]);
    }
    // fallthrough: the Services still answer.
    expect(addresses(await ask("127.0.0.1", second!.dnsPort, "kube-dns.kube-system.svc.cluster.local", "tcp"))).toEqual(["10.96.0.10"]);
  });

  it("closes a deleted pod's sockets: its port refuses UDP and TCP after a restart", async () => {
    const s = (sb = await startSandbox());
    const old = s.pods()[0]!;
    expect((await ask(old.ip, old.dnsPort, "kubernetes.default.svc.cluster.local", "udp")).ok).toBe(true);
    const restarted = await call(s, "POST", `/_sandbox/pods/${old.name}/restart`);
    expect(restarted.status).toBe(200);
    for (const transport of TRANSPORTS) {
      expect(await ask(old.ip, old.dnsPort, "kubernetes.default.svc.cluster.local", transport)).toMatchObject({ ok: false, code: "REFUSED" });
    }
    expect(restarted.body.dnsPort).not.toBe(old.dnsPort);
    expect(addresses(await ask("127.0.0.1", restarted.body.dnsPort, "kubernetes.default.svc.cluster.local", "tcp"))).toEqual(["10.96.0.1"]);
  });

  it("closes every pod's sockets when the sandbox closes", async () => {
    const s = await startSandbox();
    const ports = s.pods().map((p) => p.dnsPort);
    await s.close();
    for (const port of ports) expect(await ask("127.0.0.1", port, "kubernetes.default.svc.cluster.local", "tcp")).toMatchObject({ ok: false, code: "REFUSED" });
  });

  it("sets TC on a UDP answer too large for the client's buffer; TCP carries all of it", async () => {
    const s = (sb = await startSandbox({ reload: { kubeletSyncMs: 10, pollMs: 3_600_000, jitterMs: 0 } }));
    const many = Array.from({ length: 120 }, (_, i) => `        10.50.${Math.floor(i / 250)}.${(i % 250) + 1} big.corp.example`).join("\n");
    const corefile = s.pods()[0]!.loadedCorefile.replace("    prometheus :9153", `    hosts {\n${many}\n        fallthrough\n    }\n    prometheus :9153`);
    await putCorefile(s, corefile);
    expect(await eventually(() => s.pods().every((p) => p.mountedCorefile.includes("big.corp")))).toBe(true);
    s.pollPodsNow();
    const pod = s.pods()[0]!;
    const udp = await ask(pod.ip, pod.dnsPort, "big.corp.example", "udp");
    expect(udp).toMatchObject({ ok: false, code: "TRUNCATED" });
    expect(!udp.ok && udp.message).toContain("over TCP");
    const tcp = await ask(pod.ip, pod.dnsPort, "big.corp.example", "tcp");
    expect(addresses(tcp)).toHaveLength(120);
  });

  it("answers FORMERR to two questions and drops bytes that are no query", async () => {
    const s = (sb = await startSandbox());
    const pod = s.pods()[0]!;
    const twoQuestions = buildQuery({ id: 4242, name: "a.cluster.local.", type: 1 });
    twoQuestions.questions.push({ name: "b.cluster.local.", type: 1, class: 1 });
    const bytes = encodeMessage(twoQuestions);
    if (!bytes.ok) throw new Error(bytes.message);
    const socket = dgram.createSocket("udp4");
    try {
      const reply = await new Promise<Buffer>((resolve, reject) => {
        socket.once("message", resolve);
        socket.once("error", reject);
        socket.send(Uint8Array.of(1, 2, 3), pod.dnsPort, "127.0.0.1");
        socket.send(bytes.bytes, pod.dnsPort, "127.0.0.1");
      });
      const decoded = decodeMessage(new Uint8Array(reply));
      expect(decoded).toMatchObject({ ok: true, message: { id: 4242, rcode: RCODE.FORMERR, flags: { qr: true } } });
    } finally {
      socket.close();
    }
  });
});
