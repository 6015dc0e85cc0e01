/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): what `kubectl get`
 * asks for and prints as-is. Columns match the real server's for each resource.
 */
import type { KubeObject } from "./store";

type Column = { name: string; type: string; format: string; description: string; priority: number };
type Row = { cells: unknown[]; object?: unknown };

export type Table = {
  kind: "Table";
  apiVersion: "meta.k8s.io/v1";
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: Column[];
  rows: Row[];
};

const nameColumn: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.",
  priority: 0,
};
const ageColumn: Column = {
  name: "Age",
  type: "string",
  format: "",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
};
const col = (name: string, type: string, description: string, priority = 0): Column => ({ name, type, format: "", description, priority });

/** Kubernetes' `duration.HumanDuration`: "45s", "5m30s", "3h12m", "2d4h", "400d", "3y20d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

function age(o: KubeObject, now: number): string {
  const created = o.metadata.creationTimestamp ? Date.parse(o.metadata.creationTimestamp) : now;
  return humanDuration(now - created);
}

/** Read-only views of the fields the printers use. */
type ServiceSpec = { type?: string; clusterIP?: string; ports?: { port: number; protocol?: string }[]; selector?: Record<string, string> };
type PodStatus = { phase?: string; podIP?: string; containerStatuses?: { ready?: boolean; restartCount?: number }[] };

const printers: Record<string, { columns: Column[]; cells: (o: KubeObject, now: number) => unknown[] }> = {
  configmaps: {
    columns: [nameColumn, col("Data", "integer", "Data contains the configuration data."), ageColumn],
    cells: (o, now) => [
      o.metadata.name,
      Object.keys((o.data as object | undefined) ?? {}).length + Object.keys((o.binaryData as object | undefined) ?? {}).length,
      age(o, now),
    ],
  },
  namespaces: {
    columns: [nameColumn, col("Status", "string", "The status of the namespace"), ageColumn],
    cells: (o, now) => [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? "Active", age(o, now)],
  },
  services: {
    columns: [
      nameColumn,
      col("Type", "string", "The type of the service."),
      col("Cluster-IP", "string", "The cluster-IP of the service."),
      col("External-IP", "string", "The external-IP of the service."),
      col("Port(s)", "string", "The ports of the service."),
      ageColumn,
      col("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ],
    cells: (o, now) => {
      const spec = (o.spec ?? {}) as ServiceSpec;
      const ports = (spec.ports ?? []).map((p) => `${p.port}/${p.protocol ?? "TCP"}`).join(",");
      const selector = Object.entries(spec.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
      return [o.metadata.name, spec.type ?? "ClusterIP", spec.clusterIP ?? "None", "<none>", ports || "<none>", age(o, now), selector || "<none>"];
    },
  },
  pods: {
    columns: [
      nameColumn,
      col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
      col("Status", "string", "The aggregate status of the containers in this pod."),
      col("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
      ageColumn,
      col("IP", "string", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
      col("Node", "string", "NodeName is a request to schedule this pod onto a specific node.", 1),
      col("Nominated Node", "string", "nominatedNodeName is set when this pod preempts other pods on the node.", 1),
      col("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
    ],
    cells: (o, now) => {
      const status = (o.status ?? {}) as PodStatus;
      const statuses = status.containerStatuses ?? [];
      const ready = statuses.filter((c) => c.ready).length;
      const restarts = statuses.reduce((n, c) => n + Number(c.restartCount ?? 0), 0);
      return [
        o.metadata.name,
        `${ready}/${statuses.length}`,
        status.phase ?? "Unknown",
        String(restarts),
        age(o, now),
        status.podIP ?? "<none>",
        (o.spec as { nodeName?: string } | undefined)?.nodeName ?? "<none>",
        "<none>",
        "<none>",
      ];
    },
  },
};

/** Renders objects as a Table; `includeObject` is the query parameter (`Metadata` by default). */
export function toTable(
  resource: string,
  objects: KubeObject[],
  now: number,
  resourceVersion: string | undefined,
  includeObject: string | null,
): Table {
  const printer = printers[resource] ?? { columns: [nameColumn, ageColumn], cells: (o: KubeObject, n: number) => [o.metadata.name, age(o, n)] };
  const rows = objects.map((o): Row => {
    const row: Row = { cells: printer.cells(o, now) };
    if (includeObject === "Object") row.object = o;
    else if (includeObject !== "None") {
      row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
    }
    return row;
  });
  const table: Table = { kind: "Table", apiVersion: "meta.k8s.io/v1", metadata: {}, columnDefinitions: printer.columns, rows };
  if (resourceVersion) table.metadata.resourceVersion = resourceVersion;
  return table;
}
