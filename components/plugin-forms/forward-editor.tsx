"use client";

import { CheckboxField, FieldGroup, FieldMessages, SelectField, TextField, inputClass, renderHelp, smallButton } from "./fields";
import { argHelp, indexWrittenRows, optionHelp, type EditorProps } from "./editor-props";
import { DEFAULT_HEALTH_CHECK, FORWARD_POLICIES, TLS_PREFIX, moveRow, type ForwardState } from "./forward-model";
import { RestLines } from "./hosts-editor";
import { joinWords } from "./options-model";

/** The forward plugin: FROM, the upstreams in order, the policy, health checks and connection settings. */
export function ForwardEditor({ form, state, onChange, messages }: EditorProps<ForwardState>) {
  const set = (patch: Partial<ForwardState>) => onChange({ ...state, ...patch });
  const rows = indexWrittenRows(state.upstreams, (u) => u.address.trim() !== "", 1);
  const hasTls = state.upstreams.some((u) => u.isTls);
  return (
    <div className="flex flex-col gap-4">
      <FieldGroup legend="Where queries go">
        <TextField label="From zone" help={argHelp(form, "FROM")} value={state.from} onChange={(from) => set({ from })} placeholder="." messages={messages.arg(0)} />
        <fieldset className="min-w-0">
          <legend className="text-sm font-medium">Upstreams (tried in this order with the sequential policy)</legend>
          <ul className="mt-1 flex flex-col gap-1">
            {state.upstreams.map((u, i) => {
              const rowMessages = (rows[i] ?? -1) >= 0 ? messages.arg(rows[i] as number) : [];
              const msgId = `forward-upstream-${i}-msg`;
              const update = (patch: Partial<typeof u>) => set({ upstreams: state.upstreams.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
              const isError = rowMessages.some((m) => m.severity === "error");
              return (
                <li key={i}>
                  <div className="flex items-center gap-1">
                    <div className="min-w-0 flex-1">
                      <input
                        type="text"
                        aria-label={`Upstream ${i + 1}`}
                        value={u.address}
                        placeholder="8.8.8.8"
                        spellCheck={false}
                        autoComplete="off"
                        onChange={(e) => update({ address: e.target.value })}
                        aria-invalid={isError ? true : undefined}
                        aria-describedby={rowMessages.length > 0 ? msgId : undefined}
                        className={inputClass(isError)}
                      />
                    </div>
                    <label className="flex items-center gap-1 text-xs">
                      <input
                        type="checkbox"
                        checked={u.isTls}
                        onChange={(e) => update({ isTls: e.target.checked })}
                        className="h-4 w-4 accent-sky-700 dark:accent-sky-500"
                        aria-label={`Upstream ${i + 1} over TLS (${TLS_PREFIX})`}
                      />
                      TLS
                    </label>
                    <button type="button" className={smallButton} aria-label={`Move upstream ${i + 1} up`} disabled={i === 0} onClick={() => set({ upstreams: moveRow(state.upstreams, i, -1) })}>
                      ↑
                    </button>
                    <button
                      type="button"
                      className={smallButton}
                      aria-label={`Move upstream ${i + 1} down`}
                      disabled={i === state.upstreams.length - 1}
                      onClick={() => set({ upstreams: moveRow(state.upstreams, i, 1) })}
                    >
                      ↓
                    </button>
                    <button type="button" className={smallButton} aria-label={`Remove upstream ${i + 1}`} onClick={() => set({ upstreams: state.upstreams.filter((_, k) => k !== i) })}>
                      ✕
                    </button>
                  </div>
                  <FieldMessages id={msgId} messages={rowMessages} />
                </li>
              );
            })}
          </ul>
          <button type="button" className={`mt-1 ${smallButton}`} onClick={() => set({ upstreams: [...state.upstreams, { address: "", isTls: false }] })}>
            Add upstream
          </button>
          <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{renderHelp(argHelp(form, "TO"))}</p>
        </fieldset>
        <TextField
          label="TLS server name"
          hint={hasTls ? "recommended with TLS upstreams" : "optional"}
          help={optionHelp(form, "tls_servername")}
          value={state.tlsServername}
          onChange={(tlsServername) => set({ tlsServername })}
          placeholder="dns.quad9.net"
          messages={messages.option("tls_servername")}
        />
      </FieldGroup>

      <FieldGroup legend="Choosing and checking upstreams">
        <SelectField
          label="Policy"
          help={optionHelp(form, "policy")}
          value={state.policy}
          onChange={(policy) => set({ policy })}
          options={FORWARD_POLICIES}
          emptyLabel="(default: random)"
          messages={messages.option("policy")}
        />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Health check interval"
            hint="duration"
            help={optionHelp(form, "health_check")}
            value={state.healthCheck}
            onChange={(healthCheck) => set({ healthCheck })}
            placeholder={DEFAULT_HEALTH_CHECK}
            messages={messages.option("health_check")}
          />
          <TextField label="Health check domain" hint="optional" value={state.healthDomain} onChange={(healthDomain) => set({ healthDomain })} placeholder="." />
        </div>
        <CheckboxField label="Health check without recursion (no_rec)" checked={state.isHealthNoRec} onChange={(isHealthNoRec) => set({ isHealthNoRec })} />
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label="Max fails" hint="whole number" help={optionHelp(form, "max_fails")} value={state.maxFails} onChange={(maxFails) => set({ maxFails })} placeholder="2" inputMode="numeric" messages={messages.option("max_fails")} />
          <TextField label="Expire" hint="duration" help={optionHelp(form, "expire")} value={state.expire} onChange={(expire) => set({ expire })} placeholder="10s" messages={messages.option("expire")} />
        </div>
      </FieldGroup>

      <FieldGroup legend="Transport and limits">
        <CheckboxField label="Force TCP (force_tcp)" help={optionHelp(form, "force_tcp")} checked={state.isForceTcp} onChange={(isForceTcp) => set({ isForceTcp })} messages={messages.option("force_tcp")} />
        <CheckboxField label="Prefer UDP (prefer_udp)" help={optionHelp(form, "prefer_udp")} checked={state.isPreferUdp} onChange={(isPreferUdp) => set({ isPreferUdp })} messages={messages.option("prefer_udp")} />
        <TextField
          label="Max concurrent queries"
          hint="whole number, optional"
          help={optionHelp(form, "max_concurrent")}
          value={state.maxConcurrent}
          onChange={(maxConcurrent) => set({ maxConcurrent })}
          inputMode="numeric"
          messages={messages.option("max_concurrent")}
        />
      </FieldGroup>
      <RestLines lines={state.rest.map((l) => joinWords([l.name, ...l.args]))} />
    </div>
  );
}
