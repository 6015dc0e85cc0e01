import { buttonClass } from "@/components/ui/button-class";

const METHOD_LABELS: Record<string, string> = {
  local: "local account",
  oidc: "single sign-on",
  proxy: "signed in by the proxy",
  token: "API token",
};

/** Who is signed in, and the sign-out button (a POST form: a link could be triggered by any page). */
export function UserMenu({ name, method }: { name: string; method: string }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <span>
        <span className="sr-only">Signed in as </span>
        <strong className="font-medium">{name}</strong>
        <span className="ml-1 text-xs text-slate-500 dark:text-slate-400">({METHOD_LABELS[method] ?? method})</span>
      </span>
      {method === "proxy" ? null : (
        <form action="/auth/signout" method="post">
          <button type="submit" className={buttonClass()}>
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
