import type { PluginGroup } from "@/lib/corefile/plugins";
import type { PluginRole } from "@/lib/board";

/** The left edge and dot colour of each plugin group (light and dark). */
export const GROUP_STYLES: Readonly<Record<PluginGroup, { edge: string; dot: string; label: string }>> = {
  kubernetes: { edge: "border-l-blue-500 dark:border-l-blue-400", dot: "bg-blue-500 dark:bg-blue-400", label: "Kubernetes" },
  forwarding: { edge: "border-l-violet-500 dark:border-l-violet-400", dot: "bg-violet-500 dark:bg-violet-400", label: "Forwarding" },
  caching: { edge: "border-l-emerald-500 dark:border-l-emerald-400", dot: "bg-emerald-500 dark:bg-emerald-400", label: "Caching" },
  records: { edge: "border-l-teal-500 dark:border-l-teal-400", dot: "bg-teal-500 dark:bg-teal-400", label: "Records" },
  rewriting: { edge: "border-l-orange-500 dark:border-l-orange-400", dot: "bg-orange-500 dark:bg-orange-400", label: "Rewriting" },
  observability: { edge: "border-l-sky-500 dark:border-l-sky-400", dot: "bg-sky-500 dark:bg-sky-400", label: "Observability" },
  security: { edge: "border-l-rose-500 dark:border-l-rose-400", dot: "bg-rose-500 dark:bg-rose-400", label: "Security" },
  operations: { edge: "border-l-slate-400 dark:border-l-slate-500", dot: "bg-slate-400 dark:bg-slate-500", label: "Operations" },
};

/** Edge of a directive that is no CoreDNS plugin. */
export const UNKNOWN_EDGE = "border-l-red-600 dark:border-l-red-400";

/** How each role is shown in the pipeline: a glyph (decorative) and words (what screen readers and everyone read). */
export const ROLE_STYLES: Readonly<Record<PluginRole, { icon: string; label: string; chip: string }>> = {
  answers: {
    icon: "◉",
    label: "answers",
    chip: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-200",
  },
  "falls-through": {
    icon: "↧",
    label: "falls through",
    chip: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200",
  },
  forwards: {
    icon: "➜",
    label: "forwards",
    chip: "border-violet-300 bg-violet-50 text-violet-900 dark:border-violet-800 dark:bg-violet-950/60 dark:text-violet-200",
  },
  "passes-through": {
    icon: "↓",
    label: "passes on",
    chip: "border-slate-300 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300",
  },
  setting: {
    icon: "⚙",
    label: "setting",
    chip: "border-slate-300 bg-white text-slate-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-400",
  },
};

/** A small button inside cards. */
export const SMALL_BUTTON =
  "rounded px-1.5 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50 dark:text-slate-300 dark:hover:bg-slate-800";

/** A chip (key parts, counts). */
export const CHIP = "inline-flex items-center rounded border px-1.5 py-0.5 font-mono text-[11px] leading-none";
