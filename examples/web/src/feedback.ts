/// <reference lib="dom" />
// Accepting or rejecting a result (POST …/feedback). A rejection counts as a failure of the model that
// produced it, so what the user says moves the statistics the next plan is made from. A second answer
// replaces the first.

import type { SupabaseClient } from "@supabase/supabase-js";
import { sendFeedback } from "../../../shared/mod.ts";
import { h } from "./dom.ts";

export function feedbackPanel(supabase: SupabaseClient, requestId: string): HTMLElement {
  const rating = h(
    "select",
    { attrs: { name: "rating" } },
    h("option", { attrs: { value: "" } }, "no rating"),
    ...[5, 4, 3, 2, 1].map((value) => h("option", { attrs: { value: String(value) } }, `${value} / 5`)),
  );
  const comment = h("input", {
    attrs: { name: "comment", maxlength: "2000", placeholder: "comment (optional)" },
  });
  const status = h("p", { className: "status", attrs: { role: "status" } });

  const answer = async (accepted: boolean) => {
    for (const button of buttons) button.disabled = true;
    status.textContent = "Sending…";
    const { data, error } = await sendFeedback(supabase, {
      requestId,
      accepted,
      rating: rating.value ? Number(rating.value) : undefined,
      comment: comment.value.trim() || undefined,
    });
    for (const button of buttons) button.disabled = false;
    if (error) {
      status.textContent = `Not recorded: ${error.status} ${error.code}: ${error.message}`;
      delete status.dataset.feedback;
      return;
    }
    status.dataset.feedback = data.accepted ? "accepted" : "rejected";
    status.textContent = `${data.accepted ? "Accepted" : "Rejected"}, recorded ${
      new Date(data.createdAt).toLocaleString()
    }${data.replaced ? " (it replaces your earlier answer)" : ""}.`;
  };

  const buttons = [
    h(
      "button",
      { attrs: { type: "button" }, data: { action: "accept" }, on: { click: () => answer(true) } },
      "Accept",
    ),
    h(
      "button",
      {
        className: "secondary",
        attrs: { type: "button" },
        data: { action: "reject" },
        on: { click: () => answer(false) },
      },
      "Reject",
    ),
  ];

  return h(
    "section",
    { className: "feedback", data: { section: "feedback" } },
    h("h3", {}, "Keep this result?"),
    h("div", { className: "row" }, ...buttons, rating, comment),
    status,
  );
}
