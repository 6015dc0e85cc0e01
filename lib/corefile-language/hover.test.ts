/**
 * Hover help on directives, options, arguments and keys: content, execution position and the hovered range.
 */
import { describe, expect, it } from "vitest";
import { getHover } from "./hover";

const COREFILE = [
  ".:53 {",
  "    forward . /etc/resolv.conf",
  "    errors",
  "    health {",
  "        lameduck 5s",
  "    }",
  "    kubernetes cluster.local in-addr.arpa ip6.arpa {",
  "        pods insecure",
  "    }",
  "    cache 30",
  "    reload",
  "    proxy . 8.8.8.8",
  "}",
  "",
].join("\n");

const offsetOf = (needle: string, delta = 1) => COREFILE.indexOf(needle) + delta;

describe("getHover", () => {
  it("explains a directive: summary, syntax, execution position, link", () => {
    const hover = getHover(COREFILE, offsetOf("forward"));
    expect(hover?.markdown).toMatch(/^\*\*forward\*\* — /);
    expect(hover?.markdown).toContain("```corefile\nforward FROM TO...");
    // errors, kubernetes, cache, forward run in the pipeline (health and reload are server settings): forward is last.
    expect(hover?.markdown).toContain("Runs **4th of 4** in this server block");
    expect(hover?.markdown).toContain("(https://coredns.io/plugins/forward/)");
    expect(hover?.range).toEqual({ start: 11, end: 18, startLineNumber: 2, startColumn: 5, endLineNumber: 2, endColumn: 12 });
  });

  it("counts plugin.cfg order, not line order", () => {
    expect(getHover(COREFILE, offsetOf("errors"))?.markdown).toContain("Runs **1st of 4**");
    expect(getHover(COREFILE, offsetOf("cache"))?.markdown).toContain("Runs **2nd of 4**");
  });

  it("says when a directive is a server setting", () => {
    expect(getHover(COREFILE, offsetOf("reload"))?.markdown).toContain("Configures the server rather than answering queries");
  });

  it("explains an option with its syntax, default and values", () => {
    const hover = getHover(COREFILE, offsetOf("pods"));
    expect(hover?.markdown).toContain("**pods** — option of `kubernetes`");
    expect(hover?.markdown).toContain("```corefile\npods POD-MODE\n```");
    expect(hover?.markdown).toContain("Default: disabled.");
    expect(hover?.markdown).toContain("`verified`");
    expect(hover?.range.startLineNumber).toBe(8);
    expect(hover?.range.startColumn).toBe(9);
    expect(hover?.range.endColumn).toBe(13);
  });

  it("explains an option's argument", () => {
    const hover = getHover(COREFILE, offsetOf("5s"));
    expect(hover?.markdown).toContain("**DURATION** — argument of `health lameduck`");
  });

  it("explains a directive's argument", () => {
    const hover = getHover(COREFILE, offsetOf("/etc/resolv.conf"));
    expect(hover?.markdown).toContain("**TO** — argument of `forward`");
  });

  it("explains a removed plugin", () => {
    expect(getHover(COREFILE, offsetOf("proxy"))?.markdown).toMatch(/removed from CoreDNS in 1\.5\.0/);
  });

  it("explains a server-block key", () => {
    const hover = getHover(COREFILE, 1);
    expect(hover?.markdown).toContain("Answers queries for `.` on port **53** over **dns**");
    expect(hover?.range).toMatchObject({ start: 0, end: 4 });
  });

  it("works when the pointer is right after the word", () => {
    expect(getHover(COREFILE, offsetOf("errors", 6))?.markdown).toMatch(/^\*\*errors\*\*/);
  });

  it("returns null on whitespace, comments, braces and unknown words", () => {
    expect(getHover(COREFILE, 0 + COREFILE.indexOf("    errors"))).toBeNull();
    expect(getHover("# comment\n", 3)).toBeNull();
    expect(getHover(".:53 {\n    nosuch\n}\n", 9)).toBeNull();
  });
});
