// A real OpenID Connect provider (the npm oidc-provider package) for the single sign-on tests.
//
//   node tests/oidc/provider.mjs PORT
//
// The client comes from OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET and OIDC_TEST_REDIRECT_URI. Its development
// sign-in form accepts any login and password; the login typed there is the account's email address, always
// verified, so a test chooses who signs in by what it types.
import { generateKeyPairSync, randomBytes } from "node:crypto";

import Provider from "oidc-provider";

const port = Number(process.argv[2] || process.env.OIDC_TEST_PORT || 9099);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: "carelead-test", alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID,
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_TEST_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
      id_token_signed_response_alg: "RS256",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  jwks: { keys: [jwk] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  clientBasedCORS: () => false,
  async findAccount(ctx, sub) {
    return { accountId: sub, claims: async () => ({ sub, email: sub, email_verified: true, name: sub }) };
  },
});

const server = provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`oidc-provider listening on ${issuer}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
