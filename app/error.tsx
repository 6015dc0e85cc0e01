"use client";

import { useEffect } from "react";

/** Unexpected failures land here; expected ones are shown in place by each page. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="max-w-xl rounded-lg border border-red-300 bg-red-50 p-6 dark:border-red-800 dark:bg-red-950/50">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm">
        Coredeck hit an unexpected error while loading this page. Nothing was changed in your cluster. Try again; if it keeps
        failing, the server log has the details{error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
