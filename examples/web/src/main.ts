/// <reference lib="dom" />
// The example app: sign in, then two views — Generate (a request, its stages live, the result, accept
// or reject) and Monitoring (the user's own figures as charts).

import type { SupabaseClient } from "@supabase/supabase-js";
import { type AppConfig, loadConfig } from "./config.ts";
import { h } from "./dom.ts";
import { runView } from "./run-view.ts";
import { authClient, demoSession, restoredSession, type Session, signIn } from "./session.ts";
import { statsView } from "./stats-view.ts";

const app = document.getElementById("app")!;

/** How the page signs in: as the demo user (local stack), or with Supabase Auth's client (hosted). */
type SignIn = { demo: Session } | { supabase: SupabaseClient };

function signInView(how: SignIn): HTMLElement {
  if ("demo" in how) {
    return h(
      "section",
      { className: "sign-in" },
      h("h2", {}, "Sign in"),
      h("p", {}, "The local stack has no Supabase Auth: the page signs in with the demo user's token."),
      h(
        "button",
        {
          attrs: { type: "button" },
          data: { action: "demo-sign-in" },
          on: { click: () => showApp(how, how.demo) },
        },
        "Sign in as the demo user",
      ),
    );
  }
  const { supabase } = how;
  const email = h("input", {
    attrs: { type: "email", name: "email", required: "", autocomplete: "username" },
  });
  const password = h("input", {
    attrs: { type: "password", name: "password", required: "", autocomplete: "current-password" },
  });
  const status = h("p", { className: "status", attrs: { role: "alert" } });
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    status.textContent = "Signing in…";
    const session = await signIn(supabase, email.value, password.value);
    if (typeof session === "string") status.textContent = session;
    else showApp(how, session);
  };
  return h(
    "form",
    { className: "sign-in", on: { submit } },
    h("h2", {}, "Sign in"),
    h("label", {}, "Email ", email),
    h("label", {}, "Password ", password),
    h("button", { attrs: { type: "submit" } }, "Sign in"),
    status,
  );
}

function showSignIn(how: SignIn) {
  app.replaceChildren(signInView(how));
}

function showApp(how: SignIn, session: Session) {
  const run = runView(session.supabase);
  const stats = statsView(session.supabase);
  const tabs = [
    h("button", { attrs: { type: "button" }, data: { tab: "run" } }, "Generate"),
    h("button", { attrs: { type: "button" }, data: { tab: "stats" } }, "Monitoring"),
  ];
  const show = (tab: "run" | "stats") => {
    for (const button of tabs) button.toggleAttribute("aria-current", button.dataset.tab === tab);
    run.hidden = tab !== "run";
    stats.element.hidden = tab !== "stats";
    if (tab === "stats") stats.refresh();
  };
  tabs[0].addEventListener("click", () => show("run"));
  tabs[1].addEventListener("click", () => show("stats"));
  const signOut = h("button", { className: "secondary", attrs: { type: "button" } }, "Sign out");
  signOut.addEventListener("click", async () => {
    await session.signOut();
    showSignIn(how);
  });
  app.replaceChildren(
    h(
      "header",
      {},
      h("nav", {}, ...tabs),
      h("span", { className: "who", data: { who: "" } }, session.who),
      signOut,
    ),
    run,
    stats.element,
  );
  show("run");
}

async function start() {
  let config: AppConfig;
  try {
    config = await loadConfig();
  } catch (failure) {
    app.replaceChildren(h("p", { className: "error" }, `The page has no usable config.json: ${failure}`));
    return;
  }
  if (config.demoUserJwt) return showSignIn({ demo: demoSession(config, config.demoUserJwt) });
  // One Supabase Auth client for the page's life: it holds (and refreshes) the session.
  const how = { supabase: authClient(config) };
  const restored = await restoredSession(how.supabase);
  if (restored) showApp(how, restored);
  else showSignIn(how);
}

start();
