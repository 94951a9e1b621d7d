"""Eligibility screening (核实) against the industry-policy catalog — the pure core.

No Django here: it takes plain data (the project's facts and the policy entries) and returns
plain data (the outcome, the matches and the written explanation). `services.py` wraps it.

Matching an entry (`entry_hit`):

- the entry's ``applies_to`` must fit: ``new`` entries only for new capacity, ``existing``
  only for an upgrade of existing capacity, ``both`` always;
- its ``regions`` (when given) must hold the project's region or one above it;
- its ``condition`` must hold: ``below_benchmark`` only when the project is below the
  energy-efficiency benchmark, ``outside_park`` only when it lies outside an industrial park;
- then the industry code: the project's GB/T 4754 code starts with one of the entry's codes
  (a section letter ``C``, a division ``C30``, a group ``C301`` or a class ``C3011``);
- failing that, the keywords: one of them occurs in the project's name or description
  (compared after NFKC normalisation, ignoring blanks and case).

An entry with a ``qualifier`` (适用条件: a scale threshold, an exception clause, a fact the
system cannot see) may be declared not applicable by the agent, with a reason; so may an
entry matched only by a keyword (keywords are a heuristic: "拆除燃煤锅炉" names a boiler it
removes). The match is then listed, with the reason, but has no effect. An entry matched by
the industry code and without a qualifier cannot be set aside.

Rules (each match gets an effect; the most severe effect decides, all matches are listed):

- eliminate (淘汰) or prohibit (地方禁止) → refuse;
- restrict (限制) and new capacity → refuse ("2024年本目录禁止新建限制类产能");
- restrict and an upgrade of existing capacity → decision by 发展改革部门;
- encourage (鼓励) → priority;
- nothing matched → eligible (允许类).

A new industrial project (section C) below the energy-efficiency benchmark is handled as
restricted (限制类 preamble of the 2024 catalog): the data carries that rule as a national
entry with the ``below_benchmark`` condition; when no such entry (of class restrict or more
severe) matches — it was deactivated, or its codes were edited away — the built-in
`ENERGY_BENCHMARK_RULE` applies instead, so data edits can reword the rule but not switch it
off.

Coverage (`Coverage`): the entries held stand for an official catalog of known size (the 2024
catalog: 鼓励 352, 限制 231, 淘汰 422 — data, passed in, not constants here). Until every list
is held in full, the written answer ends with how many entries of which lists were compared,
the eligible headline says "none of the entries held" instead of "none of the catalog", and an
eligible answer for an industrial project (GB/T 4754 sections B, C, D: 采矿业, 制造业, 电力、热力、
燃气及水生产和供应业 — 工业 in the statistical sense, whose sectors the catalog's restricted and
eliminated lists cover) needs the agent's confirmation (`Screening.needs_confirmation`): the
agent checks the project against the full official text before the commission goes on.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# --- vocabulary (the same values as the model's choices) -----------------------------------

NATIONAL = "national"
REGIONAL = "regional"
LAYERS = {NATIONAL: "国家产业政策", REGIONAL: "地方规定"}

ENCOURAGE = "encourage"
RESTRICT = "restrict"
ELIMINATE = "eliminate"
PROHIBIT = "prohibit"
CLASSES = {ENCOURAGE: "鼓励类", RESTRICT: "限制类", ELIMINATE: "淘汰类", PROHIBIT: "禁止类"}
#: How severe a class is; a higher number never yields a better outcome.
CLASS_SEVERITY = {ENCOURAGE: 0, RESTRICT: 1, ELIMINATE: 2, PROHIBIT: 2}

NEW = "new"
EXISTING = "existing"
BOTH = "both"
APPLIES_TO = {NEW: "新建（新增产能）", EXISTING: "现有产能改造升级", BOTH: "新建和改造升级"}

NO_CONDITION = ""
BELOW_BENCHMARK = "below_benchmark"
OUTSIDE_PARK = "outside_park"
CONDITIONS = {
    NO_CONDITION: "无",
    BELOW_BENCHMARK: "能效低于标杆水平时",
    OUTSIDE_PARK: "位于工业园区外时",
}

ELIGIBLE = "eligible"
PRIORITY = "priority"
AWAITING_DECISION = "awaiting_decision"
REFUSED = "refused"
OUTCOMES = {
    PRIORITY: "鼓励类，优先办理",
    ELIGIBLE: "允许类，可以办理",
    AWAITING_DECISION: "待发展改革部门决定",
    REFUSED: "不予办理",
}
#: Outcomes from best to worst.
OUTCOME_RANK = {PRIORITY: 0, ELIGIBLE: 1, AWAITING_DECISION: 2, REFUSED: 3}

# Effects of one match.
REFUSE = "refuse"
DECIDE = "decide"
PRIORITISE = "priority"
NOT_APPLICABLE = "not_applicable"
EFFECTS = {
    REFUSE: "不予办理",
    DECIDE: "须发展改革部门决定",
    PRIORITISE: "优先办理",
    NOT_APPLICABLE: "经核对不适用",
}
_EFFECT_ORDER = {REFUSE: 0, DECIDE: 1, PRIORITISE: 2, NOT_APPLICABLE: 3}
_OUTCOME_OF_EFFECT = {REFUSE: REFUSED, DECIDE: AWAITING_DECISION, PRIORITISE: PRIORITY}

INDUSTRIAL_SECTION = "C"
#: 工业 in the statistical sense (国家统计局《三次产业划分规定》: 采矿业 B, 制造业 C, 电力、热力、
#: 燃气及水生产和供应业 D; 建筑业 E is 第二产业 but not 工业): an eligible answer for a project of
#: these sections needs the agent's confirmation while the catalog is incomplete.
INDUSTRIAL_PROJECT_SECTIONS = ("B", "C", "D")
#: The classes of the national catalog whose size is counted, in the order they are named.
COUNTED_CLASSES = (ENCOURAGE, RESTRICT, ELIMINATE)

# --- words shown to the enterprise (one place, so they can be reviewed together) -----------

MESSAGES = {
    "headline_refused": "核实结论：不予办理。该项目不符合产业政策，依据以下条目作出明确答复：",
    "headline_awaiting": (
        "核实结论：待发展改革部门决定。该项目属于限制类现有生产能力的改造升级，"
        "须经发展改革部门明确决定后方可继续办理。"
    ),
    "headline_priority": "核实结论：属鼓励类项目，优先办理。",
    "headline_eligible": (
        "核实结论：未列入鼓励类、限制类、淘汰类及本地区禁止性规定，属允许类，可以办理。"
    ),
    "rule_eliminate": "淘汰类项目禁止投资，不得新建或改造，不予办理。",
    "rule_prohibit": "属本地区明令禁止的情形，不予办理。",
    "rule_restrict_new": (
        "2024年本目录禁止新建限制类产能：对属于限制类的新建项目，禁止投资，"
        "投资管理部门不予审批、核准，其他部门不得办理有关手续，不予办理。"
    ),
    "rule_restrict_existing": (
        "对属于限制类的现有生产能力，允许企业在一定期限内采取措施改造升级；"
        "须经发展改革部门明确决定后方可继续办理。"
    ),
    "rule_encourage": "属鼓励类，优先办理。",
    "rule_not_applicable": "经代办员核对，本条适用条件（{qualifier}）不满足，不适用。理由：{reason}",
    "qualifier": "适用条件：{qualifier}（代办员未认定不适用）。",
    "by_code_exact": "行业代码 {code}",
    "by_code_prefix": "行业代码 {code} 属于 {prefix}",
    "by_keyword": "项目名称或概况含“{keyword}”",
    "by_below_benchmark": "新建工业项目能效低于标杆水平",
    "by_outside_park": "项目位于工业园区外",
    "by_region": "项目位于{region}",
    "error_unknown": "条目“{key}”不存在或已停用，不能认定为不适用。",
    "error_not_declarable": "条目“{text}”（{key}）由行业代码命中且没有适用条件，不能认定为不适用。",
    "error_no_reason": "认定条目“{text}”（{key}）不适用须写明理由。",
    "error_not_matched": "条目“{text}”（{key}）未命中本项目，无需认定为不适用。",
    "error_no_code": "请先填写项目的国民经济行业代码（GB/T 4754-2017）再进行核实。",
    "headline_eligible_partial": (
        "核实结论：未命中已导入的鼓励类、限制类、淘汰类条目及本地区禁止性规定，按允许类办理。"
    ),
    "headline_eligible_unconfirmed": (
        "核实结论：未命中已导入的鼓励类、限制类、淘汰类条目及本地区禁止性规定。"
        "产业目录尚未完整导入，工业项目须由代办员对照完整目录确认不属于鼓励类、限制类、淘汰类后，"
        "方可按允许类继续办理。"
    ),
    "coverage_class": "{label} {held}/{total} 条",
    "coverage_incomplete": "本次比对了{classes}（{source}）{regional}；目录尚未完整导入。",
    "coverage_regional": "，另有地方规定 {count} 条",
}


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One policy entry (a row of `data/industry/policy.yaml`)."""

    key: str
    layer: str
    policy_class: str
    text: str
    section: str = ""
    industry_codes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    qualifier: str = ""
    applies_to: str = BOTH
    condition: str = NO_CONDITION
    source: str = ""
    source_date: dt.date | None = None
    #: region keys (GB/T 2260 codes or the region tree's keys) the entry is limited to; empty:
    #: everywhere. A project matches when its region or one above it is listed.
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectFacts:
    """What the screening knows of a project.

    not_applicable: entry key -> the agent's reason why a matched entry with a qualifier does
    not apply to this project (e.g. "单井设计规模 500 万吨/年，高于 120 万吨/年").
    """

    industry_code: str
    name: str = ""
    description: str = ""
    is_new_capacity: bool = True
    below_energy_benchmark: bool = False
    in_industrial_park: bool = True
    not_applicable: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: the project's region and every region above it: key -> name (for the explanation)
    regions: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Match:
    entry: Entry
    effect: str
    matched_by: str
    reason: str = ""  # the agent's reason, for a match declared not applicable

    @property
    def rule(self) -> str:
        """The rule this match applies, as a Chinese sentence."""
        if self.effect == NOT_APPLICABLE:
            return MESSAGES["rule_not_applicable"].format(
                qualifier=self.entry.qualifier, reason=self.reason
            )
        if self.entry.policy_class == ELIMINATE:
            return MESSAGES["rule_eliminate"]
        if self.entry.policy_class == PROHIBIT:
            return MESSAGES["rule_prohibit"]
        if self.entry.policy_class == RESTRICT:
            key = "rule_restrict_new" if self.effect == REFUSE else "rule_restrict_existing"
            return MESSAGES[key]
        return MESSAGES["rule_encourage"]


@dataclass(frozen=True)
class Screening:
    outcome: str
    matches: tuple[Match, ...]
    lines: tuple[str, ...]
    coverage: Coverage | None = None
    #: an eligible industrial project screened against an incomplete catalog: the agent
    #: confirms against the full official text before the commission goes on
    needs_confirmation: bool = False

    @property
    def decisive(self) -> tuple[Match, ...]:
        """The matches whose effect decided the outcome (empty when eligible)."""
        return tuple(m for m in self.matches if _OUTCOME_OF_EFFECT.get(m.effect) == self.outcome)

    @property
    def explanation(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Coverage:
    """How much of the official catalog the entries compared stand for.

    held: class -> the official entries held (entries split into several rows count once);
    totals: class -> the official number of entries of the class (data, e.g. 352/231/422);
    regional: the regional entries compared as well (not part of the national catalog).
    """

    source: str
    held: Mapping[str, int] = field(default_factory=dict, hash=False)
    totals: Mapping[str, int] = field(default_factory=dict, hash=False)
    regional: int = 0

    @property
    def complete(self) -> bool:
        """Every list of the catalog held in full (and the catalog's size known)."""
        return bool(self.totals) and all(
            self.held.get(name, 0) >= total for name, total in self.totals.items()
        )

    def sentence(self) -> str:
        """「本次比对了鼓励类 17/352 条、限制类 …；目录尚未完整导入。」 ("" when complete)."""
        if self.complete:
            return ""
        names = [name for name in COUNTED_CLASSES if name in self.totals] or list(self.totals)
        classes = "、".join(
            MESSAGES["coverage_class"].format(
                label=CLASSES.get(name, name), held=self.held.get(name, 0), total=self.totals[name]
            )
            for name in names
        )
        regional = (
            MESSAGES["coverage_regional"].format(count=self.regional) if self.regional else ""
        )
        return MESSAGES["coverage_incomplete"].format(
            classes=classes or "0 条", source=self.source, regional=regional
        )


def is_industrial(industry_code: str) -> bool:
    """Whether a GB/T 4754 code is of an industrial section (B, C or D)."""
    return normalize_code(industry_code)[:1] in INDUSTRIAL_PROJECT_SECTIONS


class ScreeningError(ValueError):
    """The facts cannot be screened as given; `messages` says why, in Chinese."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


ENERGY_BENCHMARK_RULE = Entry(
    key="builtin-energy-benchmark",
    layer=NATIONAL,
    policy_class=RESTRICT,
    section="第二类 限制类（说明）",
    text=(
        "对能效未达到最新版《工业重点领域能效标杆水平和基准水平》中标杆水平的新建项目，"
        "参照限制类管理。"
    ),
    industry_codes=(INDUSTRIAL_SECTION,),
    applies_to=NEW,
    condition=BELOW_BENCHMARK,
    source="《产业结构调整指导目录（2024年本）》（国家发展改革委令第7号）第二类 限制类 说明",
    source_date=dt.date(2024, 2, 1),
)


# --- matching ------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """NFKC (full-width → half-width), no blanks, case-folded: how keywords are compared."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def normalize_code(code: str) -> str:
    return "".join((code or "").split()).upper()


@dataclass(frozen=True)
class Hit:
    """Why an entry matched: a Chinese phrase, and whether the industry code decided it."""

    because: str
    by_code: bool


def entry_hit(entry: Entry, facts: ProjectFacts) -> Hit | None:
    """Whether `entry` matches the project, and why; None when it does not."""
    if entry.applies_to == NEW and not facts.is_new_capacity:
        return None
    if entry.applies_to == EXISTING and facts.is_new_capacity:
        return None
    because: list[str] = []
    if entry.regions:
        inside = [key for key in entry.regions if key in facts.regions]
        if not inside:
            return None
        because.append(MESSAGES["by_region"].format(region=facts.regions[inside[0]] or inside[0]))
    if entry.condition == BELOW_BENCHMARK:
        if not facts.below_energy_benchmark:
            return None
        because.append(MESSAGES["by_below_benchmark"])
    elif entry.condition == OUTSIDE_PARK:
        if facts.in_industrial_park:
            return None
        because.append(MESSAGES["by_outside_park"])
    by_code = _code_hit(entry, facts)
    hit = by_code or _keyword_hit(entry, facts)
    if hit is None:
        return None
    return Hit("，".join([*because, hit]), by_code=by_code is not None)


def may_set_aside(entry: Entry, hit: Hit) -> bool:
    """An agent may declare a match not applicable when the entry has a qualifier, or when
    only a keyword (a heuristic) matched; a match by industry code alone is definitive."""
    return bool(entry.qualifier) or not hit.by_code


def _code_hit(entry: Entry, facts: ProjectFacts) -> str | None:
    code = normalize_code(facts.industry_code)
    if not code:
        return None
    for prefix in entry.industry_codes:
        prefix = normalize_code(prefix)
        if prefix and code.startswith(prefix):
            if prefix == code:
                return MESSAGES["by_code_exact"].format(code=code)
            return MESSAGES["by_code_prefix"].format(code=code, prefix=prefix)
    return None


def _keyword_hit(entry: Entry, facts: ProjectFacts) -> str | None:
    text = normalize_text(f"{facts.name}\n{facts.description}")
    for keyword in entry.keywords:
        wanted = normalize_text(keyword)
        if wanted and wanted in text:
            return MESSAGES["by_keyword"].format(keyword=keyword.strip())
    return None


def effect_of(entry: Entry, facts: ProjectFacts) -> str:
    if entry.policy_class in (ELIMINATE, PROHIBIT):
        return REFUSE
    if entry.policy_class == RESTRICT:
        return REFUSE if facts.is_new_capacity else DECIDE
    return PRIORITISE


# --- screening -----------------------------------------------------------------------------


def screen(
    project: ProjectFacts, entries: Iterable[Entry], coverage: Coverage | None = None
) -> Screening:
    """Screen `project` against `entries` (the active ones); see the module docstring.

    coverage: what the entries stand for; when it is incomplete the answer says how many
    entries of which lists were compared, and an eligible industrial project needs the
    agent's confirmation. None: the entries are taken as the whole catalog.

    Raises `ScreeningError` when the project has no industry code, or when a declaration of
    "not applicable" names an unknown entry or one that did not match, gives no reason, or
    concerns a match that cannot be set aside (`may_set_aside`).
    """
    if not normalize_code(project.industry_code):
        raise ScreeningError([MESSAGES["error_no_code"]])
    entries = list(entries)
    by_key = {entry.key: entry for entry in entries}
    errors = _declaration_errors(project, by_key)

    matches: list[Match] = []
    matched_keys: set[str] = set()
    for entry in entries:
        hit = entry_hit(entry, project)
        if hit is None:
            continue
        matched_keys.add(entry.key)
        reason = (project.not_applicable.get(entry.key) or "").strip()
        if entry.key in project.not_applicable and not may_set_aside(entry, hit):
            errors.append(MESSAGES["error_not_declarable"].format(key=entry.key, text=entry.text))
        elif reason:
            matches.append(Match(entry, NOT_APPLICABLE, hit.because, reason))
        else:
            matches.append(Match(entry, effect_of(entry, project), hit.because))

    for key in project.not_applicable:
        if key in by_key and key not in matched_keys:
            errors.append(MESSAGES["error_not_matched"].format(key=key, text=by_key[key].text))
    if errors:
        raise ScreeningError(errors)

    if _benchmark_rule_missing(project, matches):
        hit = entry_hit(ENERGY_BENCHMARK_RULE, project)
        assert hit is not None
        effect = effect_of(ENERGY_BENCHMARK_RULE, project)
        matches.append(Match(ENERGY_BENCHMARK_RULE, effect, hit.because))

    matches.sort(key=_match_order)
    outcome = _outcome(matches)
    partial = coverage is not None and not coverage.complete
    confirm = partial and outcome == ELIGIBLE and is_industrial(project.industry_code)
    return Screening(
        outcome=outcome,
        matches=tuple(matches),
        lines=explain(outcome, matches, coverage=coverage, needs_confirmation=confirm),
        coverage=coverage,
        needs_confirmation=confirm,
    )


def _declaration_errors(project: ProjectFacts, by_key: Mapping[str, Entry]) -> list[str]:
    errors: list[str] = []
    for key, reason in project.not_applicable.items():
        if key not in by_key:
            errors.append(MESSAGES["error_unknown"].format(key=key))
        elif not (reason or "").strip():
            errors.append(MESSAGES["error_no_reason"].format(key=key, text=by_key[key].text))
    return errors


def _benchmark_rule_missing(project: ProjectFacts, matches: list[Match]) -> bool:
    """True when the benchmark rule should apply but no national entry carried it."""
    if not (
        project.is_new_capacity
        and project.below_energy_benchmark
        and normalize_code(project.industry_code).startswith(INDUSTRIAL_SECTION)
    ):
        return False
    return not any(
        m.entry.layer == NATIONAL
        and m.entry.condition == BELOW_BENCHMARK
        and CLASS_SEVERITY.get(m.entry.policy_class, 0) >= CLASS_SEVERITY[RESTRICT]
        and m.effect != NOT_APPLICABLE
        for m in matches
    )


def _match_order(match: Match) -> tuple:
    entry = match.entry
    return (
        _EFFECT_ORDER[match.effect],
        -CLASS_SEVERITY.get(entry.policy_class, 0),
        0 if entry.layer == NATIONAL else 1,
        entry.key,
    )


def _outcome(matches: Iterable[Match]) -> str:
    effects = {m.effect for m in matches}
    for effect in (REFUSE, DECIDE, PRIORITISE):
        if effect in effects:
            return _OUTCOME_OF_EFFECT[effect]
    return ELIGIBLE


# --- explanation (控制事项明确答复制) ----------------------------------------------------------


_HEADLINES = {
    REFUSED: "headline_refused",
    AWAITING_DECISION: "headline_awaiting",
    PRIORITY: "headline_priority",
    ELIGIBLE: "headline_eligible",
}


def explain(
    outcome: str,
    matches: Iterable[Match],
    *,
    coverage: Coverage | None = None,
    needs_confirmation: bool = False,
) -> tuple[str, ...]:
    """The written answer: a headline, one sentence per matched entry and, while the catalog
    is incomplete, what was compared."""
    partial = coverage is not None and not coverage.complete
    headline = _HEADLINES[outcome]
    if outcome == ELIGIBLE and partial:
        headline = (
            "headline_eligible_unconfirmed" if needs_confirmation else "headline_eligible_partial"
        )
    lines = [MESSAGES[headline]]
    for number, match in enumerate(matches, start=1):
        lines.append(f"{number}．{describe_match(match)}")
    if partial:
        lines.append(coverage.sentence())
    return tuple(lines)


def describe_match(match: Match) -> str:
    """One matched entry as a sentence: layer, class, section, text, source, why, rule."""
    entry = match.entry
    label = f"【{LAYERS.get(entry.layer, entry.layer)}·{CLASSES.get(entry.policy_class, '')}】"
    section = f"{entry.section}：" if entry.section else ""
    source = entry.source
    if entry.source_date:
        source += f"（{format_date(entry.source_date)}）"
    condition = ""
    if entry.qualifier and match.effect != NOT_APPLICABLE:
        condition = MESSAGES["qualifier"].format(qualifier=entry.qualifier.rstrip("。"))
    return (
        f"{label}{section}“{entry.text.rstrip('。')}”。"
        f"来源：{source}。命中：{match.matched_by}。{condition}{match.rule}"
    )


def format_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"
