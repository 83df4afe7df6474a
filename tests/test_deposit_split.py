"""Payer rounding and ambiguous deposits (issue 10 §6): a known gross is never replaced by a guess, a
deposit within the payer's rounding of it keeps it with the withholding actually taken, and small
untaxed deposits come back untaxed. Every figure by hand, to the won."""
from datetime import date

import pytest

from tracker.deposits import Split, propose_split, withholding_difference
from tracker.tax import gross_from_net, rounding_tolerance, split_withheld, withhold

PAID = date(2026, 11, 22)


def test_the_issue_example():
    """45,000 owed (3.3%): the rule withholds 1,350 + 130 = 1,480 (net 43,520); the platform took
    1,350 + 135 = 1,485 and 43,515 landed. 43,515 is 5 won from 43,520, within the 21-won rounding
    tolerance: gross 45,000, taxes 1,485 split 10:1 = 1,350 + 135, flagged as differing."""
    split = propose_split(43_515, "business", PAID, expected_gross=45_000)
    assert (split.gross, split.income_tax, split.local_tax, split.net, split.exact) == (45_000, 1_350, 135, 43_515, False)
    assert split.income_tax + split.local_tax == 1_485
    assert "1,485원" in split.note and "+5원" in split.note and "반올림" in split.note
    # The page's warning still fires on it (it compares with the rule).
    assert withholding_difference(split.gross, split.income_tax, split.local_tax, "business", PAID) == 5


def test_the_callers_positional_form_still_works():
    # views/receivables.py: propose_split(net, kind.value, received_on, remaining_gross)
    assert propose_split(43_515, "business", PAID, 45_000).gross == 45_000
    assert propose_split(43_515, "business", PAID, None).gross == 44_985  # no known gross: the exact guess


def test_without_a_known_gross_the_exact_guess_stands():
    """43,515 with nothing owed known: 44,985 × 3% = 1,349.55 → 1,340, 지방 130 → 43,515 exactly."""
    assert 44_985 in gross_from_net(43_515, "business", PAID)
    split = propose_split(43_515, "business", PAID)
    assert (split.gross, split.income_tax, split.local_tax, split.exact, split.note) == (44_985, 1_340, 130, True, "")


@pytest.mark.parametrize(
    ("net", "gross", "income_tax", "local_tax"),
    [
        # 45,000 owed, expected net 43,520; tolerance 21 either way.
        (43_499, 45_000, 1_365, 136),  # took 21 more: 1,501 / 1.1 = 1,364.5 → 1,365, 지방 136
        (43_510, 45_000, 1_355, 135),  # 1,490 / 1.1 = 1,354.5 → 1,355
        (43_530, 45_000, 1_336, 134),  # took 10 less: 1,470 / 1.1 = 1,336.4 → 1,336
        (43_541, 45_000, 1_326, 133),  # took 21 less: 1,459 / 1.1 = 1,326.4 → 1,326
    ],
)
def test_the_tolerance_edges(net, gross, income_tax, local_tax):
    split = propose_split(net, "business", PAID, expected_gross=45_000)
    assert (split.gross, split.income_tax, split.local_tax, split.net, split.exact) == (
        gross, income_tax, local_tax, net, False)


@pytest.mark.parametrize("net", [43_498, 43_542, 40_000, 22_000])
def test_beyond_the_tolerance_the_deposit_is_read_on_its_own(net):
    """22 won or more from the expected 43,520 is not rounding (a partial deposit, another payment):
    the deposit gets its own exact reading, and the payment's gross is left to the caller."""
    split = propose_split(net, "business", PAID, expected_gross=45_000)
    assert split.gross != 45_000 and split.exact is True
    assert withhold(split.gross, "business", PAID).net == net


def test_rounding_tolerance_per_kind():
    # 10 won per 소득세 truncation × (1 + 10%) + 10 won for the 지방소득세's own truncation.
    assert rounding_tolerance("business", PAID) == 21
    assert rounding_tolerance("other", PAID) == 21
    assert rounding_tolerance("daily", PAID) == 21
    assert rounding_tolerance("daily", PAID, days=3) == 43
    assert rounding_tolerance("none", PAID) == 0


def test_split_withheld_is_ten_to_one():
    assert split_withheld(1_485, "business", PAID) == (1_350, 135)
    assert split_withheld(1_480, "business", PAID) == (1_345, 135)  # 1,345.45 → 1,345
    assert split_withheld(88_000, "other", PAID) == (80_000, 8_000)
    assert split_withheld(0, "business", PAID) == (0, 0)
    assert split_withheld(500, "none", PAID) == (500, 0)


def test_a_known_gross_that_fits_exactly_is_kept():
    # 967,000 is left by 999,980 and 1,000,000; the one owed wins.
    split = propose_split(967_000, "business", PAID, expected_gross=999_980)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (999_980, 29_990, 2_990, True)
    # An untaxed gross owed (before 2024-07-01, 30,000 → 900 < 1,000) landing whole.
    split = propose_split(30_000, "business", date(2024, 6, 30), expected_gross=30_000)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (30_000, 0, 0, True)


def test_small_untaxed_deposits_come_back_untaxed():
    """33,210 before 2024-07-01: untaxed 33,210 (3% = 996.3 → 990 < 1,000), or 34,340 taxed
    (1,030 + 100). Both leave 33,210; the untaxed reading wins (it used to be the larger, taxed one)."""
    both = gross_from_net(33_210, "business", date(2024, 6, 30))
    assert 33_210 in both and 34_340 in both
    split = propose_split(33_210, "business", date(2024, 6, 30))
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (33_210, 0, 0, True)
    assert "세금을 떼지 않는 소액 지급" in split.note
    # 기타소득 120,000: 기타소득금액 48,000 ≤ 50,000, untaxed; 131,5xx taxed grosses also leave 120,000.
    assert len(gross_from_net(120_000, "other", PAID)) > 1
    split = propose_split(120_000, "other", PAID)
    assert (split.gross, split.income_tax, split.local_tax) == (120_000, 0, 0)
    # 일용근로 186,000 a day: untaxed, though 187,1xx taxed days also leave 186,000.
    assert propose_split(186_000, "daily", PAID).gross == 186_000
    # 원천징수 없음: no word needed.
    assert propose_split(50_000, "none", PAID) == Split(50_000, 0, 0, exact=True)
    assert propose_split(50_000, "none", PAID).note == ""


def test_the_untaxed_reading_does_not_override_a_known_gross():
    """34,340 owed before 2024-07-01 (1,030 + 100 → 33,210): the deposit 33,210 is exactly it."""
    split = propose_split(33_210, "business", date(2024, 6, 30), expected_gross=34_340)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (34_340, 1_030, 100, True)


def test_round_guesses_are_unchanged():
    split = propose_split(967_000, "business", PAID)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (1_000_000, 30_000, 3_000, True)
    split = propose_split(912_000, "other", PAID)
    assert (split.gross, split.income_tax, split.local_tax) == (1_000_000, 80_000, 8_000)
