"""Withholding worked examples, to the won (DOMAIN.md). 일용근로 in detail: tests/test_withholding_daily.py."""
from datetime import date

import pytest

from tracker.tax import gross_from_net, withhold


@pytest.mark.parametrize(
    ("gross", "kind", "paid_on", "income_tax", "local_tax", "net"),
    [
        (1_000_000, "business", date(2026, 1, 5), 30_000, 3_000, 967_000),
        (45_000, "business", date(2026, 1, 5), 1_350, 130, 43_520),
        (33_333, "business", date(2024, 6, 30), 0, 0, 33_333),  # 소액부징수 before 2024-07-01
        (33_333, "business", date(2024, 7, 1), 990, 90, 32_253),
        (125_000, "other", date(2026, 1, 5), 0, 0, 125_000),  # 기타소득금액 50,000 이하
        (1_000_000, "other", date(2026, 1, 5), 80_000, 8_000, 912_000),
        (500_000, "none", date(2026, 1, 5), 0, 0, 500_000),
        (200_000, "daily", date(2026, 1, 5), 1_350, 130, 198_520),  # (200,000 − 150,000) × 6% × 45%
        (180_000, "daily", date(2026, 1, 5), 0, 0, 180_000),  # 810 < 1,000: 소액부징수
    ],
)
def test_withhold(gross, kind, paid_on, income_tax, local_tax, net):
    w = withhold(gross, kind, paid_on)
    assert (w.income_tax, w.local_tax, w.net, w.total) == (income_tax, local_tax, net, income_tax + local_tax)


def test_gross_from_net_round_trip():
    assert gross_from_net(967_000, "business", date(2026, 1, 5)) == [999_980, 1_000_000]
    for gross in (999_980, 1_000_000):
        assert withhold(gross, "business", date(2026, 1, 5)).net == 967_000


def test_withhold_refuses_bad_input():
    with pytest.raises(ValueError):
        withhold(-1)
    with pytest.raises(TypeError):
        withhold(1000.0)
    with pytest.raises(ValueError):
        withhold(1000, "5%")
    with pytest.raises(ValueError):
        withhold(200_000, "daily", date(2026, 1, 5), days=0)
    with pytest.raises(ValueError):
        gross_from_net(1000, "5%")
