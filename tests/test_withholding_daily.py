"""일용근로소득 (issue 10 §2): (일당 − 150,000) × 6% × 45%, under 10 won dropped; 소액부징수 on what one
payment withholds (소득세 under 1,000 won: nothing); 지방소득세 10% of the payment's 소득세, under 10 won
dropped. Separately taxed: never part of the May-return estimate. Every figure by hand, to the won."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.deposits import propose_split, withholding_difference
from tracker.models.enums import WithholdingKind
from tracker.tax import KINDS, effective_rate, gross_from_net, rounding_tolerance, withhold

DAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("gross", "days", "income_tax", "local_tax"),
    [
        (200_000, 1, 1_350, 130),   # 50,000 × 2.7% = 1,350; 지방 135 → 130
        (180_000, 1, 0, 0),         # 30,000 × 2.7% = 810 < 1,000: not withheld
        (150_000, 1, 0, 0),         # nothing above the 150,000 deduction
        (100_000, 1, 0, 0),
        (0, 1, 0, 0),
        (187_037, 1, 0, 0),         # 37,037 × 2.7% = 999.999 → 990 < 1,000
        (187_038, 1, 1_000, 100),   # 37,038 × 2.7% = 1,000.026 → 1,000
        (300_000, 1, 4_050, 400),   # 150,000 × 2.7% = 4,050; 지방 405 → 400
        (250_370, 1, 2_700, 270),   # 100,370 × 2.7% = 2,709.99 → 2,700
        # Several days in one payment: each day's 소득세, summed; 소액부징수 on the payment's sum.
        (900_000, 5, 4_050, 400),   # 5 × 180,000: 5 × 810 = 4,050 (each day alone: nothing); 지방 405 → 400
        (600_000, 3, 4_050, 400),   # 3 × 200,000: 3 × 1,350; 지방 on the payment's 4,050, not 3 × 130
        (370_000, 2, 1_880, 180),   # 2 × 185,000: 2 × 940 = 1,880 ≥ 1,000; 지방 188 → 180
        (360_000, 2, 1_620, 160),   # 2 × 180,000: 2 × 810 = 1,620 ≥ 1,000 (one day alone: nothing)
        (400_001, 2, 2_700, 270),   # 200,001 + 200,000: 1,350.027 → 1,350, and 1,350
        (300_000, 2, 0, 0),         # 2 × 150,000: nothing taxable
        (556_000, 3, 2_850, 280),   # 185,334 + 2 × 185,333: 954.018 → 950, 953.991 → 950 (× 2); 지방 285 → 280
    ],
)
def test_withhold_daily(gross, days, income_tax, local_tax):
    w = withhold(gross, "daily", DAY, days=days)
    assert (w.income_tax, w.local_tax, w.net) == (income_tax, local_tax, gross - income_tax - local_tax)


def test_one_day_at_a_time_or_all_at_once():
    """Five days of 180,000 paid day by day: nothing withheld (810 < 1,000 each time). Paid at once:
    4,050 + 400 — the 소액부징수 looks at the payment (bcplatform.oqupie.com, see data/withholding.toml)."""
    day_by_day = [withhold(180_000, "daily", DAY) for _ in range(5)]
    assert sum(w.total for w in day_by_day) == 0
    assert withhold(900_000, "daily", DAY, days=5).total == 4_450


def test_days_only_matter_for_daily():
    assert withhold(1_000_000, "business", DAY, days=5) == withhold(1_000_000, "business", DAY)
    assert withhold(1_000_000, "other", DAY, days=3) == withhold(1_000_000, "other", DAY)


@pytest.mark.parametrize(("days", "error"), [(0, ValueError), (-1, ValueError), (True, TypeError), (1.5, TypeError)])
def test_days_must_be_a_positive_int(days, error):
    with pytest.raises(error):
        withhold(200_000, "daily", DAY, days=days)
    with pytest.raises(error):
        gross_from_net(198_520, "daily", DAY, days=days)


def test_daily_is_a_kind_with_a_korean_label():
    assert "daily" in KINDS
    assert WithholdingKind("daily") is WithholdingKind.DAILY
    assert WithholdingKind.DAILY.label == "일용근로소득 6% (일당 15만 원 초과분)"
    assert WithholdingKind.labels()["daily"] == WithholdingKind.DAILY.label


def test_effective_rate_and_tolerance():
    # 6% × (1 − 55%) × (1 + 10%): the share of the part above 150,000 a day.
    assert effective_rate("daily", DAY) == Decimal("0.0297")
    assert rounding_tolerance("daily", DAY) == 21
    assert rounding_tolerance("daily", DAY, days=5) == 65


def test_gross_from_net_daily_examples():
    # 198,520 = 200,000 − (1,350 + 130) = 199,990 − (1,340 + 130): 49,990 × 2.7% = 1,349.73 → 1,340.
    assert gross_from_net(198_520, "daily", DAY) == [199_990, 200_000]
    assert gross_from_net(180_000, "daily", DAY) == [180_000]  # untaxed: the gross is the deposit
    assert gross_from_net(895_550, "daily", DAY, days=5) == [899_950, 900_000]
    # 5 × 179,990: 29,990 × 2.7% = 809.73 → 800 a day; 899,950 − (4,000 + 400) = 900,000 − (4,050 + 400).
    assert gross_from_net(-1, "daily", DAY) == []
    # Just above the line a deposit can be read both ways: 186,000 untaxed, or 187,1xx taxed.
    both = gross_from_net(186_000, "daily", DAY)
    assert both[0] == 186_000 and all(withhold(g, "daily", DAY).total > 0 for g in both[1:]) and len(both) > 1


@given(gross=st.integers(0, 50_000_000), days=st.integers(1, 31))
@example(gross=187_037, days=1)
@example(gross=187_038, days=1)
@example(gross=935_190, days=5)
@example(gross=0, days=3)
@settings(max_examples=80, deadline=None)
def test_gross_from_net_daily_finds_every_gross(gross, days):
    w = withhold(gross, "daily", DAY, days=days)
    found = gross_from_net(w.net, "daily", DAY, days=days)
    assert gross in found
    assert all(withhold(g, "daily", DAY, days=days).net == w.net for g in found)
    assert w.total * 10_000 <= gross * 297  # never more than 2.97% of the whole pay


@given(start=st.integers(0, 3_000_000), days=st.integers(1, 4))
@example(start=186_500, days=1)
@example(start=372_000, days=2)
@settings(max_examples=25, deadline=None)
def test_gross_from_net_daily_is_complete_in_a_window(start, days):
    """Withhold every gross of a window; for the nets no gross outside it can reach, gross_from_net must
    give exactly the grosses seen. One more won of gross takes at most 21 won of tax, except at the
    소액부징수 line (about 1,100 won once), so grosses more than 3,000 won away cannot reach the nets
    between the highest net just below the window and the lowest net just above it."""
    width = 600
    net = lambda g: withhold(g, "daily", DAY, days=days).net  # noqa: E731
    seen: dict[int, set[int]] = {}
    for g in range(start, start + width + 1):
        seen.setdefault(net(g), set()).add(g)
    low = max((net(g) for g in range(max(0, start - 3_000), start)), default=-1) + 1
    high = min(net(g) for g in range(start + width + 1, start + width + 3_001)) - 1
    for n in range(low, high + 1, 3):
        expected = set(seen.get(n, set()))
        if net(n) == n:  # an untaxed payment keeps its gross
            expected.add(n)
        assert gross_from_net(n, "daily", DAY, days=days) == sorted(expected)


def test_deposits_invert_daily_pay():
    """A day's 200,000 lands as 198,520; five days of 180,000 at once as 895,550; a payer that kept the
    지방소득세's won (1,350 + 135) leaves 198,515 of the 200,000 owed."""
    split = propose_split(198_520, "daily", DAY)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (200_000, 1_350, 130, True)
    split = propose_split(895_550, "daily", DAY, days=5)
    assert (split.gross, split.income_tax, split.local_tax) == (900_000, 4_050, 400)
    split = propose_split(180_000, "daily", DAY)
    assert (split.gross, split.income_tax, split.local_tax) == (180_000, 0, 0)
    split = propose_split(198_515, "daily", DAY, expected_gross=200_000)
    assert (split.gross, split.income_tax, split.local_tax, split.exact) == (200_000, 1_350, 135, False)
    assert withholding_difference(200_000, 1_350, 135, "daily", DAY) == 5
    assert withholding_difference(900_000, 4_050, 400, "daily", DAY, days=5) == 0
