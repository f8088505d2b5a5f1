-- The street's totals from report packages, as `yishi rollup --json` gives them in "totals".
-- Set the folder and the period first, e.g.
--   SET VARIABLE packages = 'packages/*.yishi';
--   SET VARIABLE period_from = '2026-10-01';
--   SET VARIABLE period_to = '2026-12-31';
-- A package is one line: {"sha256":"<64 hex>","package":<the package>}, the hash taken over
-- the exact bytes of <the package>; a changed package stops the query, as rollup refuses it.
WITH files AS (
    SELECT filename,
           substr(content, 12, 64) AS sha256,
           substr(rtrim(content, chr(10)), 88, length(rtrim(content, chr(10))) - 88) AS body
    FROM read_text(getvariable('packages'))
), checked AS (
    SELECT filename,
           CASE WHEN sha256(body) = sha256 THEN body::JSON
                ELSE error('changed after it was made: ' || filename) END AS p
    FROM files
), chosen AS (
    -- One package per community and period: the newer one (later day, then later record).
    SELECT p FROM checked
    WHERE p->>'$.format' = 'yishi-report-package' AND (p->>'$.version')::INT IN (1, 2)
      AND p->>'$.period.from' = getvariable('period_from')
      AND p->>'$.period.to' = getvariable('period_to')
    QUALIFY row_number() OVER (
        PARTITION BY p->>'$.community'
        ORDER BY p->>'$.as_of' DESC,
                 split_part(ltrim(p->>'$.record_check', '#'), ' ', 1)::BIGINT DESC) = 1
)
SELECT count(*) AS communities,
       sum((p->>'$.figures.meetings_held')::BIGINT) AS meetings_held,
       sum((p->>'$.figures.issues_total')::BIGINT) AS issues_total,
       sum(coalesce((p->>'$.figures.issues_by_status.completed')::BIGINT, 0)) AS completed,
       sum((p->>'$.figures.attendance.numerator')::BIGINT) AS attendance_numerator,
       sum((p->>'$.figures.attendance.denominator')::BIGINT) AS attendance_denominator,
       sum((p->>'$.figures.participation.numerator')::BIGINT) AS participation_numerator,
       sum((p->>'$.figures.participation.denominator')::BIGINT) AS participation_denominator,
       sum((p->>'$.figures.awareness.numerator')::BIGINT) AS awareness_numerator,
       sum((p->>'$.figures.awareness.denominator')::BIGINT) AS awareness_denominator,
       sum((p->>'$.figures.satisfaction.numerator')::BIGINT) AS satisfaction_numerator,
       sum((p->>'$.figures.satisfaction.denominator')::BIGINT) AS satisfaction_denominator,
       sum((p->>'$.figures.cycle_complete.numerator')::BIGINT) AS cycle_complete_numerator,
       sum((p->>'$.figures.cycle_complete.denominator')::BIGINT) AS cycle_complete_denominator,
       sum((p->>'$.figures.actions_done_on_time')::BIGINT) AS actions_done_on_time,
       sum((p->>'$.figures.actions_done_late')::BIGINT) AS actions_done_late,
       sum((p->>'$.figures.actions_overdue')::BIGINT) AS actions_overdue,
       sum((p->>'$.figures.actions_open')::BIGINT) AS actions_open,
       sum(coalesce((p->>'$.figures.escalations.waiting')::BIGINT, 0)) AS escalations_waiting,
       -- Rates from the summed parts, never an average of rates (按期落实率 shown here).
       round(100.0 * sum((p->>'$.figures.actions_done_on_time')::BIGINT)
             / nullif(sum((p->>'$.figures.actions_done_on_time')::BIGINT
                        + (p->>'$.figures.actions_done_late')::BIGINT
                        + (p->>'$.figures.actions_overdue')::BIGINT), 0), 1) AS on_time_percent
FROM chosen;
