/** Tailwind classes of the app's text inputs and selects (light and dark). */
export const fieldClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";
