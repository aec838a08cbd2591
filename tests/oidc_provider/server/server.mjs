// A real OpenID Connect provider for the tests (npm's certified `oidc-provider`), configured from a
// JSON file: node server.mjs config.json. It signs with a key made at start, so a restart with the
// same port is a key rotation, and it counts the requests for its key set.
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { issuer, port, audience, resource, algorithm } = config;

async function signingKey(alg) {
  const options = alg === 'ES256' ? { extractable: true } : { modulusLength: 2048, extractable: true };
  const { privateKey } = await generateKeyPair(alg, options);
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}` };
}

// The access token's signing key comes first; the other algorithm is published beside it.
const other = algorithm === 'ES256' ? 'RS256' : 'ES256';
const keys = [await signingKey(algorithm), await signingKey(other)];

// Claims by client (client credentials) and by account (the code flow's signed-in person).
const clientClaims = Object.fromEntries(config.clients.map((client) => [client.client_id, client.claims || {}]));
const accounts = config.accounts;

const clients = config.clients.map((client) => ({
  client_id: client.client_id,
  client_secret: client.client_secret,
  grant_types: client.grant_types,
  response_types: client.grant_types.includes('authorization_code') ? ['code'] : [],
  redirect_uris: client.redirect_uris || [],
  post_logout_redirect_uris: client.post_logout_redirect_uris || [],
  token_endpoint_auth_method: 'client_secret_basic',
  id_token_signed_response_alg: algorithm,
}));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys },
  pkce: { required: () => true },
  ttl: {
    AccessToken: config.access_token_seconds || 3600,
    ClientCredentials: config.access_token_seconds || 3600,
    IdToken: 3600,
    Session: config.session_seconds || 8 * 3600,
    Grant: 8 * 3600,
    Interaction: 3600,
    AuthorizationCode: 60,
  },
  claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'regiepunt',
        audience,
        accessTokenTTL: config.access_token_seconds || 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: algorithm } },
      }),
    },
  },
  // The point's pages are a first-party client: no consent screen, everything granted at sign-in.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email');
    grant.addResourceScope(resource, 'regiepunt');
    await grant.save();
    return grant;
  },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: account.name || id, email: `${id}@example.test` };
      },
    };
  },
  async extraTokenClaims(_ctx, token) {
    if (token.kind === 'ClientCredentials') return clientClaims[token.clientId];
    if (token.accountId && accounts[token.accountId]) return accounts[token.accountId].claims;
    return undefined;
  },
});

// The tests count how often the services fetch the key set (one fetch for many unknown kids).
let jwksRequests = 0;
provider.use(async (ctx, next) => {
  if (ctx.path === '/jwks') jwksRequests += 1;
  if (ctx.path === '/_test/stats') {
    ctx.body = { jwks_requests: jwksRequests, kids: keys.map((key) => key.kid) };
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`identity provider ready at ${issuer}`);
});
