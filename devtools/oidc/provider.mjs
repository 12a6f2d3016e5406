// A real OpenID Provider (panva/oidc-provider, a certified implementation) on loopback,
// started by the identity tests (tests/identity/conftest.py) in place of Keycloak, which
// cannot be installed here. It speaks the same protocol our code uses with Keycloak:
// discovery, authorization code + PKCE, JWKS (RS256), JWT access tokens with an audience.
//
//   node provider.mjs [--port N] [--web-redirect-uri URL]
//
// Prints one line `READY {"issuer": ...}` on stdout when listening. Test-only controls:
//   POST /__test__/rotate   serve a new signing key first (the old one stays published)
//
// The built-in dev interactions are used: POST the login form with any account id
// ("user-<anything>"), then the consent form. Never run this outside tests.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'web-redirect-uri': { type: 'string', default: 'http://testserver/manager/identity/oidc/callback/' },
  },
});

export const API_RESOURCE = 'https://api.hokwe.test';
export const OTHER_RESOURCE = 'https://other.example.test';

function newKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

// Accounts: any id is accepted by the dev login form; these claims are returned for it.
function account(id) {
  const digits = String(Math.abs([...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7))).padStart(8, '0').slice(-8);
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: `OIDC ${id}`,
        phone_number: `+2290197${digits.slice(-6)}`,
        phone_number_verified: true,
        locale: 'fr',
      };
    },
  };
}

let keys = [newKey()];

function configuration() {
  return {
    clients: [
      {
        // The confidential web client (mozilla-django-oidc on the manager pages).
        client_id: 'hokwe-web',
        client_secret: 'hokwe-web-secret',
        redirect_uris: [args['web-redirect-uri']],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        // The public mobile client: PKCE, no secret.
        client_id: 'hokwe-mobile',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['com.hokwe.app:/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    jwks: { keys },
    findAccount: (ctx, id) => account(id),
    claims: {
      openid: ['sub'],
      profile: ['name', 'locale'],
      phone: ['phone_number', 'phone_number_verified'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'phone', 'api'],
    pkce: { required: () => true },
    ttl: { AccessToken: 900, IdToken: 900, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
    cookies: { keys: ['test-only-cookie-key'] },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, client, oneOf) => oneOf,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resource) => {
          const audience = { [API_RESOURCE]: 'hokwe-api', [OTHER_RESOURCE]: 'other-api' }[resource];
          if (!audience) throw new Provider.errors.InvalidTarget();
          return { scope: 'api', audience, accessTokenTTL: 900, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  };
}

let provider;
let handler;
let issuer;

function build() {
  provider = new Provider(issuer, configuration());
  provider.proxy = true;
  handler = provider.callback();
}

const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/__test__/rotate') {
    keys = [newKey(), ...keys]; // the first key signs; the previous ones stay published
    build();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kid: keys[0].kid }));
    return;
  }
  handler(req, res);
});

server.listen(Number(args.port), '127.0.0.1', () => {
  issuer = `http://127.0.0.1:${server.address().port}`;
  build();
  process.stdout.write(`READY ${JSON.stringify({ issuer, kid: keys[0].kid })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
