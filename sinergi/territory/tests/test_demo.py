"""Spreading RW and RT counts over kelurahan: whole numbers that add up, proportional to population."""

from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from sinergi.territory.demo import spread

totals = st.integers(0, 5_000)
weight_lists = st.lists(st.integers(0, 200_000), min_size=1, max_size=30)


@given(total=totals, weights=weight_lists, minimum=st.integers(0, 3))
def test_the_parts_add_up_to_the_total(total: int, weights: list[int], minimum: int) -> None:
    parts = spread(total, weights, minimum=minimum)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)


@given(total=totals, weights=weight_lists, minimum=st.integers(1, 3))
def test_every_part_gets_the_minimum_when_the_total_allows(total: int, weights: list[int], minimum: int) -> None:
    assume(total >= minimum * len(weights))
    assert min(spread(total, weights, minimum=minimum)) >= minimum


@given(total=totals, weights=st.lists(st.integers(1, 200_000), min_size=1, max_size=30))
def test_each_part_is_within_one_of_its_exact_share(total: int, weights: list[int]) -> None:
    parts = spread(total, weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, sum(weights))
        assert abs(part - exact) < 1


@given(total=totals, weights=weight_lists)
def test_a_heavier_weight_never_gets_a_smaller_part(total: int, weights: list[int]) -> None:
    parts = spread(total, weights)
    for i in range(len(weights)):
        for j in range(len(weights)):
            if weights[i] > weights[j] > 0:
                assert parts[i] >= parts[j]


@given(total=totals, n=st.integers(1, 30))
def test_without_weights_it_splits_evenly(total: int, n: int) -> None:
    parts = spread(total, [0] * n)
    assert max(parts) - min(parts) <= 1


def test_it_splits_nothing_into_nothing() -> None:
    assert spread(10, []) == []


def test_it_gives_a_kelurahan_without_population_an_average_share() -> None:
    assert spread(10, [0, 10]) == [5, 5]
