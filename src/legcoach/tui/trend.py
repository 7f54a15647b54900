"""History's Trend tab: soreness and readiness over eight weeks, and weekly running
minutes beside leg sessions, as real charts (textual-plotext, imported when shown)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import Static

from legcoach import history
from legcoach.models import CheckIn
from legcoach.vocab import RecordKind

if TYPE_CHECKING:
    from textual.widget import AwaitMount, Widget

    from legcoach.journal import Journal
    from legcoach.tui.widgets.chart import Chart


TREND_DAYS = 8 * 7
WEEKS_SHOWN = 8


def fill_trend(box: VerticalScroll, journal: Journal) -> AwaitMount:
    """Soreness (0-10) and readiness (1-5) over the last 8 weeks, and weekly running
    minutes beside leg sessions: real charts with axes and dates (textual-plotext),
    imported only when this tab is first built."""
    from legcoach.tui.widgets.chart import Chart

    now = journal.now()
    window = now - timedelta(days=TREND_DAYS)
    readings = [(at, float(v)) for at, v in journal.soreness_trend(TREND_DAYS)]
    soreness = history.Series([at for at, _ in readings], [v for _, v in readings])
    checkins = [
        r for r in journal.records([RecordKind.CHECKIN], since=window) if isinstance(r, CheckIn)
    ]
    readiness = history.readiness_series(checkins)
    since = axis_start(window, now, [*soreness.at[:1], *readiness.at[:1]])
    width = chart_width(box)
    widgets: list[Widget] = []
    if not soreness.at:
        widgets.append(
            Static(
                "No soreness readings in the last 8 weeks: the trend starts with your first check-in."
            )
        )
    else:
        count = len(soreness.at)
        widgets += (
            Static(
                f"[b]Soreness[/b] 0-10, {count} reading{'s' if count != 1 else ''}, "
                f"{soreness.span}: average {sum(soreness.values) / count:.1f}, "
                f"latest {soreness.values[-1]:.0f}"
            ),
            _chart(Chart(id="trend-soreness"), soreness, (0, 10), since, now, width),
        )
    if readiness.at:
        widgets += (
            Static(f"[b]Readiness[/b] 1-5 (sleep, energy, calm), {readiness.span}"),
            _chart(Chart(id="trend-readiness"), readiness, (1, 5), since, now, width),
        )
    weeks = history.weekly_load(journal.weeks(WEEKS_SHOWN))
    widgets += (
        Static("[b]Running minutes per week[/b]; over each week its leg sessions (L2 = two)"),
        _weeks_chart(Chart(id="trend-weeks"), weeks, width),
    )
    # The tab opens on its first chart, however the focus arrived while it filled.
    box.call_after_refresh(box.scroll_home, animate=False)
    return box.mount_all(widgets)


def chart_width(box: VerticalScroll) -> int:
    """The charts' width: the box's (built hidden, the screen's) less the scroll bar's
    room, which the box keeps (history.tcss)."""
    return (box.size.width or box.app.size.width) - box.styles.scrollbar_size_vertical


def drawings_ahead(box: VerticalScroll) -> list[Callable[[], None]]:
    """Each mounted chart's drawing at the width it will be shown, a step each (one
    chart is some 15 ms), to run while the tab is hidden."""
    from legcoach.tui.widgets.chart import Chart

    width = chart_width(box)
    return [partial(chart.draw_ahead, width) for chart in box.query(Chart)]


# One date form on every chart and tab, as History writes days: "28 Oct".
DAY = "%d %b"


def axis_start(window: datetime, now: datetime, firsts: list[datetime]) -> datetime:
    """Where the soreness and readiness axes begin: at the first reading of the window
    (a new history is not squeezed to the right of eight empty weeks), a week back at
    least, at midnight so ticks fall on days."""
    earliest = min(firsts, default=window)
    start = min(max(window, earliest), now - timedelta(days=7))
    return start.replace(hour=0, minute=0, second=0, microsecond=0)


def day_ticks(span_days: float, width: int) -> list[int]:
    """Whole days for the date ticks, as many as fit the width with room between
    ("28 Oct" and a gap: 9 columns each), evenly: a week apart on long spans, two
    weeks on a narrow screen (the charting library drops labels that touch)."""
    fits = max(2, (width - 8) // 9)
    step = max(1, round(span_days / 5)) if span_days <= 28 else 7
    while span_days / step + 1 > fits:
        step *= 2
    return list(range(0, int(span_days) + 1, step))


def minute_ticks(highest: int) -> tuple[int, list[int]]:
    """A round top for the minutes axis and whole-minute ticks on it (30, 60, 120...)."""
    for step in (15, 30, 60, 120, 180, 300, 600):
        if highest <= step * 5:
            break
    top = max(step, -(-highest // step) * step)
    return top, list(range(0, top + 1, step))


def _chart(
    plot: Chart,
    series: history.Series,
    limits: tuple[int, int],
    since: datetime,
    until: datetime,
    width: int,
) -> Chart:
    """Readings against days from the axis start (so one point, gaps and years all draw
    on one axis), labelled with dates."""
    plt = plot.plt
    days = [(at - since).total_seconds() / 86400 for at in series.at]
    if len(days) == 1:
        plt.scatter(days, series.values, marker="●")
    else:
        plt.plot(days, series.values, marker="●")
    span = (until - since).total_seconds() / 86400
    plt.xlim(0, span)
    ticks = day_ticks(span, width)
    plt.xticks([float(t) for t in ticks], [f"{since + timedelta(days=t):{DAY}}" for t in ticks])
    plt.ylim(*limits)
    plt.yticks(list(range(limits[0], limits[1] + 1, 2 if limits[1] > 5 else 1)))
    return plot


def _weeks_chart(plot: Chart, weeks: list[tuple[date, int, int]], width: int) -> Chart:
    """Every week shown evenly, oldest on the left, its date under it and its leg
    sessions over its bar ("L2"; nothing over a week without legs). On a narrow screen
    every other week is dated, so no date is dropped unevenly."""
    plt = plot.plt
    positions: list[float] = list(range(1, len(weeks) + 1))
    minutes = [m for _, m, _ in weeks]
    plt.bar(positions, minutes, width=0.6)
    plt.xlim(0.4, len(weeks) + 0.6)
    every = 1 if width >= 9 * len(weeks) + 8 else 2
    dated = positions[::-1][::every][::-1]  # the newest week always dated
    plt.xticks(dated, [f"{weeks[int(p) - 1][0]:{DAY}}" for p in dated])
    highest = max([0, *minutes])
    top, ticks = minute_ticks(highest)
    if highest > top * 0.8:  # room over the tallest bar for its leg count
        top, ticks = minute_ticks(top + ticks[1] // 2)
    plt.ylim(0, top)
    plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])
    for position, (_, ran, legs) in zip(positions, weeks, strict=True):
        if legs:
            plt.text(f"L{legs}", position, ran + top * 0.1, alignment="center")
    return plot
