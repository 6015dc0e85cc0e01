"use client";

import { useState } from "react";
import { rewriteRecipe } from "@/lib/recipes";
import { BlockKeyField, SelectField, TextField } from "../fields";
import { optionalText, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";

type Match = "exact" | "suffix" | "regex";
type Answer = "auto" | "name" | "none";

const MATCHES: readonly { value: Match; label: string }[] = [
  { value: "exact", label: "exact: one name" },
  { value: "suffix", label: "suffix: every name ending so" },
  { value: "regex", label: "regex: a regular expression" },
];

const ANSWERS: readonly { value: Answer; label: string }[] = [
  { value: "auto", label: "auto: give the asked name back" },
  { value: "name", label: "name: my own pattern (regex rules)" },
  { value: "none", label: "none: leave answers as they are" },
];

/** Rewrite a name (exact, suffix or regex) and map the answer back. */
export function RewriteForm({ text, blockKeys, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [match, setMatch] = useState<Match>("exact");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [answer, setAnswer] = useState<Answer>("auto");
  const [answerFrom, setAnswerFrom] = useState("");
  const [answerTo, setAnswerTo] = useState("");
  const [block, setBlock] = useState("");

  const values = {
    match,
    from,
    to,
    answer,
    ...(answer === "name" ? { answerFrom, answerTo } : {}),
    ...(optionalText(block) ? { block: optionalText(block) } : {}),
  };
  const form = useRecipeForm(rewriteRecipe, values, text, onApplyEdits);
  const edit = (field: string, set: (value: string) => void) => (value: string) => {
    form.touch(field);
    set(value);
  };

  return (
    <RecipeFrame recipe={rewriteRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <SelectField label="Match" value={match} options={MATCHES} onChange={edit("match", (v) => setMatch(v as Match))} error={form.errorFor("match")} />
      <TextField
        label="Name asked for"
        value={from}
        placeholder={match === "regex" ? "(.*)\\.old\\.example\\.org" : match === "suffix" ? ".old.example.org" : "db.old.example.org"}
        onChange={edit("from", setFrom)}
        error={form.errorFor("from")}
        help={match === "suffix" ? "Start with a dot to match whole labels only." : match === "regex" ? "A Go regular expression; groups can be used as {1}, {2} in the new name." : undefined}
      />
      <TextField
        label="Answer it as"
        value={to}
        placeholder={match === "regex" ? "{1}.new.example.org" : match === "suffix" ? ".new.example.org" : "db.new.example.org"}
        onChange={edit("to", setTo)}
        error={form.errorFor("to")}
        help="The name the other plugins see instead."
      />
      <SelectField
        label="Name in the answer"
        value={answer}
        options={ANSWERS}
        onChange={edit("answer", (v) => setAnswer(v as Answer))}
        error={form.errorFor("answer")}
        help="Clients check that the answer names what they asked. Exact rules always give the name back."
      />
      {answer === "name" ? (
        <>
          <TextField label="Answer pattern" value={answerFrom} placeholder="(.*)\.new\.example\.org" onChange={edit("answerFrom", setAnswerFrom)} error={form.errorFor("answerFrom")} />
          <TextField label="Answer replacement" value={answerTo} placeholder="{1}.old.example.org" onChange={edit("answerTo", setAnswerTo)} error={form.errorFor("answerTo")} />
        </>
      ) : null}
      <BlockKeyField
        value={block}
        hint="(optional)"
        onChange={edit("block", setBlock)}
        error={form.errorFor("block")}
        blockKeys={blockKeys}
        placeholder="the block the name reaches"
        help="Leave empty to use the block that receives queries for the name (.:53 for a regex)."
      />
    </RecipeFrame>
  );
}
