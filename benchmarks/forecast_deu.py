"""DEU III: how close each forecast model comes to the real outcomes of EU legislative issues.

For every DEU III issue with a recorded outcome (`accord.forecast.deu.read_deu`; 353 issues
in the shipped file), run each available model and compare its forecast with the outcome
`out`, both on 0..100:

* **compromise**: `accord.forecast.compromise`, the capability x salience weighted mean (the
  baseline every model is reported next to), per issue;
* **eu**, **smp**: `accord.forecast.eu.run_eu`, `accord.forecast.smp.run_smp`, per issue
  (one-issue `StakeholderData`), when importable; the forecast is `ForecastResult.forecast`;
* **exchange**: `accord.forecast.exchange.run_exchange`, when importable. Vote trading needs
  at least two issues, so it runs on whole proposals (`read_deu(..., group_by_proposal=True)`)
  that have two issues or more, and is scored on those proposals' issues only.

Models are called as `run_X(data, seed=SEED)` (plus `rounds=ROUNDS` with `--rounds`). A model
that raises on an issue (or proposal) is counted as failed there and scored on the rest.

Per model: the number of issues scored, the mean and median absolute error (points on
0..100), the compromise's mean and median absolute error **on the same issues**, how often
the model is closer to the outcome than the compromise (better / tie within 1e-9 / worse), the
two-sided sign test p-value of better against worse, and the time (total, and per call).

    .venv/bin/python benchmarks/forecast_deu.py                 # print the table
    .venv/bin/python benchmarks/forecast_deu.py --write deu.md  # also write a markdown section

Data: `tests/data/forecast/deu/deu3_blksv.tsv` by default (`--data` to change), a copy of
`blksv/predictioneers_game/deu3.csv` (DEU III, Arregui & Perarnaud 2021, doi:10.34810/data53,
with GDPs added as capability); see `tests/data/forecast/deu/README.md`.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import common
import numpy as np

from accord.forecast import StakeholderData, compromise
from accord.forecast.deu import INSTITUTIONS, DeuIssue, group_proposals, read_deu

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "forecast" / "deu" / "deu3_blksv.tsv"
TIE = 1e-9

# name -> (module, function, unit): unit "issue" runs on each issue alone, "proposal" on the
# issues of a proposal together (proposals with at least two issues only)
DYNAMIC = {
    "eu": ("accord.forecast.eu", "run_eu", "issue"),
    "smp": ("accord.forecast.smp", "run_smp", "issue"),
    "exchange": ("accord.forecast.exchange", "run_exchange", "proposal"),
}
ALL_MODELS = ("compromise", *DYNAMIC)


@dataclass
class Model:
    name: str
    unit: str  # "issue" or "proposal"
    run: Callable[[StakeholderData], np.ndarray]  # forecast per issue of the data, 0..100
    call: str  # how it is called, for the report


@dataclass
class Score:
    """A model's forecasts and errors on DEU III, next to the compromise on the same issues."""

    name: str
    unit: str
    call: str
    forecast: dict[str, float] = field(default_factory=dict)  # issue id -> forecast
    error: dict[str, float] = field(default_factory=dict)  # issue id -> |forecast - out|
    failures: list[tuple[str, str]] = field(default_factory=list)  # (unit id, message)
    calls: int = 0
    seconds: float = 0.0
    baseline_error: dict[str, float] = field(default_factory=dict)  # compromise, same issues

    @property
    def n(self) -> int:
        return len(self.error)

    @property
    def mae(self) -> float:
        return statistics.fmean(self.error.values()) if self.error else math.nan

    @property
    def median(self) -> float:
        return statistics.median(self.error.values()) if self.error else math.nan

    @property
    def baseline_mae(self) -> float:
        return statistics.fmean(self.baseline_error.values()) if self.error else math.nan

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline_error.values()) if self.error else math.nan

    def versus_baseline(self) -> tuple[int, int, int]:
        """(better, tie, worse): issues where the model is closer to / as close as / farther
        from the outcome than the compromise."""
        better = tie = worse = 0
        for i, e in self.error.items():
            b = self.baseline_error[i]
            if abs(e - b) <= TIE:
                tie += 1
            elif e < b:
                better += 1
            else:
                worse += 1
        return better, tie, worse

    @property
    def sign_test_p(self) -> float:
        better, _, worse = self.versus_baseline()
        return sign_test(better, worse)


def sign_test(a: int, b: int) -> float:
    """Two-sided exact sign test: P(a split at least this uneven | a + b fair coin flips)."""
    n = a + b
    if n == 0:
        return 1.0
    k = min(a, b)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


# --- models -------------------------------------------------------------------------------------


def _compromise(data: StakeholderData) -> np.ndarray:
    internal = compromise(data).internal
    return np.array([internal[i] for i in data.issues])


def load_models(names: Sequence[str], rounds: int | None, seed: int
                ) -> tuple[list[Model], dict[str, str]]:
    """The models among `names` that can be imported, and why the others cannot."""
    models: list[Model] = []
    missing: dict[str, str] = {}
    for name in names:
        if name == "compromise":
            models.append(Model("compromise", "issue", _compromise,
                                "accord.forecast.compromise(data).internal"))
            continue
        module, func, unit = DYNAMIC[name]
        try:
            run = getattr(importlib.import_module(module), func)
        except ImportError as exc:
            missing[name] = f"`{module}.{func}` not importable ({exc})"
            continue
        except Exception as exc:  # a module being written may not even import
            missing[name] = f"`{module}` fails on import ({type(exc).__name__}: {exc})"
            continue
        kwargs: dict[str, int] = {"seed": seed}
        if rounds is not None:
            kwargs["rounds"] = rounds

        def runner(data: StakeholderData, run=run, kwargs=kwargs, name=name) -> np.ndarray:
            if name == "smp":
                # KTAB needs every actor's saliences to sum to more than 0: an actor with a
                # position but no salience (54 cells of DEU III) takes no part in the SMP
                data = data.select_actors(data.salience.sum(axis=1) > 0)
            return np.asarray(run(data, **kwargs).forecast, dtype=float).reshape(data.n_issues)

        args = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        models.append(Model(name, unit, runner, f"{module}.{func}(data, {args}).forecast"))
    return models, missing


# --- scoring ------------------------------------------------------------------------------------


def score(model: Model, issues: Sequence[DeuIssue], baseline: dict[str, float]) -> Score:
    """Run `model` on every issue (or every proposal of two issues or more) and score it."""
    s = Score(model.name, model.unit, model.call)
    if model.unit == "issue":
        units = [(i.id, i.data, (i,)) for i in issues]
    else:
        units = [(p.id, p.data, p.issues) for p in group_proposals(issues) if len(p.issues) > 1]
    for uid, data, members in units:
        t0 = time.perf_counter()
        try:
            forecast = model.run(data)
        except Exception as exc:  # the benchmark reports failures instead of stopping
            s.seconds += time.perf_counter() - t0
            s.calls += 1
            s.failures.append((uid, f"{type(exc).__name__}: {exc}".splitlines()[0]))
            continue
        s.seconds += time.perf_counter() - t0
        s.calls += 1
        bad = [m.id for m, f in zip(members, forecast, strict=True) if not math.isfinite(f)]
        if bad:
            s.failures.append((uid, f"non-finite forecast on {', '.join(bad)}"))
            continue
        for m, f in zip(members, forecast, strict=True):
            assert m.outcome is not None
            s.forecast[m.id] = float(f)
            s.error[m.id] = abs(float(f) - m.outcome)
            s.baseline_error[m.id] = baseline[m.id]
    return s


def baseline_errors(issues: Sequence[DeuIssue]) -> dict[str, float]:
    """|compromise - out| per issue."""
    out = {}
    for i in issues:
        assert i.outcome is not None
        out[i.id] = abs(compromise(i.data).internal[i.id] - i.outcome)
    return out


def run_benchmark(path: str | os.PathLike[str] = DATA, names: Sequence[str] = ALL_MODELS,
                  rounds: int | None = None, seed: int = 0
                  ) -> tuple[list[DeuIssue], list[Score], dict[str, str]]:
    issues = read_deu(path)
    baseline = baseline_errors(issues)
    models, missing = load_models(names, rounds, seed)
    return issues, [score(m, issues, baseline) for m in models], missing


# --- report -------------------------------------------------------------------------------------


def _f(x: float, digits: int = 2) -> str:
    return "-" if math.isnan(x) else f"{x:.{digits}f}"


def _time(s: Score) -> tuple[str, str]:
    per = s.seconds / s.calls if s.calls else math.nan
    return f"{s.seconds:.3f} s", "-" if math.isnan(per) else f"{per * 1e3:.3f} ms"


def rows(scores: Sequence[Score]) -> list[list[str]]:
    out = []
    for s in scores:
        better, tie, worse = s.versus_baseline()
        total, per = _time(s)
        is_base = s.name == "compromise"
        out.append([
            s.name, f"{s.n}", _f(s.mae), _f(s.median), _f(s.baseline_mae),
            _f(s.baseline_median),
            "-" if is_base else f"{better} / {tie} / {worse}",
            "-" if is_base else _f(s.sign_test_p, 3),
            f"{len(s.failures)}", total, f"{per} / {s.unit}"])
    return out


HEADER = ["model", "issues", "MAE", "median AE", "compromise MAE (same issues)",
          "compromise median AE", "better / tie / worse", "sign test p", "failed", "time",
          "time per call"]


def table(scores: Sequence[Score]) -> str:
    body = rows(scores)
    widths = [max(len(r[k]) for r in [HEADER, *body]) for k in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) if k == 0 else c.rjust(w)
                       for k, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [HEADER, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict(scores: Sequence[Score], missing: dict[str, str]) -> str:
    """One honest paragraph: does any model beat the compromise on the same issues?"""
    others = [s for s in scores if s.name != "compromise" and s.n > 0]
    if not others:
        absent = ", ".join(sorted(missing)) or "none"
        return ("Only the compromise model could be run (not available at the time of this "
                f"run: {absent}), so no model has been compared with the baseline yet.")
    parts = []
    for s in others:
        better, tie, worse = s.versus_baseline()
        diff = s.mae - s.baseline_mae
        side = ("the same" if abs(diff) <= TIE else
                f"{'lower' if diff < 0 else 'higher'} by {abs(diff):.2f} points")
        parts.append(f"{s.name}: MAE {s.mae:.2f} against {s.baseline_mae:.2f} for the compromise "
                     f"on the same {s.n} issues ({side}); closer to the outcome on {better} "
                     f"issues, as close on {tie}, farther on {worse} (sign test p = "
                     f"{s.sign_test_p:.3f})")
    winners = [s for s in others if s.mae < s.baseline_mae - TIE]
    if not winners:
        head = "No model beats the compromise baseline on mean absolute error."
    else:
        names = ", ".join(s.name for s in winners)
        solid = [s.name for s in winners if s.sign_test_p < 0.05
                 and s.versus_baseline()[0] > s.versus_baseline()[2]]
        head = (f"Lower mean absolute error than the compromise on the same issues: {names}. "
                + (f"Closer to the outcome significantly more often than not (sign test, 5 %): "
                   f"{', '.join(solid)}." if solid else
                   "None of them is closer to the outcome significantly more often than not "
                   "(sign test, 5 %)."))
    return head + " " + "; ".join(parts) + "."


def machine() -> dict[str, str]:
    return common.machine()

def _institutions(issues: Sequence[DeuIssue]) -> str:
    cap: dict[str, float] = {}
    for i in issues:
        cap.update(zip(i.data.actors, map(float, i.data.capability), strict=True))
    states = [a for a in cap if a not in INSTITUTIONS]
    text = ", ".join(f"{a} {cap[a]:g}" for a in INSTITUTIONS if a in cap)
    if states:
        top = max(states, key=lambda a: cap[a])
        text += f"; largest member state: {top} {cap[top]:g}"
    return text or "no actors"


def markdown(issues: Sequence[DeuIssue], scores: Sequence[Score], missing: dict[str, str],
             info: dict[str, str], command: str, path: str) -> str:
    n_prop = len(group_proposals(issues))
    multi = [p for p in group_proposals(issues) if len(p.issues) > 1]
    out = [
        "## DEU III: forecasts against real EU legislative outcomes "
        "(`benchmarks/forecast_deu.py`)",
        "",
        f"Command: `{command}`",
        "",
        "| | |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
        f"Data: `{path}`, DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53) as published "
        "by `blksv/predictioneers_game` with GDP added as capability: "
        f"**{len(issues)} issues** with a recorded outcome, from {n_prop} proposals "
        f"({len(multi)} proposals with two issues or more, {sum(len(p.issues) for p in multi)} "
        "issues). Positions, reference point and outcome on 0..100; salience / 100; capability "
        f"= the GDP line ({_institutions(issues)}); an actor with "
        "no position on an issue is left out of it. Errors are absolute differences from the "
        "outcome `out`, in points on 0..100. `better / tie / worse`: issues where the model "
        "is closer to the outcome than the compromise / as close (within 1e-9) / farther; "
        "the sign test compares better with worse. Each dynamic model is scored on the "
        "issues it ran on, next to the compromise on the same issues; the exchange model runs "
        "on whole proposals of two issues or more. Times: `time.perf_counter` around each "
        "call, one run, total and mean per call (per issue, or per proposal).",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|---|" + "---:|" * 9 + "---:|",
        *["| " + " | ".join(r) + " |" for r in rows(scores)],
        "",
    ]
    for s in scores:
        out.append(f"* **{s.name}**: `{s.call}`"
                   + (f"; failed on {len(s.failures)} (first: {s.failures[0][0]}: "
                      f"{s.failures[0][1]})" if s.failures else ""))
    for name, why in missing.items():
        out.append(f"* **{name}**: not run: {why}")
    out += ["", verdict(scores, missing), ""]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--data", default=str(DATA), help="DEU III file (default: the tests' copy)")
    ap.add_argument("--models", nargs="+", choices=ALL_MODELS, default=list(ALL_MODELS))
    ap.add_argument("--rounds", type=int, default=None,
                    help="rounds for the dynamic models (default: each model's own)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--write", metavar="FILE", help="also write a markdown section to FILE")
    args = ap.parse_args(argv)
    names = list(dict.fromkeys(["compromise", *args.models]))  # the baseline always runs
    info = machine()
    issues, scores, missing = run_benchmark(args.data, names, args.rounds, args.seed)
    print(f"DEU III: {len(issues)} issues with an outcome ({args.data})")
    print(table(scores))
    for s in scores:
        for uid, msg in s.failures[:3]:
            print(f"  {s.name} failed on {uid}: {msg}")
    for name, why in missing.items():
        print(f"  {name}: not run: {why}")
    print(verdict(scores, missing))
    if args.write:
        shown = sys.argv[1:] if argv is None else list(argv)
        command = shlex.join(["python", "benchmarks/forecast_deu.py", *shown])
        try:
            shown_path = str(Path(args.data).resolve().relative_to(ROOT))
        except ValueError:
            shown_path = args.data
        Path(args.write).write_text(markdown(issues, scores, missing, info, command,
                                             shown_path))
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
