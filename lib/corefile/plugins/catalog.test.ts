import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { corpusRoot } from "@/lib/testing/corpus";
import { PLUGIN_CATALOG, PLUGIN_DIAGNOSTIC_CODES, PLUGIN_ORDER, REMOVED_PLUGINS, compareVersions, getPluginSpec } from "./index";
import type { PluginGroup } from "./types";

const CORPUS = corpusRoot();
const PLUGIN_CFG = `${CORPUS}/coredns/plugin.cfg`;
const MIGRATION = `${CORPUS}/corefile-migration/versions.json`;

const GROUPS: readonly PluginGroup[] = ["kubernetes", "forwarding", "caching", "records", "rewriting", "observability", "security", "operations"];

describe("plugin catalog", () => {
  it.skipIf(!fs.existsSync(PLUGIN_CFG))("lists the directives of plugin.cfg, in order", () => {
    const names = fs
      .readFileSync(PLUGIN_CFG, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map((l) => l.slice(0, l.indexOf(":")));
    expect(names).toHaveLength(60);
    expect(PLUGIN_CATALOG.map((p) => p.name)).toEqual(names);
    expect(PLUGIN_CATALOG.map((p) => p.order)).toEqual(names.map((_, i) => i));
    expect(PLUGIN_ORDER).toEqual(names);
  });

  it("has a complete entry for every directive", () => {
    for (const p of PLUGIN_CATALOG) {
      expect(p.summary, p.name).toMatch(/^[A-Z].{20,200}[.)]$/);
      expect(p.summary, p.name).not.toContain("\n");
      expect(GROUPS, p.name).toContain(p.group);
      expect(p.docsUrl, p.name).toMatch(/^https:\/\/coredns\.io\/plugins\/[a-z0-9_]+\/$/);
      expect(p.syntax.startsWith(p.name), p.name).toBe(true);
      expect(p.versions.added, p.name).toMatch(/^\d+\.\d+\.\d+$/);
      const names = new Set<string>();
      for (const o of p.options) {
        expect(names.has(o.name), `${p.name} ${o.name} listed twice`).toBe(false);
        names.add(o.name);
        expect(o.help.length, `${p.name} ${o.name}`).toBeGreaterThan(10);
        for (const a of o.args) if (a.kind === "enum") expect(a.values?.length, `${p.name} ${o.name} ${a.name}`).toBeGreaterThan(0);
        if (o.versions?.added) expect(compareVersions(o.versions.added, p.versions.added!), `${p.name} ${o.name}`).toBeGreaterThanOrEqual(0);
      }
      for (const a of p.args) if (a.kind === "enum") expect(a.values?.length, `${p.name} ${a.name}`).toBeGreaterThan(0);
      if (p.block === "none") expect(p.options, p.name).toHaveLength(0);
      if (p.canFallthrough) expect(p.options.some((o) => o.name === "fallthrough"), p.name).toBe(true);
    }
  });

  it("looks entries up by name", () => {
    expect(getPluginSpec("forward")?.forwards).toBe(true);
    expect(getPluginSpec("cache")?.group).toBe("caching");
    expect(getPluginSpec("prometheus")?.docsUrl).toBe("https://coredns.io/plugins/metrics/");
    expect(getPluginSpec("kubernetes")?.order).toBe(46);
    expect(getPluginSpec("proxy")).toBeUndefined();
    expect(getPluginSpec("toString")).toBeUndefined();
  });

  it("documents every diagnostic code in DIAGNOSTICS.md", () => {
    const doc = fs.readFileSync(new URL("./DIAGNOSTICS.md", import.meta.url), "utf8");
    for (const code of PLUGIN_DIAGNOSTIC_CODES) expect(doc, code).toContain(`| \`${code}\` |`);
  });

  it("is immutable", () => {
    expect(Object.isFrozen(PLUGIN_CATALOG)).toBe(true);
    expect(Object.isFrozen(PLUGIN_CATALOG[0]!.options)).toBe(true);
  });

  it.skipIf(!fs.existsSync(MIGRATION))("agrees with corefile-migration on removals and first appearances", () => {
    type Opt = { status?: string };
    type Plug = { status?: string; namedOptions?: Record<string, Opt> };
    const versions = JSON.parse(fs.readFileSync(MIGRATION, "utf8")) as Record<string, { plugins: Record<string, Plug> }>;
    const ordered = Object.keys(versions).sort(compareVersions);
    // Options corefile-migration marks removed must be removed (or absent) in the catalog with the same version.
    const removedAt = new Map<string, string>();
    for (const v of ordered) {
      for (const [plugin, spec] of Object.entries(versions[v]!.plugins)) {
        if (spec.status === "removed" && !removedAt.has(plugin)) removedAt.set(plugin, v);
        for (const [o, os] of Object.entries(spec.namedOptions ?? {})) {
          const k = `${plugin} ${o}`;
          if (os.status === "removed" && !removedAt.has(k)) removedAt.set(k, v);
        }
      }
    }
    const proxy = REMOVED_PLUGINS.find((p) => p.name === "proxy");
    expect(proxy?.removed).toBe(removedAt.get("proxy"));
    for (const [k, v] of removedAt) {
      const [plugin, option] = k.split(" ");
      if (!option) continue;
      const o = getPluginSpec(plugin!)?.options.find((x) => x.name === option);
      if (plugin === "proxy") continue;
      expect(o?.versions?.removed, k).toBe(v);
    }
    // Plugins corefile-migration knows must not be newer in the catalog than the first release listing them.
    for (const v of ordered) {
      for (const plugin of Object.keys(versions[v]!.plugins)) {
        const p = getPluginSpec(plugin);
        if (p) expect(compareVersions(p.versions.added!, v), `${plugin} listed in ${v}`).toBeLessThanOrEqual(0);
      }
    }
  });
});
