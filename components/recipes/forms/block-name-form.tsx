"use client";

import { useState } from "react";
import { blockNameRecipe } from "@/lib/recipes";
import { BlockKeyField, CheckboxField, TextField } from "../fields";
import { optionalText, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";

/** Answer NXDOMAIN for a name (and, by default, everything under it). */
export function BlockNameForm({ text, blockKeys, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [name, setName] = useState("");
  const [includeSubdomains, setIncludeSubdomains] = useState(true);
  const [block, setBlock] = useState("");

  const values = { name, includeSubdomains, ...(optionalText(block) ? { block: optionalText(block) } : {}) };
  const form = useRecipeForm(blockNameRecipe, values, text, onApplyEdits);

  return (
    <RecipeFrame recipe={blockNameRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <TextField
        label="Name to block"
        value={name}
        placeholder="tracker.example.com"
        onChange={(value) => {
          form.touch("name");
          setName(value);
        }}
        error={form.errorFor("name")}
        help="Clients asking for it get NXDOMAIN (no such domain)."
      />
      <CheckboxField
        label="Block every name under it too"
        checked={includeSubdomains}
        onChange={(checked) => {
          form.touch("includeSubdomains");
          setIncludeSubdomains(checked);
        }}
        help="Off: only the name itself is blocked; a.tracker.example.com still resolves."
      />
      <BlockKeyField
        value={block}
        hint="(optional)"
        onChange={(value) => {
          form.touch("block");
          setBlock(value);
        }}
        error={form.errorFor("block")}
        blockKeys={blockKeys}
        placeholder="the block the name reaches"
        help="Leave empty to use the block that receives queries for the name."
      />
    </RecipeFrame>
  );
}
