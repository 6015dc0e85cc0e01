import "server-only";
import { getDb } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/db/generated/client";
import { enqueueWrite } from "@/lib/db/write-queue";
import { hashPassword } from "./secrets";
import { isRole, parseRoleGroups, type Grant, type Role } from "./roles";

/** A user as lib/auth hands it around (never with the password hash). */
export type UserView = {
  id: string;
  subject: string;
  method: string;
  name: string;
  email: string | null;
  groups: string[];
  mustChangePassword: boolean;
  isDisabled: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
};

type UserRow = UserView & { groups: unknown; passwordHash?: string | null };

export function toUserView(row: Omit<UserRow, "groups"> & { groups: string }): UserView {
  return {
    id: row.id,
    subject: row.subject,
    method: row.method,
    name: row.name,
    email: row.email,
    groups: parseGroups(row.groups),
    mustChangePassword: row.mustChangePassword,
    isDisabled: row.isDisabled,
    createdAt: row.createdAt,
    lastSignInAt: row.lastSignInAt,
  };
}

export function parseGroups(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

/** Local usernames: what a person types at sign-in. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,62}$/i;

export function localSubject(username: string): string {
  return `local:${username.toLowerCase()}`;
}

/** Whether the first local admin still has to be created (local sign-in on, no local account yet). */
export async function needsFirstAdmin(db: PrismaClient = getDb()): Promise<boolean> {
  return (await db.user.count({ where: { method: "local" } })) === 0;
}

/**
 * Creates a local account with a scrypt-hashed password and, when `role` is given, a binding to that role on every
 * cluster. Throws when the username is taken.
 */
export async function createLocalUser(
  input: { username: string; name?: string; password: string; mustChangePassword?: boolean; role?: Role; createdBy?: string },
  db: PrismaClient = getDb(),
): Promise<UserView> {
  const passwordHash = await hashPassword(input.password);
  return enqueueWrite(async () => {
    const user = await db.user.create({
      data: {
        subject: localSubject(input.username),
        method: "local",
        name: input.name?.trim() || input.username,
        passwordHash,
        mustChangePassword: input.mustChangePassword ?? false,
      },
    });
    if (input.role) {
      await db.roleBinding.create({
        data: { subjectType: "user", subject: user.id, cluster: "*", role: input.role, origin: "setup", createdBy: input.createdBy ?? null },
      });
    }
    return toUserView(user);
  });
}

/** The local account with its password hash, for sign-in. */
export async function findLocalAccount(username: string, db: PrismaClient = getDb()) {
  return db.user.findUnique({ where: { subject: localSubject(username) } });
}

/** A user row with its password hash (password change). */
export async function findAccountById(id: string, db: PrismaClient = getDb()) {
  return db.user.findUnique({ where: { id } });
}

/** Replaces a local account's password (and clears "must change"). */
export async function setPassword(userId: string, password: string, db: PrismaClient = getDb()): Promise<void> {
  const passwordHash = await hashPassword(password);
  await enqueueWrite(() => db.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } }));
}

/** Creates or refreshes the user row of an OIDC or proxy identity (name, email and groups as the provider sends them now). */
export async function upsertExternalUser(
  input: { subject: string; method: "oidc" | "proxy"; name: string; email: string | null; groups: string[] },
  db: PrismaClient = getDb(),
): Promise<UserView> {
  const data = { name: input.name, email: input.email, groups: JSON.stringify(input.groups), lastSignInAt: new Date() };
  const row = await enqueueWrite(() =>
    db.user.upsert({ where: { subject: input.subject }, update: data, create: { ...data, subject: input.subject, method: input.method } }),
  );
  return toUserView(row);
}

export async function markSignedIn(userId: string, db: PrismaClient = getDb()): Promise<void> {
  await enqueueWrite(() => db.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } }));
}

export async function listUsers(db: PrismaClient = getDb()): Promise<UserView[]> {
  return (await db.user.findMany({ orderBy: { createdAt: "asc" } })).map(toUserView);
}

export async function findUser(id: string, db: PrismaClient = getDb()): Promise<UserView | null> {
  const row = await db.user.findUnique({ where: { id } });
  return row ? toUserView(row) : null;
}

const ROLE_GROUPS_SEEDED = "roleGroupsSeeded";

/**
 * Imports COREDECK_ROLE_GROUPS into the role bindings once per database: afterwards admins edit the mapping in the
 * UI, and a restart does not bring back a binding they removed.
 */
export async function seedRoleGroups(value: string, db: PrismaClient = getDb()): Promise<number> {
  const mappings = parseRoleGroups(value);
  return enqueueWrite(async () => {
    const seen = await db.appSetting.findUnique({ where: { key: ROLE_GROUPS_SEEDED } });
    if (seen) return 0;
    for (const mapping of mappings) {
      await db.roleBinding.upsert({
        where: { subjectType_subject_cluster: { subjectType: "group", subject: mapping.group, cluster: mapping.cluster } },
        update: { role: mapping.role },
        create: { subjectType: "group", subject: mapping.group, cluster: mapping.cluster, role: mapping.role, origin: "env" },
      });
    }
    await db.appSetting.create({ data: { key: ROLE_GROUPS_SEEDED, value: new Date().toISOString() } });
    return mappings.length;
  });
}

/** The grants of a user: bindings to the user itself, to any of its groups, and to the `*` group (everyone signed in). */
export async function loadGrants(userId: string, groups: readonly string[], db: PrismaClient = getDb()): Promise<Grant[]> {
  const bindings = await db.roleBinding.findMany({
    where: {
      OR: [
        { subjectType: "user", subject: userId },
        { subjectType: "group", subject: { in: [...groups, "*"] } },
      ],
    },
    select: { cluster: true, role: true },
  });
  return bindings.filter((binding) => isRole(binding.role)).map((binding) => ({ cluster: binding.cluster, role: binding.role as Role }));
}

export type RoleBindingView = {
  id: string;
  subjectType: "user" | "group";
  subject: string;
  subjectLabel: string;
  cluster: string;
  role: Role;
  origin: string;
  createdAt: Date;
};

export async function listRoleBindings(db: PrismaClient = getDb()): Promise<RoleBindingView[]> {
  const [bindings, users] = await Promise.all([
    db.roleBinding.findMany({ orderBy: [{ subjectType: "asc" }, { subject: "asc" }, { cluster: "asc" }] }),
    db.user.findMany({ select: { id: true, name: true, subject: true } }),
  ]);
  const names = new Map(users.map((user) => [user.id, `${user.name} (${user.subject})`]));
  return bindings.map((binding) => ({
    id: binding.id,
    subjectType: binding.subjectType === "user" ? "user" : "group",
    subject: binding.subject,
    subjectLabel: binding.subjectType === "user" ? (names.get(binding.subject) ?? binding.subject) : binding.subject,
    cluster: binding.cluster,
    role: isRole(binding.role) ? binding.role : "viewer",
    origin: binding.origin,
    createdAt: binding.createdAt,
  }));
}

/** Grants (or changes) a role; one binding per subject and cluster. */
export async function grantRole(
  input: { subjectType: "user" | "group"; subject: string; cluster: string; role: Role; createdBy: string },
  db: PrismaClient = getDb(),
): Promise<void> {
  await enqueueWrite(() =>
    db.roleBinding.upsert({
      where: { subjectType_subject_cluster: { subjectType: input.subjectType, subject: input.subject, cluster: input.cluster } },
      update: { role: input.role },
      create: { ...input, origin: "ui" },
    }),
  );
}

/** Removes a binding; returns it (or null when it was gone already). */
export async function revokeRoleBinding(id: string, db: PrismaClient = getDb()) {
  return enqueueWrite(async () => {
    const binding = await db.roleBinding.findUnique({ where: { id } });
    if (!binding) return null;
    await db.roleBinding.delete({ where: { id } });
    return binding;
  });
}

/** How many user or group bindings give admin on every cluster (the last one may not be removed). */
export async function countGlobalAdminBindings(db: PrismaClient = getDb()): Promise<number> {
  return db.roleBinding.count({ where: { role: "admin", cluster: "*" } });
}
