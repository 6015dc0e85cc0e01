/**
 * Monaco's editor worker (diffs, links, word ranges), bundled locally and started by setup-monaco.ts with
 * `new Worker(new URL("./editor.worker.ts", import.meta.url), { type: "module" })`.
 */
import "monaco-editor/editor/editor.worker";
