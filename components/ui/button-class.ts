/** Tailwind classes of the app's buttons. */
export function buttonClass(kind: "primary" | "secondary" | "danger" = "secondary"): string {
  const base = "rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50";
  if (kind === "primary") return `${base} bg-sky-700 text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500`;
  if (kind === "danger") return `${base} bg-red-700 text-white hover:bg-red-800`;
  return `${base} border border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800`;
}
