"""Plotly figures with Korean labels and ₩ amounts. Pure: frames in, figures out."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

MONTH_NAMES = [f"{m}월" for m in range(1, 13)]
WON_AXIS = {"tickprefix": "₩", "tickformat": ",d", "separatethousands": True}
WON_HOVER = "₩%{y:,.0f}"
LAYOUT = {"hovermode": "x unified", "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 40, "b": 10}}


def _empty(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, annotations=[{"text": "아직 데이터가 없습니다", "showarrow": False,
                                                 "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}])
    return fig


def monthly_income(frame: pd.DataFrame, amount: str, *, title: str, other: pd.Series | None = None,
                   other_name: str = "") -> go.Figure:
    """Bars stacked by company per month; optionally a line with the other basis' monthly total."""
    if frame.empty:
        return _empty(title)
    fig = go.Figure()
    for company, part in frame.groupby("company", sort=False):
        fig.add_bar(x=part["month"], y=part[amount], name=str(company), hovertemplate=WON_HOVER)
    if other is not None and not other.empty:
        fig.add_scatter(x=other.index.to_timestamp(), y=other.values, name=other_name, mode="lines+markers",
                        line={"color": "black", "dash": "dot"}, hovertemplate=WON_HOVER)
    fig.update_layout(barmode="stack", title=title, yaxis=WON_AXIS, xaxis={"dtick": "M1", "tickformat": "%y.%m"},
                      **LAYOUT)
    return fig


def season_overlay(table: pd.DataFrame, *, title: str) -> go.Figure:
    """One line per year over 1월–12월."""
    if table.empty:
        return _empty(title)
    fig = go.Figure()
    for year, part in table.groupby("year"):
        fig.add_scatter(x=[MONTH_NAMES[m - 1] for m in part["month"]], y=part["amount"], name=f"{year}년",
                        mode="lines+markers", hovertemplate=WON_HOVER)
    fig.add_vrect(x0=5.5, x1=11.5, fillcolor="orange", opacity=0.08, line_width=0,
                  annotation_text="하반기", annotation_position="top left")
    fig.update_layout(title=title, yaxis=WON_AXIS, xaxis={"categoryorder": "array", "categoryarray": MONTH_NAMES},
                      **LAYOUT)
    return fig


def year_to_date(table: pd.DataFrame, *, title: str) -> go.Figure:
    if table.empty:
        return _empty(title)
    fig = go.Figure()
    for year, part in table.groupby("year"):
        fig.add_scatter(x=[MONTH_NAMES[m - 1] for m in part["month"]], y=part["cumulative"], name=f"{year}년",
                        mode="lines+markers", hovertemplate=WON_HOVER)
    fig.update_layout(title=title, yaxis=WON_AXIS, xaxis={"categoryorder": "array", "categoryarray": MONTH_NAMES},
                      **LAYOUT)
    return fig


def hours_and_rate(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Hours per month (bars) and KRW per hour against that year's minimum wage (lines)."""
    if frame.empty:
        return _empty(title)
    fig = go.Figure()
    fig.add_bar(x=frame["month"], y=frame["hours"], name="작업 시간", yaxis="y2", opacity=0.35,
                hovertemplate="%{y:,.1f}시간")
    fig.add_scatter(x=frame["month"], y=frame["krw_per_hour"], name="시간당 수입", mode="lines+markers",
                    hovertemplate=WON_HOVER)
    fig.add_scatter(x=frame["month"], y=frame["minimum_wage"], name="최저시급", mode="lines",
                    line={"dash": "dash", "color": "red"}, hovertemplate=WON_HOVER)
    fig.update_layout(title=title, yaxis={**WON_AXIS, "title": "원/시간"},
                      yaxis2={"title": "시간", "overlaying": "y", "side": "right", "showgrid": False},
                      xaxis={"dtick": "M1", "tickformat": "%y.%m"}, **LAYOUT)
    return fig


def rate_bars(frame: pd.DataFrame, label_column: str, labels: dict[str, str], *, title: str,
              minimum_wage: int | None = None) -> go.Figure:
    """KRW per hour per group (task type, role, project), highest first."""
    if frame.empty:
        return _empty(title)
    names = [labels.get(v, str(v)) for v in frame[label_column]]
    fig = go.Figure(go.Bar(x=names, y=frame["krw_per_hour"], hovertemplate=WON_HOVER, name="시간당 수입",
                           customdata=frame["rejection_rate"].fillna(0) * 100))
    fig.update_traces(hovertemplate="₩%{y:,.0f}/시간 · 반려율 %{customdata:.1f}%<extra></extra>")
    if minimum_wage:
        fig.add_hline(y=minimum_wage, line_dash="dash", line_color="red",
                      annotation_text=f"최저시급 ₩{minimum_wage:,}", annotation_position="top right")
    fig.update_layout(title=title, yaxis=WON_AXIS, margin={"t": 40, "b": 10})
    return fig


def cash_flow(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Money landing per month: confirmed receivables plus forecast earnings; the total's 80% band as error bars."""
    if frame.empty:
        return _empty(title)
    x = frame["month"]
    fig = go.Figure()
    fig.add_bar(x=x, y=frame["scheduled"], name="받기로 된 돈", hovertemplate=WON_HOVER)
    # The 80% band of the month's total as an error bar on top of the stack.
    fig.add_bar(x=x, y=frame["forecast"], name="앞으로 벌 돈 (예측)", opacity=0.6,
                customdata=frame[["lower", "upper"]].to_numpy(),
                hovertemplate=WON_HOVER + " (합계 80% 범위 ₩%{customdata[0]:,.0f}–₩%{customdata[1]:,.0f})",
                error_y={"type": "data", "symmetric": False, "array": frame["upper"] - frame["total"],
                         "arrayminus": frame["total"] - frame["lower"], "color": "rgba(60,60,60,0.6)",
                         "thickness": 1.5, "width": 6})
    fig.update_layout(barmode="stack", title=title, yaxis=WON_AXIS, xaxis={"dtick": "M1", "tickformat": "%y.%m"},
                      **LAYOUT)
    return fig


def forecast(history: pd.Series, result: pd.DataFrame, *, title: str) -> go.Figure:
    """History and forecast of monthly earnings with the 80% band."""
    if history.empty:
        return _empty(title)
    past = history.index.to_timestamp()
    future = result.index.to_timestamp()
    fig = go.Figure()
    fig.add_scatter(x=past, y=history.values, name="실적", mode="lines+markers", hovertemplate=WON_HOVER)
    fig.add_scatter(x=future, y=result["upper"], mode="lines", line={"width": 0}, showlegend=False,
                    hoverinfo="skip")
    fig.add_scatter(x=future, y=result["lower"], mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor="rgba(239,85,59,0.15)", name="80% 범위", hovertemplate=WON_HOVER)
    fig.add_scatter(x=future, y=result["mean"], name="예측", mode="lines+markers", line={"dash": "dash"},
                    hovertemplate=WON_HOVER)
    fig.update_layout(title=title, yaxis=WON_AXIS, xaxis={"dtick": "M2", "tickformat": "%y.%m"}, **LAYOUT)
    return fig
