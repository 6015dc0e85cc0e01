/**
 * The board model: plain, serialisable data (no class instances, no functions, no tree nodes) describing one Corefile
 * for the visual pipeline editor. Every card has a stable string `id` usable as a React key and a dnd-kit id.
 *
 * Offsets are UTF-16 offsets into the text the board was built from; lines and columns are 1-based.
 */
import type { PluginGroup } from "@/lib/corefile/plugins";
import type { PluginRole } from "./roles";

/** A range of the source text. `start`/`end` are offsets (end exclusive); lines and columns are 1-based. */
export type SourceRange = {
  start: number;
  end: number;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
};

/** Why the board is read-only: the first structural error of the text. */
export type BoardError = {
  code: string;
  message: string;
  line: number;
  column: number;
};

/** The whole board. When `status` is "read-only", `items` is empty: the text does not parse, nothing is editable. */
export type Board = {
  status: "ok" | "read-only";
  /** Set when `status` is "read-only". */
  error?: BoardError;
  /**
   * The error CoreDNS would stop at although the structure is sound (an unknown directive, an invalid or duplicate
   * server key, a missing import...). The board stays editable; the UI can show this beside it.
   */
  corednsError?: BoardError;
  /** Server blocks, snippets and top-level imports, in text order. */
  items: TopCard[];
  /** The file's indentation step (what inserted lines use). */
  indentUnit: string;
};

export type TopCard = ServerBlockCard | SnippetCard | TopImportCard;

/** One key of a server block, as written and as CoreDNS reads it. */
export type BlockKey = {
  /** As written (a trailing comma removed). */
  text: string;
  transport: string;
  /** Normalised zones (fully qualified, lower case; a CIDR key gives its reverse zones). Empty when invalid. */
  zones: string[];
  /** Port (defaulted by transport); empty for unix. */
  port: string;
  /** Why CoreDNS rejects the key, when it does. */
  error?: string;
};

/** A server block card. */
export type ServerBlockCard = {
  kind: "server";
  id: string;
  /** 0-based index among server blocks only (what `moveBlock` counts). */
  index: number;
  keys: BlockKey[];
  /** The keys line as written, for the card title. */
  title: string;
  /** The block's lines with the comments above it; equals `range` when it shares a line with something else. */
  range: SourceRange;
  /** Lines owned by the block (keys to `}`, with comments above and after). Null when it shares a line. */
  extent: { start: number; end: number } | null;
  hasBraces: boolean;
  /** Whether `moveBlock` can move it (braces present and alone on its lines). */
  canMove: boolean;
  /** Directives and import lines in text order. */
  items: BodyCard[];
  /** The plugins in the order CoreDNS runs them. */
  pipeline: PipelineStep[];
  /** Directives that are no stock CoreDNS plugin (CoreDNS refuses to start with them). */
  unknownPlugins: string[];
  /** Some directive of the query path is written after one that runs later. */
  textOrderDiffers: boolean;
  /** A short explanation when `textOrderDiffers`. */
  orderNote?: string;
  /** Groups of this block where the text order changes behaviour (several `forward`, `rewrite`...). */
  orderGroups: OrderGroup[];
  /** Set when other server blocks share this block's transport, zone and port and `view` decides between them. */
  viewGroup?: ViewGroup;
};

/** A snippet definition `(name) { ... }`: shown, not editable in depth. */
export type SnippetCard = {
  kind: "snippet";
  id: string;
  name: string;
  range: SourceRange;
  /** Directive names in the snippet, in text order. */
  directives: string[];
  /** Ids of the server blocks that import it. */
  usedBy: string[];
};

/** A top-level `import` line (brings in server blocks from files). */
export type TopImportCard = {
  kind: "import";
  id: string;
  /** What is imported (a file path or glob). */
  target: string;
  range: SourceRange;
};

export type BodyCard = DirectiveCard | ImportCard;

/** Fields shared by directive and import cards. */
type BodyCardBase = {
  id: string;
  /** Id of the server block the item is in. */
  blockId: string;
  /** 0-based index in the block's `items` (what move and insert indexes count). */
  index: number;
  /** The item itself: name to last token (with a trailing same-line comment). */
  range: SourceRange;
  /** The item with its own comments (the comment lines directly above it, no blank line between): what moves with it. */
  fullRange: SourceRange;
  /** Comment lines above it and a trailing same-line comment, as written (without leading indentation). */
  comments: string[];
  /** Whether it is alone on its lines, so board actions can move, duplicate or remove it. */
  canMove: boolean;
};

/** A directive card. */
export type DirectiveCard = BodyCardBase & {
  kind: "directive";
  name: string;
  /** Argument values on the directive's line (before any `{`). */
  args: string[];
  hasBlock: boolean;
  /** Lines inside the first `{ }` block: option name and arguments (nested blocks flattened to their first line). */
  options: { name: string; args: string[] }[];
  /** Plugin group from the catalog; undefined for unknown directives. */
  group?: PluginGroup;
  /** One-line summary from the catalog. */
  summary: string;
  isUnknown: boolean;
  /** Set when the block holds this directive more than once and their order matters. */
  orderSensitive?: { group: string; note: string };
};

/** An `import` line inside a server block (a snippet or file whose directives join the block). */
export type ImportCard = BodyCardBase & {
  kind: "import";
  target: string;
  /** The snippet name when it imports a snippet of this file. */
  snippet?: string;
};

/** One plugin of a block's pipeline, in execution order. */
export type PipelineStep = {
  name: string;
  /** Index in plugin.cfg. */
  order: number;
  /** 1-based position among the steps a query passes through; undefined for server settings. */
  step?: number;
  roles: PluginRole[];
  /** A `fallthrough` line is written in one of its blocks. */
  hasFallthrough: boolean;
  /** Ids of the directive cards written in this block for the plugin (empty when only imported). */
  directiveIds: string[];
  /** How many times the plugin occurs, imports included. */
  count: number;
  /** Some occurrence comes from an `import`. */
  imported: boolean;
  summary: string;
};

/** Directives of one block whose relative text order changes what CoreDNS does. */
export type OrderGroup = {
  /** The plugin name. */
  name: string;
  note: string;
  /** Ids of the written directives (imported occurrences have none). */
  directiveIds: string[];
};

/** Server blocks on the same transport, zone and port, told apart by `view`: CoreDNS tries them top to bottom. */
export type ViewGroup = {
  /** The shared listener key, e.g. `dns://example.org.:53`. */
  key: string;
  blockIds: string[];
  note: string;
};

/** Text edits as board actions return them: offsets into the text the action was computed against. */
export type OffsetEdit = { start: number; end: number; newText: string };

/** What every board action returns. */
export type BoardActionResult =
  | {
      ok: true;
      /** A short title for the undo stack ("Move 'cache'"). */
      title: string;
      /** Non-overlapping edits; apply with `applyEdits(text, edits)` or as one Monaco edit operation. */
      edits: OffsetEdit[];
      /** Set when the action changes what CoreDNS does beyond its obvious effect (a reorder that matters). */
      behaviourChange?: string;
      /** Id, in the board of the edited text, of the card to focus (the moved, inserted or changed item). */
      focus?: string;
    }
  | { ok: false; reason: string };
