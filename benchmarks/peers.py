"""The strongest open-source peers of tracker.forecast, scored per series into benchmarks/results/. A script, not a test.

    make bench-peers                                             # all four runs, in .venv-peers
    .venv-peers/bin/python benchmarks/peers.py --dataset M3 --length 24
    .venv-peers/bin/python benchmarks/peers.py --dataset M1 --length 36 --limit 50 --out /tmp/x.csv

statsforecast requires pandas < 3 and the app pins pandas 3, so the peers run in their own
environment (requirements-peers.txt, `make bench-peers` builds .venv-peers) and write what they
scored to committed CSV files, benchmarks/results/peers-<dataset>-<length>.csv; benchmarks/forecast.py
reads them and prints them beside forecast_monthly and the seasonal naive method it runs itself.

The task is benchmarks/forecast.py's: each monthly series' training part cut to its last 24 or 36
months, 12 months forecast with an 80% band, scored on the first 12 months of the test part with
its sMAPE, MASE, coverage and MSIS (the same functions, imported from it). Models, all
`season_length=12` and otherwise statsforecast's defaults: AutoETS, AutoTheta, AutoARIMA, AutoCES,
DynamicOptimizedTheta, MSTL (its default trend model, AutoETS without season) and SCUM, the median
of AutoETS, AutoCES, AutoARIMA and DynamicOptimizedTheta (Petropoulos & Svetunkov 2020), its band
the medians of their bounds and its time the sum of theirs. Forecasts and bounds are cut at 0
(a month's total cannot be negative; this only helps the peers). A model that fails on a series
is replaced there by the seasonal naive forecast and marked `fallback` in the file.
ms is the wall time of one model's `forecast(y, h, level=[80])` in one worker process with one
BLAS thread, after a warm-up that compiles numba outside the timings.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread per worker: honest per-series timings

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import platform  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from multiprocessing import Pool  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.forecast import HORIZON, SEASON, load_series, score, seasonal_naive_band  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
MODELS = ["AutoETS", "AutoTheta", "AutoARIMA", "AutoCES", "DynamicOptimizedTheta", "MSTL"]
SCUM_PARTS = ["AutoETS", "AutoCES", "AutoARIMA", "DynamicOptimizedTheta"]
METHODS = MODELS + ["SCUM"]
FIELDS = ["series", "method", "smape", "mase", "coverage", "msis", "ms", "note"]


def results_path(dataset: str, length: int) -> Path:
    return RESULTS / f"peers-{dataset.lower()}-{length}.csv"


def make_model(name: str):
    from statsforecast import models

    return getattr(models, name)(season_length=SEASON)


def fit(name: str, history: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, str]:
    """(mean, lower, upper, seconds, note) of one model on one history."""
    start = time.perf_counter()
    note = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = make_model(name).forecast(y=history, h=horizon, level=[80])
        mean, lower, upper = (np.asarray(out[key], dtype=float) for key in ("mean", "lo-80", "hi-80"))
        if not (np.isfinite(mean).all() and np.isfinite(lower).all() and np.isfinite(upper).all()):
            raise ValueError("non-finite forecast")
    except Exception:  # noqa: BLE001 - a failed fit is scored as the seasonal naive method, and marked
        mean, lower, upper = seasonal_naive_band(history, horizon)
        note = "fallback"
    seconds = time.perf_counter() - start
    return np.maximum(mean, 0.0), np.maximum(lower, 0.0), np.maximum(upper, 0.0), seconds, note


def run_one(task: tuple[str, np.ndarray, np.ndarray]) -> list[dict]:
    name, history, actual = task
    fits = {model: fit(model, history, HORIZON) for model in MODELS}
    parts = [fits[m] for m in SCUM_PARTS]
    fits["SCUM"] = (*(np.median([p[i] for p in parts], axis=0) for i in range(3)),
                    sum(p[3] for p in parts), ",".join(sorted({p[4] for p in parts} - {""})))
    rows = []
    for method in METHODS:
        mean, lower, upper, seconds, note = fits[method]
        rows.append({"series": name, "method": method, **score(actual, history, mean, lower, upper),
                     "ms": 1000 * seconds, "note": note})
    return rows


def _warm_up() -> None:
    history = 100 + 10 * np.sin(np.arange(36) / 2) + np.arange(36)
    for model in MODELS:
        fit(model, history, 3)


def _fmt(value) -> str:
    if isinstance(value, str):
        return value
    if value is None or not np.isfinite(value):
        return ""
    return f"{value:.6g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dataset", choices=["M3", "M1"], default="M3")
    parser.add_argument("--length", type=int, default=24, help="history length in months")
    parser.add_argument("--limit", type=int, default=None, help="only the first N monthly series")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes")
    parser.add_argument("--out", type=Path, default=None, help="CSV to write (default benchmarks/results/...)")
    args = parser.parse_args(argv)

    import pandas
    import statsforecast

    series = load_series(args.dataset, args.limit)
    tasks = [(item.sn, np.asarray(item.x, dtype=float)[-args.length:], np.asarray(item.xx, dtype=float)[:HORIZON])
             for item in series]
    print(f"{args.dataset} monthly, {len(tasks)} series cut to {args.length} months: "
          f"{', '.join(METHODS)} ({args.jobs} worker(s))", flush=True)
    started = time.perf_counter()
    if args.jobs > 1:
        with Pool(args.jobs, initializer=_warm_up) as pool:
            results = list(pool.imap(run_one, tasks, chunksize=4))
    else:
        _warm_up()
        results = [run_one(task) for task in tasks]
    elapsed = time.perf_counter() - started

    out = args.out or results_path(args.dataset, args.length)
    out.parent.mkdir(parents=True, exist_ok=True)
    command = "python benchmarks/peers.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    header = (f"# {args.dataset} monthly, {len(tasks)} series, last {args.length} months, h={HORIZON}, 80% band. "
              f"statsforecast {statsforecast.__version__}, pandas {pandas.__version__}, numpy {np.__version__}, "
              f"Python {platform.python_version()}, {os.cpu_count()} cores; run "
              f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {elapsed:.0f} s, with `{command}` "
              f"in .venv-peers (requirements-peers.txt). One row per series and method; see benchmarks/peers.py.")
    with out.open("w", newline="", encoding="utf-8") as handle:
        handle.write(header + "\n")
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for rows in results:
            for row in rows:
                writer.writerow({k: _fmt(v) for k, v in row.items()})
    flat = [row for rows in results for row in rows]
    for method in METHODS:
        mine = [r for r in flat if r["method"] == method]
        print(f"{method:>22}: sMAPE {np.mean([r['smape'] for r in mine]):.3f}  "
              f"MASE {np.nanmean([r['mase'] for r in mine]):.4f}  coverage {np.mean([r['coverage'] for r in mine]):.1%}  "
              f"MSIS {np.nanmean([r['msis'] for r in mine]):.3f}  {np.mean([r['ms'] for r in mine]):.1f} ms  "
              f"({sum(bool(r['note']) for r in mine)} fallback)")
    print(f"wrote {out} ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
