/**
 * Two simulated CoreDNS pods in kube-system and the way a Corefile change reaches them:
 *
 *   ConfigMap write -> (kubelet sync, a random delay within kubeletSyncMs) the pod's mounted file
 *   changes -> (the reload plugin polls every pollMs ± jitterMs) the pod sees a new sha512 ->
 *   it validates the file -> loads it, or keeps the old one and counts a failed reload.
 *
 * As in CoreDNS's reload plugin: each poll hashes the *parsed* Corefile (comment-only edits change
 * nothing); a file that does not parse is skipped with a warning (no reload attempt, no failure
 * counted); a new hash triggers a reload and is published in `coredns_reload_version_info` whether
 * the reload succeeds or not; a failed reload keeps the old configuration, counts in
 * `coredns_reload_failed_total` and is not retried. A loaded Corefile without `reload` stops the
 * polling for good: later changes need a pod restart, as in CoreDNS.
 *
 * `restart(name)` replaces a pod as a Deployment does after `kubectl delete pod`: a new name, IP and start time,
 * and the mounted Corefile loaded as CoreDNS does on start. Like CoreDNS, the new process publishes no
 * `coredns_reload_version_info` until its first reload. If the mounted Corefile is one CoreDNS rejects, the new
 * pod crash-loops: not Ready, no metrics, `restartCount` going up, until the file is fixed.
 * Each pod answers DNS on 127.0.0.1 (its `status.podIP`), UDP and TCP on one ephemeral port of its own (its container
 * ports `dns` and `dns-tcp`), from its *loaded* Corefile and the cluster's Services through a `PodResolver`; a pod
 * that crash-loops drops UDP queries and resets TCP connections; a deleted pod's sockets are closed.
 * Timers are unref'd and cleared by `stop()`, which also closes every pod's sockets.
 */
import { createHash } from "node:crypto";
import type { ClusterObjects } from "@/lib/corefile";
import type { DnsQuestion } from "@/lib/dns/message";
import { renderPodMetrics, type LoadProfile } from "./metrics";
import { PodDnsServer } from "./pod-dns";
import { explainPodResolver } from "./explain-pod-resolver";
import type { ClusterData, ClusterService, PodResolver } from "./pod-resolver";
import type { KubeObject, Store, StoreEvent } from "./store";
import { kubeTime } from "./store";

export type ReloadTiming = { kubeletSyncMs: number; pollMs: number; jitterMs: number };

/**
 * Decides what a pod does with a Corefile. `hash` is the reload hash (absent when the file does not
 * even parse: the reload plugin then only logs a warning); `reloadEnabled: false` when the loaded
 * Corefile has no `reload` directive.
 */
export type CorefileValidator = (
  corefile: string,
) => { ok: true; hash: string; reloadEnabled?: boolean } | { ok: false; error: string; hash?: string };

/** What tests and the CLI can see of a pod. */
export type PodSnapshot = {
  name: string;
  /** The pod's `status.podIP`: 127.0.0.1, where its DNS listeners are. */
  ip: string;
  /** The port the pod answers DNS on, UDP and TCP (its container ports `dns` and `dns-tcp`). */
  dnsPort: number;
  /** DNS questions that reached the pod's listeners (answered or not). */
  dnsQueries: number;
  /** The Corefile in the pod's mounted ConfigMap volume (what kubelet last synced). */
  mountedCorefile: string;
  /** The Corefile the server is running. */
  loadedCorefile: string;
  /** The validator's hash of the loaded Corefile. */
  loadedHash: string;
  /** The `value` label of `coredns_reload_version_info`. */
  publishedHash: string;
  reloads: number;
  reloadFailures: number;
  lastReloadError?: string;
  /** False once a Corefile without `reload` was loaded: the pod no longer notices changes. */
  reloadActive: boolean;
  /** False while the pod crash-loops (only after a restart into a Corefile CoreDNS rejects). */
  isReady: boolean;
  restartCount: number;
};

type PodState = PodSnapshot & {
  seenSha512: string;
  /** When the pod was created; `startedAt` is when its current CoreDNS process started. */
  createdAt: number;
  startedAt: number;
  phase: number;
  syncTimer?: NodeJS.Timeout;
  pollTimer?: NodeJS.Timeout;
  crashTimer?: NodeJS.Timeout;
  dns?: PodDnsServer;
  /** Set once the pod is deleted: it answers nothing more, even before its sockets are closed. */
  deleted?: boolean;
};

export const COREDNS_NAMESPACE = "kube-system";
export const COREDNS_CONFIGMAP = "coredns";
export const COREDNS_IMAGE = "coredns/coredns:1.14.7";
const REPLICASET_HASH = "668d6bf9bc";
const NODE_NAME = "sandbox-control-plane";
const HOST_IP = "172.18.0.2";
/** How long the pods have been running when the sandbox starts, so counters look like a live cluster's. */
const POD_AGE_MS = 26 * 3600 * 1000;
/** The characters Kubernetes uses for generated name suffixes. */
const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** sha512 hex of a text, as CoreDNS's reload plugin computes for the Corefile. */
export function sha512(text: string): string {
  return createHash("sha512").update(text).digest("hex");
}

/** The default validator: accepts everything, hash = sha512 of the text. */
export const acceptAll: CorefileValidator = (corefile) => ({ ok: true, hash: sha512(corefile) });

export type FleetOptions = {
  store: Store;
  timing: ReloadTiming;
  validator: CorefileValidator;
  load: LoadProfile;
  now: () => number;
  random?: () => number;
  /** How many CoreDNS pods (default 2). */
  replicas?: number;
  /** How pods answer DNS questions (default: the built-in resolver). */
  resolver?: PodResolver;
};

/** Every pod's address: its DNS listeners are on the loopback interface, each on a port of its own. */
export const POD_IP = "127.0.0.1";

export class CoreDnsFleet {
  private pods: PodState[];
  private readonly unsubscribe: () => void;
  private stopped = false;
  private readonly random: () => number;

  /**
   * Creates the pods running `initialCorefile`, binds their DNS listeners, then adds them to the store and starts their
   * reload loops.
   */
  static async start(options: FleetOptions, initialCorefile: string): Promise<CoreDnsFleet> {
    const fleet = new CoreDnsFleet(options, initialCorefile);
    try {
      await Promise.all(fleet.pods.map(async (pod) => (pod.dns = await fleet.listen(pod))));
    } catch (error) {
      await fleet.stop();
      throw error;
    }
    for (const pod of fleet.pods) {
      options.store.create("pods", podObject(pod));
      fleet.schedulePoll(pod);
    }
    return fleet;
  }

  private constructor(
    private readonly options: FleetOptions,
    initialCorefile: string,
  ) {
    this.random = options.random ?? Math.random;
    const started = options.now() - POD_AGE_MS;
    const first = this.validate(initialCorefile);
    // The two seeded pods, then generated names for a larger fleet (benchmarks).
    const suffixes = ["x7k2p", "9wq4d"].slice(0, Math.max(1, options.replicas ?? 2));
    while (suffixes.length < (options.replicas ?? 2)) suffixes.push(String(suffixes.length).padStart(5, "b"));
    this.pods = suffixes.map((suffix, i) => ({
      name: `coredns-${REPLICASET_HASH}-${suffix}`,
      ip: POD_IP,
      dnsPort: 0,
      dnsQueries: 0,
      mountedCorefile: initialCorefile,
      loadedCorefile: initialCorefile,
      loadedHash: first.hash ?? sha512(initialCorefile),
      publishedHash: first.hash ?? sha512(initialCorefile),
      reloads: 0,
      reloadFailures: 0,
      reloadActive: !(first.ok && first.reloadEnabled === false),
      isReady: true,
      restartCount: 0,
      seenSha512: first.hash ?? sha512(initialCorefile),
      createdAt: started + i * 4000,
      startedAt: started + i * 4000,
      phase: i * 1.3,
    }));
    this.unsubscribe = options.store.subscribe((e) => this.onStoreEvent(e));
  }

  /** Snapshots of both pods. */
  snapshot(): PodSnapshot[] {
    return this.pods.map(({ syncTimer: _s, pollTimer: _p, crashTimer: _c, seenSha512: _h, createdAt: _ct, startedAt: _t, phase: _ph, dns: _d, deleted: _del, ...pod }) => ({ ...pod }));
  }

  /** The metrics page of a pod, or undefined for an unknown pod. */
  metrics(podName: string): string | undefined {
    const pod = this.pods.find((p) => p.name === podName);
    if (!pod || !pod.isReady) return undefined;
    return renderPodMetrics({
      now: this.options.now(),
      startedAt: pod.startedAt,
      phase: pod.phase,
      load: this.options.load,
      corefile: pod.loadedCorefile,
      reloadHash: pod.publishedHash,
      reloadFailures: pod.reloadFailures,
    });
  }

  /** Whether `podName` runs a CoreDNS process that answers on its ports (false while it crash-loops). */
  isServing(podName: string): boolean {
    return this.pods.some((p) => p.name === podName && p.isReady);
  }

  /**
   * Deletes the pod (closing its DNS sockets) and creates its replacement (new name, DNS port and start time), which
   * loads the mounted Corefile. Resolves to the new pod once it is in the store and listening, or to undefined when
   * `podName` is not a simulated pod.
   */
  async restart(podName: string): Promise<PodSnapshot | undefined> {
    const index = this.pods.findIndex((p) => p.name === podName);
    const old = this.pods[index];
    if (!old || this.stopped) return undefined;
    this.clearTimers(old);
    old.deleted = true;
    this.options.store.delete("pods", COREDNS_NAMESPACE, old.name);
    const closing = old.dns?.close();
    const pod: PodState = {
      name: `coredns-${REPLICASET_HASH}-${this.nameSuffix()}`,
      ip: POD_IP,
      dnsPort: 0,
      dnsQueries: 0,
      mountedCorefile: old.mountedCorefile,
      loadedCorefile: "",
      loadedHash: "",
      // CoreDNS publishes coredns_reload_version_info only after a reload, never at start.
      publishedHash: "",
      reloads: 0,
      reloadFailures: 0,
      reloadActive: true,
      isReady: false,
      restartCount: 0,
      seenSha512: "",
      createdAt: this.options.now(),
      startedAt: this.options.now(),
      phase: this.random() * 2 * Math.PI,
    };
    this.startProcess(pod);
    this.pods[index] = pod;
    const [dns] = await Promise.all([this.listen(pod), closing]);
    if (this.stopped || pod.deleted) {
      await dns.close();
      return undefined;
    }
    pod.dns = dns;
    this.options.store.create("pods", podObject(pod));
    this.schedulePoll(pod);
    return this.snapshot()[this.pods.indexOf(pod)];
  }

  /** Binds a pod's DNS listeners; they answer from whatever Corefile the pod has loaded when a question comes. */
  private async listen(pod: PodState): Promise<PodDnsServer> {
    const resolver = this.options.resolver ?? explainPodResolver;
    const dns = await PodDnsServer.listen((question: DnsQuestion) => {
      pod.dnsQueries++;
      if (pod.deleted || !pod.isReady || this.stopped) return null;
      const answer = resolver(pod.loadedCorefile, question, this.clusterData());
      return answer.dropped ? null : answer;
    }, POD_IP);
    pod.dnsPort = dns.port;
    return dns;
  }

  private cachedClusterData?: { version: number; data: ClusterData };

  /** The Services and namespaces of the store (and the objects the explainer reads), as resolvers read them. */
  private clusterData(): ClusterData {
    // Built once per store change: a burst of queries between two writes shares one copy (and the explainer's index).
    const version = this.options.store.currentResourceVersion;
    if (this.cachedClusterData?.version === version) return this.cachedClusterData.data;
    const data = this.readClusterData();
    this.cachedClusterData = { version, data };
    return data;
  }

  private readClusterData(): ClusterData {
    const store = this.options.store;
    const serviceObjects = store.list("services");
    const services: ClusterService[] = serviceObjects.map((o) => {
      const spec = (o.spec ?? {}) as { type?: string; clusterIP?: string; clusterIPs?: string[]; externalName?: string; ports?: { name?: string; port: number; protocol?: string }[] };
      return {
        namespace: o.metadata.namespace ?? "default",
        name: o.metadata.name,
        type: spec.type ?? "ClusterIP",
        clusterIPs: spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []),
        ...(spec.externalName ? { externalName: spec.externalName } : {}),
        ports: (spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? "TCP" })),
      };
    });
    const namespaces = store.list("namespaces");
    const objects = {
      services: serviceObjects as ClusterObjects["services"],
      endpointSlices: store.list("endpointslices") as ClusterObjects["endpointSlices"],
      endpoints: store.list("endpoints") as ClusterObjects["endpoints"],
      pods: store.list("pods") as ClusterObjects["pods"],
      namespaces,
    };
    return { services, namespaces: namespaces.map((o) => o.metadata.name), objects };
  }

  /** Whether `podName` is one of the simulated pods. */
  has(podName: string): boolean {
    return this.pods.some((p) => p.name === podName);
  }

  /** Names of the pods, in order. */
  names(): string[] {
    return this.pods.map((p) => p.name);
  }

  /** Runs one reload-plugin poll on every pod now (tests that do not want to wait for the timers). */
  pollNow(): void {
    for (const pod of this.pods) this.poll(pod);
  }

  /** Cancels every timer and closes every pod's DNS sockets. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    for (const pod of this.pods) this.clearTimers(pod);
    await Promise.all(this.pods.map((pod) => pod.dns?.close()));
  }

  private clearTimers(pod: PodState): void {
    clearTimeout(pod.syncTimer);
    clearTimeout(pod.pollTimer);
    clearTimeout(pod.crashTimer);
  }

  private nameSuffix(): string {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(this.random() * NAME_ALPHABET.length)] ?? "b";
    return suffix;
  }

  /**
   * CoreDNS starting in the pod: it loads the mounted Corefile or exits. An exit makes kubelet restart the container
   * after a back-off (here: every poll interval), which reads the mounted file again.
   */
  private startProcess(pod: PodState): void {
    const result = this.validate(pod.mountedCorefile);
    if (result.ok && result.hash !== undefined) {
      pod.loadedCorefile = pod.mountedCorefile;
      pod.loadedHash = result.hash;
      pod.seenSha512 = result.hash;
      pod.reloadActive = result.reloadEnabled !== false;
      pod.isReady = true;
      pod.lastReloadError = undefined;
      return;
    }
    pod.isReady = false;
    pod.lastReloadError = result.error;
    pod.crashTimer = setTimeout(() => {
      if (this.stopped) return;
      pod.restartCount++;
      pod.startedAt = this.options.now();
      this.startProcess(pod);
      const stored = this.options.store.get("pods", COREDNS_NAMESPACE, pod.name);
      if (!stored || !this.pods.includes(pod)) return;
      const object = podObject(pod);
      object.metadata.uid = stored.metadata.uid;
      object.metadata.creationTimestamp = stored.metadata.creationTimestamp;
      this.options.store.update("pods", object);
    }, Math.max(10, this.options.timing.pollMs));
    pod.crashTimer.unref();
  }

  private validate(corefile: string): { ok: boolean; hash?: string; error?: string; reloadEnabled?: boolean } {
    try {
      return this.options.validator(corefile);
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private onStoreEvent(event: StoreEvent): void {
    const o = event.object;
    if (event.resource !== "configmaps" || o.metadata.namespace !== COREDNS_NAMESPACE || o.metadata.name !== COREDNS_CONFIGMAP) return;
    // A deleted ConfigMap leaves the last projected file in place (kubelet cannot sync it any more).
    if (event.type === "DELETED") return;
    for (const pod of this.pods) {
      // Kubelet re-projects the volume at its next sync of this pod; a later change re-arms it.
      if (pod.syncTimer) continue;
      pod.syncTimer = setTimeout(() => {
        pod.syncTimer = undefined;
        const current = this.options.store.get("configmaps", COREDNS_NAMESPACE, COREDNS_CONFIGMAP);
        const text = current?.data?.Corefile;
        if (typeof text === "string") pod.mountedCorefile = text;
      }, this.random() * this.options.timing.kubeletSyncMs);
      pod.syncTimer.unref();
    }
  }

  private schedulePoll(pod: PodState): void {
    if (this.stopped) return;
    const { pollMs, jitterMs } = this.options.timing;
    const delay = Math.max(1, pollMs + (this.random() * 2 - 1) * jitterMs);
    pod.pollTimer = setTimeout(() => {
      this.poll(pod);
      this.schedulePoll(pod);
    }, delay);
    pod.pollTimer.unref();
  }

  private poll(pod: PodState): void {
    if (!pod.reloadActive || !pod.isReady) return;
    const result = this.validate(pod.mountedCorefile);
    if (result.hash === undefined) {
      // The reload plugin cannot even parse the file: it logs a warning and keeps polling.
      pod.lastReloadError = result.error;
      return;
    }
    if (result.hash === pod.seenSha512) return;
    pod.seenSha512 = result.hash;
    pod.publishedHash = result.hash;
    if (result.ok) {
      pod.loadedCorefile = pod.mountedCorefile;
      pod.loadedHash = result.hash;
      pod.reloads++;
      pod.lastReloadError = undefined;
      if (result.reloadEnabled === false) pod.reloadActive = false;
    } else {
      pod.reloadFailures++;
      pod.lastReloadError = result.error;
    }
  }
}

/** A Pod object as `kubectl get pod -o yaml` would show for a kubeadm CoreDNS replica. */
function podObject(pod: PodState): KubeObject {
  const created = kubeTime(pod.createdAt);
  const started = kubeTime(pod.startedAt);
  const containerId = createHash("sha256").update(`container-${pod.name}`).digest("hex");
  const readyStatus = pod.isReady ? "True" : "False";
  const condition = (type: string) => ({
    type,
    status: type === "Ready" || type === "ContainersReady" ? readyStatus : "True",
    lastProbeTime: null,
    lastTransitionTime: created,
  });
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: pod.name,
      generateName: `coredns-${REPLICASET_HASH}-`,
      namespace: COREDNS_NAMESPACE,
      creationTimestamp: created,
      labels: { "k8s-app": "kube-dns", "pod-template-hash": REPLICASET_HASH },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "ReplicaSet", name: `coredns-${REPLICASET_HASH}`, uid: "6f1d2c44-5b0e-4c1f-9a57-3d2f8c7e9b10", controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      containers: [
        {
          name: "coredns",
          image: COREDNS_IMAGE,
          imagePullPolicy: "IfNotPresent",
          args: ["-conf", "/etc/coredns/Corefile"],
          // CoreDNS listens on 53; a simulated pod's listeners are on an ephemeral port of 127.0.0.1, given here.
          ports: [
            { name: "dns", containerPort: pod.dnsPort, protocol: "UDP" },
            { name: "dns-tcp", containerPort: pod.dnsPort, protocol: "TCP" },
            { name: "metrics", containerPort: 9153, protocol: "TCP" },
          ],
          livenessProbe: { httpGet: { path: "/health", port: 8080, scheme: "HTTP" }, initialDelaySeconds: 60, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 5 },
          readinessProbe: { httpGet: { path: "/ready", port: 8181, scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          resources: { limits: { memory: "170Mi" }, requests: { cpu: "100m", memory: "70Mi" } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, readOnlyRootFilesystem: true },
          volumeMounts: [{ name: "config-volume", mountPath: "/etc/coredns", readOnly: true }],
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
        },
      ],
      dnsPolicy: "Default",
      nodeName: NODE_NAME,
      nodeSelector: { "kubernetes.io/os": "linux" },
      priorityClassName: "system-cluster-critical",
      priority: 2000000000,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      serviceAccountName: "coredns",
      serviceAccount: "coredns",
      terminationGracePeriodSeconds: 30,
      tolerations: [
        { key: "CriticalAddonsOnly", operator: "Exists" },
        { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
      ],
      volumes: [{ name: "config-volume", configMap: { name: COREDNS_CONFIGMAP, items: [{ key: "Corefile", path: "Corefile" }], defaultMode: 420 } }],
    },
    status: {
      phase: "Running",
      conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(condition),
      hostIP: HOST_IP,
      hostIPs: [{ ip: HOST_IP }],
      podIP: pod.ip,
      podIPs: [{ ip: pod.ip }],
      startTime: created,
      qosClass: "Burstable",
      containerStatuses: [
        {
          name: "coredns",
          ready: pod.isReady,
          started: pod.isReady,
          restartCount: pod.restartCount,
          image: `docker.io/${COREDNS_IMAGE}`,
          imageID: `docker.io/coredns/coredns@sha256:${createHash("sha256").update(COREDNS_IMAGE).digest("hex")}`,
          containerID: `containerd://${containerId}`,
          state: pod.isReady ? { running: { startedAt: started } } : { waiting: { reason: "CrashLoopBackOff", message: pod.lastReloadError ?? "" } },
          lastState: pod.restartCount > 0 ? { terminated: { exitCode: 1, reason: "Error", finishedAt: started } } : {},
        },
      ],
    },
  };
}
