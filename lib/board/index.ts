/**
 * The visual pipeline editor's core: the board model of a Corefile, board actions that return text edits, the
 * palette and generic plugin forms. Pure TypeScript (no React, no Monaco, no Node built-ins): runs in the browser.
 * See README.md.
 */
export { buildBoard, type BuildBoardOptions } from "./build-board";
export {
  addBlock,
  duplicateDirective,
  insertPlugin,
  moveBlock,
  moveDirective,
  removeDirective,
  setBlockKeys,
  sortBlockByExecutionOrder,
  type ActionOptions,
} from "./actions";
export { PALETTE, PALETTE_GROUPS, getPaletteEntry, listPalette, type PaletteEntry, type PaletteGroup } from "./palette";
export {
  argsToFields,
  describePluginForm,
  fieldsToArgs,
  readForm,
  validateForm,
  writeForm,
  type FieldMessage,
  type FormField,
  type FormValues,
  type OptionForm,
  type PluginForm,
  type ReadFormResult,
} from "./forms";
export { PLUGIN_ROLES, rolesOf, type PluginRole } from "./roles";
export { ORDER_SENSITIVE, VIEW_ORDER_NOTE } from "./order-sensitivity";
export type * from "./types";
