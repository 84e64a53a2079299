"""Small HTML helpers: escaping, tables, numbers and embedded figures.

All text goes through `esc` unless it is a `Markup` (HTML this package built itself), so
scenario text, which is user input, can never open a tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

FIGURE_CLASS = "accord-figure"


class Markup(str):
    """A string of trusted HTML (built here from escaped parts)."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """HTML-escape anything (a `Markup` passes through unchanged)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(html.escape(str(value), quote=True))


def join(parts: Iterable[object], sep: str = "") -> Markup:
    return Markup(sep.join(esc(p) for p in parts))


def tag(name: str, content: object = "", **attrs: object) -> Markup:
    """`<name attrs>content</name>`, content escaped unless `Markup`; `class_` -> class."""
    at = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"'
                 for k, v in attrs.items() if v is not None)
    return Markup(f"<{name}{at}>{esc(content)}</{name}>")


def table(headers: Sequence[object], rows: Iterable[Sequence[object]],
          numeric: Sequence[int] = (), caption: object = None, cls: str = "data") -> Markup:
    """An HTML table; columns whose index is in `numeric` are right-aligned."""
    num = set(numeric)
    head = "".join(tag("th", h, class_="num" if k in num else None)
                   for k, h in enumerate(headers))
    body = []
    for row in rows:
        body.append("<tr>" + "".join(tag("td", c, class_="num" if k in num else None)
                                     for k, c in enumerate(row)) + "</tr>")
    cap = tag("caption", caption) if caption is not None else ""
    return Markup(f'<div class="scroll"><table class="{esc(cls)}">{cap}<thead><tr>{head}'
                  f'</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


def fmt_u(x: object, digits: int = 3) -> str:
    """A utility or other real number; '-' when missing."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return "-" if x is None else str(x)
    return f"{x:.{digits}f}"


def fmt_value(v: object) -> str:
    """An option id or a numeric grid value."""
    return f"{v:g}" if isinstance(v, float) else str(v)


def deal_html(deal: dict[str, Any]) -> Markup:
    """A deal as `issue=option` items, one per line."""
    return Markup("<br>".join(f'<span class="k">{esc(k)}</span>={esc(fmt_value(v))}'
                              for k, v in deal.items()))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def figure_html(fig: Any, key: str, caption: object = None) -> Markup:
    """A plotly figure as a placeholder `<div>` plus its JSON in a
    `<script type="application/json">` block; the page's loader script draws it.

    Every `<` in the JSON is written as `\\u003c` (still valid JSON), so no text inside a
    figure can close the script block.
    """
    import plotly.io as pio

    target = f"figure-{slug(key)}"
    spec = pio.to_json(fig, validate=False).replace("<", "\\u003c")
    cap = tag("figcaption", caption) if caption is not None else ""
    return Markup(f'<figure><div id="{target}" class="plot"></div>{cap}'
                  f'<script type="application/json" class="{FIGURE_CLASS}" '
                  f'data-target="{target}" data-key="{esc(key)}">{spec}</script></figure>')


LOADER_JS = """
(function () {
  function cloudHover(trace, labels) {
    // compact deal clouds: customdata = [count, option index per issue]
    trace.hovertext = trace.customdata.map(function (row, k) {
      var lines = row.slice(1).map(function (o, i) {
        return labels.issues[i] + '=' + labels.labels[i][o];
      });
      var head = row[0] > 1 ? row[0] + ' deals here, e.g.<br>' : '';
      return head + lines.join('<br>') + '<br>' + labels.axes[0] + ' ' +
        trace.x[k].toFixed(3) + ', ' + labels.axes[1] + ' ' + trace.y[k].toFixed(3);
    });
    trace.hoverinfo = 'text';
    delete trace.hovertemplate;
  }
  var specs = document.querySelectorAll('script.FIGURE_CLASS');
  for (var i = 0; i < specs.length; i++) {
    var spec = JSON.parse(specs[i].textContent);
    var layout = spec.layout || {};
    var labels = layout.meta && layout.meta.deal_labels;
    if (labels) {
      spec.data.forEach(function (t) {
        if (t.meta === 'cloud' && t.customdata) cloudHover(t, labels);
      });
    }
    var target = document.getElementById(specs[i].getAttribute('data-target'));
    Plotly.newPlot(target, spec.data, layout, {responsive: true, displaylogo: false});
  }
})();
""".replace("FIGURE_CLASS", FIGURE_CLASS)
"""Draws every embedded figure once plotly.js has loaded (it is inlined above it), first
writing the hover text of compact deal clouds (see `accord.report.figures`)."""
