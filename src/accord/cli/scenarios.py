"""Commands about scenarios themselves: `scenarios`, `show`, `validate`, `schema`."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from ..errors import InputError
from .common import JsonOpt, ScenarioArg, console, emit_json, fmt_deal, guarded


def scenario_of(ref: str):
    """The validated scenario of a built-in id or a file."""
    from ..ops.source import scenario_of as load

    return load(ref)


def scenarios_cmd(as_json: JsonOpt = False) -> None:
    """List the built-in scenarios."""
    from ..io import builtin_ids, load_scenario

    rows = []
    for sid in builtin_ids():
        s = load_scenario(sid)
        n = 1
        for i in s.issues:
            n *= len(i.labels())
        rows.append({"id": s.id, "title": s.title, "actors": len(s.actors),
                     "parties": [a.id for a in s.veto_actors], "issues": len(s.issues),
                     "outcomes": n, "proposals": len(s.proposals)})
    if as_json:
        emit_json(rows)
        return
    from rich.table import Table

    t = Table(title="Built-in scenarios (illustrative models, not forecasts)")
    for col in ("id", "title", "actors", "issues", "deals", "proposals"):
        t.add_column(col, justify="right" if col in ("actors", "issues", "deals",
                                                     "proposals") else "left")
    for r in rows:
        t.add_row(r["id"], r["title"], str(r["actors"]), str(r["issues"]),
                  f"{r['outcomes']:,}", str(r["proposals"]))
    console().print(t)


def show_cmd(scenario: ScenarioArg, as_json: JsonOpt = False) -> None:
    """Summarise a scenario: sources, issues, actors and proposals."""
    s = scenario_of(scenario)
    if as_json:
        data = s.model_dump(mode="json", exclude_none=True)
        data["uncertain"] = [u.to_dict() for u in s.uncertain_inputs]
        emit_json(data)
        return
    from rich.table import Table

    con = console()
    con.print(f"[bold]{s.title}[/bold]  ({s.id})")
    if s.summary:
        con.print(s.summary)
    if s.disclaimer:
        con.print(f"[italic]{s.disclaimer}[/italic]")
    it = Table(title="Issues")
    it.add_column("id")
    it.add_column("title")
    it.add_column("options / range")
    for i in s.issues:
        opts = (" | ".join(o.id for o in i.options) if i.options is not None
                else f"{i.range[0]:g}..{i.range[1]:g} step {i.grid_step:g}")  # type: ignore[index]
        it.add_row(i.id, i.title or "", opts)
    con.print(it)
    at = Table(title="Actors")
    for col in ("id", "role", "veto", "capability", "batna", "main issues"):
        at.add_column(col)
    for a in s.actors:
        sal = a.salience or {i.id: 1.0 for i in s.issues}
        total = sum(sal.values()) or 1.0
        top = sorted(sal.items(), key=lambda kv: -kv[1])[:3]
        at.add_row(a.id, a.role, "yes" if a.has_veto else "no", f"{a.capability:g}",
                   f"{a.batna:g}", ", ".join(f"{k} {v / total:.0%}" for k, v in top))
    con.print(at)
    if s.uncertain_inputs:
        ut = Table(title="Uncertain inputs (analyses use the nominal value; see accord sweep)")
        for col in ("input", "distribution", "nominal"):
            ut.add_column(col)
        for u in s.uncertain_inputs:
            d = u.to_dict()
            ut.add_row(u.name, ", ".join(f"{k} {v}" for k, v in d["distribution"].items()),
                       f"{d['nominal']:g}")
        con.print(ut)
    if s.proposals:
        pt = Table(title="Proposals")
        pt.add_column("id")
        pt.add_column("title")
        pt.add_column("deal")
        for p in s.proposals:
            pt.add_row(p.id, p.title or "", fmt_deal(p.deal))
        con.print(pt)
    if s.sources:
        con.print("[bold]Sources[/bold]")
        for sid, src in s.sources.items():
            date = f", {src.date}" if src.date else ""
            con.print(f"  [{sid}] {src.title}{date}" + (f" <{src.url}>" if src.url else ""))


def validate_cmd(file: Annotated[str, typer.Argument(help="A YAML or JSON scenario file.")],
                 as_json: JsonOpt = False) -> None:
    """Check a scenario file and list every problem with its place in the file."""
    from ..io import read_data
    from ..validation import validate_scenario

    try:
        data, name = read_data(file)
        s = validate_scenario(data, name)
    except InputError as exc:
        if as_json:
            emit_json({"valid": False, "problems": [p.to_dict() for p in exc.problems]})
            raise typer.Exit(2) from None
        raise
    if as_json:
        emit_json({"valid": True, "problems": [], "id": s.id})
        return
    print(f"{file}: valid scenario '{s.id}' ({len(s.issues)} issues, {len(s.actors)} actors, "
          f"{len(s.proposals)} proposals)")


def schema_cmd() -> None:
    """Print the JSON Schema of the scenario format (for editors and other tools)."""
    from ..io import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")


def register(app: typer.Typer) -> None:
    """Add the scenario commands to the `accord` app."""
    app.command("scenarios")(guarded(scenarios_cmd))
    app.command("show")(guarded(show_cmd))
    app.command("validate")(guarded(validate_cmd))
    app.command("schema")(guarded(schema_cmd))
