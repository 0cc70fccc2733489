// What must stay exact when several workers share one database (bench:load -- --workers 2): every user's
// spend equals what their attempts cost and never passes their budget, nothing stays reserved, and the
// statistics count every attempt that reached a model, pooled exactly.

import type postgres from "postgres";

/** Gives every user of the run a monthly budget small enough that some of their requests are refused. */
export async function setBudgets(sql: postgres.Sql, userIds: string[], usd: number): Promise<void> {
  await sql`
    insert into public.user_settings (user_id, monthly_budget_usd)
    select id, ${usd} from unnest(${userIds}::uuid[]) as id
    on conflict (user_id) do update set monthly_budget_usd = excluded.monthly_budget_usd`;
}

/** Waits until `expected` requests are recorded (rows are written after each response). */
export async function waitForRows(sql: postgres.Sql, expected: number, timeoutMs = 30_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ recorded }] = await sql`select count(*)::int as recorded from public.model_selections`;
    if (recorded >= expected || Date.now() > until) return recorded;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface Exactness {
  users: number;
  /** Users whose spend passed their budget. */
  overspent: number;
  /** Users whose month still holds reservations once every request settled. */
  stillReserved: number;
  /** Users whose spend differs from the cost of their recorded attempts. */
  spendMismatch: number;
  /** Statistics rows (a user's model on a task type) whose attempt count differs from the raw rows. */
  statisticsMismatch: number;
  /** Pooled rows that differ from their rebuild from the user rows. */
  pooledMismatch: number;
  spentUsd: number;
  budgetUsd: number;
}

export async function checkExactness(sql: postgres.Sql, userIds: string[]): Promise<Exactness> {
  const [budgets] = await sql`
    select count(*)::int as users,
      count(*) filter (where m.spent_usd > s.monthly_budget_usd)::int as overspent,
      count(*) filter (where m.reserved_usd <> 0)::int as "stillReserved",
      count(*) filter (where m.spent_usd <> coalesce(p.cost, 0))::int as "spendMismatch",
      coalesce(sum(m.spent_usd), 0)::float8 as "spentUsd", coalesce(sum(s.monthly_budget_usd), 0)::float8 as "budgetUsd"
    from public.user_settings s
    join public.spend_monthly m on m.user_id = s.user_id
    left join (select user_id, sum(cost_usd) as cost from public.model_performance group by 1) p
      on p.user_id = s.user_id
    where s.user_id = any (${userIds}::uuid[])`;
  // Refinement rounds are kept in rows of their own, not the model's ('*', '*') row.
  const [statistics] = await sql`
    select count(*)::int as "statisticsMismatch" from (
      select user_id, task_type, model_name, count(*) as n from public.model_performance
      where public.is_model_evidence(error_class) and approach <> 'refine' group by 1, 2, 3
    ) p
    full join (
      select user_id, task_type, model_name, attempts from public.strategy_stats_by_user
      where complexity = '*' and approach = '*'
    ) s using (user_id, task_type, model_name)
    where p.n is distinct from s.attempts`;
  const [pooled] = await sql`
    with rebuilt as (
      select share.task_type, share.complexity, share.model_name, share.approach,
        sum(share.evidence) as evidence, sum(share.users) as users
      from public.strategy_stats_by_user u
      cross join lateral public.pooled_share(u, (select evidence_per_user from public.project_settings)) share
      group by 1, 2, 3, 4)
    select count(*)::int as "pooledMismatch"
    from rebuilt r full join public.strategy_stats s using (task_type, complexity, model_name, approach)
    where s.task_type is null or r.task_type is null or s.users <> r.users or abs(s.evidence - r.evidence) > 1e-6`;
  return { ...budgets, ...statistics, ...pooled } as Exactness;
}
