/**
 * The objects a fresh sandbox holds: the namespaces of a small kubeadm cluster with a service mesh
 * and Consul installed, the kubeadm `coredns` ConfigMap (its Corefile is the kubeadm default,
 * rendered for cluster.local), `kube-root-ca.crt` in every namespace, kube-proxy's ConfigMap, and
 * the Services CoreDNS serves or forwards to. The pods are created by the CoreDNS fleet (pods.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { managedFieldsForCreate } from "./managed-fields";
import type { KubeObject, Store } from "./store";
import { kubeTime } from "./store";

const SEED_DIR = fileURLToPath(new URL("./seed/", import.meta.url));

/** The kubeadm default Corefile (for cluster.local), byte for byte. */
export function seedCorefile(): string {
  return readFileSync(`${SEED_DIR}kubeadm-Corefile.conf`, "utf8");
}

/**
 * The kubeadm Corefile plus Linkerd multicluster forwarding for the linked cluster "west" (what the forwarding
 * recipe writes for kube-system/kube-dns-west), and a `forward cluster.local` that `kubernetes cluster.local` shadows.
 * Not served by default: tests and troubleshooting examples read it.
 */
export function seedLinkerdCorefile(): string {
  return readFileSync(`${SEED_DIR}linkerd-Corefile.conf`, "utf8");
}

/** A throwaway self-signed CA certificate (its key was discarded); stands in for the cluster CA. */
function rootCa(): string {
  return readFileSync(`${SEED_DIR}kube-root-ca.crt`, "utf8");
}

export const SEED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "linkerd", "istio-system", "consul"];

type Port = { name: string; port: number; protocol: "TCP" | "UDP"; targetPort: number | string };

function service(namespace: string, name: string, clusterIP: string, ports: Port[], selector: Record<string, string> | undefined, labels: Record<string, string>, annotations?: Record<string, string>): KubeObject {
  const spec: Record<string, unknown> = {
    clusterIP,
    clusterIPs: [clusterIP],
    internalTrafficPolicy: "Cluster",
    ipFamilies: ["IPv4"],
    ipFamilyPolicy: "SingleStack",
    ports,
    sessionAffinity: "None",
    type: "ClusterIP",
  };
  if (selector) spec.selector = selector;
  const metadata: KubeObject["metadata"] = { name, namespace, labels };
  if (annotations) metadata.annotations = annotations;
  return { apiVersion: "v1", kind: "Service", metadata, spec, status: { loadBalancer: {} } };
}

const KUBE_PROXY_CONFIG = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: 10.244.0.0/16
kind: KubeProxyConfiguration
mode: iptables
`;

const KUBE_PROXY_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://sandbox-control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;

/** Puts the seed objects into `store`; `clusterCreated` dates them. */
export function seedStore(store: Store, clusterCreated: number, corefile: string): void {
  const at = (offsetSeconds: number) => kubeTime(clusterCreated + offsetSeconds * 1000);
  const put = (resource: string, object: KubeObject, offsetSeconds: number, manager?: string) => {
    object.metadata.creationTimestamp = at(offsetSeconds);
    // Who wrote the object, as a real cluster records it (the product shows "last changed by").
    if (manager) object.metadata.managedFields = managedFieldsForCreate(object, manager, clusterCreated + offsetSeconds * 1000);
    store.create(resource, object);
  };

  SEED_NAMESPACES.forEach((ns, i) => {
    const late = ["linkerd", "istio-system", "consul"].includes(ns);
    put(
      "namespaces",
      {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      },
      late ? 3600 + i * 60 : i,
    );
  });

  put(
    "configmaps",
    // The real kubeadm ConfigMap has no labels or annotations.
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: "kube-system" }, data: { Corefile: corefile } },
    12,
    "kubeadm",
  );
  put(
    "configmaps",
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kube-proxy", namespace: "kube-system", labels: { app: "kube-proxy" } },
      data: { "config.conf": KUBE_PROXY_CONFIG, "kubeconfig.conf": KUBE_PROXY_KUBECONFIG },
    },
    13,
    "kubeadm",
  );
  const ca = rootCa();
  SEED_NAMESPACES.forEach((ns, i) => {
    put(
      "configmaps",
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: "kube-root-ca.crt",
          namespace: ns,
          annotations: {
            "kubernetes.io/description":
              "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
          },
        },
        data: { "ca.crt": ca },
      },
      20 + i,
      "kube-controller-manager",
    );
  });

  put(
    "services",
    service("default", "kubernetes", "10.96.0.1", [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }], undefined, { component: "apiserver", provider: "kubernetes" }),
    5,
  );
  put(
    "services",
    service(
      "kube-system",
      "kube-dns",
      "10.96.0.10",
      [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
      ],
      { "k8s-app": "kube-dns" },
      { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" },
      { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" },
    ),
    12,
  );
  put(
    "services",
    service(
      "istio-system",
      "istiod",
      "10.96.91.12",
      [
        { name: "grpc-xds", port: 15010, protocol: "TCP", targetPort: 15010 },
        { name: "https-dns", port: 15012, protocol: "TCP", targetPort: 15012 },
        { name: "https-webhook", port: 443, protocol: "TCP", targetPort: 15017 },
        { name: "http-monitoring", port: 15014, protocol: "TCP", targetPort: 15014 },
      ],
      { app: "istiod", istio: "pilot" },
      { app: "istiod", istio: "pilot", "istio.io/rev": "default", release: "istio" },
    ),
    3700,
  );
  put(
    "services",
    service(
      "linkerd",
      "linkerd-dst",
      "10.96.140.7",
      [{ name: "grpc", port: 8086, protocol: "TCP", targetPort: 8086 }],
      { "linkerd.io/control-plane-component": "destination" },
      { "linkerd.io/control-plane-component": "destination", "linkerd.io/control-plane-ns": "linkerd" },
    ),
    3660,
  );
  // An application Service, the name troubleshooting examples ask for (frontend.default.svc.cluster.local).
  put(
    "services",
    service("default", "frontend", "10.96.120.15", [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }], { app: "frontend" }, { app: "frontend" }),
    3800,
  );
  // Linkerd multicluster: the DNS Service of the linked cluster "west", mirrored here by Linkerd's service mirror
  // (`<name>-<link>` in the exported Service's namespace). The forwarding recipe's demo target.
  put(
    "services",
    service(
      "kube-system",
      "kube-dns-west",
      "10.96.77.53",
      [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
      ],
      undefined,
      { "mirror.linkerd.io/cluster-name": "west", "mirror.linkerd.io/mirrored-service": "true" },
      { "mirror.linkerd.io/remote-svc-fq-name": "kube-dns.kube-system.svc.west.cluster.local" },
    ),
    3680,
  );
  // A DNS server a platform team typically adds a stub zone for (`consul:53 { forward . 10.96.200.53 }`).
  put(
    "services",
    service(
      "consul",
      "consul-dns",
      "10.96.200.53",
      [
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "dns-tcp" },
        { name: "dns-udp", port: 53, protocol: "UDP", targetPort: "dns-udp" },
      ],
      { app: "consul", hasDNS: "true" },
      { app: "consul", component: "dns" },
    ),
    3720,
  );
  // Consul's servers behind a headless Service (clusterIP None): DNS on 8600, but no address forward could use.
  put(
    "services",
    service(
      "consul",
      "consul-server",
      "None",
      [
        { name: "http", port: 8500, protocol: "TCP", targetPort: 8500 },
        { name: "server", port: 8300, protocol: "TCP", targetPort: 8300 },
        { name: "dns-tcp", port: 8600, protocol: "TCP", targetPort: "dns-tcp" },
        { name: "dns-udp", port: 8600, protocol: "UDP", targetPort: "dns-udp" },
      ],
      { app: "consul", component: "server" },
      { app: "consul", component: "server" },
    ),
    3721,
  );
}
