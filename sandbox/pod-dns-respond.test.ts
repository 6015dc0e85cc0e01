import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildQuery, decodeMessage, encodeMessage, RCODE, TYPE_CODES } from "@/lib/dns/message";
import { respond } from "./pod-dns";
import { builtinPodResolver, type ClusterData } from "./pod-resolver";
import { seedCorefile } from "./seed";

const CLUSTER: ClusterData = { namespaces: ["default"], services: [{ namespace: "default", name: "web", type: "ClusterIP", clusterIPs: ["10.96.5.5"], ports: [] }] };
const KUBEADM = seedCorefile();
const answerFromSeed = (question: Parameters<typeof builtinPodResolver>[1]) => builtinPodResolver(KUBEADM, question, CLUSTER);

describe("a pod's wire handling (respond)", () => {
  it("never throws on hostile bytes, and whatever it sends back is a readable response", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const out = respond(bytes, "udp", answerFromSeed);
        if (out) expect(decodeMessage(out)).toMatchObject({ ok: true, message: { flags: { qr: true } } });
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on any Corefile text or question name", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 60 }), (corefile, name) => {
        const answer = builtinPodResolver(corefile, { name, type: 1, class: 1 }, CLUSTER);
        expect(answer.rcode).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it("answers NOTIMP, BADVERS and nothing for a response, and truncates at 512 bytes without EDNS", () => {
    const query = (patch: (m: ReturnType<typeof buildQuery>) => void, udpPayloadSize?: number) => {
      const m = buildQuery({ id: 77, name: "web.default.svc.cluster.local.", type: TYPE_CODES.A!, ...(udpPayloadSize ? { udpPayloadSize } : {}) });
      patch(m);
      const out = encodeMessage(m);
      if (!out.ok) throw new Error(out.message);
      return out.bytes;
    };
    const read = (bytes: Uint8Array | null) => {
      const decoded = bytes ? decodeMessage(bytes) : undefined;
      if (!decoded?.ok) throw new Error("no readable response");
      return decoded.message;
    };
    expect(read(respond(query((m) => (m.opcode = 2)), "udp", answerFromSeed)).rcode).toBe(RCODE.NOTIMP);
    expect(read(respond(query((m) => (m.edns!.version = 1), 1232), "udp", answerFromSeed))).toMatchObject({ rcode: 16, edns: { version: 0 } });
    expect(respond(query((m) => (m.flags.qr = true)), "udp", answerFromSeed)).toBeNull();
    expect(read(respond(query(() => {}), "udp", answerFromSeed))).toMatchObject({ rcode: 0, flags: { aa: true, qr: true, ra: false }, answers: [{ data: { address: "10.96.5.5" } }] });

    const big = () => ({ rcode: 0, authoritative: true, answers: Array.from({ length: 40 }, (_, i) => ({ name: "big.example.", type: 1, class: 1, ttl: 5, data: { kind: "A" as const, address: `10.0.0.${i}` } })) });
    expect(read(respond(query(() => {}), "udp", big))).toMatchObject({ flags: { tc: true }, answers: [] });
    expect(read(respond(query(() => {}, 4096), "udp", big)).answers).toHaveLength(40);
    expect(read(respond(query(() => {}), "tcp", big)).answers).toHaveLength(40);
  });
});
