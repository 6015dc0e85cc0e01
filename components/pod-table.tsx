import type { CoreDnsPod } from "@/lib/k8s/pods";

/** The CoreDNS pods of a cluster: name, readiness, IP and image. */
export function PodTable({ pods, selector }: { pods: CoreDnsPod[]; selector: string }) {
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
          <th scope="col" className="pb-2 font-medium">
            Pod
          </th>
          <th scope="col" className="pb-2 font-medium">
            Status
          </th>
          <th scope="col" className="pb-2 font-medium">
            IP
          </th>
        </tr>
      </thead>
      <tbody>
        {pods.map((pod) => (
          <tr key={pod.name} className="border-t border-slate-100 dark:border-slate-800">
            <td className="py-1.5 pr-2">
              <span className="font-mono text-xs">{pod.name}</span>
              {pod.image ? <span className="block text-xs text-slate-500 dark:text-slate-400">{pod.image}</span> : null}
            </td>
            <td className="py-1.5 pr-2">
              <span className={pod.isReady ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400"}>
                {pod.phase}
                {pod.isReady ? ", ready" : ", not ready"}
              </span>
              {pod.restarts > 0 ? <span className="block text-xs">{pod.restarts} restarts</span> : null}
            </td>
            <td className="py-1.5 font-mono text-xs">{pod.podIP ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
