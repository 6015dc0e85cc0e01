import { describe, expect, it } from "vitest";
import { DIRECTIVES } from "@/lib/corefile";
import { PLUGIN_CATALOG } from "@/lib/corefile/plugins";
import { ORDER_SENSITIVE } from "./order-sensitivity";
import { PLUGIN_ROLES, rolesOf } from "./roles";

describe("role table", () => {
  it("covers every directive of plugin.cfg and nothing else", () => {
    expect(Object.keys(PLUGIN_ROLES).sort()).toEqual([...DIRECTIVES].sort());
    expect(rolesOf("proxy")).toEqual([]);
    expect(rolesOf("constructor")).toEqual([]);
  });

  it("agrees with the catalog on fallthrough, forwarding and settings", () => {
    for (const spec of PLUGIN_CATALOG) {
      const roles = rolesOf(spec.name);
      expect(roles.includes("falls-through"), spec.name).toBe(spec.canFallthrough);
      expect(roles.includes("forwards"), spec.name).toBe(spec.forwards);
      // sign is a setting here: it never handles a query (CoreDNS does not even add it to the chain).
      if (spec.name !== "sign") expect(roles.includes("setting"), spec.name).toBe(spec.serverSetting === true);
      // A plugin that answers is one the catalog says can answer.
      if (roles.includes("answers")) expect(spec.canAnswer, spec.name).toBe(true);
    }
  });

  it("lists only repeatable plugins (or header, whose repeats CoreDNS ignores) as order-sensitive", () => {
    for (const name of Object.keys(ORDER_SENSITIVE)) {
      const spec = PLUGIN_CATALOG.find((s) => s.name === name);
      expect(spec, name).toBeDefined();
      if (name !== "header") expect(spec?.repeatable, name).toBe(true);
    }
  });
});
