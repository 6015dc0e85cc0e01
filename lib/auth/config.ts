import { z } from "zod";

/** A sign-in method that COREDECK_AUTH can enable. */
export type AuthMethod = "local" | "oidc" | "proxy";

/** Everything the environment says about sign-in (variable names fixed by the auth contract, README "Sign-in, roles and audit"). */
export type AuthConfig = {
  methods: AuthMethod[];
  /** `COREDECK_PUBLIC_URL` without a trailing slash, or null (then the request's own host is used). */
  publicUrl: string | null;
  /** Origins (scheme://host[:port]) allowed to send Server Actions and REST writes besides the request's own host. */
  allowedOrigins: string[];
  isSecureCookie: boolean;
  sessionHours: number;
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string | null;
    scopes: string;
    groupsClaim: string;
  } | null;
  proxy: { trustedAddresses: string[]; secret: string | null };
  roleGroups: string;
  adminPassword: string | null;
};

const METHODS: readonly AuthMethod[] = ["local", "oidc", "proxy"];

/**
 * Reads the sign-in configuration. A setting that cannot work (an unknown method, OIDC without issuer or client id,
 * the proxy method without trusted addresses or secret) throws with a message that names the variable to fix.
 */
export function readAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const methods = splitList(env.COREDECK_AUTH ?? "local").map((method) => method.toLowerCase());
  for (const method of methods) {
    if (!METHODS.includes(method as AuthMethod)) {
      throw new Error(`COREDECK_AUTH names an unknown sign-in method "${method}". Use a comma list of: local, oidc, proxy.`);
    }
  }
  if (methods.length === 0) throw new Error("COREDECK_AUTH is empty. Enable at least one of: local, oidc, proxy.");

  const publicUrl = readPublicUrl(env.COREDECK_PUBLIC_URL);
  const allowedOrigins = [
    ...(publicUrl ? [publicUrl] : []),
    ...splitList(env.COREDECK_ALLOWED_ORIGINS ?? "").map((origin) => {
      const parsed = readPublicUrl(origin, "COREDECK_ALLOWED_ORIGINS");
      return parsed ?? origin;
    }),
  ];
  const hours = Number(env.COREDECK_SESSION_HOURS ?? 12);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 366) {
    throw new Error(`COREDECK_SESSION_HOURS must be a number of hours above 0 (got "${env.COREDECK_SESSION_HOURS}").`);
  }

  let oidc: AuthConfig["oidc"] = null;
  if (methods.includes("oidc")) {
    const issuer = env.COREDECK_OIDC_ISSUER?.trim();
    const clientId = env.COREDECK_OIDC_CLIENT_ID?.trim();
    if (!issuer || !clientId) {
      throw new Error("COREDECK_AUTH enables oidc: set COREDECK_OIDC_ISSUER and COREDECK_OIDC_CLIENT_ID as well.");
    }
    oidc = {
      issuer,
      clientId,
      clientSecret: env.COREDECK_OIDC_CLIENT_SECRET?.trim() || null,
      scopes: env.COREDECK_OIDC_SCOPES?.trim() || "openid profile email groups",
      groupsClaim: env.COREDECK_OIDC_GROUPS_CLAIM?.trim() || "groups",
    };
  }
  const proxy = {
    trustedAddresses: splitList(env.COREDECK_PROXY_TRUSTED_ADDRESSES ?? ""),
    secret: env.COREDECK_PROXY_SECRET?.trim() || null,
  };
  if (methods.includes("proxy") && proxy.trustedAddresses.length === 0 && !proxy.secret) {
    throw new Error("COREDECK_AUTH enables proxy: set COREDECK_PROXY_TRUSTED_ADDRESSES or COREDECK_PROXY_SECRET, or anyone could claim any name.");
  }
  return {
    methods: methods as AuthMethod[],
    publicUrl,
    allowedOrigins,
    isSecureCookie: publicUrl?.startsWith("https://") ?? false,
    sessionHours: hours,
    oidc,
    proxy,
    roleGroups: env.COREDECK_ROLE_GROUPS ?? "",
    adminPassword: env.COREDECK_ADMIN_PASSWORD || null,
  };
}

const urlSchema = z.url({ protocol: /^https?$/ });

function readPublicUrl(value: string | undefined, name = "COREDECK_PUBLIC_URL"): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  if (!urlSchema.safeParse(trimmed).success) {
    throw new Error(`${name} must be an http(s) URL such as https://coredeck.example.com (got "${trimmed}").`);
  }
  return new URL(trimmed).origin;
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
