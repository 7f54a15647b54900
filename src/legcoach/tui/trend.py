"""History's Trend tab: soreness and readiness over eight weeks, and weekly running
minutes beside leg sessions, as real charts (textual-plotext, imported when shown)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import Static

from legcoach import history
from legcoach.models import CheckIn
from legcoach.vocab import RecordKind

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

    from legcoach.journal import Journal


TREND_DAYS = 8 * 7
WEEKS_SHOWN = 8


def fill_trend(box: VerticalScroll, journal: Journal) -> None:
    """Soreness (0-10) and readiness (1-5) over the last 8 weeks, and weekly running
    minutes beside leg sessions: real charts with axes and dates (textual-plotext),
    imported only when this tab is first shown."""
    from textual_plotext import PlotextPlot

    since = journal.now() - timedelta(days=TREND_DAYS)
    readings = [(at, float(v)) for at, v in journal.soreness_trend(TREND_DAYS)]
    soreness = history.Series([at for at, _ in readings], [v for _, v in readings])
    checkins = [
        r for r in journal.records([RecordKind.CHECKIN], since=since) if isinstance(r, CheckIn)
    ]
    readiness = history.readiness_series(checkins)
    if not soreness.at:
        box.mount(
            Static(
                "No soreness readings in the last 8 weeks: the trend starts with your first check-in."
            )
        )
    else:
        count = len(soreness.at)
        box.mount(
            Static(
                f"[b]Soreness[/b] 0-10, {count} reading{'s' if count != 1 else ''}, "
                f"{soreness.span}: average {sum(soreness.values) / count:.1f}, "
                f"latest {soreness.values[-1]:.0f}"
            ),
            _chart(PlotextPlot(id="trend-soreness"), soreness, (0, 10), since),
        )
    if readiness.at:
        box.mount(
            Static(f"[b]Readiness[/b] 1-5 (sleep, energy, calm), {readiness.span}"),
            _chart(PlotextPlot(id="trend-readiness"), readiness, (1, 5), since),
        )
    weeks = history.weekly_load(journal.weeks(WEEKS_SHOWN))
    box.mount(
        Static("[b]Running minutes per week[/b]; under each week its leg sessions (L2 = two)"),
        _weeks_chart(PlotextPlot(id="trend-weeks"), weeks),
    )
    # The tab opens on its first chart, however the focus arrived while it filled.
    box.call_after_refresh(box.scroll_home, animate=False)


def _chart(
    plot: PlotextPlot, series: history.Series, limits: tuple[int, int], since: datetime
) -> PlotextPlot:
    """Readings against days in the window (so one point, gaps and years all draw on
    the same 8-week axis), labelled with dates."""
    plt = plot.plt
    days = [(at - since).total_seconds() / 86400 for at in series.at]
    if len(days) == 1:
        plt.scatter(days, series.values, marker="●")
    else:
        plt.plot(days, series.values, marker="●")
    plt.xlim(0, TREND_DAYS)
    ticks: list[float] = list(range(0, TREND_DAYS + 1, 14))
    plt.xticks(ticks, [f"{since + timedelta(days=int(t)):%d %b}" for t in ticks])
    plt.ylim(*limits)
    plt.yticks(list(range(limits[0], limits[1] + 1, 2 if limits[1] > 5 else 1)))
    return plot


def _weeks_chart(plot: PlotextPlot, weeks: list[tuple[date, int, int]]) -> PlotextPlot:
    plt = plot.plt
    positions: list[float] = list(range(1, len(weeks) + 1))
    plt.bar(positions, [minutes for _, minutes, _ in weeks], width=0.6)
    plt.xticks(positions, [f"{start:%d/%m} L{legs}" for start, _, legs in weeks])
    plt.ylim(0, max([60, *(minutes for _, minutes, _ in weeks)]))
    return plot
