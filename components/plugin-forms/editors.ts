import type { ComponentType } from "react";
import { CacheEditor } from "./cache-editor";
import { cacheModel } from "./cache-model";
import type { EditorProps } from "./editor-props";
import { ForwardEditor } from "./forward-editor";
import { forwardModel } from "./forward-model";
import { HostsEditor } from "./hosts-editor";
import { hostsModel } from "./hosts-model";
import { KubernetesEditor } from "./kubernetes-editor";
import { kubernetesModel } from "./kubernetes-model";
import type { EditorModel } from "./options-model";
import { RewriteEditor } from "./rewrite-editor";
import { rewriteModel } from "./rewrite-model";

/** A purpose-made editor: its model (state ↔ form values) and its component. */
export type SpecialEditor = {
  /** What the editor is called on the switch button ("hosts table"). */
  label: string;
  model: EditorModel<unknown>;
  Component: ComponentType<EditorProps<unknown>>;
};

function define<S>(label: string, model: EditorModel<S>, Component: ComponentType<EditorProps<S>>): SpecialEditor {
  return { label, model: model as EditorModel<unknown>, Component: Component as ComponentType<EditorProps<unknown>> };
}

/** The purpose-made editors by plugin name; every other plugin gets the generic form. */
export const SPECIAL_EDITORS: Readonly<Record<string, SpecialEditor>> = {
  hosts: define("hosts table", hostsModel, HostsEditor),
  rewrite: define("rule builder", rewriteModel, RewriteEditor),
  kubernetes: define("kubernetes editor", kubernetesModel, KubernetesEditor),
  forward: define("forward editor", forwardModel, ForwardEditor),
  cache: define("cache editor", cacheModel, CacheEditor),
};
