"""A chart (textual-plotext) drawn once per size and theme.

textual-plotext draws the whole plot again on every render: some 15 ms for one of
History's charts, paid again whenever the screen around it repaints. A chart here never
changes once made (a changed history makes new ones), so its drawing is kept, and it
can be drawn ahead, while its tab is hidden, at the size it will be shown.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual_plotext import PlotextPlot


class Chart(PlotextPlot):
    """A PlotextPlot whose plot is set up once, before it is shown."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drawn: tuple[tuple[Size, str, str], Text] | None = None

    def render(self) -> Text:
        return self._drawing(self.size)

    def draw_ahead(self, width: int) -> None:
        """Drawn now at `width` and the height its styles give it, so that shown at
        that size it costs nothing more. A height the styles leave open is not guessed."""
        height = self.styles.height
        if height is not None and height.is_cells and width > 0:
            self._drawing(Size(width, int(height.value)))

    def _drawing(self, size: Size) -> Text:
        key = (size, self.app.theme, self.theme)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._draw(size))
        return self._drawn[1]

    def _draw(self, size: Size) -> Text:
        # As PlotextPlot.render draws at the widget's size (both size calls included, see
        # textual-plotext issue 5), at the size given; a test holds the two alike.
        plot = self.plt
        plot.plotsize(size.width, size.height)
        plot._set_size(size.width, size.height)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        return Text.from_ansi(plot.build())
