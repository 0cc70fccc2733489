/// <reference lib="dom" />
// Where the project is: config.json beside the page, written by build.mjs from the environment, so one
// bundle serves any project. On the local stack it also holds the demo user's token (there is no
// Supabase Auth there to sign in with).

import { z } from "zod";

const ConfigSchema = z.object({
  supabaseUrl: z.url(),
  publishableKey: z.string().min(1),
  /** Only on the local stack: the page signs in as the demo user with it. */
  demoUserJwt: z.string().min(1).optional(),
});
export type AppConfig = z.infer<typeof ConfigSchema>;

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: ${response.status} ${response.statusText}`);
  return ConfigSchema.parse(await response.json());
}
