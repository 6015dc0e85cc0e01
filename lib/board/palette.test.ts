import { describe, expect, it } from "vitest";
import { applyEdits, validateCorefile } from "@/lib/corefile";
import { PLUGIN_CATALOG } from "@/lib/corefile/plugins";
import { insertPlugin } from "./actions";
import { buildBoard } from "./build-board";
import { listPalette, PALETTE, PALETTE_GROUPS } from "./palette";

/** A minimal valid Corefile; transport settings get a block of their transport (with the certificate it needs). */
function minimal(transport: string | undefined): string {
  if (!transport) return ".:53 {\n}\n";
  return `${transport}://. {\n    tls /etc/coredns/tls/cert.pem /etc/coredns/tls/key.pem\n}\n`;
}

describe("palette", () => {
  it("has every catalog plugin once, grouped into the eight groups", () => {
    expect(PALETTE.map((e) => e.name)).toEqual(PLUGIN_CATALOG.map((s) => s.name));
    const grouped = listPalette();
    expect(grouped.map((g) => g.label)).toEqual(["Kubernetes", "Forwarding", "Caching", "Records", "Rewriting", "Observability", "Security", "Operations"]);
    expect(grouped.flatMap((g) => g.entries).length).toBe(PALETTE.length);
    expect(PALETTE_GROUPS.length).toBe(8);
  });

  it("has a short blurb of its own for each plugin", () => {
    for (const e of PALETTE) {
      expect(e.blurb.length, e.name).toBeGreaterThan(5);
      expect(e.blurb.length, e.name).toBeLessThanOrEqual(50);
      expect(e.blurb, e.name).not.toBe(e.summary);
    }
  });

  it("searches names, blurbs and summaries", () => {
    const hits = listPalette("upstream").flatMap((g) => g.entries.map((e) => e.name));
    expect(hits).toContain("forward");
    expect(listPalette("zzzz-nothing")).toEqual([]);
    expect(listPalette("KUBERNETES").flatMap((g) => g.entries.map((e) => e.name))).toContain("kubernetes");
  });

  it.each(PALETTE.map((e) => [e.name, e] as const))("the default of %s validates once inserted", (_name, entry) => {
    const text = minimal(entry.transport);
    expect(validateCorefile(text).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const board = buildBoard(text);
    const block = board.items[0];
    if (!block || block.kind !== "server") throw new Error("no block");
    const r = insertPlugin(text, { blockId: block.id, plugin: entry.name });
    if (!r.ok) throw new Error(r.reason);
    const out = applyEdits(text, r.edits);
    const errors = validateCorefile(out).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.code}: ${d.message}`), out).toEqual([]);
  });

  it("marks defaults that hold placeholders", () => {
    const needs = PALETTE.filter((e) => e.needsInput).map((e) => e.name);
    for (const n of ["file", "route53", "tls", "sign", "geoip", "secondary"]) expect(needs).toContain(n);
    for (const n of ["cache", "errors", "log", "reload", "whoami"]) expect(needs).not.toContain(n);
  });
});
