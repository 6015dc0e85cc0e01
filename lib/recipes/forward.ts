/**
 * Two recipes that send one zone to other DNS servers with `forward`: to a DNS Service inside the cluster (a service
 * mesh's, a linked cluster's, Consul's...), and to upstream servers outside it (a stub domain, optionally over
 * DNS-over-TLS). Both write a dedicated server block `zone:53 { errors; cache 30; forward . ... }`, or add the
 * forward to the block that already serves exactly that zone.
 */
import { z } from "zod";
import { addDirective, addServerBlock, quoteArg } from "@/lib/corefile";
import { isIP } from "@/lib/corefile/keys";
import {
  argsOf,
  describeBlock,
  directivesNamed,
  findBlockForZone,
  indexByExecutionOrder,
  isWithin,
  toFqdn,
  usesDirective,
  type CorefileOutline,
} from "./blocks";
import { durationSchema, forwardPolicySchema, hostNameSchema, ipSchema, portSchema, subZoneSchema } from "./fields";
import { defineRecipe, type Draft, type DraftInput } from "./recipe";

/** What to forward where. */
type ForwardPlan = {
  zone: string;
  /** The TO arguments, already spelled (`10.0.0.1:53`, `tls://9.9.9.9`). */
  upstreams: string[];
  /** Option lines of the forward block. */
  options: string[];
  /** A comment to put above the forward. */
  comment?: string;
  warnings: string[];
};

/** `IP:PORT`, with IPv6 addresses in brackets. */
function hostPort(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function forwardText(plan: ForwardPlan): string {
  const head = ["forward", ".", ...plan.upstreams].join(" ");
  const block = plan.options.length ? ` {\n${plan.options.join("\n")}\n}` : "";
  return `${plan.comment ? `# ${plan.comment}\n` : ""}${head}${block}`;
}

/** Option lines shared by both recipes. */
function commonOptions(params: { policy?: string | undefined; healthCheck?: string | undefined; forceTcp?: boolean | undefined }): string[] {
  const lines: string[] = [];
  if (params.forceTcp) lines.push("force_tcp");
  if (params.policy) lines.push(`policy ${params.policy}`);
  if (params.healthCheck) lines.push(`health_check ${params.healthCheck}`);
  return lines;
}

/** Zones the kubernetes plugin answers, as written (its arguments, else its block's zones). */
function kubernetesZones(outline: CorefileOutline): string[] {
  const zones: string[] = [];
  for (const block of outline.blocks) {
    for (const directive of directivesNamed(block, "kubernetes")) {
      const args = argsOf(directive);
      zones.push(...(args.length ? args.map(toFqdn) : block.addresses.flatMap((a) => a.zones)));
    }
  }
  return zones;
}

/** Adds the forward: to the block serving exactly the zone, else in a new block at the end of the file. */
function draftForward({ outline, session }: DraftInput<unknown>, plan: ForwardPlan): Draft {
  const warnings = [...plan.warnings];
  const zoneFqdn = toFqdn(plan.zone);
  const shadowed = kubernetesZones(outline).find((k) => k !== "." && isWithin(zoneFqdn, k));
  if (shadowed) {
    warnings.push(
      `${plan.zone} is inside ${shadowed.replace(/\.$/, "")}, which the kubernetes plugin answers: once this forward is in place, those names are no longer answered from the cluster.`,
    );
  }
  const existing = findBlockForZone(outline, plan.zone);
  if (existing) {
    const [current] = directivesNamed(existing, "forward");
    if (current && argsOf(current).join(" ") === [".", ...plan.upstreams].join(" ")) {
      return { ok: true, session, warnings: [`Server block ${describeBlock(existing)} already forwards ${plan.zone} to ${plan.upstreams.join(" ")}.`] };
    }
    if (usesDirective(existing, "forward")) {
      return {
        ok: false,
        field: "zone",
        reason: `Server block ${describeBlock(existing)} already has a forward for ${plan.zone}; change that forward instead of adding a second one.`,
      };
    }
    if (existing.keys.length > 1) {
      warnings.push(`Server block ${describeBlock(existing)} also serves ${existing.keys.join(", ")}: the forward applies to all of them.`);
    }
    const failed = session.apply(
      addDirective(session.text, { block: existing.index, index: indexByExecutionOrder(existing, "forward"), directive: forwardText(plan) }),
    );
    return failed ? { ok: false, reason: failed } : { ok: true, session, warnings };
  }
  // Blocks without prometheus are missing from the metrics: measure the new one like the others.
  const metrics = outline.blocks.flatMap((b) => directivesNamed(b, "prometheus"))[0];
  const body = ["errors", ...(metrics ? [["prometheus", ...argsOf(metrics)].join(" ")] : []), "cache 30", forwardText(plan)].join("\n");
  const failed = session.apply(addServerBlock(session.text, { keys: [`${plan.zone}:53`], body }));
  return failed ? { ok: false, reason: failed } : { ok: true, session, warnings };
}

// ---- forward a zone to a DNS Service in the cluster -------------------------------------------------------------

export const forwardToServiceParamsSchema = z.object({
  /** The zone whose queries go to the Service, e.g. `west.cluster.local` or `consul`. */
  zone: subZoneSchema,
  /** Which Service the addresses came from (for the comment and the warning). */
  service: z.object({ namespace: z.string().trim().min(1), name: z.string().trim().min(1) }).optional(),
  /** The Service's ClusterIP(s), as the lookup returned them (two for a dual-stack Service). */
  clusterIPs: z.array(ipSchema).min(1, { error: "Pick a Service with a ClusterIP." }).max(15, { error: "forward takes at most 15 upstreams." }),
  port: portSchema.default(53),
  policy: forwardPolicySchema.optional(),
  healthCheck: durationSchema.optional(),
  /** Send every query over TCP (needed when the path to the Service carries TCP only, e.g. Linkerd's gateway). */
  forceTcp: z.boolean().default(false),
});
export type ForwardToServiceParams = z.input<typeof forwardToServiceParamsSchema>;

export const forwardToServiceRecipe = defineRecipe({
  id: "forward-to-service",
  title: "Forward a zone to in-cluster DNS or a service mesh",
  summary: "Sends one zone to a DNS Service running in the cluster, by its ClusterIP and port.",
  notes: [
    "CoreDNS's forward plugin takes addresses, so the recipe writes the Service's ClusterIP and port as the lookup found them. CoreDNS does not follow the Service: if it is deleted and created again it gets a new ClusterIP, and the forward must be updated. A headless Service (no ClusterIP) cannot be used. See https://coredns.io/plugins/forward/.",
    "Linkerd runs no DNS server of its own. With multicluster service mirroring, a Service exported by a linked cluster shows up here as <name>-<link> in the same namespace (web-west, for example), and this cluster's CoreDNS answers it under the usual cluster domain, so no forward is needed for it. A forward is for a zone that another DNS server answers, such as a linked cluster's DNS that you mirrored; Linkerd's gateway carries TCP only, so turn on force TCP for that target.",
    "Istio's DNS proxying (ISTIO_META_DNS_CAPTURE) lets the sidecar answer the hosts of ServiceEntries and the cluster's Services inside the pod, before a query ever reaches CoreDNS, so ServiceEntry names usually need no forward here. Pods without a sidecar, or with DNS capture turned off, still ask CoreDNS. The older istiocoredns add-on for .global names has been superseded by DNS proxying.",
  ],
  params: forwardToServiceParamsSchema,
  draft(input) {
    const p = input.params;
    const ips = p.clusterIPs.join(", ");
    const who = p.service ? `Service ${p.service.namespace}/${p.service.name}` : "the Service";
    const plan: ForwardPlan = {
      zone: p.zone,
      upstreams: p.clusterIPs.map((ip) => hostPort(ip, p.port)),
      options: commonOptions(p),
      comment: `${p.service ? `${p.service.namespace}/${p.service.name}` : "Service"} ClusterIP: update if the Service is recreated`,
      warnings: [
        `The forward uses the ClusterIP ${ips} of ${who}. If the Service is deleted and created again it gets a new ClusterIP, and queries for ${p.zone} fail until this forward is updated.`,
      ],
    };
    return draftForward(input, plan);
  },
});

// ---- stub domain / conditional forwarding ---------------------------------------------------------------------

/** `IP`, `IP:PORT` or `[IPv6]:PORT`. */
const upstreamSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
    const plain = /^([^:]+):(\d+)$/.exec(value);
    const ip = bracketed ? bracketed[1] : plain ? plain[1] : value;
    const port = bracketed ? bracketed[2] : plain ? plain[2] : undefined;
    const portNumber = port === undefined ? undefined : Number(port);
    if (!ip || !isIP(ip) || (portNumber !== undefined && (portNumber < 1 || portNumber > 65535))) {
      ctx.addIssue({ code: "custom", message: "Enter an upstream as IP, IP:port or [IPv6]:port, e.g. 10.0.0.53 or 9.9.9.9:853." });
      return z.NEVER;
    }
    return { ip, port: portNumber };
  });

export const stubDomainParamsSchema = z
  .object({
    zone: subZoneSchema,
    upstreams: z.array(upstreamSchema).min(1, { error: "Add at least one upstream server." }).max(15, { error: "forward takes at most 15 upstreams." }),
    /** Talk to the upstreams over DNS-over-TLS (port 853 unless given). */
    tls: z.boolean().default(false),
    /** The name in the upstreams' certificate; strongly advised with TLS. */
    tlsServerName: hostNameSchema.optional(),
    policy: forwardPolicySchema.optional(),
    healthCheck: durationSchema.optional(),
  })
  .refine((p) => p.tls || p.tlsServerName === undefined, { error: "The TLS server name is only used with DNS-over-TLS.", path: ["tlsServerName"] });
export type StubDomainParams = z.input<typeof stubDomainParamsSchema>;

export const stubDomainRecipe = defineRecipe({
  id: "stub-domain",
  title: "Stub domain (conditional forwarding)",
  summary: "Sends the queries of one zone to other DNS servers, optionally over DNS-over-TLS.",
  notes: [
    "This is what kube-dns called a stub domain: a server block for the zone whose forward sends its queries to the given servers; every other name keeps its usual path. See https://coredns.io/plugins/forward/.",
    "With DNS-over-TLS the upstreams are written as tls://IP (port 853 by default) and tls_servername names the certificate to expect. Without it anyone on the path could answer in the upstream's place, so set it. One server name applies to all upstreams of the forward.",
  ],
  params: stubDomainParamsSchema,
  draft(input) {
    const p = input.params;
    const warnings: string[] = [];
    if (p.tls && !p.tlsServerName) {
      warnings.push("DNS-over-TLS without a TLS server name does not check who answers; set the name in the upstreams' certificate.");
    }
    const upstreams = p.upstreams.map(({ ip, port }) => {
      const address = port === undefined ? ip : hostPort(ip, port);
      return p.tls ? `tls://${address}` : address;
    });
    const options = commonOptions(p);
    if (p.tls && p.tlsServerName) {
      const name = quoteArg(p.tlsServerName);
      if (name) options.unshift(`tls_servername ${name}`);
    }
    return draftForward(input, { zone: p.zone, upstreams, options, warnings });
  },
});
