-- The change test's threshold (project_settings.drift_threshold) goes from 5 to 6. On pass/fail outcomes
-- a threshold of 5 with drift_slack 0.08 raised a false alarm every few hundred attempts of a strategy,
-- each one throwing away all but its last ten or so attempts; 6 raises about half as many and still
-- notices a leader that loses 20 points within a few dozen of its attempts (bench:replay on
-- bench/data/realistic-outcomes.csv). A project that set its own threshold keeps it.

alter table public.project_settings alter column drift_threshold set default 6;
update public.project_settings set drift_threshold = 6 where drift_threshold = 5;
