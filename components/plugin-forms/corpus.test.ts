/**
 * Every directive of the corpus Corefiles read into its editor and written straight back gives no edit: opening a form
 * and pressing Apply without a change never touches the text.
 */
import { describe, expect, it } from "vitest";
import { buildBoard, describePluginForm, readForm, type DirectiveCard, type ServerBlockCard } from "@/lib/board";
import { listCorpus, readCorpus } from "@/lib/corefile/test-helpers";
import { cacheModel } from "./cache-model";
import { forwardModel } from "./forward-model";
import { createGenericModel } from "./generic-model";
import { hostsModel } from "./hosts-model";
import { kubernetesModel } from "./kubernetes-model";
import type { EditorModel } from "./options-model";
import { rewriteModel } from "./rewrite-model";
import { writeFormValues } from "./write-values";

const OPTIONS = { filename: "/etc/coredns/Corefile" };
const FILES = listCorpus("corefiles").filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));
const MODELS: Record<string, EditorModel<unknown>> = {
  hosts: hostsModel as EditorModel<unknown>,
  rewrite: rewriteModel as EditorModel<unknown>,
  kubernetes: kubernetesModel as EditorModel<unknown>,
  forward: forwardModel as EditorModel<unknown>,
  cache: cacheModel as EditorModel<unknown>,
};

function directivesOf(text: string): DirectiveCard[] {
  const board = buildBoard(text, OPTIONS);
  if (board.status !== "ok") return [];
  return board.items
    .filter((i): i is ServerBlockCard => i.kind === "server")
    .flatMap((b) => b.items.filter((c): c is DirectiveCard => c.kind === "directive"));
}

describe("corpus round trip: read → editor state → values → writeForm changes nothing", () => {
  const seen: Record<string, { read: number; fallback: number }> = {};
  let generic = 0;

  it("holds for every directive, in the purpose-made editors and the generic form", () => {
    for (const file of FILES) {
      const text = readCorpus(file);
      for (const card of directivesOf(text)) {
        const read = readForm(text, { id: card.id }, OPTIONS);
        if (!read.ok) continue;
        const candidates: [string, EditorModel<unknown>][] = [["generic", createGenericModel(describePluginForm(card.name)) as EditorModel<unknown>]];
        const special = MODELS[card.name];
        if (special) candidates.push([card.name, special]);
        for (const [label, model] of candidates) {
          const state = model.read(read.values);
          if (label !== "generic") {
            const count = (seen[label] ??= { read: 0, fallback: 0 });
            if (state === null) {
              count.fallback++;
              continue;
            }
            count.read++;
          } else generic++;
          expect(state, `${file} ${card.id}`).not.toBeNull();
          const values = model.write(state, read.values);
          const r = writeFormValues(text, { id: card.id, plugin: card.name, values });
          expect(r.ok && r.edits, `${file} ${card.id} (${label})`).toEqual([]);
        }
      }
    }
    expect(generic).toBeGreaterThan(1000);
    // The purpose-made editors take (nearly) every real directive of their plugin.
    for (const name of Object.keys(MODELS)) {
      const c = seen[name];
      expect(c?.read, name).toBeGreaterThan(0);
      expect(c!.fallback, `${name}: ${JSON.stringify(c)}`).toBeLessThanOrEqual(c!.read / 4);
    }
  });
});
