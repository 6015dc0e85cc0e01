"use client";

import { useState } from "react";
import type { DnsServiceOption } from "@/app/editor/recipe-actions";
import { forwardToServiceRecipe } from "@/lib/recipes";
import { CheckboxField, TextField } from "../fields";
import { optionalText, splitList, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { ServicePicker } from "../service-picker";
import { useRecipeForm } from "../use-recipe-form";
import { ForwardOptionsFields, type ForwardPolicy } from "./forward-options";

/** The cluster domain of a Linkerd mirror's remote Service (`name.namespace.svc.<domain>`), if its name says so. */
function remoteDomainOf(service: DnsServiceOption): string | undefined {
  const remote = service.mesh?.remoteName;
  const match = remote ? /^[^.]+\.[^.]+\.svc\.(.+?)\.?$/.exec(remote) : null;
  return match?.[1];
}

/** Forward a zone to a DNS Service of the cluster: find the Service, or type its ClusterIP and port. */
export function ForwardToServiceForm({ cluster, text, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [zone, setZone] = useState("");
  const [service, setService] = useState<{ namespace: string; name: string; clusterIPs: string[] } | null>(null);
  const [ips, setIps] = useState("");
  const [port, setPort] = useState("53");
  const [forceTcp, setForceTcp] = useState(false);
  const [policy, setPolicy] = useState<ForwardPolicy>("");
  const [healthCheck, setHealthCheck] = useState("");
  const [choiceNote, setChoiceNote] = useState("");

  const values = {
    zone,
    clusterIPs: splitList(ips),
    port,
    forceTcp,
    ...(service ? { service: { namespace: service.namespace, name: service.name } } : {}),
    ...(policy ? { policy } : {}),
    ...(optionalText(healthCheck) ? { healthCheck: optionalText(healthCheck) } : {}),
  };
  const form = useRecipeForm(forwardToServiceRecipe, values, text, onApplyEdits);

  function choose(option: DnsServiceOption) {
    setService({ namespace: option.namespace, name: option.name, clusterIPs: option.clusterIPs });
    setIps(option.clusterIPs.join(", "));
    setPort(String(option.dnsPort));
    const notes = [`Using ${option.namespace}/${option.name}: ${option.clusterIPs.join(", ")}, port ${option.dnsPort}.`];
    if (option.mesh?.isTcpOnly) {
      setForceTcp(true);
      notes.push("Force TCP is on: this Service is reached through a TCP-only path.");
    }
    const domain = remoteDomainOf(option);
    if (zone.trim() === "" && domain) {
      setZone(domain);
      notes.push(`Zone set to ${domain}, the linked cluster's domain; change it if that cluster uses another one.`);
    }
    setChoiceNote(notes.join(" "));
  }

  return (
    <RecipeFrame recipe={forwardToServiceRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <TextField
        label="Zone"
        value={zone}
        placeholder="west.cluster.local"
        onChange={(value) => {
          form.touch("zone");
          setZone(value);
        }}
        error={form.errorFor("zone")}
        help="Queries for this zone and every name under it go to the Service, e.g. west.cluster.local or consul."
      />

      <fieldset className="min-w-0 rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">Target Service</legend>
        <ServicePicker cluster={cluster} chosen={service} onChoose={choose} />
        {service ? (
          <p className="mt-2 text-xs text-slate-700 dark:text-slate-300" aria-live="polite">
            {choiceNote}
          </p>
        ) : null}
        <div className="mt-3 grid gap-3 @md:grid-cols-[minmax(0,1fr)_6rem]">
          <TextField
            label="ClusterIP"
            value={ips}
            placeholder="10.96.77.53"
            onChange={(value) => {
              form.touch("clusterIPs");
              setIps(value);
              // A typed address no longer is the Service's: do not name the Service in the comment.
              if (service && splitList(value).join(",") !== service.clusterIPs.join(",")) setService(null);
            }}
            error={form.errorFor("clusterIPs")}
            help="Filled in when you choose a Service; or type it (two, comma-separated, for a dual-stack Service)."
          />
          <TextField
            label="Port"
            value={port}
            inputMode="numeric"
            onChange={(value) => {
              form.touch("port");
              setPort(value);
            }}
            error={form.errorFor("port")}
          />
        </div>
        <p className="mt-2 text-xs text-amber-800 dark:text-amber-300">
          forward keeps the address, not the Service: if the Service is deleted and created again it gets a new ClusterIP, and this
          forward has to be updated.
        </p>
      </fieldset>

      <CheckboxField
        label="Force TCP"
        checked={forceTcp}
        onChange={(checked) => {
          form.touch("forceTcp");
          setForceTcp(checked);
        }}
        error={form.errorFor("forceTcp")}
        help="Send every query over TCP. Needed when the path to the Service carries TCP only, such as Linkerd's multicluster gateway."
      />
      <ForwardOptionsFields form={form} policy={policy} onPolicyChange={setPolicy} healthCheck={healthCheck} onHealthCheckChange={setHealthCheck} />
    </RecipeFrame>
  );
}
