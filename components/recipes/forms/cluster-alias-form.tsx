"use client";

import { useState } from "react";
import { clusterAliasRecipe } from "@/lib/recipes";
import { TextField } from "../fields";
import { optionalText, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";

/** Serve the cluster's names under a second domain. */
export function ClusterAliasForm({ text, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [alias, setAlias] = useState("");
  const [clusterDomain, setClusterDomain] = useState("");

  const values = { alias, ...(optionalText(clusterDomain) ? { clusterDomain: optionalText(clusterDomain) } : {}) };
  const form = useRecipeForm(clusterAliasRecipe, values, text, onApplyEdits);

  return (
    <RecipeFrame recipe={clusterAliasRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <TextField
        label="Alias domain"
        value={alias}
        placeholder="cluster.example"
        onChange={(value) => {
          form.touch("alias");
          setAlias(value);
        }}
        error={form.errorFor("alias")}
        help="my-svc.my-ns.svc.<alias> will answer like my-svc.my-ns.svc.cluster.local."
      />
      <TextField
        label="Cluster domain"
        hint="(optional)"
        value={clusterDomain}
        placeholder="cluster.local"
        onChange={(value) => {
          form.touch("clusterDomain");
          setClusterDomain(value);
        }}
        error={form.errorFor("clusterDomain")}
        help="Which kubernetes plugin gets the alias, when there are several. Empty: the first one."
      />
    </RecipeFrame>
  );
}
