"use client";

import { SelectField, TextField } from "../fields";
import type { RecipeForm } from "../use-recipe-form";

export type ForwardPolicy = "" | "random" | "round_robin" | "sequential";

const POLICIES: readonly { value: ForwardPolicy; label: string }[] = [
  { value: "", label: "CoreDNS default (random)" },
  { value: "random", label: "random" },
  { value: "round_robin", label: "round_robin" },
  { value: "sequential", label: "sequential" },
];

/** The `policy` and `health_check` options both forwarding recipes offer. */
export function ForwardOptionsFields({
  form,
  policy,
  onPolicyChange,
  healthCheck,
  onHealthCheckChange,
}: {
  form: RecipeForm;
  policy: ForwardPolicy;
  onPolicyChange(value: ForwardPolicy): void;
  healthCheck: string;
  onHealthCheckChange(value: string): void;
}) {
  return (
    <>
      <SelectField
        label="Policy"
        hint="(optional)"
        value={policy}
        options={POLICIES}
        onChange={(value) => {
          form.touch("policy");
          onPolicyChange(value);
        }}
        error={form.errorFor("policy")}
        help="Which upstream is asked first when there are several: sequential always starts with the first one."
      />
      <TextField
        label="Health check interval"
        hint="(optional)"
        value={healthCheck}
        placeholder="0.5s"
        onChange={(value) => {
          form.touch("healthCheck");
          onHealthCheckChange(value);
        }}
        error={form.errorFor("healthCheck")}
        help="How often an upstream marked down is probed again, e.g. 5s. Leave empty for CoreDNS's 0.5s."
      />
    </>
  );
}
