import { describe, expect, it } from "vitest";
import { refuseCrossOriginWrite } from "./cross-origin";

function put(headers: Record<string, string>): Request {
  return new Request("http://127.0.0.1:3000/api/v1/clusters/sandbox/corefile", { method: "PUT", headers: { host: "127.0.0.1:3000", ...headers } });
}

describe("refuseCrossOriginWrite", () => {
  it("lets requests without an Origin header through (curl, CI jobs)", () => {
    expect(refuseCrossOriginWrite(put({}))).toBeNull();
  });

  it("lets the server's own origin through, also behind a TLS proxy that forwards the host", () => {
    expect(refuseCrossOriginWrite(put({ origin: "http://127.0.0.1:3000" }))).toBeNull();
    expect(refuseCrossOriginWrite(put({ origin: "https://coredeck.example", "x-forwarded-host": "coredeck.example" }))).toBeNull();
  });

  it("refuses another origin, another port, and the opaque origin with 403 CROSS_ORIGIN", async () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:3001", "null"]) {
      const response = refuseCrossOriginWrite(put({ origin }));
      expect(response?.status, origin).toBe(403);
      expect(await response?.json()).toMatchObject({ error: { code: "CROSS_ORIGIN", message: expect.stringContaining(origin) } });
    }
  });
});

describe("refuseCrossOriginWrite with COREDECK_ALLOWED_ORIGINS", () => {
  it("lets a configured origin through and still refuses the others", async () => {
    const { resetAuthConfig } = await import("@/lib/auth/principal");
    process.env.COREDECK_ALLOWED_ORIGINS = "https://ops.example.com";
    resetAuthConfig();
    try {
      expect(refuseCrossOriginWrite(put({ origin: "https://ops.example.com" }))).toBeNull();
      expect(refuseCrossOriginWrite(put({ origin: "https://ops.example.com:8443" }))?.status).toBe(403);
      expect(refuseCrossOriginWrite(put({ origin: "http://evil.example" }))?.status).toBe(403);
    } finally {
      delete process.env.COREDECK_ALLOWED_ORIGINS;
      resetAuthConfig();
    }
  });
});
