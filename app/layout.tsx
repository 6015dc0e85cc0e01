import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { ClusterSwitcher } from "@/components/shell/cluster-switcher";
import { NavLinks } from "@/components/shell/nav-links";
import { ThemeToggle } from "@/components/shell/theme-toggle";
import { THEME_SCRIPT } from "@/components/shell/theme-script";
import { UserMenu } from "@/components/shell/user-menu";
import { hasRoleAnywhere } from "@/lib/auth/roles";
import { loadShellContext } from "./current-cluster";

export const metadata: Metadata = {
  title: { default: "Coredeck", template: "%s · Coredeck" },
  description: "Edit, validate, roll back and watch the CoreDNS configuration of your Kubernetes clusters.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const shell = await loadShellContext();
  if (!shell) {
    // Signed out (the sign-in page, the first-run page): no navigation, no cluster names.
    return (
      <html lang="en" suppressHydrationWarning>
        <head>
          <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        </head>
        <body className="min-h-screen">
          <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-10">
            {children}
          </main>
        </body>
      </html>
    );
  }
  const { clusters, current, principal } = shell;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          Skip to content
        </a>
        <div className="flex min-h-screen flex-col md:flex-row">
          <nav aria-label="Main" className="border-b border-slate-200 p-3 md:w-52 md:border-b-0 md:border-r dark:border-slate-800">
            <p className="mb-3 px-3 text-lg font-semibold tracking-tight">
              Core<span className="text-sky-600 dark:text-sky-400">deck</span>
            </p>
            <NavLinks isAdmin={hasRoleAnywhere(principal.grants, "admin")} />
          </nav>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-6 py-3 dark:border-slate-800">
              <ClusterSwitcher
                clusters={clusters.map((cluster) => ({ name: cluster.name, connection: cluster.connection }))}
                current={current?.name ?? null}
              />
              <div className="flex items-center gap-3">
                <UserMenu name={principal.name} method={principal.method} />
                <ThemeToggle />
              </div>
            </header>
            <main id="main" className="flex-1 px-6 py-6">
              {children}
            </main>
          </div>
        </div>
      </body>
    </html>
  );
}
