/**
 * The hosts editor's state: the inline entries as a table (IP, names), the file and zones, and the block options.
 * Inline entries are the block lines that are not options (`IP NAME...`); CoreDNS only reads them before `fallthrough`.
 */
import type { FieldMessage, FormValues } from "@/lib/board";
import { flagIf, guardRoundTrip, joinWords, lineIf, splitWords, takeOptions, type EditorModel, type OptionLine } from "./options-model";

/** One row of the table: the names are edited as space-separated text. */
export type HostsEntry = { ip: string; names: string };

export type HostsState = {
  /** Empty: /etc/hosts (the default). */
  file: string;
  zones: string[];
  entries: HostsEntry[];
  ttl: string;
  isNoReverse: boolean;
  reload: string;
  /** Null: no `fallthrough` line; []: fall through for every zone. */
  fallthrough: string[] | null;
  isFallthroughUnsupported: boolean;
  /** Lines the editor does not show (repeated options, imports), kept as written. */
  rest: OptionLine[];
};

/** The hosts plugin's own options; every other block line is an inline entry. */
export const HOSTS_OPTIONS = ["ttl", "no_reverse", "reload", "fallthrough", "fallthrough_unsupported"] as const;

export const HOSTS_DEFAULT_FILE = "/etc/hosts";

/** Whether a block line of `hosts` is an inline entry rather than an option. */
export function isHostsEntry(line: OptionLine): boolean {
  return !(HOSTS_OPTIONS as readonly string[]).includes(line.name) && line.name !== "import";
}

/** True when an inline entry comes after `fallthrough`, which CoreDNS refuses ("unknown property"). */
export function hasEntryAfterFallthrough(options: readonly OptionLine[]): boolean {
  const at = options.findIndex((o) => o.name === "fallthrough");
  return at >= 0 && options.slice(at + 1).some(isHostsEntry);
}

export function createHostsEntry(): HostsEntry {
  return { ip: "", names: "" };
}

export const hostsModel: EditorModel<HostsState> = guardRoundTrip({
  check(state: HostsState): FieldMessage[] {
    return state.entries.flatMap((e, i): FieldMessage[] =>
      e.ip.trim() === "" && e.names.trim() !== ""
        ? [{ field: `local.entry.${i}`, severity: "error", code: "PLUGIN_INVALID_VALUE", message: "Enter the IP address these names answer with." }]
        : [],
    );
  },
  read(values: FormValues): HostsState | null {
    const entries: HostsEntry[] = [];
    const options: OptionLine[] = [];
    for (const o of values.options) {
      if (isHostsEntry(o)) entries.push({ ip: o.name, names: joinWords(o.args) });
      else options.push(o);
    }
    const { first, rest } = takeOptions(options, HOSTS_OPTIONS);
    const one = (name: string): string | null => {
      const a = first.get(name);
      if (!a) return "";
      return a.length === 1 ? (a[0] as string) : null;
    };
    const flag = (name: string): boolean | null => {
      const a = first.get(name);
      if (!a) return false;
      return a.length === 0 ? true : null;
    };
    const ttl = one("ttl");
    const reload = one("reload");
    const isNoReverse = flag("no_reverse");
    const isFallthroughUnsupported = flag("fallthrough_unsupported");
    if (ttl === null || reload === null || isNoReverse === null || isFallthroughUnsupported === null) return null;
    return {
      file: values.args[0] ?? "",
      zones: values.args.slice(1),
      entries,
      ttl,
      isNoReverse,
      reload,
      fallthrough: first.get("fallthrough") ?? null,
      isFallthroughUnsupported,
      rest,
    };
  },
  write(state: HostsState): FormValues {
    const zones = state.zones.map((z) => z.trim()).filter((z) => z !== "");
    const file = state.file.trim() || (zones.length > 0 ? HOSTS_DEFAULT_FILE : "");
    const entries = state.entries
      .filter((e) => e.ip.trim() !== "" || e.names.trim() !== "")
      .map((e) => ({ name: e.ip.trim(), args: splitWords(e.names) }));
    return {
      args: file ? [file, ...zones] : [],
      options: [
        ...entries,
        ...lineIf("ttl", state.ttl),
        ...flagIf("no_reverse", state.isNoReverse),
        ...lineIf("reload", state.reload),
        ...(state.fallthrough ? [{ name: "fallthrough", args: state.fallthrough.map((z) => z.trim()).filter((z) => z !== "") }] : []),
        ...flagIf("fallthrough_unsupported", state.isFallthroughUnsupported),
        ...state.rest,
      ],
    };
  },
});
