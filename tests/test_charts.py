"""tracker.charts: figures from frames, Korean labels and ₩ axes, and an empty state instead of a crash."""
import pandas as pd
import pytest

from tracker import charts


def test_every_chart_has_an_empty_state():
    empty = pd.DataFrame()
    figures = [
        charts.monthly_income(empty, "gross", title="월별"),
        charts.season_overlay(empty, title="계절"),
        charts.year_to_date(empty, title="누적"),
        charts.hours_and_rate(empty, title="시간"),
        charts.rate_bars(empty, "task_type", {}, title="단가"),
        charts.cash_flow(empty, title="현금"),
        charts.forecast(pd.Series(dtype=float), empty, title="예측"),
    ]
    for figure in figures:
        assert figure.data == ()
        assert figure.layout.annotations[0].text == "아직 데이터가 없습니다"


def test_cash_flow_band_is_an_error_bar_on_the_total():
    frame = pd.DataFrame({
        "month": pd.to_datetime(["2026-11-01", "2026-12-01"]),
        "scheduled": [96_700, 19_340], "forecast": [0, 96_700],
        "lower": [96_700, 67_690], "upper": [96_700, 164_390],
    })
    frame["total"] = frame["scheduled"] + frame["forecast"]
    figure = charts.cash_flow(frame, title="")
    scheduled, forecast = figure.data
    assert (scheduled.name, forecast.name) == ("받기로 된 돈", "앞으로 벌 돈 (예측)")
    assert list(forecast.error_y.array) == [0, 48_350]
    assert list(forecast.error_y.arrayminus) == [0, 48_350]
    assert figure.layout.barmode == "stack"
    assert figure.layout.yaxis.tickprefix == "₩" and figure.layout.yaxis.tickformat == ",d"


def test_season_overlay_shades_the_second_half():
    table = pd.DataFrame({"year": [2025, 2025, 2026], "month": [7, 12, 1], "amount": [500_000, 900_000, 300_000]})
    figure = charts.season_overlay(table, title="계절")
    assert [t.name for t in figure.data] == ["2025년", "2026년"]
    assert list(figure.data[0].x) == ["7월", "12월"]
    (shade,) = figure.layout.shapes
    assert (shade.x0, shade.x1) == (5.5, 11.5)  # category positions: the whole of 7월 through 12월


@pytest.mark.parametrize("wage", [None, 10_030])
def test_rate_bars_draw_the_minimum_wage_only_when_known(wage):
    frame = pd.DataFrame({"task_type": ["ocr", "bbox"], "krw_per_hour": [12_000, 8_000], "rejection_rate": [0.1, None]})
    figure = charts.rate_bars(frame, "task_type", {"ocr": "OCR", "bbox": "바운딩 박스"}, title="단가", minimum_wage=wage)
    assert list(figure.data[0].x) == ["OCR", "바운딩 박스"]
    assert len(figure.layout.shapes) == (1 if wage else 0)
    if wage:
        assert figure.layout.annotations[0].text == "최저시급 ₩10,030"
