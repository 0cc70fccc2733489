// The example app (examples/web) in a real browser — Debian's Chromium, driven by playwright-core —
// against the stack's function and database: the demo user signs in, submits a request and sees its
// stages on the page before the result, reads the files and the breakdown, accepts the result (the
// feedback row must then be in Postgres), and finds their own figures in the monitoring charts. A
// model's hostile output must show as text and run nothing. Screenshots of both views are left in
// .local/<stack>/example-app.png and example-app-monitoring.png.

import assert from "node:assert/strict";
import { dirname } from "node:path";
import { type OrchestrateResponse, readEventStream, type ServerSentEvent } from "../shared/mod.ts";
import { score } from "../examples/web/src/format.ts";
import {
  type Appearance,
  APPEARANCE_RECORDER,
  launchChromium,
  type Page,
  recordEventStreams,
  serveExampleApp,
} from "./support/browser.ts";
import { injectFault, marker, recordedRows, type Sql, stack, stackTest } from "./support/stack.ts";

function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: run the tests with npm test, which starts the stack`);
  return value;
}

const demoUserId = env("DEMO_USER_ID");
/** The stack's state folder, .local/<stack>/ (where its keys are). */
const screenshots = dirname(stack.keysFile);

/** Serves the page, opens it in Chromium with the appearance recorder, runs `use`, and checks that the
 * page neither threw nor logged an error on the way. */
async function withExampleApp(use: (page: Page) => Promise<void>) {
  const app = await serveExampleApp({
    SUPABASE_URL: stack.url,
    SUPABASE_PUBLISHABLE_KEY: stack.publishableKey,
    DEMO_USER_JWT: env("DEMO_USER_JWT"),
  });
  const { browser, close } = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    await page.addInitScript(APPEARANCE_RECORDER);
    await page.goto(app.url);
    await use(page);
    assert.deepEqual(problems, [], "the page neither threw nor logged an error");
  } finally {
    await close();
    await app.stop();
  }
}

async function signIn(page: Page) {
  await page.click("[data-action=demo-sign-in]");
  assert.equal(await page.textContent("[data-who]"), `demo user ${demoUserId}`);
}

/** Types a request into the form with the given mode (and tier, and review) and submits it; returns the
 * event stream the page read, as the browser received it, once the page shows the result. */
async function submit(
  page: Page,
  request: string,
  options: { mode: string; tier?: string; verify?: boolean },
): Promise<{ events: ServerSentEvent[]; result: OrchestrateResponse }> {
  await page.fill("textarea[name=request]", request);
  await page.selectOption("select[name=mode]", options.mode);
  if (options.tier) await page.selectOption("select[name=tier]", options.tier);
  if (options.verify) await page.check("input[name=verify]");
  const streams = await recordEventStreams(page);
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-result]", { timeout: 30_000 });
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(new Response(await streams.last()).body!)) events.push(event);
  const result = events.find((event) => event.event === "result")?.data as OrchestrateResponse | undefined;
  assert.ok(result, `the stream ended with a result, not ${JSON.stringify(events.at(-1))}`);
  return { events, result };
}

/** The bars of one of the page's charts: label → value and tooltip. */
async function chartBars(page: Page, chart: string) {
  const bars = new Map<string, { value: number; title: string }>();
  for (const bar of await page.locator(`[data-chart="${chart}"] .bar`).all()) {
    bars.set((await bar.getAttribute("data-label"))!, {
      value: Number(await bar.getAttribute("data-value")),
      title: (await bar.locator("title").textContent())!,
    });
  }
  return bars;
}

/** The demo user's figures over the last 30 days, straight from their rows: what the charts must show. */
async function demoUserFigures(sql: Sql) {
  const mine = () => sql`user_id = ${demoUserId} and created_at > now() - interval '30 days'`;
  const [models, days, approaches, [requests]] = await Promise.all([
    sql`select model_name as label, count(*)::int as count,
          coalesce(round(avg(quality_score) filter (where success), 2), 0)::float8 as value
        from public.model_performance where ${mine()} and public.is_model_evidence(error_class) group by 1`,
    sql`select to_char((created_at at time zone 'utc')::date, 'YYYY-MM-DD') as label, count(*)::int as count,
          round(sum(cost_usd), 6)::float8 as value
        from public.model_performance where ${mine()} group by 1`,
    sql`select approach as label, count(*)::int as count,
          round(100.0 * count(*) filter (where success) / count(*), 2)::float8 as value
        from public.model_performance where ${mine()} and public.is_model_evidence(error_class) group by 1`,
    sql`select count(*)::int as count from public.model_selections where ${mine()}`,
  ]);
  return { models, days, approaches, requests: requests.count as number };
}

// First, so that the next test's monitoring view has more than one request to chart.
stackTest("a model's hostile output shows on the page as text and runs nothing", async () => {
  const ref = marker();
  const hostile = [
    { path: 'src/<img src=x onerror="window.__pwned=1">.tsx', content: "export const x = 1;\n" },
    {
      path: "index.html",
      content: '<script>window.__pwned = 2</script><img src=x onerror="window.__pwned = 3">',
    },
  ];
  // Every attempt of the request writes these files: simple ones in one call, progressive ones per batch.
  for (const kind of ["files", "batch"] as const) {
    await injectFault({
      fault: "answer",
      text: JSON.stringify({ files: hostile }),
      match: ref,
      kind,
      times: 20,
    });
  }
  await withExampleApp(async (page) => {
    await signIn(page);
    // Parallel: no refinement round, whose rewrite could win, so the hostile files are the result's.
    const { result } = await submit(page, `Build a landing page (${ref})`, { mode: "parallel" });
    assert.deepEqual(
      result.files.map((file) => file.path).toSorted(),
      hostile.map((file) => file.path).toSorted(),
    );
    const names = await page.locator("[data-section=files] button[data-path]").allTextContents();
    assert.ok(names.includes('<img src=x onerror="window.__pwned=1">.tsx'), `the name as written: ${names}`);
    await page.click('[data-section=files] button[data-path="index.html"]');
    assert.equal(await page.textContent("[data-section=files] pre code"), hostile[1].content);
    assert.equal(
      await page.locator("[data-result] img, [data-result] script").count(),
      0,
      "no element was made of it",
    );
    assert.equal(await page.evaluate("typeof window.__pwned"), "undefined", "none of it ran");
  });
});

stackTest(
  "the example app in Chromium: live stages, the result, accept, the monitoring charts",
  async (sql, t) => {
    await withExampleApp(async (page) => {
      await t.step("signs in as the demo user", () => signIn(page));

      let run!: Awaited<ReturnType<typeof submit>>;
      await t.step("the stages appear as they happen, before the result", async () => {
        // With a review, a model call stands between the last attempt's end and the result, so the two
        // never arrive in one network read: a page that showed them together would have buffered them.
        run = await submit(page, `Build a habit tracker with charts (${marker()})`, {
          mode: "sequential",
          tier: "balanced",
          verify: true,
        });
        const seen = await page.evaluate("window.__appearances") as Appearance[];
        assert.deepEqual(
          seen.map((appearance) => appearance.what),
          [...run.events.filter((event) => event.event !== "result").map((event) => event.event), "result"],
          "every progress event of the stream was shown, in order, then the result",
        );
        const turnOf = (what: string) => seen.find((appearance) => appearance.what === what)!.turn;
        assert.ok(turnOf("plan") < turnOf("result"), "the plan was on the page before the result");
        assert.ok(
          turnOf("attempt.finished") < turnOf("result"),
          "an attempt's end was on the page before the result",
        );
      });
      const { result } = run;

      await t.step("the result's files: a tree of their paths, and their code", async () => {
        const buttons = await page.locator("[data-section=files] button[data-path]").all();
        const paths = await Promise.all(buttons.map((button) => button.getAttribute("data-path")));
        assert.deepEqual(paths.toSorted(), result.files.map((file) => file.path).toSorted());
        const code = page.locator("[data-section=files] pre code");
        assert.equal(await code.textContent(), result.files[0].content, "the first file is shown");
        const last = result.files.at(-1)!;
        await buttons[paths.indexOf(last.path)].click();
        assert.equal(await code.textContent(), last.content, "a click shows another file");
      });

      await t.step(
        "the quality breakdown, its issues, the confidence, the review and the attempts",
        async () => {
          const quality = page.locator("[data-section=quality]");
          assert.equal(await quality.locator("h3").textContent(), `Quality ${score(result.quality.overall)}`);
          for (const dimension of ["completeness", "codeQuality", "functionality", "performance"] as const) {
            assert.equal(
              (await quality.locator(`[data-dimension=${dimension}]`).textContent())!.trim(),
              score(result.quality[dimension]),
            );
          }
          assert.equal(await quality.locator("table.issues tbody tr").count(), result.quality.issues.length);
          const confidence = page.locator("[data-section=confidence]");
          assert.match(
            (await confidence.locator("h3").textContent())!,
            new RegExp(`^Confidence ${result.confidence.toFixed(2)}`),
          );
          assert.ok(result.verification, "the review was asked for");
          assert.equal(
            await confidence.locator("[data-section=verification] h4").textContent(),
            `Review by ${result.verification.model}: ${result.verification.verdict}`,
          );
          const rows = page.locator("[data-section=attempts] tbody tr");
          assert.equal(await rows.count(), result.attempts.length);
          for (const [index, attempt] of result.attempts.entries()) {
            assert.equal(await rows.nth(index).locator("td").nth(1).textContent(), attempt.strategy.model);
          }
        },
      );

      await t.step("accept writes the feedback row of the result's request", async () => {
        const feedbackRows = () =>
          sql`select user_id, accepted from public.request_feedback
            where request_id = ${result.requestId} and replaced_at is null`;
        assert.equal((await feedbackRows()).length, 0, "no feedback before the click");
        await page.click("[data-action=accept]");
        await page.waitForSelector("[data-feedback=accepted]");
        assert.deepEqual([...await feedbackRows()].map((row) => ({ ...row })), [{
          user_id: demoUserId,
          accepted: true,
        }]);
        const { selection } = await recordedRows(sql, result.requestId);
        assert.equal(selection.user_id, demoUserId);
        assert.equal(selection.selected_model, result.strategy.model);
        assert.equal(selection.mode, "sequential", "the mode picked in the form");
        assert.equal(selection.tier, "balanced", "the tier picked in the form");
        await page.screenshot({ path: `${screenshots}/example-app.png`, fullPage: true });
      });

      await t.step("the monitoring view charts the user's own figures", async () => {
        await page.click("[data-tab=stats]");
        await page.waitForSelector("[data-stats=loaded]");
        const figures = await demoUserFigures(sql);
        assert.equal(await page.textContent("[data-total=requests]"), String(figures.requests));

        const models = await chartBars(page, "quality by model");
        assert.deepEqual([...models.keys()].toSorted(), figures.models.map((row) => row.label).toSorted());
        assert.ok(models.has(result.strategy.model), "the winner of the request is charted");
        for (const row of figures.models) {
          assert.equal(models.get(row.label)!.value, row.value, `${row.label}: mean quality`);
          assert.match(
            models.get(row.label)!.title,
            new RegExp(`· ${row.count} uses? ·`),
            `${row.label}: uses`,
          );
        }

        const days = await chartBars(page, "cost per day");
        assert.ok(days.size >= 30, `a column for every day of the window (${days.size})`);
        for (const row of figures.days) {
          assert.equal(days.get(row.label)?.value, row.value, `cost of ${row.label}`);
        }
        const charged = new Set(figures.days.map((row) => row.label));
        for (const [day, bar] of days) {
          if (!charged.has(day)) assert.equal(bar.value, 0, `${day} had no attempts`);
        }

        const approaches = await chartBars(page, "success rate by approach");
        assert.deepEqual(
          [...approaches.keys()].toSorted(),
          figures.approaches.map((row) => row.label).toSorted(),
        );
        for (const row of figures.approaches) {
          assert.equal(approaches.get(row.label)!.value, row.value, `${row.label}: success rate`);
          assert.match(
            approaches.get(row.label)!.title,
            new RegExp(` of ${row.count} ·`),
            `${row.label}: attempts`,
          );
        }
        await page.screenshot({ path: `${screenshots}/example-app-monitoring.png`, fullPage: true });
      });
    });
  },
);
