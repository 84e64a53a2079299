"""What the model says and what it assumes, in plain sentences built from the results.

Every sentence is plain text (the page escapes it); the numbers are read from the result
objects, never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..analysis import Analysis
from .data import ReportData, fmt_count


def fmt_deal(deal: Mapping[str, object]) -> str:
    """A deal as `issue=option, issue=option`."""
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in deal.items())


def _names(ids: Sequence[str]) -> str:
    ids = list(ids)
    if len(ids) <= 1:
        return "".join(ids)
    return ", ".join(ids[:-1]) + " and " + ids[-1]


def zopa_sentence(a: Analysis) -> str:
    """Is there a ZOPA for the parties; if not, the shortfall and the nearest miss."""
    parties = list(a.parties)
    z = a.zopa
    if z.exists:
        count = (f"{fmt_count(z.count)} of the {fmt_count(a.outcomes)} deals"
                 if z.count is not None else "some deals (too many to count)")
        win = ("some of them give every party strictly more than its BATNA"
               if z.win_win else "none gives every party strictly more than its BATNA")
        return (f"There is a zone of possible agreement: {count} give {_names(parties)} at "
                f"least their BATNAs, {z.frontier_count} of them Pareto-optimal; {win}.")
    c = a.closest
    text = (f"There is no zone of possible agreement: no deal gives {_names(parties)} all at "
            "least their BATNAs.")
    if c is not None:
        short = ", ".join(f"{p} {-c.gains[p]:.3f}" for p in parties if c.gains[p] < 0)
        text += (f" The nearest miss is {fmt_deal(c.deal)}; it leaves "
                 f"{short or 'no party'} short of the BATNA. A ZOPA would open if every "
                 f"party's BATNA fell by {z.shortfall:.3f}.")
    return text


def proposals_sentence(a: Analysis) -> str | None:
    """Which proposals are agreements (every veto actor accepts) and who vetoes the rest."""
    if not a.proposals:
        return None
    agreed = [e.id or "deal" for e in a.proposals if e.agreement]
    vetoed = [f"{e.id or 'deal'} (vetoed by {_names(e.vetoed_by)})"
              for e in a.proposals if not e.agreement]
    parts = []
    if agreed:
        verb = "is an agreement" if len(agreed) == 1 else "are agreements"
        parts.append(f"Of the proposals on the table, {_names(agreed)} {verb}: every actor "
                     "with a veto accepts.")
    else:
        parts.append("No proposal on the table is accepted by every actor with a veto.")
    if vetoed:
        parts.append("Refused: " + "; ".join(vetoed) + ".")
    better = [e.id or "deal" for e in a.proposals if not e.pareto_optimal]
    if better:
        parts.append(f"{_names(better)} {'is' if len(better) == 1 else 'are'} not "
                     "Pareto-optimal: some deal is better for every party (see the table).")
    return " ".join(parts)


def nash_sentence(a: Analysis) -> str:
    p = a.solutions.get("nash")
    if p is None:
        return ("The Nash bargaining solution does not exist here: it needs a deal that every "
                "party prefers to its BATNA.")
    utils = ", ".join(f"{q} {p.utilities[q]:.3f}" for q in a.parties)
    return (f"The Nash bargaining solution (largest product of the parties' gains over their "
            f"BATNAs) is {fmt_deal(p.deal)}, with utilities {utils}.")


def mediation_sentence(name: str, r: Any) -> str:
    if isinstance(r, str):
        return f"The {name} simulation could not run: {r}"
    if r.agreement and r.outcome is not None:
        gains = ", ".join(f"{q} {g:+.3f}" for q, g in r.gains.items())
        return (f"The {name} simulation (seed {r.seed}) ends in an agreement after {r.rounds} "
                f"rounds on {fmt_deal(r.outcome.deal)} (gains over BATNA: {gains}).")
    return (f"The {name} simulation (seed {r.seed}) ends without agreement after {r.rounds} "
            "rounds; each party keeps its BATNA.")


def findings(data: ReportData) -> list[str]:
    """What the model says, one paragraph per point."""
    a = data.analysis
    out = [zopa_sentence(a)]
    prop = proposals_sentence(a)
    if prop:
        out.append(prop)
    out.append(nash_sentence(a))
    for name, r in data.mediation.items():
        out.append(mediation_sentence(name, r))
    return out


def assumptions(data: ReportData) -> list[str]:
    """What the numbers rest on."""
    space = data.space
    utility = ("Each actor's utility for a deal is the weighted sum of its scores for the "
               "options chosen on each issue (additive utilities): no issue changes what "
               "another is worth.")
    if not space.additive:
        utility = ("Each actor's utility is a weighted sum of its scores per issue plus the "
                   "pairwise interaction terms the scenario gives; nothing else links issues.")
    out = [
        utility,
        "The BATNAs are as stated in the scenario: what each actor gets if talks fail, on the "
        "same 0-1 scale. A different BATNA moves the ZOPA.",
        "The scenario is illustrative: a model of stated positions, not a forecast of what "
        "the actors will do.",
        "Every number's basis (a source with a quote, or a stated assumption) is in the "
        "scenario file; the sources are listed above.",
    ]
    n_uncertain = len(data.scenario.uncertain_inputs)
    if n_uncertain:
        swept = ("the uncertainty sweep below draws from them" if data.sweep is not None
                 else "run the report with --sweep N to see how often each conclusion holds")
        out.append(f"{n_uncertain} numbers of the scenario are given as ranges; every result "
                   f"above uses their nominal values (the peak, mean or midpoint), and {swept}.")
    if not data.parties_given:
        out.append(f"The parties are the actors with a veto ({_names(list(data.parties))}); "
                   "other actors are shown but do not bound the ZOPA.")
    if data.cloud.sampled:
        out.append(f"The utility-space plot shows a seeded random sample of "
                   f"{len(data.cloud.deals):,} of the {fmt_count(data.cloud.total)} deals; the "
                   "frontier, ZOPA and solutions are exact.")
    out.append(f"Simulations and forecasts use seed {data.seed}; another seed can end "
               "elsewhere.")
    return out
