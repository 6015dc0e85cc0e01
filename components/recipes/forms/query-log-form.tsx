"use client";

import { useState } from "react";
import { queryLogRecipe } from "@/lib/recipes";
import { BlockKeyField, CheckboxField, FieldGroup, TextField } from "../fields";
import { optionalText, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";

type LogClass = "all" | "success" | "denial" | "error";

const CLASSES: readonly { value: LogClass; label: string }[] = [
  { value: "all", label: "All answers" },
  { value: "success", label: "Successful answers" },
  { value: "denial", label: "Denials (NXDOMAIN, empty answers)" },
  { value: "error", label: "Errors (SERVFAIL, REFUSED…)" },
];

/** Log the queries of one zone until the directive is removed again. */
export function QueryLogForm({ text, blockKeys, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [zone, setZone] = useState("");
  const [classes, setClasses] = useState<LogClass[]>(["all"]);
  const [block, setBlock] = useState("");

  const values = { zone, classes, ...(optionalText(block) ? { block: optionalText(block) } : {}) };
  const form = useRecipeForm(queryLogRecipe, values, text, onApplyEdits);

  function toggle(value: LogClass, checked: boolean) {
    form.touch("classes");
    setClasses((current) => {
      if (!checked) return current.filter((c) => c !== value);
      // "All" and the narrower classes exclude each other.
      return value === "all" ? ["all"] : [...current.filter((c) => c !== "all"), value];
    });
  }

  return (
    <RecipeFrame recipe={queryLogRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <TextField
        label="Zone"
        value={zone}
        placeholder="example.org or ."
        onChange={(value) => {
          form.touch("zone");
          setZone(value);
        }}
        error={form.errorFor("zone")}
        help="Queries for this zone and the names under it are logged; . logs every query of the block."
      />
      <FieldGroup legend="Which answers" error={form.errorFor("classes")} help="Nothing ticked logs all answers.">
        {CLASSES.map((option) => (
          <CheckboxField key={option.value} label={option.label} checked={classes.includes(option.value)} onChange={(checked) => toggle(option.value, checked)} />
        ))}
      </FieldGroup>
      <BlockKeyField
        value={block}
        hint="(optional)"
        onChange={(value) => {
          form.touch("block");
          setBlock(value);
        }}
        error={form.errorFor("block")}
        blockKeys={blockKeys}
        placeholder="the block the zone reaches"
        help="Leave empty to use the block that receives queries for the zone."
      />
    </RecipeFrame>
  );
}
