"""The lean-months savings plan, shown on the 예측 page and in the dashboard's summary (not a page).

The plan (tracker.plan) is computed once per data version, day and spending, from the same cached reads
as the other pages: earned per month, companies, receivables.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from tracker import income, plan, queries
from views import common as ui


@st.cache_data(show_spinner=False)
def _inputs(url: str, stamp: tuple, today: date) -> tuple[pd.Series, int, int]:
    """(gross history of the whole months before today's, gross earned so far this month, default spending)."""
    earned = ui.earned(url)
    history = income.months_before(earned, today)
    in_month = earned["month"].to_numpy() == np.datetime64(date(today.year, today.month, 1))
    so_far = int(earned["gross"].to_numpy()[in_month].sum())
    return history, so_far, plan.default_spend(income.months_before(earned, today, "net"))


def default_spend(url: str, today: date, stamp: tuple | None = None) -> int:
    """The median month's net of the last year, to 천 원 (`stamp`: ui.stamp(url) when the page has it)."""
    return _inputs(url, stamp or ui.stamp(url), today)[2]


@st.cache_data(show_spinner=False)
def _plan(url: str, stamp: tuple, today: date, spend: int | None) -> plan.LeanPlan | None:
    from tracker.forecast import load_prior

    history, so_far, default = _inputs(url, stamp, today)
    spend = default if spend is None else spend
    if spend <= 0:
        return None
    mix = plan.company_mix(ui.earned(url), queries.companies_by_name(ui.engine_for(url)), today)
    return plan.lean_plan(history, today, spend, mix=mix, owed=ui.receivables(url, today), so_far=so_far,
                          prior=load_prior())


def lean_plan(url: str, today: date, spend: int | None = None, stamp: tuple | None = None) -> plan.LeanPlan | None:
    """The plan for spending `spend` a month (None: the default, the median month of the last year)."""
    return _plan(url, stamp or ui.stamp(url), today, spend)


def show_summary(url: str, today: date) -> None:
    """The dashboard's line: the plan at the default spending and a link to change it. Nothing on an
    empty ledger or without a history to forecast from."""
    found = lean_plan(url, today)
    if found is None:
        return
    st.markdown(found.sentence())  # digits and fixed words only: no user text
    st.page_link("views/forecast.py", label="예측 페이지에서 계획 바꿔 보기", icon="🔮")


def so_far(url: str, today: date, stamp: tuple | None = None) -> int:
    """Gross earned so far in today's month (the month in progress)."""
    return _inputs(url, stamp or ui.stamp(url), today)[1]
