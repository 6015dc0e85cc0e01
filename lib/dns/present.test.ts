import { describe, expect, it } from "vitest";
import { presentFlags, presentRecord } from "./present";

describe("presentRecord", () => {
  it("writes each record type as a zone file does", () => {
    const base = { name: "a.example.", class: 1, ttl: 30 };
    expect(presentRecord({ ...base, type: 1, data: { kind: "A", address: "10.0.0.1" } })).toBe("a.example. 30 IN A 10.0.0.1");
    expect(presentRecord({ ...base, type: 33, data: { kind: "SRV", priority: 0, weight: 100, port: 80, target: "b.example." } })).toBe("a.example. 30 IN SRV 0 100 80 b.example.");
    expect(presentRecord({ ...base, type: 16, data: { kind: "TXT", text: ['say "hi"', "x"] } })).toBe('a.example. 30 IN TXT "say \\"hi\\"" "x"');
    expect(presentRecord({ ...base, type: 6, data: { kind: "SOA", mname: "ns.", rname: "h.", serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 } })).toBe("a.example. 30 IN SOA ns. h. 1 2 3 4 5");
    expect(presentRecord({ ...base, class: 3, type: 99, data: { kind: "raw", rdata: new Uint8Array([1, 255]) } })).toBe("a.example. 30 CH TYPE99 \\# 2 01ff");
  });
  it("lists the set flags in dig's order", () => {
    expect(presentFlags({ qr: true, aa: true, tc: false, rd: true, ra: false, ad: false, cd: false })).toEqual(["qr", "aa", "rd"]);
  });
});
