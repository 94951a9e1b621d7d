"""The annual score's pure core (bangban.rules.annual_score), every expected value worked out
by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bangban.rules.annual_score import annual_score, complaints_rate

WEIGHTS = {
    "promise_kept": 30,
    "completion": 25,
    "satisfaction": 25,
    "follow_up": 10,
    "complaints": 10,
}


def test_every_component_with_data():
    # 30 × 0.8 = 24; 25 × 0.6 = 15; 25 × 1 = 25; 10 × 0.5 = 5; 10 × 0.75 = 7.5
    # earned 76.5 of 100 available → 76.5, passes 70
    score = annual_score(
        WEIGHTS,
        {"promise_kept": 0.8, "completion": 0.6, "satisfaction": 1, "follow_up": 0.5,
         "complaints": Decimal("0.75")},
        pass_mark=70,
    )  # fmt: skip
    assert [c.points for c in score.components] == [
        Decimal("24.00"), Decimal("15.00"), Decimal("25.00"), Decimal("5.00"), Decimal("7.50")
    ]  # fmt: skip
    assert score.earned == Decimal("76.5")
    assert score.available == Decimal(100)
    assert score.score == Decimal("76.5")
    assert score.passed is True


def test_a_component_without_data_is_left_out_and_the_rest_rescaled():
    # follow-up has no data: available 100 − 10 = 90
    # 30 × 0.5 = 15; 25 × 0.4 = 10; 25 × 0.8 = 20; complaints 10 × 1 = 10 → earned 55
    # 55 / 90 × 100 = 61.111… → 61.1, fails 70
    score = annual_score(
        WEIGHTS,
        {"promise_kept": 0.5, "completion": 0.4, "satisfaction": 0.8, "follow_up": None,
         "complaints": 1},
        pass_mark=70,
    )  # fmt: skip
    assert score.available == Decimal(90)
    assert score.earned == Decimal(55)
    assert score.score == Decimal("61.1")
    assert score.passed is False
    follow_up = next(c for c in score.components if c.key == "follow_up")
    assert follow_up.rate is None and follow_up.points is None


def test_the_pass_mark_is_held_against_the_rounded_score():
    # promise 30 × 0.7 = 21; completion 25 × 0.6998 = 17.495; satisfaction 25 × 0.7 = 17.5;
    # follow-up 10 × 0.7 = 7; complaints 10 × 0.7 = 7 → 69.995 → rounded half-up 70.0 → passes
    score = annual_score(
        WEIGHTS,
        {"promise_kept": 0.7, "completion": 0.6998, "satisfaction": 0.7, "follow_up": 0.7,
         "complaints": 0.7},
        pass_mark=70,
    )  # fmt: skip
    assert score.earned == Decimal("69.995")
    assert score.score == Decimal("70.0")
    assert score.passed is True


def test_complaints_alone_do_not_make_an_entity_evaluated():
    # no case, no rating, no visit: only "no complaint" → 不参评
    score = annual_score(
        WEIGHTS,
        {"promise_kept": None, "completion": None, "satisfaction": None, "follow_up": None,
         "complaints": 1},
        pass_mark=70,
    )  # fmt: skip
    assert score.score is None and score.passed is None and not score.evaluated


def test_complaints_rate():
    # 1 − 2 × 0.25 − 1 × 0.125 = 0.375
    assert complaints_rate(2, 1, deduction="0.25", partial_deduction="0.125") == Decimal("0.375")
    # 1 − 5 × 0.25 = −0.25 → never below 0
    assert complaints_rate(5, deduction=Decimal("0.25")) == Decimal(0)
    assert complaints_rate(0, 0, deduction=0.25, partial_deduction=0.125) == Decimal(1)
    with pytest.raises(ValueError):
        complaints_rate(-1, deduction=0.25)


def test_a_rate_outside_0_1_or_a_negative_weight_is_refused():
    with pytest.raises(ValueError):
        annual_score({"completion": 100}, {"completion": 1.2}, pass_mark=70)
    with pytest.raises(ValueError):
        annual_score({"completion": -1, "complaints": 101}, {"completion": 1}, pass_mark=70)


def test_a_weight_of_a_track_without_the_component_is_simply_absent():
    # errand scheme: promise 35, completion 30, satisfaction 25, complaints 10 (no follow-up)
    # 35 × 1 = 35; 30 × 0.5 = 15; satisfaction no data; 10 × 1 = 10 → 60 of 75 → 80.0
    score = annual_score(
        {"promise_kept": 35, "completion": 30, "satisfaction": 25, "complaints": 10},
        {"promise_kept": 1, "completion": 0.5, "satisfaction": None, "complaints": 1,
         "follow_up": 0.2},
        pass_mark=70,
    )  # fmt: skip
    assert [c.key for c in score.components] == [
        "promise_kept", "completion", "satisfaction", "complaints"
    ]  # fmt: skip
    assert score.score == Decimal("80.0")
