"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button-class";

/**
 * A button that runs one Server Action for a row of a list (remove a role, revoke a token): shows progress while it
 * runs, refreshes the page when it worked, and says why beside the button when it did not.
 */
export function RowActionButton({
  label,
  pendingLabel,
  tone = "secondary",
  ariaLabel,
  confirmText,
  run,
}: {
  label: string;
  pendingLabel: string;
  tone?: "secondary" | "danger";
  ariaLabel?: string;
  /** Asked with `window.confirm` first; nothing runs when declined. */
  confirmText?: string;
  run: () => Promise<{ ok: true } | { ok: false; message: string }>;
}) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className={buttonClass(tone)}
        disabled={isPending}
        aria-label={ariaLabel}
        onClick={() => {
          if (confirmText && !window.confirm(confirmText)) return;
          startTransition(async () => {
            const result = await run();
            if (!result.ok) setError(result.message);
            else router.refresh();
          });
        }}
      >
        {isPending ? pendingLabel : label}
      </button>
      {error ? (
        <span role="alert" className="ml-2 text-xs text-red-700 dark:text-red-300">
          {error}
        </span>
      ) : null}
    </>
  );
}
