/** Who is acting. Until sign-in exists, every request is the one local user the demo runs as. */
export type CurrentUser = { id: string; name: string };

/**
 * The user of this request. Sign-in (OIDC, proxy headers, local accounts) replaces this; until then
 * `COREDECK_USER` names the single local user, so revisions carry a recognisable author.
 */
export async function getCurrentUser(): Promise<CurrentUser> {
  const name = process.env.COREDECK_USER?.trim() || "local admin";
  return { id: "local", name };
}
