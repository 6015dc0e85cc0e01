/**
 * The kubernetes editor's state: the zones it serves, how pod records are answered, fallthrough zones, TTL, how to
 * reach the API (endpoint or kubeconfig) and which namespaces are exposed. Other options are kept as written.
 */
import type { FormValues } from "@/lib/board";
import { guardRoundTrip, lineIf, takeOptions, type EditorModel, type OptionLine } from "./options-model";

export const POD_MODES = ["disabled", "insecure", "verified"] as const;

export type KubernetesState = {
  zones: string[];
  /** Empty: no `pods` line (CoreDNS's default is disabled). */
  pods: string;
  /** Null: no `fallthrough` line; []: every zone. */
  fallthrough: string[] | null;
  ttl: string;
  endpoint: string;
  kubeconfig: string;
  kubeconfigContext: string;
  /** Empty: every namespace. */
  namespaces: string[];
  rest: OptionLine[];
};

const SHOWN = ["pods", "fallthrough", "ttl", "endpoint", "kubeconfig", "namespaces"] as const;

const clean = (list: readonly string[]): string[] => list.map((v) => v.trim()).filter((v) => v !== "");

export const kubernetesModel: EditorModel<KubernetesState> = guardRoundTrip({
  read(values: FormValues): KubernetesState | null {
    const { first, rest } = takeOptions(values.options, SHOWN);
    const pods = first.get("pods");
    const ttl = first.get("ttl");
    const endpoint = first.get("endpoint");
    const kubeconfig = first.get("kubeconfig");
    const namespaces = first.get("namespaces");
    if (pods && pods.length !== 1) return null;
    if (ttl && ttl.length !== 1) return null;
    if (endpoint && endpoint.length !== 1) return null;
    if (kubeconfig && (kubeconfig.length < 1 || kubeconfig.length > 2)) return null;
    if (namespaces && namespaces.length === 0) return null;
    return {
      zones: [...values.args],
      pods: pods?.[0] ?? "",
      fallthrough: first.get("fallthrough") ?? null,
      ttl: ttl?.[0] ?? "",
      endpoint: endpoint?.[0] ?? "",
      kubeconfig: kubeconfig?.[0] ?? "",
      kubeconfigContext: kubeconfig?.[1] ?? "",
      namespaces: namespaces ?? [],
      rest,
    };
  },
  write(state: KubernetesState): FormValues {
    const namespaces = clean(state.namespaces);
    const kubeconfig = state.kubeconfig.trim();
    const context = state.kubeconfigContext.trim();
    return {
      args: clean(state.zones),
      options: [
        ...lineIf("endpoint", state.endpoint),
        ...(kubeconfig || context ? [{ name: "kubeconfig", args: context ? [kubeconfig, context] : [kubeconfig] }] : []),
        ...(namespaces.length > 0 ? [{ name: "namespaces", args: namespaces }] : []),
        ...lineIf("pods", state.pods),
        ...(state.fallthrough ? [{ name: "fallthrough", args: clean(state.fallthrough) }] : []),
        ...lineIf("ttl", state.ttl),
        ...state.rest,
      ],
    };
  },
});
