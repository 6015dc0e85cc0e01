/**
 * Server-block key normalisation, checked against CoreDNS's TestHostNormalizeExact table (plugin/normalize_test.go).
 */
import { describe, expect, it } from "vitest";
import { isDomainName, normalizeServerKey, parseIPv6, splitHostPort } from "./keys";

const zones = (k: string) => {
  const r = normalizeServerKey(k);
  return "error" in r ? null : r.zones;
};

describe("normalizeServerKey (TestHostNormalizeExact)", () => {
  it.each([
    [".:53", ["."]],
    ["example.org:53", ["example.org."]],
    ["example.org.:53", ["example.org."]],
    ["10.0.0.0/8:53", ["10.in-addr.arpa."]],
    ["10.0.0.0/15", ["0.10.in-addr.arpa.", "1.10.in-addr.arpa."]],
    ["dns://example.org", ["example.org."]],
    ["EXAMPLE.ORG.:0", ["example.org."]],
  ])("%s", (key, expected) => {
    expect(zones(key)).toEqual(expected);
  });

  it("splits non-boundary prefixes into reverse zones", () => {
    expect(zones("10.9.3.0/18")?.slice(0, 3)).toEqual(["0.9.10.in-addr.arpa.", "1.9.10.in-addr.arpa.", "2.9.10.in-addr.arpa."]);
    expect(zones("10.9.3.0/18")).toHaveLength(64);
    expect(zones("2001:db8::/29")).toEqual(
      ["8", "9", "a", "b", "c", "d", "e", "f"].map((n) => `${n}.b.d.0.1.0.0.2.ip6.arpa.`),
    );
    expect(zones("2001:db8::/30")).toEqual(["8", "9", "a", "b"].map((n) => `${n}.b.d.0.1.0.0.2.ip6.arpa.`));
    const z = "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.";
    expect(zones("2001:db8::/115")).toEqual([z, "1" + z.slice(1)]);
    expect(zones("2001:db8::/113")).toHaveLength(8);
    expect(zones("2001:db8::/112")).toEqual(["0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."]);
    expect(zones("2001:db8::/108")).toEqual(["0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."]);
    expect(normalizeServerKey("::fFFF:B:F/115")).toEqual({ error: "invalid CIDR ::fFFF:B:F/115" });
  });

  it("defaults ports by transport", () => {
    expect(normalizeServerKey("tls://.")).toEqual({ transport: "tls", zones: ["."], port: "853" });
    expect(normalizeServerKey("grpc://.")).toMatchObject({ port: "443" });
    expect(normalizeServerKey("https3://.:8443")).toMatchObject({ transport: "https3", port: "8443" });
    expect(normalizeServerKey("quic://.")).toMatchObject({ port: "853" });
    expect(normalizeServerKey(".:+053")).toMatchObject({ port: "53" });
  });

  it("reports CoreDNS's errors", () => {
    expect(splitHostPort("example.org:")).toEqual({ error: 'expecting data after last colon: "example.org:"' });
    expect(splitHostPort(":53")).toEqual({ error: "zone is not a valid domain name: " });
    expect(splitHostPort("a".repeat(256))).toEqual({ error: "specified zone is too long: 256 > 255" });
    // 255 bytes passes the first check, but CoreDNS checks the fully qualified form (256 bytes) again
    const name255 = ["a", "b", "c", "d"].map((c) => c.repeat(63)).join(".");
    expect(splitHostPort(name255)).toMatchObject({ hosts: [name255] });
    expect(normalizeServerKey(name255)).toEqual({ error: "specified zone is too long: 256 > 255" });
    expect(splitHostPort("a".repeat(64) + ".org")).toEqual({ error: `zone is not a valid domain name: ${"a".repeat(64)}.org` });
  });
});

describe("helpers", () => {
  it("isDomainName follows miekg/dns", () => {
    expect(isDomainName(".")).toBe(true);
    expect(isDomainName("example.org")).toBe(true);
    expect(isDomainName("a..b")).toBe(false);
    expect(isDomainName(".a")).toBe(false);
    expect(isDomainName("a\\.b")).toBe(true);
    expect(isDomainName("a\\")).toBe(false);
    expect(isDomainName("")).toBe(false);
  });

  it("parses IPv6", () => {
    expect(parseIPv6("::1")).toEqual([...new Array(15).fill(0), 1]);
    expect(parseIPv6("::ffff:1.2.3.4")?.slice(10)).toEqual([255, 255, 1, 2, 3, 4]);
    expect(parseIPv6("1::2::3")).toBeNull();
    expect(parseIPv6("fe80::1%eth0")).toBeNull();
  });
});
