import { z } from "zod";

/** Cluster names appear in URLs and cookies: lower-case DNS-label style. */
export const clusterNameSchema = z
  .string()
  .trim()
  .min(1, "Give the cluster a name.")
  .max(63, "Use at most 63 characters.")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and dashes (like a Kubernetes name).");

/** What it takes to register (or update) a cluster. */
export const clusterInputSchema = z
  .object({
    name: clusterNameSchema,
    connection: z.enum(["sandbox", "kubeconfig", "in-cluster"]),
    kubeconfigPath: z.string().trim().min(1).nullish(),
    kubeconfigContext: z.string().trim().min(1).nullish(),
    configMapNamespace: z.string().trim().min(1).default("kube-system"),
    configMapName: z.string().trim().min(1).default("coredns"),
    configMapKey: z.string().trim().min(1).default("Corefile"),
    podLabelSelector: z.string().trim().min(1).default("k8s-app=kube-dns"),
  })
  .refine((input) => input.connection === "in-cluster" || Boolean(input.kubeconfigPath), {
    message: "A kubeconfig path is needed for sandbox and kubeconfig connections.",
    path: ["kubeconfigPath"],
  });

export type ClusterInput = z.input<typeof clusterInputSchema>;

/** A registered cluster as the rest of the app sees it (plain data, safe for the browser). */
export type ClusterSummary = {
  id: string;
  name: string;
  connection: "sandbox" | "kubeconfig" | "in-cluster";
  kubeconfigPath: string | null;
  kubeconfigContext: string | null;
  configMapNamespace: string;
  configMapName: string;
  configMapKey: string;
  podLabelSelector: string;
};
