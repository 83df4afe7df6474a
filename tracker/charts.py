"""Plotly figures with Korean labels and ₩ amounts. Pure: frames in, figures out.

- Each figure is built from arrays (a frame is pivoted once, never grouped per trace).
- The company chart names at most the TOP companies and sums the rest as "기타".
- A company keeps its colour: PALETTE[id % len(PALETTE)] (the next free one when two shown companies
  would share one, in id order, so a company added later never changes the others').
- Every colour has a contrast of at least 3:1 on Streamlit's light (#FFFFFF) and dark (#0E1117)
  backgrounds (WCAG's minimum for graphics; tests/test_charts.py checks it), and lines are 3 px wide.
- The current month, still in progress, is marked instead of looking like a crash: its bars hatched and
  lighter, a line's last segment dotted to an open marker, "이번 달(진행 중)" in the hover.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

MONTH_NAMES = [f"{m}월" for m in range(1, 13)]
WON_AXIS = {"tickprefix": "₩", "tickformat": ",d", "separatethousands": True}
WON_HOVER = "₩%{y:,.0f}"
LAYOUT = {"hovermode": "x unified", "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 40, "b": 10}}
MONTH_AXIS = {"dtick": "M1", "tickformat": "%y.%m", "hoverformat": "%Y년 %m월"}

# Ten hues of middling lightness: each at least 3:1 against white and against #0E1117.
PALETTE = ("#1F77B4", "#D97706", "#2CA02C", "#D62728", "#8C564B", "#0D9488", "#DB2777", "#65A30D", "#C026D3",
           "#0891B2")
OTHER_COLOR = "#8B8B8B"  # "기타" and neutral marks (error bars)
LINE_COLOR = "#7C3AED"  # the other basis' total over the company bars
WAGE_COLOR = "#DC2626"  # the minimum wage
TARGET_COLOR = "#0D9488"  # the user's own minimum hourly target
LINE_WIDTH = 3
TOP = 8
OTHERS = "기타"
PARTIAL = "이번 달(진행 중)"
PARTIAL_OPACITY = 0.55
BACKGROUNDS = ("#FFFFFF", "#0E1117")  # Streamlit's light and dark themes


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from trace and layout dicts, taken as they are: plotly's property checks cost as much as
    building the figure (half of a page's rebuild after a write), and st.plotly_chart sends a Figure
    without checking it either. tests/test_charts.py checks every figure here once with them."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, annotations=[{"text": "아직 데이터가 없습니다", "showarrow": False,
                                                 "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}])
    return fig


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def company_colors(names: Iterable[str], ids: Mapping[str, int] | None = None) -> dict[str, str]:
    """A fixed colour per company: PALETTE[id % 10] (crc32 of the name when its id is not known); two
    of `names` wanting one colour: the later id takes the next free one."""
    ids = ids or {}
    order = sorted(names, key=lambda n: (n not in ids, ids.get(n, 0), n))
    taken: set[int] = set()
    out: dict[str, str] = {}
    for name in order:
        if name == OTHERS:
            out[name] = OTHER_COLOR
            continue
        want = (ids[name] if name in ids else zlib.crc32(name.encode())) % len(PALETTE)
        free = [s for s in ((want + k) % len(PALETTE) for k in range(len(PALETTE))) if s not in taken]
        slot = free[0] if free else want
        taken.add(slot)
        out[name] = PALETTE[slot]
    return out


def pivot(frame: pd.DataFrame, amount: str, *, top: int = TOP) -> tuple[pd.DatetimeIndex, list[str], np.ndarray]:
    """Long rows (month, company, amount) → (months, company names, months × companies int64 grid),
    biggest total first, the companies after the `top` biggest summed as "기타"."""
    month_codes, months = pd.factorize(pd.DatetimeIndex(frame["month"]), sort=True)
    company_codes, names = pd.factorize(frame["company"].astype(str))
    grid = np.zeros((len(months), len(names)), dtype=np.int64)
    np.add.at(grid, (month_codes, company_codes), frame[amount].to_numpy(dtype=np.int64))
    order = np.argsort(-grid.sum(axis=0), kind="stable")
    grid, names = grid[:, order], [str(names[i]) for i in order]
    if len(names) > top:
        grid = np.column_stack([grid[:, :top], grid[:, top:].sum(axis=1)])
        names = names[:top] + [OTHERS]
    return pd.DatetimeIndex(months), names, grid


def _partial_marks(x: pd.DatetimeIndex, current: pd.Timestamp | None) -> np.ndarray:
    """True where x is the current (partial) month."""
    if current is None:
        return np.zeros(len(x), dtype=bool)
    return np.asarray(x == pd.Timestamp(current))


def _suffixes(partial: np.ndarray) -> np.ndarray:
    return np.where(partial, f" · {PARTIAL}", "")


def _line(x, y, *, name: str, color: str, partial: np.ndarray, dash: str | None = None, group: str | None = None,
          hover: str = WON_HOVER, showlegend: bool = True) -> list[dict]:
    """A line (trace dicts) whose partial last point hangs off a dotted segment, with an open marker."""
    x, y = np.asarray(x), np.asarray(y)
    whole = ~partial
    group = group or name
    line = {"color": color, "width": LINE_WIDTH, **({"dash": dash} if dash else {})}
    traces = [{"type": "scatter", "x": x[whole], "y": y[whole], "name": name, "mode": "lines+markers", "line": line,
               "legendgroup": group, "marker": {"size": 7}, "hovertemplate": hover, "showlegend": showlegend}]
    if not partial.any():
        return traces
    last = int(np.flatnonzero(partial)[-1])
    if last > 0 and whole[last - 1]:
        traces.append({"type": "scatter", "x": x[last - 1:last + 1], "y": y[last - 1:last + 1], "mode": "lines",
                       "legendgroup": group, "line": {"color": color, "width": LINE_WIDTH, "dash": "dot"},
                       "hoverinfo": "skip", "showlegend": False})
    traces.append({"type": "scatter", "x": x[last:last + 1], "y": y[last:last + 1], "mode": "markers",
                   "legendgroup": group, "showlegend": False,
                   "marker": {"color": color, "size": 9, "symbol": "circle-open", "line": {"width": 2}},
                   "hovertemplate": f"{name} {hover} · {PARTIAL}<extra></extra>"})
    return traces


def monthly_income(frame: pd.DataFrame, amount: str, *, title: str, other: pd.Series | None = None,
                   other_name: str = "", ids: Mapping[str, int] | None = None,
                   current: pd.Timestamp | None = None, top: int = TOP) -> go.Figure:
    """Bars stacked by company per month (the `top` biggest, the rest as 기타); optionally a line with
    the other basis' monthly total. `ids`: company name → id, for fixed colours; `current`: the month
    in progress."""
    if frame.empty:
        return _empty(title)
    months, names, grid = pivot(frame, amount, top=top)
    colors = company_colors(names, ids)
    partial = _partial_marks(months, current)
    pattern = {"shape": np.where(partial, "/", "").tolist(), "fillmode": "overlay"} if partial.any() else None
    opacity = np.where(partial, PARTIAL_OPACITY, 1.0) if partial.any() else None
    suffix = _suffixes(partial)
    traces = []
    for j, name in enumerate(names):
        marker = {"color": colors[name], **({"pattern": pattern, "opacity": opacity} if pattern else {})}
        traces.append({"type": "bar", "x": months, "y": grid[:, j], "name": name, "marker": marker,
                       **({"customdata": suffix} if j == 0 else {}),
                       "hovertemplate": WON_HOVER + ("%{customdata}" if j == 0 else "")})
    if other is not None and not other.empty:
        x = other.index.to_timestamp()
        traces += _line(x, other.to_numpy(), name=other_name, color=LINE_COLOR, partial=_partial_marks(x, current))
    return _figure(traces, {"barmode": "stack", "title": {"text": title}, "yaxis": WON_AXIS, "xaxis": MONTH_AXIS,
                                          **LAYOUT})


def _by_year(table: pd.DataFrame, value: str, current: pd.Timestamp | None) -> list[dict]:
    years = table["year"].to_numpy()
    months = table["month"].to_numpy()
    values = table[value].to_numpy()
    labels = np.asarray(MONTH_NAMES, dtype=object)[months - 1]
    traces = []
    for year in np.unique(years):
        at = years == year
        partial = (months[at] == current.month) & (year == current.year) if current is not None \
            else np.zeros(int(at.sum()), dtype=bool)
        traces += _line(labels[at], values[at], name=f"{year}년", color=PALETTE[int(year) % len(PALETTE)],
                        partial=partial)
    return traces


MONTH_CATEGORIES = {"categoryorder": "array", "categoryarray": MONTH_NAMES}


def season_overlay(table: pd.DataFrame, *, title: str, current: pd.Timestamp | None = None) -> go.Figure:
    """One line per year over 1월–12월; the month in progress dotted."""
    if table.empty:
        return _empty(title)
    fig = _figure(_by_year(table, "amount", current),
                  {"title": {"text": title}, "yaxis": WON_AXIS, "xaxis": MONTH_CATEGORIES, **LAYOUT})
    fig.add_vrect(x0=5.5, x1=11.5, fillcolor="orange", opacity=0.08, line_width=0,
                  annotation_text="하반기", annotation_position="top left")
    return fig


def year_to_date(table: pd.DataFrame, *, title: str, current: pd.Timestamp | None = None) -> go.Figure:
    if table.empty:
        return _empty(title)
    return _figure(_by_year(table, "cumulative", current),
                   {"title": {"text": title}, "yaxis": WON_AXIS, "xaxis": MONTH_CATEGORIES, **LAYOUT})


def hours_and_rate(frame: pd.DataFrame, *, title: str, current: pd.Timestamp | None = None) -> go.Figure:
    """Hours per month (bars) and KRW per hour against that year's minimum wage (lines)."""
    if frame.empty:
        return _empty(title)
    x = pd.DatetimeIndex(frame["month"])
    partial = _partial_marks(x, current)
    traces = [{"type": "bar", "x": x, "y": frame["hours"].to_numpy(dtype=float), "name": "작업 시간", "yaxis": "y2",
               "marker": {"color": OTHER_COLOR, "opacity": np.where(partial, 0.3, 0.5),
                          **({"pattern": {"shape": np.where(partial, "/", "").tolist()}} if partial.any() else {})},
               "customdata": _suffixes(partial), "hovertemplate": "%{y:,.1f}시간%{customdata}"}]
    rate = pd.to_numeric(frame["krw_per_hour"], errors="coerce").to_numpy(dtype=float)
    traces += _line(x, rate, name="시간당 수입", color=PALETTE[0], partial=partial)
    wage = pd.to_numeric(frame["minimum_wage"], errors="coerce").to_numpy(dtype=float)
    traces.append({"type": "scatter", "x": x, "y": wage, "name": "최저시급", "mode": "lines",
                   "line": {"dash": "dash", "color": WAGE_COLOR, "width": 2}, "hovertemplate": WON_HOVER})
    return _figure(traces, {
        "title": {"text": title}, "yaxis": {**WON_AXIS, "title": {"text": "원/시간"}},
        "yaxis2": {"title": {"text": "시간"}, "overlaying": "y", "side": "right", "showgrid": False}, "xaxis": MONTH_AXIS,
        **LAYOUT})


def rate_bars(frame: pd.DataFrame, label_column: str, labels: dict[str, str], *, title: str,
              minimum_wage: int | None = None, target: int | None = None) -> go.Figure:
    """KRW per hour per group (task type, role, project), highest first; the year's 최저시급 and the
    user's own minimum hourly target (설정 page) as lines, when set and different."""
    if frame.empty:
        return _empty(title)
    names = [labels.get(v, str(v)) for v in frame[label_column]]
    rates = pd.to_numeric(frame["krw_per_hour"], errors="coerce").to_numpy(dtype=float)
    rejected = pd.to_numeric(frame["rejection_rate"], errors="coerce").fillna(0).to_numpy(dtype=float) * 100
    fig = go.Figure(go.Bar(x=names, y=rates, name="시간당 수입", marker={"color": PALETTE[0]}, customdata=rejected,
                           hovertemplate="₩%{y:,.0f}/시간 · 반려율 %{customdata:.1f}%<extra></extra>"))
    if minimum_wage:
        fig.add_hline(y=minimum_wage, line_dash="dash", line_color=WAGE_COLOR, line_width=2,
                      annotation_text=f"최저시급 ₩{minimum_wage:,}", annotation_position="top right")
    if target and target != minimum_wage:
        fig.add_hline(y=target, line_dash="dot", line_color=TARGET_COLOR, line_width=2,
                      annotation_text=f"내 목표 시급 ₩{target:,}", annotation_position="top left")
    fig.update_layout(title=title, yaxis=WON_AXIS, margin={"t": 40, "b": 10})
    return fig


def cash_flow(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Money landing per month: confirmed receivables plus forecast earnings; the total's 80% band as error bars."""
    if frame.empty:
        return _empty(title)
    x = pd.DatetimeIndex(frame["month"])
    upper, lower, total = (frame[c].to_numpy(dtype=np.int64) for c in ("upper", "lower", "total"))
    traces = [
        {"type": "bar", "x": x, "y": frame["scheduled"].to_numpy(dtype=np.int64), "name": "받기로 된 돈",
         "marker": {"color": PALETTE[0]}, "hovertemplate": WON_HOVER},
        # The 80% band of the month's total as an error bar on top of the stack.
        {"type": "bar", "x": x, "y": frame["forecast"].to_numpy(dtype=np.int64), "name": "앞으로 벌 돈 (예측)",
         "marker": {"color": PALETTE[1], "opacity": 0.75}, "customdata": np.column_stack([lower, upper]),
         "hovertemplate": WON_HOVER + " (합계 80% 범위 ₩%{customdata[0]:,.0f}–₩%{customdata[1]:,.0f})",
         "error_y": {"type": "data", "symmetric": False, "array": upper - total, "arrayminus": total - lower,
                     "color": OTHER_COLOR, "thickness": 2, "width": 6}},
    ]
    return _figure(traces, {"barmode": "stack", "title": {"text": title}, "yaxis": WON_AXIS, "xaxis": MONTH_AXIS,
                                          **LAYOUT})


def forecast(history: pd.Series, result: pd.DataFrame, *, title: str,
             so_far: tuple[pd.Timestamp, int] | None = None) -> go.Figure:
    """History and forecast of monthly earnings with the 80% band; `so_far`: (this month, earned so far),
    drawn as an open marker ("이번 달(진행 중)") inside the forecast of this month."""
    if history.empty:
        return _empty(title)
    past = history.index.to_timestamp()
    future = result.index.to_timestamp()
    traces = [
        {"type": "scatter", "x": past, "y": history.to_numpy(dtype=float), "name": "실적", "mode": "lines+markers",
         "line": {"color": PALETTE[0], "width": LINE_WIDTH}, "hovertemplate": WON_HOVER},
        {"type": "scatter", "x": future, "y": result["upper"].to_numpy(), "mode": "lines", "line": {"width": 0},
         "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": future, "y": result["lower"].to_numpy(), "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": _rgba(PALETTE[1], 0.2), "name": "80% 범위", "hovertemplate": WON_HOVER},
        {"type": "scatter", "x": future, "y": result["mean"].to_numpy(), "name": "예측", "mode": "lines+markers",
         "line": {"color": PALETTE[1], "width": LINE_WIDTH, "dash": "dash"}, "hovertemplate": WON_HOVER},
    ]
    if so_far is not None:
        month, amount = so_far
        traces.append({"type": "scatter", "x": [pd.Timestamp(month)], "y": [amount], "mode": "markers",
                       "showlegend": False,
                       "marker": {"color": PALETTE[0], "size": 10, "symbol": "circle-open", "line": {"width": 2}},
                       "hovertemplate": f"지금까지 {WON_HOVER} · {PARTIAL}<extra></extra>"})
    return _figure(traces, {"title": {"text": title}, "yaxis": WON_AXIS, "xaxis": {**MONTH_AXIS, "dtick": "M2"},
                                          **LAYOUT})
