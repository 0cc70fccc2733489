/// <reference lib="dom" />
// Who the page acts for. On a hosted project: Supabase Auth (email and password), whose session
// supabase-js keeps in localStorage, refreshes and sends with every call. On the local stack there is no
// Supabase Auth, so the page uses the demo user's token, handed to supabase-js as its access token; the
// function verifies either kind of token the same way (the project's JWKS).

import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { AppConfig } from "./config.ts";

export interface Session {
  supabase: SupabaseClient;
  /** Who is signed in, as the header shows it. */
  who: string;
  signOut(): Promise<void>;
}

/** The `sub` claim of a token, for display only (the function verifies the token; the page does not). */
function subjectOf(jwt: string): string {
  const payload = jwt.split(".")[1]?.replaceAll("-", "+").replaceAll("_", "/") ?? "";
  try {
    return String(JSON.parse(atob(payload)).sub);
  } catch {
    return "(unreadable token)";
  }
}

export function demoSession(config: AppConfig, demoUserJwt: string): Session {
  const supabase = createClient(config.supabaseUrl, config.publishableKey, {
    accessToken: () => Promise.resolve(demoUserJwt),
  });
  return { supabase, who: `demo user ${subjectOf(demoUserJwt)}`, signOut: () => Promise.resolve() };
}

/** The client that signs in with Supabase Auth (hosted projects). */
export function authClient(config: AppConfig): SupabaseClient {
  return createClient(config.supabaseUrl, config.publishableKey);
}

function authSession(supabase: SupabaseClient, who: string): Session {
  return {
    supabase,
    who,
    signOut: async () => {
      await supabase.auth.signOut();
    },
  };
}

/** The session kept from an earlier visit, if it is still there. */
export async function restoredSession(supabase: SupabaseClient): Promise<Session | null> {
  const { data } = await supabase.auth.getSession();
  const user = data.session?.user;
  return user ? authSession(supabase, user.email ?? user.id) : null;
}

/** Signs in with email and password: the session, or Supabase Auth's message when it refused. */
export async function signIn(
  supabase: SupabaseClient,
  email: string,
  password: string,
): Promise<Session | string> {
  const { data, error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) return error.message;
  return authSession(supabase, data.user.email ?? data.user.id);
}
