// Users' access tokens this worker has verified, with their claims. A session sends the same access token
// for up to an hour, and verifying its ES256 signature, with @supabase/server's context around it (two
// supabase-js clients built per request), is about 1.5 ms of CPU, the costliest step before the model
// call. A token seen again is trusted without being verified again, until its `exp` or for at most
// a minute, whichever comes first, so a key taken out of the JWKS stops being trusted soon after.
// Only tokens that verified as a user's are kept (never a failure, an API key or a secret key's
// caller), and at most `capacity` of them, the oldest forgotten first. Per worker, like every cache.

import type { SupabaseContext } from "@supabase/server";

/** What a request's caller is, as the endpoints read it. */
export type Caller = Pick<SupabaseContext, "authMode" | "userClaims" | "jwtClaims" | "authKeyName">;

const TRUSTED_FOR_MS = 60_000;

/** The bearer token of a request, as @supabase/server reads it ("Bearer <token>"), or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  return header?.startsWith("Bearer ") ? header.slice(7) || null : null;
}

export class VerifiedTokens {
  readonly #known = new Map<string, { caller: Caller; until: number }>();

  constructor(readonly capacity = 10_000, readonly now: () => number = Date.now) {}

  /** The caller of a token verified before and still valid, or null (verify it). */
  lookup(token: string | null): Caller | null {
    if (token === null) return null;
    const known = this.#known.get(token);
    if (!known) return null;
    if (this.now() < known.until) return known.caller;
    this.#known.delete(token);
    return null;
  }

  /** Keeps the caller of a token that has just verified as a user's. */
  remember(token: string | null, caller: Caller): void {
    const exp = caller.jwtClaims?.exp;
    if (token === null || caller.authMode !== "user" || typeof exp !== "number") return;
    // jose refuses a token once the current second reaches its exp
    const until = Math.min(exp * 1000, this.now() + TRUSTED_FOR_MS);
    if (until <= this.now()) return;
    if (this.#known.size >= this.capacity) this.#known.delete(this.#known.keys().next().value!);
    const { authMode, userClaims, jwtClaims, authKeyName } = caller;
    this.#known.set(token, { caller: { authMode, userClaims, jwtClaims, authKeyName }, until });
  }
}
