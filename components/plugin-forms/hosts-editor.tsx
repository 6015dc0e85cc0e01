"use client";

import { CheckboxField, FieldGroup, FieldMessages, TextField, ValueList, inputClass, smallButton } from "./fields";
import { RawList } from "./generic-form";
import { argHelp, indexWrittenRows, optionHelp, type EditorProps } from "./editor-props";
import { HOSTS_DEFAULT_FILE, createHostsEntry, type HostsState } from "./hosts-model";
import { joinWords } from "./options-model";

/** The hosts plugin: a table of inline entries (IP, names), the file and zones, TTL, reverse records, reload, fallthrough. */
export function HostsEditor({ form, state, onChange, messages }: EditorProps<HostsState>) {
  const set = (patch: Partial<HostsState>) => onChange({ ...state, ...patch });
  const isFile = state.file.trim() !== "" || state.zones.some((z) => z.trim() !== "");
  const zoneArgs = indexWrittenRows(state.zones, (z) => z.trim() !== "", 1);
  const entryLines = indexWrittenRows(state.entries, (e) => e.ip.trim() !== "" || e.names.trim() !== "");
  return (
    <div className="flex flex-col gap-4">
      <FieldGroup legend="Entries">
        <table className="w-full text-sm">
          <caption className="sr-only">Inline hosts entries</caption>
          <thead>
            <tr className="text-left text-xs text-slate-600 dark:text-slate-400">
              <th scope="col" className="w-2/5 pb-1 font-medium">
                IP address
              </th>
              <th scope="col" className="pb-1 font-medium">
                Names (space separated)
              </th>
              <th scope="col" className="w-8 pb-1">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.entries.map((e, i) => {
              const line = entryLines[i] ?? -1;
              const rowMessages = [...messages.local(`entry.${i}`), ...(line >= 0 ? messages.line(line) : [])];
              const msgId = `hosts-entry-${i}-msg`;
              const update = (patch: Partial<typeof e>) => set({ entries: state.entries.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
              return (
                <tr key={i} className="align-top">
                  <td className="pr-1 pb-1">
                    <input
                      type="text"
                      aria-label={`IP address of entry ${i + 1}`}
                      value={e.ip}
                      placeholder="10.0.0.1"
                      spellCheck={false}
                      autoComplete="off"
                      onChange={(ev) => update({ ip: ev.target.value })}
                      aria-invalid={rowMessages.some((m) => m.severity === "error") ? true : undefined}
                      aria-describedby={rowMessages.length > 0 ? msgId : undefined}
                      className={inputClass(rowMessages.some((m) => m.severity === "error"))}
                    />
                  </td>
                  <td className="pr-1 pb-1">
                    <input
                      type="text"
                      aria-label={`Names of entry ${i + 1}`}
                      value={e.names}
                      placeholder="app.example.org app"
                      spellCheck={false}
                      autoComplete="off"
                      onChange={(ev) => update({ names: ev.target.value })}
                      aria-describedby={rowMessages.length > 0 ? msgId : undefined}
                      className={inputClass(false)}
                    />
                    <FieldMessages id={msgId} messages={rowMessages} />
                  </td>
                  <td className="pb-1">
                    <button type="button" className={smallButton} aria-label={`Remove entry ${i + 1}`} onClick={() => set({ entries: state.entries.filter((_, k) => k !== i) })}>
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="button" className={`w-fit ${smallButton}`} onClick={() => set({ entries: [...state.entries, createHostsEntry()] })}>
          Add entry
        </button>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Each entry answers A or AAAA queries for its names (and PTR queries for its address, unless reverse records are off). Entries written here win over the file.
        </p>
      </FieldGroup>

      <FieldGroup legend="Source">
        <TextField
          label="Hosts file"
          hint="optional"
          help={isFile ? undefined : `Leave empty to read ${HOSTS_DEFAULT_FILE}.`}
          value={state.file}
          onChange={(file) => set({ file })}
          placeholder={HOSTS_DEFAULT_FILE}
          messages={state.file.trim() ? messages.arg(0) : []}
        />
        <ValueList
          label="Zones (optional)"
          help={argHelp(form, "ZONES")}
          values={state.zones}
          onChange={(zones) => set({ zones })}
          messagesAt={(i) => ((zoneArgs[i] ?? -1) >= 0 ? messages.arg(zoneArgs[i] as number) : [])}
          placeholder="example.org"
          itemLabel="zone"
        />
      </FieldGroup>

      <FieldGroup legend="Options">
        <TextField label="TTL" hint="seconds, optional" help={optionHelp(form, "ttl")} value={state.ttl} onChange={(ttl) => set({ ttl })} placeholder="3600" inputMode="numeric" messages={messages.option("ttl")} />
        <CheckboxField label="No reverse (PTR) records" help={optionHelp(form, "no_reverse")} checked={state.isNoReverse} onChange={(isNoReverse) => set({ isNoReverse })} messages={messages.option("no_reverse")} />
        <TextField label="Reload interval" hint="duration, optional" help={optionHelp(form, "reload")} value={state.reload} onChange={(reload) => set({ reload })} placeholder="5s" messages={messages.option("reload")} />
        <FallthroughFields
          help={optionHelp(form, "fallthrough")}
          zones={state.fallthrough}
          onChange={(fallthrough) => set({ fallthrough, isFallthroughUnsupported: fallthrough ? state.isFallthroughUnsupported : false })}
          messages={messages.option("fallthrough")}
        />
        {state.fallthrough ? (
          <CheckboxField
            label="Also fall through for other query types"
            help={optionHelp(form, "fallthrough_unsupported")}
            checked={state.isFallthroughUnsupported}
            onChange={(isFallthroughUnsupported) => set({ isFallthroughUnsupported })}
            messages={messages.option("fallthrough_unsupported")}
          />
        ) : null}
      </FieldGroup>
      <RestLines lines={state.rest.map((l) => joinWords([l.name, ...l.args]))} />
    </div>
  );
}

/** `fallthrough [ZONES...]`: a switch, and the zones it is limited to. */
export function FallthroughFields({
  zones,
  onChange,
  help,
  messages,
}: {
  zones: string[] | null;
  onChange(zones: string[] | null): void;
  help: string;
  messages: Parameters<typeof CheckboxField>[0]["messages"];
}) {
  return (
    <div className="flex flex-col gap-2">
      <CheckboxField label="Fall through" help={help} checked={zones !== null} onChange={(on) => onChange(on ? [] : null)} messages={messages} />
      {zones ? (
        <div className="ml-6">
          <ValueList
            label="Only for these zones (empty: every zone)"
            values={zones}
            onChange={onChange}
            placeholder="in-addr.arpa"
            itemLabel="fallthrough zone"
          />
        </div>
      ) : null}
    </div>
  );
}

/** Lines an editor does not show, kept as written. */
export function RestLines({ lines }: { lines: readonly string[] }) {
  if (lines.length === 0) return null;
  return (
    <div>
      <RawList title="Other lines, kept as written" items={lines} />
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">Edit them in the text, or switch to the generic form.</p>
    </div>
  );
}
