"use client";

import { FieldGroup, FieldMessages, SelectField, TextField, WordsField, inputClass, smallButton } from "./fields";
import type { EditorProps } from "./editor-props";
import { joinWords } from "./options-model";
import { ANSWER_KINDS, MATCH_TYPES, REWRITE_FIELDS, changeField, describeOperands, ruleTokens, takesMatch, type RewriteField, type RewriteState } from "./rewrite-model";

const FIELD_HELP: Record<RewriteField, string> = {
  name: "Changes the query name before it is resolved.",
  type: "Changes the query type (e.g. ANY to HINFO).",
  class: "Changes the query class (e.g. CH to IN).",
  edns0: "Adds, changes or removes an EDNS0 option (local, nsid, subnet) on the query.",
  ttl: "Changes the TTL of the answers.",
  cname: "Changes the target of a CNAME in the answer, and follows the new target.",
  rcode: "Changes the response code of the answer.",
};

/** A rule builder for one rewrite directive: flow, what is rewritten, how the name matches, from → to, answer rewrites. */
export function RewriteEditor({ state, onChange, messages }: EditorProps<RewriteState>) {
  const set = (patch: Partial<RewriteState>) => onChange({ ...state, ...patch });
  const shape = describeOperands(state.field);
  const preview = joinWords(["rewrite", ...(state.flow ? [state.flow] : []), ...ruleTokens(state)]);
  return (
    <div className="flex flex-col gap-4">
      <FieldGroup legend="Rule">
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField
            label="Rewrite"
            help={FIELD_HELP[state.field]}
            value={state.field}
            onChange={(v) => onChange(changeField(state, v as RewriteField))}
            options={REWRITE_FIELDS}
          />
          {takesMatch(state.field) ? (
            <SelectField label="Match" help="How the name is compared." value={state.match} onChange={(v) => set({ match: v as RewriteState["match"] })} options={MATCH_TYPES} emptyLabel="(default: exact)" />
          ) : null}
          <SelectField
            label="Then"
            help="stop: no later rewrite rule applies; continue: later rules apply too."
            value={state.flow}
            onChange={(v) => set({ flow: v as RewriteState["flow"] })}
            options={["stop", "continue"]}
            emptyLabel="(default: stop)"
          />
        </div>
        {shape === "words" ? (
          <WordsField
            label="EDNS0 option"
            hint="e.g. local set 0xffee abcd, or subnet set 24 56"
            words={state.operands}
            onChange={(operands) => set({ operands })}
          />
        ) : (
          <div className={`grid gap-3 ${shape.length === 3 ? "sm:grid-cols-3" : "sm:grid-cols-2"}`}>
            {shape.map((o, i) => (
              <TextField
                key={o.label}
                label={o.label}
                hint={state.match === "regex" && i === 0 ? "regular expression" : undefined}
                value={state.operands[i] ?? ""}
                onChange={(v) => set({ operands: shape.map((_, k) => (k === i ? v : (state.operands[k] ?? ""))) })}
                placeholder={o.placeholder}
              />
            ))}
          </div>
        )}
        {state.match === "regex" ? <p className="text-xs text-slate-600 dark:text-slate-400">In the replacement, {"{1}"}, {"{2}"}... stand for the groups the expression captured.</p> : null}
      </FieldGroup>

      {state.field === "name" ? (
        <FieldGroup legend="Answer rewrites" help="Map names in the answer back, so clients see answers for the name they asked (auto works out the reverse of the rule; name and value take a regular expression and a replacement).">
          {state.answers.map((a, i) => {
            const update = (patch: Partial<typeof a>) => set({ answers: state.answers.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
            return (
              <div key={i} className="flex flex-wrap items-center gap-1">
                <select aria-label={`Answer rewrite ${i + 1}`} value={a.kind} onChange={(e) => update({ kind: e.target.value as typeof a.kind, hasKeyword: true })} className={`${inputClass(false)} !w-24 shrink-0`}>
                  {ANSWER_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {k}
                    </option>
                  ))}
                </select>
                {a.kind === "auto" ? null : (
                  <>
                    <div className="min-w-0 flex-1">
                      <input type="text" aria-label={`Answer rewrite ${i + 1} from`} value={a.from} placeholder="(.*)\.new\.org" onChange={(e) => update({ from: e.target.value })} className={inputClass(false)} spellCheck={false} />
                    </div>
                    <span aria-hidden="true">→</span>
                    <div className="min-w-0 flex-1">
                      <input type="text" aria-label={`Answer rewrite ${i + 1} to`} value={a.to} placeholder="{1}.old.org" onChange={(e) => update({ to: e.target.value })} className={inputClass(false)} spellCheck={false} />
                    </div>
                  </>
                )}
                <button type="button" className={smallButton} aria-label={`Remove answer rewrite ${i + 1}`} onClick={() => set({ answers: state.answers.filter((_, k) => k !== i) })}>
                  ✕
                </button>
              </div>
            );
          })}
          <div className="flex gap-2">
            <button
              type="button"
              className={`w-fit ${smallButton}`}
              disabled={state.answers.some((a) => a.kind === "auto")}
              onClick={() => set({ answers: [...state.answers, { kind: "auto", from: "", to: "", hasKeyword: true }], match: state.match || "exact" })}
            >
              Add answer auto
            </button>
            <button type="button" className={`w-fit ${smallButton}`} onClick={() => set({ answers: [...state.answers, { kind: "name", from: "", to: "", hasKeyword: true }], match: state.match || "exact" })}>
              Add answer name
            </button>
          </div>
        </FieldGroup>
      ) : null}

      <div>
        <p className="text-sm font-medium">The rule as it will be written{state.layout === "block" ? " (in the directive's block)" : ""}</p>
        <pre className="mt-1 overflow-x-auto rounded bg-slate-100 px-2 py-1 font-mono text-xs dark:bg-slate-800">{preview}</pre>
        <FieldMessages id="rewrite-rule-msg" messages={messages.all} />
      </div>
    </div>
  );
}
