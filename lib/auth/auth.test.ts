import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFilePath } from "@/lib/db/paths";
import { recordAuditEvent } from "@/lib/audit/audit";
import { createTestDatabase } from "@/lib/db/test-database";
import { createLocalUser, seedRoleGroups } from "./accounts";
import { createAddressMatcher, normaliseAddress } from "./address";
import { readAuthConfig } from "./config";
import { signInLocally } from "./local-signin";
import { isOriginAllowed } from "./origin";
import { resolvePrincipal } from "./principal";
import { capGrants, hasRole, parseRoleGroups, roleOn } from "./roles";
import { hashPassword, sha256Hex, verifyPassword } from "./secrets";
import { createSession, findSession } from "./sessions";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from "./throttle";

let database: ReturnType<typeof createTestDatabase>;

beforeAll(() => {
  database = createTestDatabase();
});

afterAll(async () => {
  await database.dispose();
});

const PASSWORD = "correct horse battery staple";

describe("passwords", () => {
  it("are stored as salted scrypt hashes, never as given, and verify only the right password", async () => {
    const user = await createLocalUser({ username: "hashy", password: PASSWORD, role: "viewer" }, database.db);
    const row = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, row.passwordHash!)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, row.passwordHash!)).toBe(false);
    // A fresh salt each time: the same password never hashes the same.
    expect(await hashPassword(PASSWORD)).not.toBe(await hashPassword(PASSWORD));
  });
});

describe("local sign-in throttling", () => {
  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures in 15 minutes, even for the right password, and says when to retry`, async () => {
    await createLocalUser({ username: "target", password: PASSWORD, role: "editor" }, database.db);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      const result = await signInLocally({ username: "target", password: `guess ${i}`, address: `198.51.100.${i}` }, database.db);
      expect(result).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });
    }
    const locked = await signInLocally({ username: "target", password: PASSWORD, address: "198.51.100.99" }, database.db);
    expect(locked).toMatchObject({ ok: false, code: "THROTTLED", message: expect.stringMatching(/this account\. Try again in 1[45] minutes\./) });
    // Another account from the same addresses is not affected.
    await createLocalUser({ username: "bystander", password: PASSWORD, role: "viewer" }, database.db);
    expect(await signInLocally({ username: "bystander", password: PASSWORD, address: "198.51.100.1" }, database.db)).toMatchObject({ ok: true });
    // Once the window has passed (the failures are older than 15 minutes), the right password works again.
    await database.db.$executeRawUnsafe(`DROP TRIGGER "AuditEvent_no_update"`);
    await database.db.$executeRawUnsafe(`UPDATE "AuditEvent" SET "at" = ? WHERE "target" = 'target'`, new Date(Date.now() - 16 * 60_000).getTime());
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: audit events cannot be changed'); END`,
    );
    expect(await signInLocally({ username: "target", password: PASSWORD, address: "198.51.100.99" }, database.db)).toMatchObject({ ok: true });
  });

  // Each attempt runs scrypt (also for unknown accounts, so timing does not tell them apart): allow for a busy machine.
  it(`locks an address after ${MAX_FAILURES_PER_ADDRESS} failures across accounts, without saying whether accounts exist`, { timeout: 180_000 }, async () => {
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      const result = await signInLocally({ username: `nobody${i}`, password: "x", address: "203.0.113.7" }, database.db);
      expect(result).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS", message: "That username and password do not match. Check both and try again." });
    }
    await createLocalUser({ username: "sprayed", password: PASSWORD, role: "viewer" }, database.db);
    expect(await signInLocally({ username: "sprayed", password: PASSWORD, address: "203.0.113.7" }, database.db)).toMatchObject({
      ok: false,
      code: "THROTTLED",
      message: expect.stringContaining("your address"),
    });
    expect(await signInLocally({ username: "sprayed", password: PASSWORD, address: "203.0.113.8" }, database.db)).toMatchObject({ ok: true });
  });
});

describe("the audit trail", () => {
  it("refuses UPDATE and DELETE of its rows, through Prisma and through raw SQL", async () => {
    await recordAuditEvent({ actor: "auditor test", action: "settings.change", outcome: "success" }, database.db);
    const row = await database.db.auditEvent.findFirstOrThrow({ where: { actor: "auditor test" } });
    // Prisma reports the trigger's abort under its own wording; plain SQLite shows the trigger's message.
    await expect(database.db.auditEvent.update({ where: { id: row.id }, data: { outcome: "failure" } })).rejects.toThrow();
    await expect(database.db.auditEvent.delete({ where: { id: row.id } })).rejects.toThrow();
    await expect(database.db.auditEvent.deleteMany({})).rejects.toThrow();
    const sqlite = new Database(databaseFilePath(database.url));
    try {
      expect(() => sqlite.prepare(`DELETE FROM "AuditEvent"`).run()).toThrow(/append-only: audit events cannot be deleted/);
      expect(() => sqlite.prepare(`UPDATE "AuditEvent" SET actor = 'someone else'`).run()).toThrow(/append-only: audit events cannot be changed/);
    } finally {
      sqlite.close();
    }
    expect(await database.db.auditEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ actor: "auditor test", outcome: "success" });
  });
});

describe("sessions", () => {
  it("keep only the SHA-256 of the cookie's secret, and end at their expiry", async () => {
    const user = await createLocalUser({ username: "sessiony", password: PASSWORD, role: "viewer" }, database.db);
    const { secret } = await createSession({ userId: user.id, method: "local", groups: [], address: null, hours: 1 }, database.db);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const rows = await database.db.session.findMany({ where: { userId: user.id } });
    expect(rows.map((row) => row.id)).toEqual([sha256Hex(secret)]);
    expect(await findSession(secret, database.db)).not.toBeNull();
    expect(await findSession(`${secret}x`, database.db)).toBeNull();
    await database.db.session.update({ where: { id: sha256Hex(secret) }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await findSession(secret, database.db)).toBeNull();
  });
});

describe("trusted proxy headers", () => {
  const headers = (extra: Record<string, string>) =>
    new Headers({ "x-forwarded-user": "pat", "x-forwarded-email": "pat@example.test", "x-forwarded-groups": "dns-editors, other", ...extra });

  it("are believed only with the shared secret (or from a trusted address), and map groups to roles", async () => {
    const config = readAuthConfig({ COREDECK_AUTH: "proxy", COREDECK_PROXY_SECRET: "s3cret-value", COREDECK_ROLE_GROUPS: "dns-editors=editor" });
    await seedRoleGroups(config.roleGroups, database.db);
    const anonymous = await resolvePrincipal({ headers: headers({}), sessionSecret: null, bearer: null }, database.db, config);
    expect(anonymous).toMatchObject({ ok: false, reason: "NONE" });
    const wrong = await resolvePrincipal({ headers: headers({ "x-coredeck-proxy-secret": "s3cret-valuf" }), sessionSecret: null, bearer: null }, database.db, config);
    expect(wrong.ok).toBe(false);
    const trusted = await resolvePrincipal({ headers: headers({ "x-coredeck-proxy-secret": "s3cret-value" }), sessionSecret: null, bearer: null }, database.db, config);
    expect(trusted).toMatchObject({ ok: true, principal: { name: "pat", method: "proxy", email: "pat@example.test", groups: ["dns-editors", "other"] } });
    expect(trusted.ok && roleOn(trusted.principal.grants, "sandbox")).toBe("editor");
  });

  it("refuse a client-sent X-Forwarded-For as proof of a trusted address (the server stamps the real peer)", async () => {
    const config = readAuthConfig({ COREDECK_AUTH: "proxy", COREDECK_PROXY_TRUSTED_ADDRESSES: "10.0.0.0/8" });
    const spoofed = await resolvePrincipal(
      { headers: headers({ "x-forwarded-for": "10.1.2.3", "x-coredeck-peer": "10.1.2.3" }), sessionSecret: null, bearer: null },
      database.db,
      config,
    );
    // In this process no server stamped the peer header, so a value sent by a client proves nothing.
    expect(spoofed.ok).toBe(false);
  });

  it("match IPv4, IPv6 and IPv4-mapped addresses against CIDRs", () => {
    const isTrusted = createAddressMatcher(["10.0.0.0/8", "fd00::/8", "192.0.2.1"]);
    expect(isTrusted("10.20.30.40")).toBe(true);
    expect(isTrusted("::ffff:10.20.30.40")).toBe(true);
    expect(isTrusted("fd12::1")).toBe(true);
    expect(isTrusted("192.0.2.1")).toBe(true);
    expect(isTrusted("192.0.2.2")).toBe(false);
    expect(isTrusted(null)).toBe(false);
    expect(normaliseAddress("not an ip")).toBeNull();
  });
});

describe("configuration and roles", () => {
  it("reads the contract's variables and explains a setting that cannot work", () => {
    const config = readAuthConfig({
      COREDECK_AUTH: "local,oidc",
      COREDECK_PUBLIC_URL: "https://coredeck.example.com/",
      COREDECK_ALLOWED_ORIGINS: "https://ops.example.com",
      COREDECK_OIDC_ISSUER: "https://id.example.com",
      COREDECK_OIDC_CLIENT_ID: "coredeck",
      COREDECK_SESSION_HOURS: "8",
    });
    expect(config).toMatchObject({
      methods: ["local", "oidc"],
      publicUrl: "https://coredeck.example.com",
      allowedOrigins: ["https://coredeck.example.com", "https://ops.example.com"],
      isSecureCookie: true,
      sessionHours: 8,
      oidc: { scopes: "openid profile email groups", groupsClaim: "groups", clientSecret: null },
    });
    expect(() => readAuthConfig({ COREDECK_AUTH: "ldap" })).toThrow(/unknown sign-in method "ldap"/);
    expect(() => readAuthConfig({ COREDECK_AUTH: "oidc" })).toThrow(/COREDECK_OIDC_ISSUER/);
    expect(() => readAuthConfig({ COREDECK_AUTH: "proxy" })).toThrow(/COREDECK_PROXY_TRUSTED_ADDRESSES or COREDECK_PROXY_SECRET/);
  });

  it("parses COREDECK_ROLE_GROUPS with cluster scopes, and ranks roles per cluster", () => {
    expect(parseRoleGroups("platform-admins=admin, platform=editor,dns@prod=editor,*=viewer")).toEqual([
      { group: "platform-admins", cluster: "*", role: "admin" },
      { group: "platform", cluster: "*", role: "editor" },
      { group: "dns", cluster: "prod", role: "editor" },
      { group: "*", cluster: "*", role: "viewer" },
    ]);
    expect(() => parseRoleGroups("ops=root")).toThrow(/cannot read "ops=root"/);
    const grants = [
      { cluster: "*", role: "viewer" as const },
      { cluster: "prod", role: "editor" as const },
    ];
    expect(roleOn(grants, "prod")).toBe("editor");
    expect(roleOn(grants, "staging")).toBe("viewer");
    expect(hasRole(grants, "*", "editor")).toBe(false);
    // A token asking for admin everywhere gets no more than its owner has on each cluster.
    expect(capGrants([{ cluster: "*", role: "admin" }], grants)).toEqual(grants);
  });

  it("allows writes from the request's own host and the configured origins only", () => {
    const allowed = ["https://coredeck.example.com"];
    expect(isOriginAllowed(new Headers({ host: "127.0.0.1:3000" }), allowed)).toBe(true);
    expect(isOriginAllowed(new Headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }), allowed)).toBe(true);
    expect(isOriginAllowed(new Headers({ host: "internal:3000", origin: "https://coredeck.example.com" }), allowed)).toBe(true);
    expect(isOriginAllowed(new Headers({ host: "127.0.0.1:3000", origin: "http://evil.example" }), allowed)).toBe(false);
    expect(isOriginAllowed(new Headers({ host: "127.0.0.1:3000", origin: "null" }), allowed)).toBe(false);
  });
});
