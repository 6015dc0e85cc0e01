import type { ReactNode } from "react";

/** States plainly what a page will hold once its feature lands; it never shows made-up data. */
export function ComingSoon({ children }: { children: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-6 text-sm text-slate-700 dark:border-slate-700 dark:text-slate-300">
      <p className="mb-2 font-semibold">Not built yet</p>
      {children}
    </div>
  );
}
