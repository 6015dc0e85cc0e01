"use client";

import { useState } from "react";
import { observabilityRecipe } from "@/lib/recipes";
import { BlockKeyField } from "../fields";
import { optionalText, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";

/** Complete a server block with prometheus, reload, errors, health and ready. */
export function ObservabilityForm({ text, blockKeys, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [block, setBlock] = useState(".:53");
  const values = optionalText(block) ? { block: optionalText(block) } : {};
  const form = useRecipeForm(observabilityRecipe, values, text, onApplyEdits);

  return (
    <RecipeFrame recipe={observabilityRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <BlockKeyField
        value={block}
        onChange={(value) => {
          form.touch("block");
          setBlock(value);
        }}
        error={form.errorFor("block")}
        blockKeys={blockKeys}
        help="Only what this block lacks is added; health and reload are left out when another block already has them."
      />
    </RecipeFrame>
  );
}
