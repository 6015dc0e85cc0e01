import Link from "next/link";
import type { CoreDnsPod } from "@/lib/k8s/pods";
import type { PodMetricsView } from "./load-overview";

/**
 * The CoreDNS pods of a cluster with what their metrics add: the CoreDNS version (`coredns_build_info`) and the
 * revision each runs (its `coredns_reload_version_info` hash matched to the revisions' reload hashes).
 */
export function PodHealthTable({
  pods,
  selector,
  podMetrics,
  isCollecting,
}: {
  pods: CoreDnsPod[];
  selector: string;
  podMetrics: Record<string, PodMetricsView>;
  isCollecting: boolean;
}) {
  if (pods.length === 0) {
    return (
      <p className="text-sm text-slate-700 dark:text-slate-300">
        No pod matches <code>{selector}</code>. Check the CoreDNS pod label selector in Settings.
      </p>
    );
  }
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">CoreDNS pods matching {selector}</caption>
      <thead className="text-xs text-slate-500 dark:text-slate-400">
        <tr>
          <th scope="col" className="pb-2 pr-2 font-medium">
            Pod
          </th>
          <th scope="col" className="pb-2 pr-2 font-medium">
            Status
          </th>
          <th scope="col" className="pb-2 font-medium">
            Runs
          </th>
        </tr>
      </thead>
      <tbody>
        {pods.map((pod) => {
          const metrics = podMetrics[pod.name];
          return (
            <tr key={pod.name} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className="py-1.5 pr-2">
                <span className="font-mono text-xs">{pod.name}</span>
                {pod.image ? <span className="block break-all text-xs text-slate-500 dark:text-slate-400">{pod.image}</span> : null}
                {pod.podIP ? <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">{pod.podIP}</span> : null}
              </td>
              <td className="py-1.5 pr-2">
                <span className={pod.isReady ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400"}>
                  {pod.phase}
                  {pod.isReady ? ", ready" : ", not ready"}
                </span>
                {pod.restarts > 0 ? <span className="block text-xs">{pod.restarts} restarts</span> : null}
              </td>
              <td className="py-1.5 text-xs" data-testid="pod-runs">
                {metrics ? (
                  <>
                    <span className="block">CoreDNS {metrics.version ?? "(version not reported)"}</span>
                    {metrics.revision?.isRejected ? (
                      <span className="text-red-800 dark:text-red-300">
                        rejected{" "}
                        <Link className="underline" href={`/history/${metrics.revision.id}#rollout-heading`}>
                          revision {metrics.revision.number}
                        </Link>
                        ; still serves the Corefile before it
                      </span>
                    ) : metrics.revision ? (
                      <Link className="text-sky-700 underline dark:text-sky-400" href={`/history/${metrics.revision.id}`}>
                        revision {metrics.revision.number}
                      </Link>
                    ) : metrics.hasNoHash ? (
                      <span className="text-slate-600 dark:text-slate-400" title="CoreDNS publishes coredns_reload_version_info only after its first reload.">
                        no reload since start
                      </span>
                    ) : (
                      <span className="text-amber-800 dark:text-amber-300" title="The pod's reload hash matches none of the newest revisions.">
                        an unrecorded Corefile
                      </span>
                    )}
                  </>
                ) : (
                  <span className="text-slate-600 dark:text-slate-400">{isCollecting ? "not scraped yet" : "metrics off"}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
