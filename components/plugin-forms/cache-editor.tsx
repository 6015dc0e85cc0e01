"use client";

import { CheckboxField, FieldGroup, FieldMessages, SelectField, TextField, ValueList, inputClass, smallButton } from "./fields";
import { CACHE_DEFAULTS, type CacheBucket, type CacheState } from "./cache-model";
import { argHelp, indexWrittenRows, optionHelp, type EditorProps } from "./editor-props";
import { RestLines } from "./hosts-editor";
import { joinWords } from "./options-model";
import type { MessageIndex } from "./form-messages";

/** The cache plugin: maximum TTL and zones, success/denial caches, prefetch, serve_stale, disable lines. */
export function CacheEditor({ form, state, onChange, messages }: EditorProps<CacheState>) {
  const set = (patch: Partial<CacheState>) => onChange({ ...state, ...patch });
  const hasTtl = state.ttl.trim() !== "";
  const zoneArgs = indexWrittenRows(state.zones, (z) => z.trim() !== "", hasTtl ? 1 : 0);
  const disableRows = indexWrittenRows(state.disable, (d) => d.type.trim() !== "" || d.zones.trim() !== "");
  return (
    <div className="flex flex-col gap-4">
      <FieldGroup legend="What is cached">
        <TextField label="TTL" hint="seconds, optional" help={argHelp(form, "TTL")} value={state.ttl} onChange={(ttl) => set({ ttl })} placeholder="3600" inputMode="numeric" messages={[...messages.local("ttl"), ...(hasTtl && messages.local("ttl").length === 0 ? messages.arg(0) : [])]} />
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
      <Bucket
        name="success"
        title="Positive answers (success)"
        help={optionHelp(form, "success")}
        bucket={state.success}
        ttlDefault={CACHE_DEFAULTS.successTtl}
        onChange={(success) => set({ success })}
        messages={messages}
      />
      <Bucket
        name="denial"
        title="Negative answers (denial)"
        help={optionHelp(form, "denial")}
        bucket={state.denial}
        ttlDefault={CACHE_DEFAULTS.denialTtl}
        onChange={(denial) => set({ denial })}
        messages={messages}
      />
      <FieldGroup legend="Prefetch and stale answers">
        <CheckboxField
          label="Prefetch popular entries (prefetch)"
          help={optionHelp(form, "prefetch")}
          checked={state.prefetch !== null}
          onChange={(on) => set({ prefetch: on ? { amount: "10", duration: "", percentage: "" } : null })}
          messages={messages.option("prefetch")}
        />
        {state.prefetch ? (
          <div className="ml-6 grid gap-3 sm:grid-cols-3">
            <TextField label="Queries" hint="amount" value={state.prefetch.amount} onChange={(amount) => set({ prefetch: { ...state.prefetch!, amount } })} inputMode="numeric" />
            <TextField label="Without a gap of" hint="duration" value={state.prefetch.duration} onChange={(duration) => set({ prefetch: { ...state.prefetch!, duration } })} placeholder={CACHE_DEFAULTS.prefetchDuration} />
            <TextField label="When TTL left" hint="10%-90%" value={state.prefetch.percentage} onChange={(percentage) => set({ prefetch: { ...state.prefetch!, percentage } })} placeholder={CACHE_DEFAULTS.prefetchPercentage} />
          </div>
        ) : null}
        <CheckboxField
          label="Serve stale entries (serve_stale)"
          help={optionHelp(form, "serve_stale")}
          checked={state.serveStale !== null}
          onChange={(on) => set({ serveStale: on ? { duration: "", mode: "", extra: "" } : null })}
          messages={messages.option("serve_stale")}
        />
        {state.serveStale ? (
          <div className="ml-6 grid gap-3 sm:grid-cols-3">
            <TextField label="For up to" hint="duration" value={state.serveStale.duration} onChange={(duration) => set({ serveStale: { ...state.serveStale!, duration } })} placeholder={CACHE_DEFAULTS.serveStale} />
            <SelectField
              label="Refresh mode"
              value={state.serveStale.mode}
              onChange={(mode) => set({ serveStale: { ...state.serveStale!, mode } })}
              options={["immediate", "verify"]}
              emptyLabel="(default: immediate)"
            />
            <TextField
              label="Timeouts and TTLs"
              hint="optional"
              help="verify: timeout, then response TTL and recheck; immediate: response TTL and recheck."
              value={state.serveStale.extra}
              onChange={(extra) => set({ serveStale: { ...state.serveStale!, extra } })}
              placeholder="30s"
            />
          </div>
        ) : null}
      </FieldGroup>
      <FieldGroup legend="Disable caching (disable)" help={optionHelp(form, "disable")}>
        {state.disable.map((d, i) => {
          const rowMessages = (disableRows[i] ?? -1) >= 0 ? messages.line(disableRows[i] as number) : [];
          const msgId = `cache-disable-${i}-msg`;
          const update = (patch: Partial<typeof d>) => set({ disable: state.disable.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
          return (
            <div key={i}>
              <div className="flex items-center gap-1">
                <select
                  aria-label={`What disable line ${i + 1} turns off`}
                  value={d.type}
                  onChange={(e) => update({ type: e.target.value })}
                  aria-describedby={rowMessages.length > 0 ? msgId : undefined}
                  className={`${inputClass(false)} !w-28 shrink-0`}
                >
                  {["success", "denial"].includes(d.type) ? null : <option value={d.type}>{d.type || "Choose…"}</option>}
                  <option value="success">success</option>
                  <option value="denial">denial</option>
                </select>
                <input
                  type="text"
                  aria-label={`Zones of disable line ${i + 1} (empty: all)`}
                  value={d.zones}
                  placeholder="all zones"
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => update({ zones: e.target.value })}
                  aria-describedby={rowMessages.length > 0 ? msgId : undefined}
                  className={inputClass(rowMessages.some((m) => m.severity === "error"))}
                />
                <button type="button" className={smallButton} aria-label={`Remove disable line ${i + 1}`} onClick={() => set({ disable: state.disable.filter((_, k) => k !== i) })}>
                  ✕
                </button>
              </div>
              <FieldMessages id={msgId} messages={rowMessages} />
            </div>
          );
        })}
        <button type="button" className={`w-fit ${smallButton}`} onClick={() => set({ disable: [...state.disable, { type: "denial", zones: "" }] })}>
          Add disable line
        </button>
      </FieldGroup>
      <RestLines lines={state.rest.map((l) => joinWords([l.name, ...l.args]))} />
    </div>
  );
}

function Bucket({
  name,
  title,
  help,
  bucket,
  ttlDefault,
  onChange,
  messages,
}: {
  name: string;
  title: string;
  help: string;
  bucket: CacheBucket | null;
  ttlDefault: string;
  onChange(bucket: CacheBucket | null): void;
  messages: MessageIndex;
}) {
  const all = messages.option(name);
  const at = (j: number) => all.filter((m) => m.field.endsWith(`.args.${j}`));
  return (
    <FieldGroup legend={title}>
      <CheckboxField
        label={`Set the ${name} cache (${name})`}
        help={help}
        checked={bucket !== null}
        onChange={(on) => onChange(on ? { capacity: CACHE_DEFAULTS.capacity, ttl: "", minTtl: "" } : null)}
        messages={all.filter((m) => !m.field.includes(".args."))}
      />
      {bucket ? (
        <div className="ml-6 grid gap-3 sm:grid-cols-3">
          <TextField label="Capacity" hint="entries" value={bucket.capacity} onChange={(capacity) => onChange({ ...bucket, capacity })} placeholder={CACHE_DEFAULTS.capacity} inputMode="numeric" messages={at(0)} />
          <TextField label={`${name} TTL`} hint="max seconds" value={bucket.ttl} onChange={(ttl) => onChange({ ...bucket, ttl })} placeholder={ttlDefault} inputMode="numeric" messages={at(1)} />
          <TextField label={`${name} minimum TTL`} hint="seconds" value={bucket.minTtl} onChange={(minTtl) => onChange({ ...bucket, minTtl })} placeholder={CACHE_DEFAULTS.minTtl} inputMode="numeric" messages={at(2)} />
        </div>
      ) : null}
    </FieldGroup>
  );
}
