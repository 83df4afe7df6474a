"""The benchmark's scores (benchmarks/forecast.py) on hand-worked numbers; the peers need no install here."""
import numpy as np
import pytest

from benchmarks.forecast import mase_scale, seasonal_naive, smape, verdict


def test_smape_is_the_m3_definition():
    # 200·|100−110|/210 = 9.5238…, 200·|50−40|/90 = 22.222…, both zero → 0
    assert smape(np.array([100.0, 50.0, 0.0]), np.array([110.0, 40.0, 0.0])) == pytest.approx((9.523809 + 22.222222 + 0) / 3)


def test_mase_scale_is_the_seasonal_naive_in_sample_error():
    history = np.r_[np.arange(12.0), np.arange(12.0) + 3]
    assert mase_scale(history) == 3.0
    assert mase_scale(np.r_[np.full(12, 5.0), np.full(12, 5.0)]) == 0.0
    flat_season = np.tile([1.0, 2.0], 12)  # lag-12 errors are all 0: falls back to the lag-1 naive
    assert mase_scale(flat_season) == 1.0


def test_seasonal_naive_repeats_the_last_year():
    assert seasonal_naive(np.arange(24.0), 14).tolist() == [*range(12, 24), 12, 13]


def test_verdict_names_every_miss():
    ok = {"smape": 10.0, "mase": 0.8, "ms": 3.0}
    peer = {"smape": 12.0, "mase": 0.9, "ms": 9.0}
    summary = {24: {"ours (tracker.forecast)": ok, "seasonal naive": peer, "ETS auto (AICc)": peer,
                    "ETS(A,Ad,M)": peer, "Theta": {**peer, "mase": 0.7}}}
    assert verdict(summary) == "target missed: MASE vs Theta at 24 months (0.8000 ≥ 0.7000)"
    summary[24]["Theta"] = peer
    assert verdict(summary) == "target met: better sMAPE and MASE than every peer at 24 months, < 50 ms per series"
