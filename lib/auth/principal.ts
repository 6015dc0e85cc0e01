import "server-only";
import { timingSafeEqual } from "node:crypto";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { loadGrants, parseGroups, seedRoleGroups, upsertExternalUser } from "./accounts";
import { createAddressMatcher, readClientAddress, readPeerAddress } from "./address";
import { readAuthConfig, type AuthConfig } from "./config";
import { findSession } from "./sessions";
import { checkApiToken, tokenGrants } from "./tokens";
import type { Grant } from "./roles";

/** How the person of a request proved who they are. */
export type PrincipalMethod = "local" | "oidc" | "proxy" | "token";

/** The person (or token) a request acts for, with what they may do. */
export type Principal = {
  id: string;
  name: string;
  email: string | null;
  groups: string[];
  method: PrincipalMethod;
  grants: Grant[];
  /** A one-time password was used: nothing but changing it is allowed. */
  mustChangePassword: boolean;
  tokenId?: string;
  /** For a token: when it was used before this request (null: never). */
  tokenLastUsedAt?: Date | null;
};

/** What a request offers as proof. */
export type Credentials = {
  headers: Headers;
  sessionSecret: string | null;
  /** REST only: the `Authorization: Bearer` token. */
  bearer: string | null;
};

export type Resolution =
  | { ok: true; principal: Principal; address: string | null }
  | { ok: false; reason: "NONE" | "TOKEN_UNKNOWN" | "TOKEN_EXPIRED" | "TOKEN_REVOKED" | "TOKEN_USER_DISABLED"; address: string | null; tokenId?: string; userName?: string };

const globalForAuth = globalThis as unknown as { coredeckAuthConfig?: AuthConfig; coredeckRoleGroupsSeeded?: Promise<number> };

/** The sign-in configuration of this process (read once). */
export function getAuthConfig(): AuthConfig {
  globalForAuth.coredeckAuthConfig ??= readAuthConfig();
  return globalForAuth.coredeckAuthConfig;
}

/** For tests: forget the configuration read from the environment. */
export function resetAuthConfig(): void {
  globalForAuth.coredeckAuthConfig = undefined;
  globalForAuth.coredeckRoleGroupsSeeded = undefined;
}

/**
 * Works out who a request is: an API token (REST), else a session cookie, else trusted proxy headers. Everything else
 * is anonymous (`NONE`). Role grants are read from the database on every request, so a revoked role takes effect at
 * once.
 */
export async function resolvePrincipal(credentials: Credentials, db: PrismaClient = getDb(), config = getAuthConfig()): Promise<Resolution> {
  const isTrustedProxy = createAddressMatcher(config.proxy.trustedAddresses);
  const address = readClientAddress(credentials.headers, isTrustedProxy);
  if (config.roleGroups) {
    globalForAuth.coredeckRoleGroupsSeeded ??= seedRoleGroups(config.roleGroups, db);
    await globalForAuth.coredeckRoleGroupsSeeded;
  }

  if (credentials.bearer !== null) {
    const checked = await checkApiToken(credentials.bearer, db);
    if (!checked.ok) {
      const reason = `TOKEN_${checked.reason}` as const;
      return { ok: false, reason, address, tokenId: checked.tokenId, userName: checked.userName };
    }
    const ownerGrants = await loadGrants(checked.user.id, checked.user.groups, db);
    return {
      ok: true,
      address,
      principal: {
        id: checked.user.id,
        name: checked.user.name,
        email: checked.user.email,
        groups: checked.user.groups,
        method: "token",
        grants: tokenGrants(checked.token, ownerGrants),
        mustChangePassword: false,
        tokenId: checked.token.id,
        tokenLastUsedAt: checked.token.lastUsedAt,
      },
    };
  }

  if (credentials.sessionSecret) {
    const session = await findSession(credentials.sessionSecret, db);
    if (session) {
      const groups = parseGroups(session.groups);
      return {
        ok: true,
        address,
        principal: {
          id: session.user.id,
          name: session.user.name,
          email: session.user.email,
          groups,
          method: session.method === "oidc" ? "oidc" : "local",
          grants: await loadGrants(session.user.id, groups, db),
          mustChangePassword: session.user.mustChangePassword,
        },
      };
    }
  }

  if (config.methods.includes("proxy") && isFromTrustedProxy(credentials.headers, config, isTrustedProxy)) {
    const user = credentials.headers.get("x-forwarded-user")?.trim() || credentials.headers.get("x-forwarded-email")?.trim();
    if (user) {
      const email = credentials.headers.get("x-forwarded-email")?.trim() || null;
      const groups = (credentials.headers.get("x-forwarded-groups") ?? "")
        .split(",")
        .map((group) => group.trim())
        .filter(Boolean);
      const row = await upsertProxyUser(user, email, groups, db);
      return {
        ok: true,
        address,
        principal: {
          id: row.id,
          name: row.name,
          email,
          groups,
          method: "proxy",
          grants: await loadGrants(row.id, groups, db),
          mustChangePassword: false,
        },
      };
    }
  }
  return { ok: false, reason: "NONE", address };
}

/** Headers from the proxy count only when the TCP peer is a trusted address, or the shared secret matches. */
function isFromTrustedProxy(headers: Headers, config: AuthConfig, isTrustedProxy: (address: string | null) => boolean): boolean {
  const secret = headers.get("x-coredeck-proxy-secret");
  if (config.proxy.secret && secret !== null) {
    const a = Buffer.from(secret);
    const b = Buffer.from(config.proxy.secret);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  return isTrustedProxy(readPeerAddress(headers));
}

// Proxy identities arrive on every request; the user row is refreshed at most once a minute per identity.
const proxyUserCache = new WeakMap<PrismaClient, Map<string, { id: string; name: string; key: string; at: number }>>();

async function upsertProxyUser(user: string, email: string | null, groups: string[], db: PrismaClient) {
  const key = JSON.stringify([email, groups]);
  let proxyUsers = proxyUserCache.get(db);
  if (!proxyUsers) proxyUserCache.set(db, (proxyUsers = new Map()));
  const cached = proxyUsers.get(user);
  if (cached && cached.key === key && Date.now() - cached.at < 60_000) return cached;
  const row = await upsertExternalUser({ subject: `proxy:${user}`, method: "proxy", name: user, email, groups }, db);
  const entry = { id: row.id, name: row.name, key, at: Date.now() };
  proxyUsers.set(user, entry);
  return entry;
}
