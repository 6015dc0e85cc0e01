/**
 * Completion proposals for the Corefile editor, from the plugin catalog and the position of the cursor.
 */
import { parse, positionAt, type BodyItem, type Document, type ServerBlockNode, type SnippetNode } from "@/lib/corefile";
import { getPluginSpec, PLUGIN_CATALOG, type ArgSpec, type PluginSpec } from "@/lib/corefile/plugins";
import { readCursorContext, toTextRange, type CursorContext } from "./context";
import {
  buildArgSnippet,
  describeArg,
  describeOption,
  describePlugin,
  findArgCandidates,
  formatArgSyntax,
  formatOptionSyntax,
  listArgValues,
} from "./docs";
import { COREFILE_SNIPPETS } from "./snippets";
import type { CompletionItem, TextRange } from "./types";

/**
 * Directives most Corefiles use, most common first: proposed before the rest (which follow in execution order).
 * The ranking is ours, from the kubeadm default Corefile and common stub-domain set-ups.
 */
const POPULAR_DIRECTIVES = [
  "errors",
  "health",
  "ready",
  "kubernetes",
  "prometheus",
  "forward",
  "cache",
  "loop",
  "reload",
  "loadbalance",
  "log",
  "hosts",
  "rewrite",
  "template",
  "k8s_external",
  "autopath",
  "file",
];

/**
 * The completions at `offset` in `text`:
 * - at the start of a line in a server block: directive names (not already present unless repeatable) and snippets;
 * - at the start of a line in a directive's block: that plugin's options;
 * - after a directive or option name: the values its argument at that position takes (enumerations, DNS codes...);
 * - at the top level: server-block snippets.
 * Returns `[]` inside comments and quoted strings.
 */
export function getCompletions(text: string, offset: number): CompletionItem[] {
  return computeCompletions(text, offset).sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
}

function computeCompletions(text: string, offset: number): CompletionItem[] {
  const doc = parse(text).cst;
  const context = readCursorContext(text, doc, Math.max(0, Math.min(offset, text.length)));
  if (context.isInert) return [];
  const replace = toTextRange(doc, context.word.start, context.word.end);
  const { container, lineTokens } = context;
  const first = lineTokens[0];

  if (first?.text === "import") return lineTokens.length === 1 ? completeImport(doc, replace) : [];

  switch (container.kind) {
    case "top":
      return lineTokens.length === 0 ? completeTopLevel(doc, replace) : [];
    case "body": {
      if (!first) return completeDirectives(doc, container.node, context, replace);
      const spec = getPluginSpec(first.text);
      return spec ? completeArgs(spec.name, spec.args, lineTokens.length - 1, replace) : [];
    }
    case "block": {
      // Only the plugin's own block has catalogued options; deeper blocks belong to options.
      if (container.path.length !== 1) return [];
      const owner = container.path[0];
      const spec = owner ? getPluginSpec(owner.name.text) : undefined;
      if (!spec) return [];
      if (!first) return completeOptions(spec, container.node.body, context, replace);
      const option = spec.options.find((o) => o.name === first.text);
      return option ? completeArgs(`${spec.name} ${option.name}`, option.args, lineTokens.length - 1, replace) : [];
    }
  }
}

function completeTopLevel(doc: Document, replace: TextRange): CompletionItem[] {
  const items: CompletionItem[] = COREFILE_SNIPPETS.filter((s) => s.scope === "top").map((s, i) => ({
    label: s.label,
    kind: "snippet",
    detail: s.detail,
    documentation: s.documentation,
    insertText: s.body,
    isSnippet: true,
    replace,
    sortText: `0${String(i).padStart(2, "0")}`,
  }));
  if (doc.items.some((item) => item.kind === "Snippet")) items.push(importItem(replace));
  return items;
}

function importItem(replace: TextRange): CompletionItem {
  return {
    label: "import",
    kind: "directive",
    detail: "import SNIPPET|FILE — insert a snippet or other file here",
    documentation:
      "Replaces this line with the lines of a snippet defined in this Corefile (`(name) { ... }`) or of another file (glob patterns allowed). See [import](https://coredns.io/plugins/import/).",
    insertText: "import ${1:name}",
    isSnippet: true,
    replace,
    sortText: "2import",
  };
}

function completeImport(doc: Document, replace: TextRange): CompletionItem[] {
  return doc.items
    .filter((item): item is SnippetNode => item.kind === "Snippet")
    .map((snippet) => ({
      label: snippet.name,
      kind: "value",
      detail: "snippet defined in this Corefile",
      documentation: `Brings in the lines of the snippet \`(${snippet.name})\` (line ${positionAt(doc.lineStarts, snippet.start).line}).`,
      insertText: snippet.name,
      isSnippet: false,
      replace,
      sortText: snippet.name,
    }));
}

function completeDirectives(
  doc: Document,
  block: ServerBlockNode | SnippetNode,
  context: CursorContext,
  replace: TextRange,
): CompletionItem[] {
  // Directives already written in this block (but not the word being typed) cannot repeat unless the plugin allows it.
  // Snippets are pasted into several blocks, so anything goes there.
  const present = new Set<string>();
  if (block.kind === "ServerBlock") {
    for (const item of block.body) {
      if (item.kind === "Directive" && item.name.start !== context.word.start) present.add(item.name.text);
    }
  }
  const canAdd = (spec: PluginSpec) => spec.repeatable || !present.has(spec.name);

  const items: CompletionItem[] = [];
  for (const spec of PLUGIN_CATALOG) {
    if (!canAdd(spec)) continue;
    const popular = POPULAR_DIRECTIVES.indexOf(spec.name);
    const { insertText, isSnippet } = buildArgSnippet(spec.name, spec.args);
    items.push({
      label: spec.name,
      kind: "directive",
      detail: spec.summary,
      documentation: describePlugin(spec),
      insertText,
      isSnippet,
      replace,
      sortText: popular >= 0 ? `0${String(popular).padStart(2, "0")}` : `1${String(spec.order).padStart(2, "0")}`,
    });
  }
  for (const s of COREFILE_SNIPPETS) {
    if (s.scope !== "directive") continue;
    const spec = s.directive ? getPluginSpec(s.directive) : undefined;
    if (spec && !canAdd(spec)) continue;
    const popular = s.directive ? POPULAR_DIRECTIVES.indexOf(s.directive) : -1;
    items.push({
      label: s.label,
      kind: "snippet",
      detail: s.detail,
      documentation: s.documentation,
      insertText: s.body,
      isSnippet: true,
      replace,
      sortText: `${popular >= 0 ? `0${String(popular).padStart(2, "0")}` : "199"}~${s.label}`,
    });
  }
  if (doc.items.some((item) => item.kind === "Snippet")) items.push(importItem(replace));
  return items;
}

function completeOptions(
  spec: PluginSpec,
  body: readonly BodyItem[],
  context: CursorContext,
  replace: TextRange,
): CompletionItem[] {
  const present = new Set<string>();
  for (const item of body) {
    if (item.kind === "Directive" && item.name.start !== context.word.start) present.add(item.name.text);
  }
  return spec.options
    .filter((o) => o.repeatable || !present.has(o.name))
    .map((option, i) => {
      const { insertText, isSnippet } = buildArgSnippet(option.name, option.args);
      return {
        label: option.name,
        kind: "option" as const,
        detail: formatOptionSyntax(option),
        documentation: describeOption(spec, option),
        insertText,
        isSnippet,
        replace,
        sortText: String(i).padStart(3, "0"),
      };
    });
}

function completeArgs(owner: string, args: readonly ArgSpec[], index: number, replace: TextRange): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  findArgCandidates(args, index).forEach((arg, k) => {
    for (const choice of listArgValues(arg)) {
      if (seen.has(choice.value)) continue;
      seen.add(choice.value);
      items.push({
        label: choice.value,
        kind: "value",
        detail: `${arg.name} — ${owner} ${formatArgSyntax(args)}`.trim(),
        documentation: [choice.help, describeArg(owner, arg)].filter(Boolean).join("\n\n"),
        insertText: choice.value,
        isSnippet: false,
        replace,
        sortText: `${k}${choice.sortText}`,
      });
    }
  });
  return items;
}
