import "server-only";
import * as oidc from "openid-client";
import type { AuthConfig } from "./config";

/** The short-lived cookie that carries one sign-in's state, nonce and PKCE verifier from /auth/oidc/login to the callback. */
export const OIDC_TRANSACTION_COOKIE = "coredeck_oidc";

export type OidcTransaction = { state: string; nonce: string; verifier: string; next: string };

export type OidcIdentity = { subject: string; name: string; email: string | null; groups: string[] };

type OidcSettings = NonNullable<AuthConfig["oidc"]>;

const globalForOidc = globalThis as unknown as { coredeckOidc?: { key: string; config: Promise<oidc.Configuration> } };

/**
 * The provider's configuration from its discovery document (`<issuer>/.well-known/openid-configuration`), fetched on
 * first use and kept; a failed discovery is retried at the next sign-in.
 */
export function discoverProvider(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer}|${settings.clientId}`;
  if (globalForOidc.coredeckOidc?.key === key) return globalForOidc.coredeckOidc.config;
  const issuer = new URL(settings.issuer);
  const config = oidc.discovery(
    issuer,
    settings.clientId,
    settings.clientSecret ?? undefined,
    // Without a secret Coredeck is a public client: PKCE protects the code exchange.
    settings.clientSecret ? undefined : oidc.None(),
    issuer.protocol === "http:" ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  globalForOidc.coredeckOidc = { key, config };
  config.catch(() => {
    if (globalForOidc.coredeckOidc?.config === config) globalForOidc.coredeckOidc = undefined;
  });
  return config;
}

/** Starts a sign-in: the provider URL to send the browser to, and the transaction to keep in a cookie until it comes back. */
export async function startOidcSignIn(
  settings: OidcSettings,
  redirectUri: string,
  next: string,
): Promise<{ url: URL; transaction: OidcTransaction }> {
  const config = await discoverProvider(settings);
  const verifier = oidc.randomPKCECodeVerifier();
  const transaction: OidcTransaction = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier, next };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scopes,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: transaction.state,
    nonce: transaction.nonce,
  });
  return { url, transaction };
}

/**
 * Finishes a sign-in at the callback: exchanges the code (checking state, nonce and the PKCE verifier, and the ID
 * token's signature, issuer, audience and expiry), then reads name, email and groups from the ID token, or from the
 * userinfo endpoint when the ID token leaves them out.
 */
export async function finishOidcSignIn(settings: OidcSettings, callbackUrl: URL, transaction: OidcTransaction): Promise<OidcIdentity> {
  const config = await discoverProvider(settings);
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: transaction.verifier,
    expectedState: transaction.state,
    expectedNonce: transaction.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error("the provider returned no ID token");
  let claims: Record<string, unknown> = { ...idClaims };
  const needsUserInfo = claims[settings.groupsClaim] === undefined || claims.email === undefined || claims.name === undefined;
  if (needsUserInfo && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    claims = { ...userInfo, ...claims, [settings.groupsClaim]: claims[settings.groupsClaim] ?? userInfo[settings.groupsClaim] };
  }
  const email = typeof claims.email === "string" ? claims.email : null;
  const name =
    (typeof claims.name === "string" && claims.name) ||
    (typeof claims.preferred_username === "string" && claims.preferred_username) ||
    email ||
    idClaims.sub;
  return { subject: `oidc:${idClaims.sub}`, name, email, groups: readGroups(claims[settings.groupsClaim]) };
}

/** Groups as providers send them: an array of strings, or one comma-separated string. */
export function readGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string" && item.length > 0);
  if (typeof value === "string") return value.split(",").map((item) => item.trim()).filter(Boolean);
  return [];
}

export function encodeTransaction(transaction: OidcTransaction): string {
  return Buffer.from(JSON.stringify(transaction)).toString("base64url");
}

export function decodeTransaction(value: string | undefined): OidcTransaction | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<OidcTransaction>;
    if (typeof parsed.state !== "string" || typeof parsed.nonce !== "string" || typeof parsed.verifier !== "string") return null;
    return { state: parsed.state, nonce: parsed.nonce, verifier: parsed.verifier, next: typeof parsed.next === "string" ? parsed.next : "/" };
  } catch {
    return null;
  }
}

/** This server's external base URL: COREDECK_PUBLIC_URL, else what the request says it was sent to. */
export function readPublicBase(config: Pick<AuthConfig, "publicUrl">, headers: Headers, requestUrl: string): string {
  if (config.publicUrl) return config.publicUrl;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || new URL(requestUrl).protocol.replace(":", "");
  return host ? `${proto}://${host}` : new URL(requestUrl).origin;
}
