import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";

/** The people of the test identity provider and the groups its `groups` claim gives them. */
export const OIDC_ACCOUNTS: Record<string, { name: string; email: string; groups: string[] }> = {
  vera: { name: "Vera Viewer", email: "vera@example.test", groups: ["dns-viewers"] },
  eddie: { name: "Eddie Editor", email: "eddie@example.test", groups: ["dns-editors"] },
};

/**
 * A real OpenID provider (the `oidc-provider` package, with its development login and consent pages) on 127.0.0.1,
 * at the issuer playwright.config.ts gave the app. Coredeck is registered as a public client using PKCE.
 */
export async function startOidcProvider(appUrl: string): Promise<{ issuer: string; close(): Promise<void> }> {
  const port = Number(process.env.E2E_OIDC_PORT);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "coredeck-e2e",
        token_endpoint_auth_method: "none",
        redirect_uris: [`${appUrl}/auth/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["name"], email: ["email"], groups: ["groups"] },
    scopes: ["openid", "profile", "email", "groups"],
    cookies: { keys: ["e2e-only-cookie-key-0123456789"] },
    pkce: { required: () => true },
    async findAccount(_context, id) {
      const account = OIDC_ACCOUNTS[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, name: account.name, email: account.email, groups: account.groups }) };
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
