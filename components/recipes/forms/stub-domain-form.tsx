"use client";

import { useState } from "react";
import { stubDomainRecipe } from "@/lib/recipes";
import { CheckboxField, TextField } from "../fields";
import { optionalText, splitList, type RecipeFormProps } from "../form-props";
import { RecipeFrame } from "../recipe-frame";
import { useRecipeForm } from "../use-recipe-form";
import { ForwardOptionsFields, type ForwardPolicy } from "./forward-options";

/** Stub domain: one zone to upstream servers outside the cluster, optionally over DNS-over-TLS. */
export function StubDomainForm({ text, onApplyEdits, onClose, onUndo }: RecipeFormProps) {
  const [zone, setZone] = useState("");
  const [upstreams, setUpstreams] = useState("");
  const [tls, setTls] = useState(false);
  const [tlsServerName, setTlsServerName] = useState("");
  const [policy, setPolicy] = useState<ForwardPolicy>("");
  const [healthCheck, setHealthCheck] = useState("");

  const values = {
    zone,
    upstreams: splitList(upstreams),
    tls,
    ...(tls && optionalText(tlsServerName) ? { tlsServerName: optionalText(tlsServerName) } : {}),
    ...(policy ? { policy } : {}),
    ...(optionalText(healthCheck) ? { healthCheck: optionalText(healthCheck) } : {}),
  };
  const form = useRecipeForm(stubDomainRecipe, values, text, onApplyEdits);

  return (
    <RecipeFrame recipe={stubDomainRecipe} form={form} text={text} onClose={onClose} onUndo={onUndo}>
      <TextField
        label="Zone"
        value={zone}
        placeholder="corp.example.com"
        onChange={(value) => {
          form.touch("zone");
          setZone(value);
        }}
        error={form.errorFor("zone")}
        help="The domain whose queries go to the servers below."
      />
      <TextField
        label="Upstream servers"
        value={upstreams}
        placeholder="10.0.0.53, 10.0.1.53:5353"
        onChange={(value) => {
          form.touch("upstreams");
          setUpstreams(value);
        }}
        error={form.errorFor("upstreams")}
        help="Addresses separated by commas or spaces: IP, IP:port or [IPv6]:port (at most 15)."
      />
      <CheckboxField
        label="Use DNS-over-TLS"
        checked={tls}
        onChange={(checked) => {
          form.touch("tls");
          setTls(checked);
        }}
        help="Writes the upstreams as tls://… (port 853 unless you give one)."
      />
      {tls ? (
        <TextField
          label="TLS server name"
          value={tlsServerName}
          placeholder="dns.corp.example.com"
          onChange={(value) => {
            form.touch("tlsServerName");
            setTlsServerName(value);
          }}
          error={form.errorFor("tlsServerName")}
          help="The name in the upstreams' certificate. Without it, nothing checks who answers."
        />
      ) : null}
      <ForwardOptionsFields form={form} policy={policy} onPolicyChange={setPolicy} healthCheck={healthCheck} onHealthCheckChange={setHealthCheck} />
    </RecipeFrame>
  );
}
