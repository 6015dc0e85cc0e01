/** Shown while the editor's code (about 1 MB) loads: the frame of the editor, and a status for screen readers. */
export function EditorSkeleton({ height, label = "Loading the editor…" }: { height: string; label?: string }) {
  return (
    <div
      role="status"
      style={{ height }}
      className="flex w-full flex-col gap-2 overflow-hidden bg-white p-3 dark:bg-slate-900"
      data-testid="corefile-editor-loading"
    >
      <span className="sr-only">{label}</span>
      {[40, 28, 55, 33, 62, 24, 47, 18].map((width, i) => (
        <div
          key={i}
          aria-hidden="true"
          style={{ width: `${width}%` }}
          className="h-3 animate-pulse rounded bg-slate-200 dark:bg-slate-800"
        />
      ))}
    </div>
  );
}
