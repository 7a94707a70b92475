"""Pure arithmetic of the after stage: test scores, knowledge gain and the satisfaction index (IKM).

The IKM follows PermenPAN-RB 14/2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat):

- each of the nine elements (U1-U9) is answered on a scale of 1 to 4;
- an element's NRR (nilai rata-rata) is the sum of its answers divided by the number of answers;
- each element weighs the same, 1/9 (the regulation prints the weight rounded as 0.111; the exact
  fraction is used here, so nine perfect elements make exactly 4 and the index exactly 100);
- the IKM of the unit is the sum of the weighted NRRs (1 to 4), the converted IKM that sum x 25
  (25 to 100);
- the quality category of the converted value: A (very good) 88.31-100, B (good) 76.61-88.30,
  C (poor) 65.00-76.60, D (bad) 25.00-64.99.

The values are computed exactly (``Fraction``) and rounded once, half up, to two decimals; the
category is read from that rounded value, so the published number and its letter always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
WEIGHT = Fraction(1, len(ELEMENTS))
TWO_PLACES = Decimal("0.01")

# (lowest converted value, letter, label), best first.
CATEGORIES: tuple[tuple[Decimal, str, Promise], ...] = (
    (Decimal("88.31"), "A", _("Very good")),
    (Decimal("76.61"), "B", _("Good")),
    (Decimal("65.00"), "C", _("Poor")),
    (Decimal("25.00"), "D", _("Bad")),
)


def to_decimal(value: Fraction, places: Decimal = TWO_PLACES) -> Decimal:
    """An exact fraction rounded half up (as on paper, not banker's rounding)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


def category(converted: Decimal) -> tuple[str, str]:
    """The letter and label of a converted IKM value (25-100), per PermenPAN-RB 14/2017."""
    for lowest, letter, label in CATEGORIES:
        if converted >= lowest:
            return letter, str(label)
    return "D", str(CATEGORIES[-1][2])


@dataclass(frozen=True)
class ElementResult:
    element: str  # "u1" ... "u9"
    nrr: Decimal  # mean answer, 1-4, three decimals
    weighted: Decimal  # NRR x 1/9, three decimals (as the regulation's worksheet shows it)
    converted: Decimal  # NRR x 25, two decimals
    letter: str


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    elements: tuple[ElementResult, ...]
    index: Decimal  # the sum of weighted NRRs, 1-4, three decimals
    converted: Decimal  # the IKM, 25-100, two decimals
    letter: str
    label: str


def ikm(responses: Iterable[Mapping[str, int]]) -> IkmResult | None:
    """The IKM of survey responses (each a mapping ``u1``..``u9`` -> 1..4); None without any.

    Raises ValueError for an answer outside 1-4 or a missing element: a response is all nine
    answers or none."""
    totals = dict.fromkeys(ELEMENTS, 0)
    count = 0
    for response in responses:
        for element in ELEMENTS:
            value = response[element]
            if not 1 <= value <= 4:
                raise ValueError(f"{element} must be 1-4, not {value}")
            totals[element] += value
        count += 1
    if count == 0:
        return None
    nrrs = {element: Fraction(totals[element], count) for element in ELEMENTS}
    index = sum((nrr * WEIGHT for nrr in nrrs.values()), Fraction(0))
    converted = to_decimal(index * 25)
    letter, label = category(converted)
    return IkmResult(
        respondents=count,
        elements=tuple(
            ElementResult(
                element=element,
                nrr=to_decimal(nrr, Decimal("0.001")),
                weighted=to_decimal(nrr * WEIGHT, Decimal("0.001")),
                converted=to_decimal(nrr * 25),
                letter=category(to_decimal(nrr * 25))[0],
            )
            for element, nrr in nrrs.items()
        ),
        index=to_decimal(index, Decimal("0.001")),
        converted=converted,
        letter=letter,
        label=label,
    )


def score(correct: int, total: int) -> Decimal:
    """A test score, 0-100 with two decimals: the share of questions answered right."""
    if total <= 0 or not 0 <= correct <= total:
        raise ValueError(f"cannot score {correct} of {total}")
    return to_decimal(Fraction(correct * 100, total))


@dataclass(frozen=True)
class GainSummary:
    """Knowledge gain of an event: means over the attempts, the gain over participants with both."""

    pre_count: int
    post_count: int
    pre_mean: Decimal | None
    post_mean: Decimal | None
    paired: int  # participants with both a pre- and a post-test
    gain_mean: Decimal | None  # mean of (post - pre) over the paired
    improved: int  # paired participants whose post-test beat their pre-test
    improved_share: Decimal | None  # improved / paired, as a percentage


def gain(pre: Decimal | None, post: Decimal | None) -> Decimal | None:
    """A participant's knowledge gain: post-test score minus pre-test score (None without both)."""
    if pre is None or post is None:
        return None
    return post - pre


def _mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return to_decimal(sum((Fraction(v) for v in values), Fraction(0)) / len(values))


def gain_summary(pre: Mapping[int, Decimal], post: Mapping[int, Decimal]) -> GainSummary:
    """From scores by participant id: the means, the mean gain and the share who improved."""
    paired = sorted(set(pre) & set(post))
    gains = [post[p] - pre[p] for p in paired]
    improved = sum(1 for g in gains if g > 0)
    return GainSummary(
        pre_count=len(pre),
        post_count=len(post),
        pre_mean=_mean(list(pre.values())),
        post_mean=_mean(list(post.values())),
        paired=len(paired),
        gain_mean=_mean(gains),
        improved=improved,
        improved_share=to_decimal(Fraction(improved * 100, len(paired))) if paired else None,
    )
