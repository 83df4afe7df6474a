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


# ── colours, top companies, the month in progress (issues 11 §6, 12 §3, 14 §5) ────────────────

def luminance(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(color[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_colour_reads_on_the_light_and_the_dark_theme():
    colours = [*charts.PALETTE, charts.OTHER_COLOR, charts.LINE_COLOR, charts.WAGE_COLOR, charts.TARGET_COLOR]
    for colour in colours:
        for background in charts.BACKGROUNDS:
            assert contrast(colour, background) >= 3.0, (colour, background)
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) == 10
    assert charts.LINE_COLOR not in charts.PALETTE and charts.OTHER_COLOR not in charts.PALETTE


def test_a_company_keeps_its_colour_when_another_is_added():
    ids = {"크라우드웍스": 1, "에이모": 2, "레이블러": 11}  # 1 and 11 want the same colour: the later id moves on
    before = charts.company_colors(ids, ids)
    assert before == {"크라우드웍스": charts.PALETTE[1], "에이모": charts.PALETTE[2], "레이블러": charts.PALETTE[3]}
    after = charts.company_colors([*ids, "새 회사"], ids | {"새 회사": 12})
    assert {k: after[k] for k in ids} == before
    assert after["새 회사"] == charts.PALETTE[4]  # 12 → slot 2, taken, then 3, taken: the next free one
    assert charts.company_colors(["기타"]) == {"기타": charts.OTHER_COLOR}


def long_frame(companies: int) -> pd.DataFrame:
    """Company k earns ₩(k+1) × 1,000 in each of two months."""
    rows = [(month, f"회사{k}", (k + 1) * 1000, (k + 1) * 900) for k in range(companies)
            for month in ("2026-10-01", "2026-11-01")]
    frame = pd.DataFrame(rows, columns=["month", "company", "gross", "net"])
    return frame.assign(month=pd.to_datetime(frame["month"]))


def test_the_legend_names_the_top_eight_and_sums_the_rest_as_others():
    months, names, grid = charts.pivot(long_frame(11), "gross")
    assert names == [f"회사{k}" for k in range(10, 2, -1)] + ["기타"]
    assert grid[:, -1].tolist() == [1000 + 2000 + 3000] * 2  # 회사0–2
    assert int(grid.sum()) == 2 * sum((k + 1) * 1000 for k in range(11))
    figure = charts.monthly_income(long_frame(11), "net", title="월별")
    assert [t.name for t in figure.data] == names
    assert sum(sum(t.y) for t in figure.data) == 2 * sum((k + 1) * 900 for k in range(11))
    assert charts.pivot(long_frame(8), "gross")[1] == [f"회사{k}" for k in range(7, -1, -1)]  # 8: no 기타


def test_the_month_in_progress_is_hatched_and_dotted_not_a_crash():
    november = pd.Timestamp("2026-11-01")
    other = pd.Series([5000, 800], index=pd.period_range("2026-10", periods=2, freq="M"))
    figure = charts.monthly_income(long_frame(2), "gross", title="월별", other=other, other_name="받은 돈 합계",
                                   current=november)
    first, second, line, segment, point = figure.data
    assert list(first.marker.pattern.shape) == ["", "/"] and list(first.marker.opacity) == [1.0, charts.PARTIAL_OPACITY]
    assert list(first.customdata) == ["", " · 이번 달(진행 중)"]
    assert [str(x)[:7] for x in line.x] == ["2026-10"] and line.line.dash is None  # whole months: a solid line
    assert list(segment.y) == [5000, 800] and segment.line.dash == "dot" and segment.hoverinfo == "skip"
    assert list(point.y) == [800] and "이번 달(진행 중)" in point.hovertemplate and point.marker.symbol == "circle-open"
    assert segment.legendgroup == point.legendgroup == line.legendgroup == "받은 돈 합계"
    season = charts.season_overlay(pd.DataFrame({"year": [2026, 2026], "month": [10, 11], "amount": [5000, 800]}),
                                   title="계절", current=november)
    assert [t.name for t in season.data] == ["2026년", None, None]
    assert list(season.data[0].x) == ["10월"] and list(season.data[1].x) == ["10월", "11월"]
    assert season.data[2].hovertemplate.startswith("2026년 ₩")
    hours = charts.hours_and_rate(pd.DataFrame({"month": pd.to_datetime(["2026-10-01", "2026-11-01"]),
                                                "hours": [10.0, 2.0], "krw_per_hour": [12_000, 11_000],
                                                "minimum_wage": [10_320, 10_320]}), title="시간", current=november)
    assert list(hours.data[0].customdata) == ["", " · 이번 달(진행 중)"]
    assert list(hours.data[0].marker.pattern.shape) == ["", "/"]


def test_without_a_month_in_progress_nothing_is_marked():
    figure = charts.monthly_income(long_frame(2), "gross", title="월별", current=pd.Timestamp("2027-01-01"))
    assert all(t.marker.pattern.shape is None for t in figure.data)
    assert len(figure.data) == 2


def test_forecast_marks_what_this_month_has_earned_so_far():
    history = pd.Series([100_000, 200_000], index=pd.period_range("2026-09", periods=2, freq="M"))
    result = pd.DataFrame({"mean": [300_000.0], "lower": [250_000.0], "upper": [350_000.0]},
                          index=pd.period_range("2026-11", periods=1, freq="M"))
    figure = charts.forecast(history, result, title="예측", so_far=(pd.Timestamp("2026-11-01"), 120_000))
    assert [t.name for t in figure.data if t.name] == ["실적", "80% 범위", "예측"]
    marker = figure.data[-1]
    assert list(marker.y) == [120_000] and "이번 달(진행 중)" in marker.hovertemplate


def test_rate_bars_show_my_target_beside_the_minimum_wage():
    frame = pd.DataFrame({"task_type": ["ocr"], "krw_per_hour": [14_000], "rejection_rate": [0.1]})
    fig = charts.rate_bars(frame, "task_type", {"ocr": "OCR"}, title="시간당 수입", minimum_wage=10_320, target=15_000)
    assert [a.text for a in fig.layout.annotations] == ["최저시급 ₩10,320", "내 목표 시급 ₩15,000"]
    same = charts.rate_bars(frame, "task_type", {"ocr": "OCR"}, title="시간당 수입", minimum_wage=10_320, target=10_320)
    assert [a.text for a in same.layout.annotations] == ["최저시급 ₩10,320"]


def sent(text: str):
    """A figure's JSON as plain values: typed arrays ({"dtype", "bdata"}) decoded, numbers as floats, NaN as "NaN"."""
    import base64
    import json

    import numpy as np

    def plain(value):
        if isinstance(value, dict) and {"dtype", "bdata"} <= set(value):
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            return [plain(float(v)) for v in array.ravel()]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return "NaN" if value != value else float(value)  # NaN equal to NaN
        return value

    return plain(json.loads(text))


def test_every_figure_built_without_plotly_checks_passes_them():
    """The figures are built from dicts without plotly's property checks (tracker.charts._figure):
    each passes them when checked here, and a misspelt property would not."""
    import plotly.graph_objects as go
    import plotly.io as pio

    november = pd.Timestamp("2026-11-01")
    table = pd.DataFrame({"year": [2025, 2026, 2026], "month": [11, 10, 11], "amount": [4000, 5000, 800]})
    cash = pd.DataFrame({"month": pd.to_datetime(["2026-11-01", "2026-12-01"]), "scheduled": [96_700, 19_340],
                         "forecast": [0, 96_700], "lower": [96_700, 67_690], "upper": [96_700, 164_390]})
    history = pd.Series([100_000, 200_000], index=pd.period_range("2026-09", periods=2, freq="M"))
    result = pd.DataFrame({"mean": [300_000.0], "lower": [250_000.0], "upper": [350_000.0]},
                          index=pd.period_range("2026-11", periods=1, freq="M"))
    figures = [
        charts.monthly_income(long_frame(11), "gross", title="월별", current=november,
                              other=pd.Series([5000, 800], index=pd.period_range("2026-10", periods=2, freq="M")),
                              other_name="받은 돈 합계"),
        charts.season_overlay(table, title="계절", current=november),
        charts.year_to_date(table.assign(cumulative=table["amount"]), title="누적", current=november),
        charts.hours_and_rate(pd.DataFrame({"month": pd.to_datetime(["2026-10-01", "2026-11-01"]), "hours": [10.0, 2.0],
                                            "krw_per_hour": [12_000, None], "minimum_wage": [10_320, 10_320]}),
                              title="시간", current=november),
        charts.cash_flow(cash.assign(total=cash["scheduled"] + cash["forecast"]), title="현금"),
        charts.forecast(history, result, title="예측", so_far=(november, 120_000)),
    ]
    for figure in figures:
        checked = go.Figure(figure.to_dict())  # raises on any property plotly does not know
        assert len(checked.data) == len(figure.data) > 0
        # and sends what the checked figure sends: no shorthand (a bare title string) the browser would not read
        assert sent(pio.to_json(figure, validate=False)) == sent(pio.to_json(checked, validate=False))
    with pytest.raises(ValueError, match="colour"):
        go.Figure({"data": [{"type": "bar", "x": [1], "y": [1], "marker": {"colour": "red"}}]})
