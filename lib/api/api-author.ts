import "server-only";
import { getCurrentUser } from "@/lib/auth/current-user";

/**
 * The author a REST write is recorded under. Until sign-in exists this is the local user the dashboard also acts
 * as (`COREDECK_USER`); an API token's user replaces it here, and only here.
 */
export async function resolveApiAuthor(_request: Request): Promise<string> {
  const user = await getCurrentUser();
  return user.name;
}
