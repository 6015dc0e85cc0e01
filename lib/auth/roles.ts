/** What a person may do on a cluster. Each role includes the ones before it. */
export type Role = "viewer" | "editor" | "admin";

export const ROLES: readonly Role[] = ["viewer", "editor", "admin"];

/** One grant: a role on a cluster (by name) or on every cluster (`*`). */
export type Grant = { cluster: string; role: Role };

/** What each role allows, as shown in the UI. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "read everything",
  editor: "apply and roll back Corefiles",
  admin: "manage users, roles, tokens and settings",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** -1 for none, then 0 viewer, 1 editor, 2 admin. */
export function rankOf(role: Role | null): number {
  return role === null ? -1 : ROLES.indexOf(role);
}

/** The strongest role the grants give on `cluster` (`*` asks for a role on every cluster: only `*` grants count). */
export function roleOn(grants: readonly Grant[], cluster: string): Role | null {
  let best: Role | null = null;
  for (const grant of grants) {
    if (grant.cluster !== "*" && grant.cluster !== cluster) continue;
    if (rankOf(grant.role) > rankOf(best)) best = grant.role;
  }
  return best;
}

/** Whether the grants give at least `role` on `cluster`. */
export function hasRole(grants: readonly Grant[], cluster: string, role: Role): boolean {
  return rankOf(roleOn(grants, cluster)) >= rankOf(role);
}

/** Whether the grants give at least `role` on some cluster (for pages that span clusters, e.g. the audit trail). */
export function hasRoleAnywhere(grants: readonly Grant[], role: Role): boolean {
  return grants.some((grant) => rankOf(grant.role) >= rankOf(role));
}

/** One line of COREDECK_ROLE_GROUPS: `group=role` or `group@cluster=role`; `*` as the group means everyone signed in. */
export type GroupRoleMapping = { group: string; cluster: string; role: Role };

/**
 * Parses COREDECK_ROLE_GROUPS, e.g. `platform-admins=admin,platform=editor,dns@prod=editor,*=viewer`.
 * Throws with the offending entry when one cannot be read.
 */
export function parseRoleGroups(value: string): GroupRoleMapping[] {
  const mappings: GroupRoleMapping[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const match = /^([^=@]+?)(?:@([^=]+))?=(\w+)$/.exec(entry);
    const role = match?.[3]?.toLowerCase();
    if (!match || !isRole(role)) {
      throw new Error(
        `COREDECK_ROLE_GROUPS: cannot read "${entry}". Write group=role or group@cluster=role, with role viewer, editor or admin.`,
      );
    }
    mappings.push({ group: match[1]!.trim(), cluster: match[2]?.trim() || "*", role });
  }
  return mappings;
}

/** Grants cut down so that none exceeds what `ceiling` gives on the same cluster (a token never outranks its owner). */
export function capGrants(grants: readonly Grant[], ceiling: readonly Grant[]): Grant[] {
  const capped: Grant[] = [];
  for (const grant of grants) {
    if (grant.cluster === "*") {
      // A `*` grant holds on each cluster only up to the owner's role there; keep the owner's own grants, capped.
      for (const own of ceiling) {
        const role = rankOf(own.role) < rankOf(grant.role) ? own.role : grant.role;
        capped.push({ cluster: own.cluster, role });
      }
      continue;
    }
    const ownRole = roleOn(ceiling, grant.cluster);
    if (ownRole === null) continue;
    capped.push({ cluster: grant.cluster, role: rankOf(ownRole) < rankOf(grant.role) ? ownRole : grant.role });
  }
  return capped;
}
