import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderConfigMapYaml } from "./configmap-yaml";

const LOCATION = { namespace: "kube-system", name: "coredns", key: "Corefile" };

function corefileOf(yaml: string): unknown {
  return (parse(yaml) as { data: Record<string, unknown> }).data.Corefile;
}

describe("renderConfigMapYaml", () => {
  it("writes a ConfigMap manifest with the Corefile as a block literal", () => {
    const yaml = renderConfigMapYaml(LOCATION, ".:53 {\n    errors\n    forward . /etc/resolv.conf\n}\n");
    expect(yaml).toBe(
      [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: coredns",
        "  namespace: kube-system",
        "data:",
        "  Corefile: |",
        "    .:53 {",
        "        errors",
        "        forward . /etc/resolv.conf",
        "    }",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["no final newline", ".:53 {\n  whoami\n}"],
    ["several final newlines", ".:53 {\n  whoami\n}\n\n\n"],
    ["leading indentation", "  .:53 {\n  whoami\n}\n"],
    ["trailing spaces", ".:53 {   \n  whoami\t\n}  "],
    ["CRLF line ends", ".:53 {\r\n  whoami\r\n}\r\n"],
    ["whitespace only", "   "],
    ["empty", ""],
    ["YAML markers", "# ---\n---\n...\n.:53 {\n}\n"],
    ["control characters", ".:53 {\u0007\n}\n"],
    ["non-ASCII", "# zone für ünïcödé 😀\n.:53 {\n}\n"],
    // A block literal cannot start with a blank line more indented than the next one: the YAML parser refuses it.
    ["leading blank lines of growing indentation", " \n\t\n"],
  ])("round-trips %s exactly", (_name, text) => {
    expect(corefileOf(renderConfigMapYaml(LOCATION, text))).toBe(text);
  });

  it("round-trips any text exactly", () => {
    const piece = fc.constantFrom("\n", "\r\n", "\r", " ", "\t", "  ", "#", "-", ":", "|", "'", '"', "{", "}", ".:53", "é", "😀", "\u0000", "\u00a0");
    const text = fc.oneof(fc.string({ unit: piece, maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }));
    fc.assert(
      fc.property(text, (value) => {
        expect(corefileOf(renderConfigMapYaml(LOCATION, value))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});
