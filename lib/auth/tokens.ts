import "server-only";
import { getDb } from "@/lib/db/client";
import type { ApiToken, PrismaClient } from "@/lib/db/generated/client";
import { enqueueWrite } from "@/lib/db/write-queue";
import { capGrants, hasRole, isRole, rankOf, roleOn, type Grant, type Role } from "./roles";
import { createSecret, sha256Hex } from "./secrets";

/** Every API token starts with this, so secret scanners and people recognise one. */
export const TOKEN_PREFIX = "cdk_";

export type ApiTokenView = {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  userName: string;
  clusters: string[];
  role: Role;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
  /** Past its expiry when it was read. */
  isExpired: boolean;
};

export type CreateTokenInput = {
  /** Whose token it is; its use acts as this user, never above the user's own role. */
  userId: string;
  name: string;
  clusters: string[];
  role: Role;
  expiresAt: Date | null;
};

export type CreateTokenResult =
  | { ok: true; token: string; view: ApiTokenView }
  | { ok: false; code: "FORBIDDEN" | "INVALID"; message: string };

/**
 * Creates a token and returns its secret, the only time it exists outside the caller's hands: the database keeps its
 * SHA-256. An admin may create one for anyone with any scope; anyone else only for themselves, and not above their
 * own role on each cluster of the scope.
 */
export async function createApiToken(
  input: CreateTokenInput,
  creator: { id: string; name: string; grants: readonly Grant[] },
  db: PrismaClient = getDb(),
): Promise<CreateTokenResult> {
  const isAdmin = hasRole(creator.grants, "*", "admin");
  if (input.userId !== creator.id && !isAdmin) {
    return { ok: false, code: "FORBIDDEN", message: "Only an admin can create a token for someone else." };
  }
  if (input.clusters.length === 0) return { ok: false, code: "INVALID", message: "Pick at least one cluster, or all clusters." };
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    return { ok: false, code: "INVALID", message: "The expiry is in the past. Pick a later date." };
  }
  if (!isAdmin) {
    for (const cluster of input.clusters) {
      if (rankOf(roleOn(creator.grants, cluster)) < rankOf(input.role)) {
        const own = roleOn(creator.grants, cluster) ?? "no role";
        return {
          ok: false,
          code: "FORBIDDEN",
          message: `A token cannot do more than you: you are ${own} on ${cluster === "*" ? "all clusters" : `"${cluster}"`}. Pick a lower role or fewer clusters.`,
        };
      }
    }
  }
  const token = `${TOKEN_PREFIX}${createSecret(32)}`;
  const row = await enqueueWrite(() =>
    db.apiToken.create({
      data: {
        hash: sha256Hex(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        name: input.name,
        userId: input.userId,
        clusters: JSON.stringify(input.clusters.includes("*") ? ["*"] : [...new Set(input.clusters)].sort()),
        role: input.role,
        createdBy: creator.name,
        expiresAt: input.expiresAt,
      },
      include: { user: { select: { name: true } } },
    }),
  );
  return { ok: true, token, view: toTokenView(row) };
}

export type TokenCheck =
  | { ok: true; token: ApiTokenView; user: { id: string; name: string; email: string | null; groups: string[] } }
  | { ok: false; reason: "UNKNOWN" | "EXPIRED" | "REVOKED" | "USER_DISABLED"; tokenId?: string; userName?: string };

/** Looks a presented token up by its hash and says whether it may be used now; records its use. */
export async function checkApiToken(token: string, db: PrismaClient = getDb()): Promise<TokenCheck> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return { ok: false, reason: "UNKNOWN" };
  const row = await db.apiToken.findUnique({ where: { hash: sha256Hex(token) }, include: { user: true } });
  if (!row) return { ok: false, reason: "UNKNOWN" };
  if (row.revokedAt) return { ok: false, reason: "REVOKED", tokenId: row.id, userName: row.user.name };
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "EXPIRED", tokenId: row.id, userName: row.user.name };
  if (row.user.isDisabled) return { ok: false, reason: "USER_DISABLED", tokenId: row.id, userName: row.user.name };
  await enqueueWrite(() => db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }));
  let groups: string[] = [];
  try {
    groups = JSON.parse(row.user.groups) as string[];
  } catch {
    groups = [];
  }
  return { ok: true, token: toTokenView(row), user: { id: row.user.id, name: row.user.name, email: row.user.email, groups } };
}

/** What a token may do: its scope, cut down to what its owner may do now (a demoted owner demotes the token). */
export function tokenGrants(token: ApiTokenView, ownerGrants: readonly Grant[]): Grant[] {
  return capGrants(
    token.clusters.map((cluster) => ({ cluster, role: token.role })),
    ownerGrants,
  );
}

/** Tokens of one user, or of everyone (`userId` omitted), newest first. */
export async function listApiTokens(filter: { userId?: string }, db: PrismaClient = getDb()): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({
    where: filter.userId ? { userId: filter.userId } : {},
    orderBy: { createdAt: "desc" },
    include: { user: { select: { name: true } } },
  });
  return rows.map(toTokenView);
}

/** Revokes a token (kept in the list, marked revoked). Admins may revoke anyone's; others only their own. */
export async function revokeApiToken(
  id: string,
  actor: { id: string; name: string; grants: readonly Grant[] },
  db: PrismaClient = getDb(),
): Promise<{ ok: true; view: ApiTokenView } | { ok: false; code: "NOT_FOUND" | "FORBIDDEN"; message: string }> {
  const row = await db.apiToken.findUnique({ where: { id }, include: { user: { select: { name: true } } } });
  if (!row) return { ok: false, code: "NOT_FOUND", message: "That token does not exist any more. Reload the page." };
  if (row.userId !== actor.id && !hasRole(actor.grants, "*", "admin")) {
    return { ok: false, code: "FORBIDDEN", message: "Only an admin can revoke someone else's token." };
  }
  if (row.revokedAt) return { ok: true, view: toTokenView(row) };
  const updated = await enqueueWrite(() =>
    db.apiToken.update({
      where: { id },
      data: { revokedAt: new Date(), revokedBy: actor.name },
      include: { user: { select: { name: true } } },
    }),
  );
  return { ok: true, view: toTokenView(updated) };
}

/** A token row as read with its owner's name. */
type TokenRow = ApiToken & { user: { name: string } };

function toTokenView(row: TokenRow): ApiTokenView {
  let clusters: string[] = [];
  try {
    clusters = JSON.parse(row.clusters) as string[];
  } catch {
    clusters = [];
  }
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.userId,
    userName: row.user.name,
    clusters,
    role: isRole(row.role) ? row.role : "viewer",
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
    lastUsedAt: row.lastUsedAt,
    isExpired: row.expiresAt !== null && row.expiresAt.getTime() <= Date.now(),
  };
}
