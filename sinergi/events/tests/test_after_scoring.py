"""The arithmetic of tests, knowledge gain and the IKM (PermenPAN-RB 14/2017), without a database."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.events.selectors.after_scoring import ELEMENTS, category, gain_summary, ikm, score, to_decimal


def response(*values: int) -> dict[str, int]:
    return dict(zip(ELEMENTS, values, strict=True))


# Worked by hand with the regulation's method (four respondents):
#
#         U1 U2 U3 U4 U5 U6 U7 U8 U9
#   R1     4  4  3  4  3  4  4  3  3
#   R2     3  4  3  4  3  4  4  3  2
#   R3     3  3  3  4  4  4  3  3  3
#   R4     4  3  2  4  3  4  4  2  3
#   sum   14 14 11 16 13 16 15 11 11
#   NRR  3.5 3.5 2.75 4 3.25 4 3.75 2.75 2.75      (sum / 4)
#
# Sum of NRRs 30.25; weighted 1/9 each: 30.25 / 9 = 3.3611...; x 25 = 84.027... -> 84.03, which
# lies in 76.61-88.30: quality B (good). (With the weight printed rounded, 0.111, the sheet would
# give 83.94, still B; the exact 1/9 is used so that nine perfect elements make exactly 100.)
HAND_EXAMPLE = [
    response(4, 4, 3, 4, 3, 4, 4, 3, 3),
    response(3, 4, 3, 4, 3, 4, 4, 3, 2),
    response(3, 3, 3, 4, 4, 4, 3, 3, 3),
    response(4, 3, 2, 4, 3, 4, 4, 2, 3),
]


def test_it_computes_the_ikm_of_the_hand_worked_example() -> None:
    result = ikm(HAND_EXAMPLE)

    assert result is not None
    assert result.respondents == 4
    assert [e.nrr for e in result.elements] == [
        Decimal(v) for v in ("3.500", "3.500", "2.750", "4.000", "3.250", "4.000", "3.750", "2.750", "2.750")
    ]
    assert result.elements[0].weighted == Decimal("0.389")  # 3.5 / 9
    assert result.index == Decimal("3.361")
    assert result.converted == Decimal("84.03")
    assert (result.letter, result.label) == ("B", "Good")
    # Per element: U3 (NRR 2.75 -> 68.75) is C, U4 (4 -> 100) is A.
    assert result.elements[2].letter == "C"
    assert result.elements[3].letter == "A"


def test_the_extremes_are_100_and_25() -> None:
    best = ikm([response(*[4] * 9)])
    worst = ikm([response(*[1] * 9)])

    assert best is not None
    assert worst is not None
    assert (best.converted, best.letter) == (Decimal("100.00"), "A")
    assert (worst.converted, worst.letter) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_the_category_boundaries_are_those_of_the_regulation(value: str, letter: str) -> None:
    assert category(Decimal(value))[0] == letter


def test_no_response_gives_no_index_and_a_bad_answer_is_refused() -> None:
    assert ikm([]) is None
    with pytest.raises(ValueError, match="u1 must be 1-4"):
        ikm([response(5, 4, 4, 4, 4, 4, 4, 4, 4)])
    with pytest.raises(KeyError):
        ikm([{"u1": 4}])


answers = st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=60)


@given(answers)
def test_the_ikm_is_the_mean_answer_times_25_and_in_range(rows: list[list[int]]) -> None:
    result = ikm([response(*row) for row in rows])

    assert result is not None
    # Equal weights: the index is the mean of every answer given, times 25.
    expected = to_decimal(Fraction(sum(map(sum, rows)) * 25, 9 * len(rows)))
    assert result.converted == expected
    assert Decimal(25) <= result.converted <= Decimal(100)
    assert result.letter == category(result.converted)[0]


@given(answers, st.randoms())
def test_the_order_of_the_responses_does_not_matter(rows: list[list[int]], rnd: object) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert ikm([response(*r) for r in rows]) == ikm([response(*r) for r in shuffled])


@given(answers)
def test_a_better_answer_never_lowers_the_index(rows: list[list[int]]) -> None:
    before = ikm([response(*row) for row in rows])
    improved = [list(row) for row in rows]
    improved[0] = [min(v + 1, 4) for v in improved[0]]
    after = ikm([response(*row) for row in improved])

    assert before is not None
    assert after is not None
    assert after.converted >= before.converted


def test_a_score_is_the_share_right_with_two_decimals() -> None:
    assert score(7, 10) == Decimal("70.00")
    assert score(2, 3) == Decimal("66.67")
    assert score(1, 3) == Decimal("33.33")
    assert score(0, 4) == Decimal("0.00")
    with pytest.raises(ValueError, match="cannot score"):
        score(3, 0)
    with pytest.raises(ValueError, match="cannot score"):
        score(5, 4)


@given(st.integers(1, 200).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total))))
def test_scores_lie_between_0_and_100_and_grow_with_the_right_answers(pair: tuple[int, int]) -> None:
    correct, total = pair
    value = score(correct, total)
    assert Decimal(0) <= value <= Decimal(100)
    if correct < total:
        assert score(correct + 1, total) > value


def test_knowledge_gain_pairs_each_participant_and_counts_who_improved() -> None:
    pre = {1: Decimal("40.00"), 2: Decimal("60.00"), 3: Decimal("80.00"), 4: Decimal("50.00")}
    post = {1: Decimal("70.00"), 2: Decimal("60.00"), 3: Decimal("90.00"), 5: Decimal("100.00")}

    summary = gain_summary(pre, post)

    assert (summary.pre_count, summary.post_count) == (4, 4)
    assert summary.pre_mean == Decimal("57.50")
    assert summary.post_mean == Decimal("80.00")
    assert summary.paired == 3  # 4 took no post-test, 5 no pre-test
    assert summary.gain_mean == Decimal("13.33")  # (30 + 0 + 10) / 3
    assert (summary.improved, summary.improved_share) == (2, Decimal("66.67"))


@given(st.dictionaries(st.integers(1, 50), st.integers(0, 100), max_size=30), st.integers(-20, 20))
def test_a_uniform_change_is_the_mean_gain(pre_scores: dict[int, int], delta: int) -> None:
    pre = {k: Decimal(v) for k, v in pre_scores.items()}
    post = {k: v + delta for k, v in pre.items()}

    summary = gain_summary(pre, post)

    if pre:
        assert summary.gain_mean == Decimal(delta).quantize(Decimal("0.01"))
        assert summary.improved == (len(pre) if delta > 0 else 0)
    else:
        assert summary.gain_mean is None
        assert summary.improved_share is None
