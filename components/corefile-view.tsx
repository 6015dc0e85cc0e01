/**
 * A read-only Corefile with line numbers (the editor page replaces this with Monaco). The numbers
 * come from CSS counters, so copying the text copies the Corefile and nothing else.
 */
export function CorefileView({ text, label }: { text: string; label: string }) {
  const lines = text.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return (
    <figure
      aria-label={label}
      className="max-h-[32rem] overflow-auto rounded-md border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-950"
    >
      <pre className="py-2 font-mono text-[13px] leading-5">
        <code data-testid="corefile-text" className="block [counter-reset:line]">
          {lines.map((line, index) => (
            <span
              key={index}
              className="block whitespace-pre pr-4 [counter-increment:line] before:mr-4 before:inline-block before:w-8 before:text-right before:text-slate-400 before:content-[counter(line)] dark:before:text-slate-600"
            >
              {line}
              {index < lines.length - 1 ? "\n" : ""}
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
}
