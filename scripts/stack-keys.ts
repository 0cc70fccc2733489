// The local stack's credentials: an ES256 signing key (its public half is SUPABASE_JWKS), a
// publishable and a secret API key, and user access tokens shaped like Supabase Auth's.
//
//   stack-keys.ts init <keys.json>                          create the file unless it exists
//   stack-keys.ts env <keys.json> <supabase-url> [--from-env]   print the stack.env lines for the keys
//   stack-keys.ts token <keys.json> <user-uuid> <issuer-url> [ttl-seconds]
//
// With --from-env (a stack on an existing database), SUPABASE_JWKS, SUPABASE_PUBLISHABLE_KEY and
// SUPABASE_SECRET_KEY from the environment replace the generated ones; the demo token is then signed
// with SUPABASE_JWT_PRIVATE_JWK, or not minted when that is absent.

import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

export interface StackKeys {
  privateJwk: JWK;
  jwks: { keys: JWK[] };
  publishableKey: string;
  secretKey: string;
  demoUserId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function randomKeyBody(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export async function createStackKeys(): Promise<StackKeys> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = crypto.randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: "ES256", use: "sig" };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig", key_ops: ["verify"] };
  return {
    privateJwk,
    jwks: { keys: [publicJwk] },
    publishableKey: `sb_publishable_${randomKeyBody()}`,
    secretKey: `sb_secret_${randomKeyBody()}`,
    demoUserId: crypto.randomUUID(),
  };
}

/** A user access token with the claims Supabase Auth puts in one. */
export async function mintUserToken(
  privateJwk: JWK,
  userId: string,
  issuer: string,
  ttlSeconds = 3600,
): Promise<string> {
  if (!UUID.test(userId)) throw new Error(`not a user id (uuid): ${userId}`);
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT({
    email: `${userId.slice(0, 8)}@example.test`,
    phone: "",
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    role: "authenticated",
    aal: "aal1",
    amr: [{ method: "password", timestamp: now }],
    session_id: crypto.randomUUID(),
    is_anonymous: false,
  })
    .setProtectedHeader({ alg: "ES256", kid: privateJwk.kid, typ: "JWT" })
    .setIssuer(issuer)
    .setSubject(userId)
    .setAudience("authenticated")
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(await importJWK(privateJwk, "ES256"));
}

export async function readStackKeys(path: string): Promise<StackKeys> {
  return JSON.parse(await Deno.readTextFile(path));
}

/** The key variables of stack.env, one `NAME='value'` line each. */
export async function stackEnvLines(keys: StackKeys, supabaseUrl: string, env?: Deno.Env): Promise<string[]> {
  const jwks = env?.get("SUPABASE_JWKS") ?? JSON.stringify(keys.jwks);
  const publishableKey = env?.get("SUPABASE_PUBLISHABLE_KEY") ?? keys.publishableKey;
  const secretKey = env?.get("SUPABASE_SECRET_KEY") ?? keys.secretKey;
  const externalSigner = env?.get("SUPABASE_JWT_PRIVATE_JWK");
  const signer = env?.get("SUPABASE_JWKS")
    ? (externalSigner ? JSON.parse(externalSigner) : null)
    : keys.privateJwk;
  const demoJwt = signer
    ? await mintUserToken(signer, keys.demoUserId, `${supabaseUrl}/auth/v1`, 86_400)
    : "";
  const values: Record<string, string> = {
    SUPABASE_PUBLISHABLE_KEY: publishableKey,
    SUPABASE_SECRET_KEY: secretKey,
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: publishableKey }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: secretKey }),
    SUPABASE_JWKS: jwks,
    DEMO_USER_ID: keys.demoUserId,
    DEMO_USER_JWT: demoJwt,
  };
  return Object.entries(values).map(([name, value]) => `${name}='${value}'`);
}

if (import.meta.main) {
  const [command, path, ...rest] = Deno.args;
  if (command === "init" && path) {
    try {
      await Deno.stat(path);
    } catch {
      await Deno.writeTextFile(path, JSON.stringify(await createStackKeys(), null, 2), { mode: 0o600 });
    }
  } else if (command === "env" && path && rest[0]) {
    const fromEnv = rest[1] === "--from-env" ? Deno.env : undefined;
    console.log((await stackEnvLines(await readStackKeys(path), rest[0], fromEnv)).join("\n"));
  } else if (command === "token" && path && rest.length >= 2) {
    const [userId, issuer, ttl] = rest;
    const keys = await readStackKeys(path);
    console.log(await mintUserToken(keys.privateJwk, userId, issuer, ttl ? Number(ttl) : undefined));
  } else {
    console.error(
      "usage: stack-keys.ts init <keys.json> | env <keys.json> <url> [--from-env] | token <keys.json> <uuid> <issuer> [ttl]",
    );
    Deno.exit(2);
  }
}
