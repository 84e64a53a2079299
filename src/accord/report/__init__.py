"""The HTML report: one self-contained, offline page with everything Accord says about a
scenario (`accord report SCENARIO -o report.html`).

    >>> from accord.report import build_report
    >>> page = build_report("logrolling")          # doctest: +SKIP

`collect` computes the results once (`ReportData`); `render` lays them out; the figure
builders (`utility_space_figure`, `pairwise_figures`, `frontier_parallel_figure`,
`mediation_figure`, `forecast_figure`, `positions_figure`) take result objects and return
plotly figures, so the web app can draw the same pictures. Plotly is imported only when a
figure is built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(("CLOUD_LIMIT", "DealCloud", "ReportData", "collect", "deal_cloud"),
                    ".data"),
    **dict.fromkeys(("forecast_figure", "frontier_parallel_figure", "mediation_figure",
                     "pairwise_figures", "positions_figure", "sensitivity_figure",
                     "utility_space_figure"), ".figures"),
    "render": ".html", "report_figures": ".html", "sweep_section": ".uncertainty"})

if TYPE_CHECKING:
    from ..budget import Budget
    from ..scenario import Scenario
    from .data import CLOUD_LIMIT, DealCloud, ReportData, collect, deal_cloud
    from .figures import (
        forecast_figure,
        frontier_parallel_figure,
        mediation_figure,
        pairwise_figures,
        positions_figure,
        sensitivity_figure,
        utility_space_figure,
    )
    from .html import render, report_figures
    from .uncertainty import sweep_section


def build_report(scenario: Scenario | str | os.PathLike[str], *,
                 parties: Sequence[str] | None = None,
                 sweep: int | Mapping[str, Any] | None = None, seed: int = 0,
                 budget: Budget | None = None) -> str:
    """The HTML report of `scenario` (a `Scenario`, a built-in id or a YAML/JSON path).

    `parties`: the actors plotted against each other (default: those with a veto; at least
    two). `sweep`: a number of samples for the uncertainty sweep, or a sweep result's dict
    already computed; None leaves the sweep out. `seed` seeds the deal sample, forecasts,
    simulations and sweep. Bad input raises `accord.InputError`; `budget` is polled while the
    results are computed (`accord.budget.BudgetExceeded` when it runs out).
    """
    from .data import collect
    from .html import render

    return render(collect(scenario, parties=parties, sweep=sweep, seed=seed, budget=budget))


__all__ = ["build_report", "collect", "render", "report_figures", "ReportData", "DealCloud",
           "deal_cloud", "CLOUD_LIMIT", "utility_space_figure", "pairwise_figures",
           "frontier_parallel_figure", "mediation_figure", "forecast_figure",
           "positions_figure", "sensitivity_figure", "sweep_section"]
