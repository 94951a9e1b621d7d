"""The pure cores: the rules of the domain as plain functions on plain data.

Nothing here imports Django, DRF or Celery (import-linter's contract in pyproject.toml keeps
it so); the apps wrap these modules and feed them data read from the database.

- ``workdays``: working-day arithmetic on a calendar (is a working day, add N, count between).
- ``conditions``: the applicability-condition language (parse, type-check, evaluate, explain).
- ``graph``: cycle search and topological order of prerequisites.
- ``scheduler``: the parallel schedule of a plan on working days.
- ``attributes``: the project attributes of SPEC §4 (names, types, neutral values).
- ``codes``: identifier checks (统一社会信用代码, project code, mobile, industry code).
- ``screening``: eligibility under the industry policy (鼓励/限制/淘汰, regional bans).
"""
