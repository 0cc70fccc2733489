// Who a request acts for. Identity comes from the verified JWT; a userId in the request is honoured only
// for callers holding a secret key (a backend service), who must name one.

import type { SupabaseContext } from "@supabase/server";
import { Refusal } from "../refusal.ts";

export function actingUserId(requested: string | undefined, auth: SupabaseContext): string {
  if (auth.authMode === "secret") {
    if (!requested) {
      throw new Refusal(
        400,
        "user_id_required",
        "a caller with a secret key must name the userId to act for",
      );
    }
    return requested;
  }
  const userId = auth.userClaims!.id;
  if (requested && requested !== userId) {
    throw new Refusal(403, "user_id_not_allowed", "a signed-in user cannot act for another userId");
  }
  return userId;
}
