// Who a request acts for. Identity comes from the verified JWT — a signed-in user's: role authenticated
// and a uuid subject — or, for callers holding a secret key (a backend service), from the userId they
// must name. User ids are compared and used in lower case, as Postgres prints them.

import type { Caller } from "./verified-tokens.ts";
import { Refusal } from "../refusal.ts";
import type { RouteCall } from "./routes.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses a verified token that is not a signed-in user's (an anon key, a service token, a bad sub). */
export function requireUserToken(auth: Caller): void {
  if (auth.authMode !== "user") return;
  const { role, id } = auth.userClaims ?? {};
  if (role !== "authenticated" || typeof id !== "string" || !UUID.test(id)) {
    throw new Refusal(
      401,
      "invalid_jwt",
      "the token is not a signed-in user's (role authenticated, a uuid sub)",
    );
  }
}

export function actingUserId(requested: string | undefined, auth: Caller): string {
  if (auth.authMode === "secret") {
    if (!requested) {
      throw new Refusal(
        400,
        "user_id_required",
        "a caller with a secret key must name the userId to act for",
      );
    }
    return requested.toLowerCase();
  }
  const userId = auth.userClaims!.id.toLowerCase();
  if (requested && requested.toLowerCase() !== userId) {
    throw new Refusal(403, "user_id_not_allowed", "a signed-in user cannot act for another userId");
  }
  return userId;
}

/** The user a call acts for (as `actingUserId` decides), noted for its log line as the log shows users. */
export async function actingUser(call: RouteCall, requested: string | undefined): Promise<string> {
  const userId = actingUserId(requested, call.auth);
  call.facts.user = await call.deps.userHash(userId);
  return userId;
}
