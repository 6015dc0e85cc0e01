"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button-class";
import { hostsRecipe } from "@/lib/recipes";
import { BlockKeyField, CheckboxField, TextField } from "../fields";
import { optionalText, splitList, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";

type Row = { key: number; ip: string; names: string };

/** Static overrides: a small table of address → names, fallthrough, and the server block. */
export function HostsForm({ text, blockKeys, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [rows, setRows] = useState<Row[]>([{ key: 0, ip: "", names: "" }]);
  const [nextKey, setNextKey] = useState(1);
  const [fallthrough, setFallthrough] = useState(true);
  const [block, setBlock] = useState(".:53");

  const values = {
    entries: rows.map((row) => ({ ip: row.ip, names: splitList(row.names) })),
    fallthrough,
    ...(optionalText(block) ? { block: optionalText(block) } : {}),
  };
  const form = useRecipeForm(hostsRecipe, values, text, onApplyEdits);

  function updateRow(key: number, change: Partial<Row>) {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));
  }

  return (
    <RecipeFrame recipe={hostsRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <div className="flex flex-col gap-2">
        {rows.map((row, index) => (
          <fieldset key={row.key} className="min-w-0 rounded-md border border-slate-200 p-2 dark:border-slate-800">
            <legend className="px-1 text-sm font-medium">Entry {index + 1}</legend>
            <div className="grid gap-2 @md:grid-cols-[10rem_minmax(0,1fr)]">
              <TextField
                label="Address"
                value={row.ip}
                placeholder="10.0.0.50"
                onChange={(value) => {
                  form.touch(`entries.${index}.ip`);
                  updateRow(row.key, { ip: value });
                }}
                error={form.errorFor(`entries.${index}.ip`)}
              />
              <TextField
                label="Names"
                value={row.names}
                placeholder="legacy.example.org db.example.org"
                onChange={(value) => {
                  form.touch(`entries.${index}.names`);
                  updateRow(row.key, { names: value });
                }}
                error={form.errorFor(`entries.${index}.names`)}
                help={index === 0 ? "One or more names for the address, separated by spaces." : undefined}
              />
            </div>
            {rows.length > 1 ? (
              <button
                type="button"
                className={`${buttonClass()} mt-2`}
                onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
              >
                Remove entry {index + 1}
              </button>
            ) : null}
          </fieldset>
        ))}
        <button
          type="button"
          className={`${buttonClass()} w-fit`}
          onClick={() => {
            setRows((current) => [...current, { key: nextKey, ip: "", names: "" }]);
            setNextKey((k) => k + 1);
          }}
        >
          Add an entry
        </button>
      </div>
      <CheckboxField
        label="Fall through to the next plugins"
        checked={fallthrough}
        onChange={(checked) => {
          form.touch("fallthrough");
          setFallthrough(checked);
        }}
        error={form.errorFor("fallthrough")}
        help="Names the entries do not list go on to kubernetes and forward. Leave it on unless the block serves only these names."
      />
      <BlockKeyField
        value={block}
        onChange={(value) => {
          form.touch("block");
          setBlock(value);
        }}
        error={form.errorFor("block")}
        blockKeys={blockKeys}
        help="The server block that gets the entries; .:53 is the main one."
      />
    </RecipeFrame>
  );
}
