"""The metrics of SPEC §7, computed in the database (aggregates, never Python loops over rows).

INTERFACE (fixed; the implementation is in progress — consumers: the dashboard, the monthly
report, the annual evaluation, the API):

    Period(start: date, end: date)                 inclusive; Period.month(2026, 10),
                                                   Period.year(2026), Period.parse("2026-10")
    DIMENSIONS = {"department": "部门", "agent": "代办员", "region": "区划",
                  "stage": "阶段", "service_mode": "服务方式"}

    metric_rows(user, period, by=None, *, region=None) -> list[MetricRow]
        one row per group of `by` (None: one row for everything the user may see), scoped
        through the selectors (a supervisor sees its region subtree only).

    MetricRow (a frozen dataclass), every count an int and every rate a float in [0, 1] or
    None when its denominator is 0:
        key, label                       the group (e.g. department id and name)
        accepted                         cases accepted in the period
        completed                        cases completed in the period
        completion_rate                  (accepted-in-period cases completed) / accepted
        completed_on_time                completed in the period within the promised limit
        promise_kept_rate                completed_on_time / completed
        overdue_open                     open cases past their due date at the period's end
        avg_working_days                 average working days used by completed cases
        speedup                          1 − Σ actual working days / Σ legal working days
        ratings, satisfied, satisfaction_share      (非常满意+满意) / ratings
        commissions_completed, visited, follow_up_coverage
        consultations
        backfilled_completion, backfilled_promise, backfilled_ratings, backfilled_visits
                                         the share of each rate's events entered after the
                                         fact (补录), beside the rate

    planner_accuracy(user, period) -> list[AccuracyRow]
        per catalog item (and the rule that selects it): drafts it was in, times removed by
        agents, times added by agents.
"""
