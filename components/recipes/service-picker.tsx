"use client";

import { useId, useState } from "react";
import { findDnsServicesAction, type DnsServiceOption } from "@/app/editor/recipe-actions";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";

type Lookup =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "loaded"; services: DnsServiceOption[] }
  | { state: "failed"; message: string };

/** `IP:PORT`, IPv6 in brackets. */
export function formatAddress(ip: string, port: number): string {
  return ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * "Find DNS Services": asks the cluster for Services that look like DNS servers and lists them; choosing one hands
 * it to `onChoose`. A failed lookup shows its message and leaves the manual fields of the form usable.
 */
export function ServicePicker({
  cluster,
  chosen,
  onChoose,
}: {
  cluster: string;
  chosen: { namespace: string; name: string } | null;
  onChoose(service: DnsServiceOption): void;
}) {
  const [lookup, setLookup] = useState<Lookup>({ state: "idle" });
  const listId = useId();
  const isLoading = lookup.state === "loading";

  async function find() {
    setLookup({ state: "loading" });
    try {
      const result = await findDnsServicesAction({ cluster });
      setLookup(result.ok ? { state: "loaded", services: result.services } : { state: "failed", message: result.message });
    } catch {
      setLookup({ state: "failed", message: "The dashboard did not answer the lookup. Check that it is still running, then try again." });
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass()} onClick={() => void find()} disabled={isLoading} aria-controls={listId}>
          {lookup.state === "loaded" || lookup.state === "failed" ? "Find DNS Services again" : "Find DNS Services"}
        </button>
        <span role="status" aria-live="polite" className="text-xs text-slate-600 dark:text-slate-400">
          {isLoading ? (
            <span className="inline-flex items-center gap-1.5">
              <span aria-hidden="true" className="h-3 w-3 animate-spin rounded-full border-2 border-slate-300 border-t-sky-700 dark:border-slate-700 dark:border-t-sky-400" />
              Looking up Services in {cluster}…
            </span>
          ) : lookup.state === "loaded" ? (
            `${lookup.services.length} DNS Service${lookup.services.length === 1 ? "" : "s"} found.`
          ) : null}
        </span>
      </div>

      {lookup.state === "failed" ? (
        <Alert tone="error" title="Could not list the cluster's Services">
          <p>{lookup.message}</p>
          <p className="mt-1">You can still type the Service&apos;s ClusterIP and port below.</p>
        </Alert>
      ) : null}

      <div id={listId} aria-busy={isLoading}>
        {lookup.state === "loaded" ? (
          lookup.services.length === 0 ? (
            <p className="text-sm text-slate-700 dark:text-slate-300">No Service in this cluster exposes a DNS port. Type the address below instead.</p>
          ) : (
            <ul aria-label="DNS Services" className="divide-y divide-slate-200 overflow-hidden rounded-md border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
              {lookup.services.map((service) => (
                <ServiceRow
                  key={`${service.namespace}/${service.name}`}
                  service={service}
                  isChosen={chosen?.namespace === service.namespace && chosen.name === service.name}
                  onChoose={() => onChoose(service)}
                />
              ))}
            </ul>
          )
        ) : null}
      </div>
    </div>
  );
}

function ServiceRow({ service, isChosen, onChoose }: { service: DnsServiceOption; isChosen: boolean; onChoose(): void }) {
  const detailsId = useId();
  const fullName = `${service.namespace}/${service.name}`;
  const addresses = service.clusterIPs.map((ip) => formatAddress(ip, service.dnsPort));
  return (
    <li className={`px-3 py-2 text-sm ${isChosen ? "bg-sky-50 dark:bg-sky-950/40" : ""}`}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium break-all">{fullName}</p>
          <div id={detailsId} className="text-xs text-slate-600 dark:text-slate-400">
            <p className="font-mono">
              {addresses.length ? addresses.join(", ") : service.isHeadless ? "headless (no ClusterIP)" : "no ClusterIP"}
              {service.dnsProtocols.length ? ` · ${service.dnsProtocols.join("+")}` : ""}
            </p>
            {service.mesh ? (
              <p className="mt-0.5">
                <span className="mr-1 rounded bg-violet-100 px-1 py-px font-semibold text-violet-900 dark:bg-violet-900/60 dark:text-violet-100">
                  {service.mesh.mesh === "linkerd" ? "Linkerd" : "Istio"}
                </span>
                {service.mesh.note}
              </p>
            ) : null}
            {!service.canForward && service.reason ? <p className="mt-0.5 text-amber-800 dark:text-amber-300">Cannot be used: {service.reason}</p> : null}
          </div>
        </div>
        {service.canForward ? (
          <button
            type="button"
            className={buttonClass(isChosen ? "primary" : "secondary")}
            aria-pressed={isChosen}
            aria-label={`Use ${fullName}`}
            aria-describedby={detailsId}
            onClick={onChoose}
          >
            {isChosen ? "Chosen" : "Use"}
          </button>
        ) : null}
      </div>
    </li>
  );
}
