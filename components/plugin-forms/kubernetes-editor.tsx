"use client";

import { FieldGroup, SelectField, TextField, ValueList } from "./fields";
import { argHelp, indexWrittenRows, optionHelp, type EditorProps } from "./editor-props";
import { FallthroughFields, RestLines } from "./hosts-editor";
import { POD_MODES, type KubernetesState } from "./kubernetes-model";
import { joinWords } from "./options-model";

/** The kubernetes plugin: zones, pod records, fallthrough, TTL, how to reach the API, namespaces. */
export function KubernetesEditor({ form, state, onChange, messages }: EditorProps<KubernetesState>) {
  const set = (patch: Partial<KubernetesState>) => onChange({ ...state, ...patch });
  const zoneArgs = indexWrittenRows(state.zones, (z) => z.trim() !== "");
  const nsArgs = indexWrittenRows(state.namespaces, (n) => n.trim() !== "");
  const nsMessages = messages.option("namespaces");
  return (
    <div className="flex flex-col gap-4">
      <FieldGroup legend="Zones">
        <ValueList
          label="Zones served"
          help={`${argHelp(form, "ZONES")} Reverse zones (in-addr.arpa, ip6.arpa) answer PTR queries for services and pods.`}
          values={state.zones}
          onChange={(zones) => set({ zones })}
          messagesAt={(i) => ((zoneArgs[i] ?? -1) >= 0 ? messages.arg(zoneArgs[i] as number) : [])}
          messages={messages.directive}
          placeholder="cluster.local"
          itemLabel="zone"
        />
      </FieldGroup>
      <FieldGroup legend="Answers">
        <SelectField label="Pod records (pods)" help={optionHelp(form, "pods")} value={state.pods} onChange={(pods) => set({ pods })} options={POD_MODES} emptyLabel="(default: disabled)" messages={messages.option("pods")} />
        <TextField label="TTL" hint="seconds, 0-3600" help={optionHelp(form, "ttl")} value={state.ttl} onChange={(ttl) => set({ ttl })} placeholder="5" inputMode="numeric" messages={messages.option("ttl")} />
        <FallthroughFields help={optionHelp(form, "fallthrough")} zones={state.fallthrough} onChange={(fallthrough) => set({ fallthrough })} messages={messages.option("fallthrough")} />
        <ValueList
          label="Namespaces (empty: all)"
          help={optionHelp(form, "namespaces")}
          values={state.namespaces}
          onChange={(namespaces) => set({ namespaces })}
          messagesAt={(i) => nsMessages.filter((m) => m.field.endsWith(`.args.${nsArgs[i]}`))}
          messages={nsMessages.filter((m) => !m.field.includes(".args."))}
          placeholder="default"
          itemLabel="namespace"
        />
      </FieldGroup>
      <FieldGroup legend="Kubernetes API" help="Leave both empty when CoreDNS runs in the cluster: it then uses its service account.">
        <TextField label="Endpoint" hint="URL, optional" help={optionHelp(form, "endpoint")} value={state.endpoint} onChange={(endpoint) => set({ endpoint })} placeholder="https://k8s.example:6443" messages={messages.option("endpoint")} />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label="Kubeconfig file" hint="optional" help={optionHelp(form, "kubeconfig")} value={state.kubeconfig} onChange={(kubeconfig) => set({ kubeconfig })} placeholder="/etc/coredns/kubeconfig" messages={messages.option("kubeconfig")} />
          <TextField label="Kubeconfig context" hint="optional" value={state.kubeconfigContext} onChange={(kubeconfigContext) => set({ kubeconfigContext })} />
        </div>
      </FieldGroup>
      <RestLines lines={state.rest.map((l) => joinWords([l.name, ...l.args]))} />
    </div>
  );
}
