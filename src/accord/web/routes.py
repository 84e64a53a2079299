"""The JSON API under /api. Each route resolves the scenario a request names, calls one
function of `accord.web.compute` or the store, and returns JSON; errors are handled by
`accord.web.errors`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..errors import Problem
from ..io import builtin_ids
from ..store import NotFoundError, Store
from . import compute, limits
from .models import (
    PARAMS,
    AnalyzeRequest,
    BuiltinRef,
    CoalitionRequest,
    CrisisRequest,
    DealsRequest,
    ErrorResponse,
    EvaluateRequest,
    ForecastRequest,
    GameRequest,
    Id,
    InverseRequest,
    MediateRequest,
    RepairRequest,
    RunRequest,
    SavedRef,
    SavedSummary,
    SavedVersion,
    SaveScenarioRequest,
    SweepRequest,
    TextRef,
    TournamentRequest,
    TrustRequest,
    ValidateRequest,
    ValidateResponse,
)
from .runner import Runner
from .scenarios import Resolved, ScenarioError, builtin_text, parse, resolve, summary

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "A malformed request (Content-Length)."},
    404: {"model": ErrorResponse, "description": "An unknown scenario, version or run."},
    413: {"model": ErrorResponse, "description": "The request body is too large."},
    422: {"model": ErrorResponse, "description": "Bad input: each error names its field."},
}
_RESULT: dict[int | str, dict[str, Any]] = {
    200: {"description": "The result, as `accord ... --json` prints it.",
          "content": {"application/json": {"schema": {"type": "object"}}}}}
RunId = Annotated[int, Path(ge=1, le=2**62, description="A run's id.")]

COMPUTE_ROUTES: tuple[tuple[str, str, type, str], ...] = (
    ("analyze", "analysis", AnalyzeRequest, "Frontier, ZOPA, solutions and proposals"),
    ("evaluate", "evaluate", EvaluateRequest, "Score one deal or proposal for every actor"),
    ("repair", "repair", RepairRequest,
     "The least change to a deal or proposal that every veto actor accepts"),
    ("inverse", "inverse", InverseRequest,
     "What would make each actor accept a deal: its BATNA drop or issue weights"),
    ("deals", "deals", DealsRequest,
     "Two actors' utilities for every deal (or a seeded sample)"),
    ("mediate", "mediation", MediateRequest,
     "Simulate a negotiation process and return its trace"),
    ("tournament", "tournament", TournamentRequest,
     "Every pairing of negotiation strategies by alternating offers, ranked"),
    ("forecast", "forecast", ForecastRequest,
     "Forecast positions and outcomes (compromise, expected utility, SMP or exchange)"),
    ("sweep", "sweep", SweepRequest,
     "Uncertainty sweep: draw scenarios from the scenario's distributions"),
    ("game", "game", GameRequest,
     "Equilibria, dominated actions, Pareto-efficient and win-win outcomes of a game"),
    ("trust", "trust", TrustRequest,
     "The repeated prisoner's dilemma: thresholds, round robin, evolution, Track II"),
    ("crisis", "crisis", CrisisRequest,
     "Crises under private information: bargaining range, risk and return, mediator, "
     "cheap talk"),
    ("coalition", "coalition", CoalitionRequest,
     "Coalitions and credit: Shapley value, core, nucleolus, leverage"),
)
"""The compute routes: path, kind of computation (`accord.web.compute`), request model and
summary."""


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(compute.plain(data), status_code=status)


async def _reply(data: Any, status: int = 200) -> JSONResponse:
    """`_json` in a worker thread: a large result is not serialised on the event loop."""
    return await run_in_threadpool(_json, data, status)


def build_router(store: Store, runner: Runner) -> APIRouter:
    """All /api routes, reading and writing `store`; computations go through `runner`
    (worker processes, within the server's budget). The compute routes are coroutines that
    wait for their worker without holding a thread; everything else runs in the thread
    pool, so the event loop is never blocked by work."""
    api = APIRouter(prefix="/api", responses=_ERRORS)

    async def checked(request: Request, text: str, fmt: str) -> None:
        """Validate a scenario text in the validation worker (bounded in time and memory)
        before a server thread parses it: a hostile text never reaches a thread."""
        answer = await runner.validate(request, text, fmt)
        if not answer["valid"]:
            items = answer["errors"]
            raise ScenarioError([Problem(e["path"], e["message"], e.get("file"))
                                 for e in items], [e.get("line") for e in items])

    async def resolved(ref: Any, request: Request) -> Resolved:
        if isinstance(ref, TextRef):
            await checked(request, ref.text, ref.format)
        return await run_in_threadpool(resolve, ref, store)

    @api.get("/info", summary="Version and limits")
    def info() -> dict[str, Any]:
        found = {k.lower(): v for k, v in vars(limits).items() if k.isupper()}
        return {"accord_version": __version__,
                "limits": {**found, "budget_seconds": runner.budget,
                           "workers": runner.workers}}

    @api.get("/scenarios", summary="Built-in and saved scenarios")
    def list_scenarios() -> dict[str, Any]:
        builtin = []
        for sid in builtin_ids():
            s = parse(builtin_text(sid))
            builtin.append({"id": sid, "title": s.title, "actors": len(s.actors),
                            "issues": len(s.issues), "proposals": len(s.proposals)})
        return {"builtin": builtin, "saved": [s.to_dict() for s in store.list_scenarios()]}

    @api.get("/scenarios/{scenario_id}", summary="A built-in scenario: its text and summary")
    def get_builtin(scenario_id: Annotated[str, Path(max_length=80)]) -> dict[str, Any]:
        text = builtin_text(scenario_id)
        return {"id": scenario_id, "format": "yaml", "text": text,
                "scenario": summary(parse(text))}

    @api.get("/game/classics", summary="The classic strategic games (`accord game --list`)")
    def classics() -> list[dict[str, Any]]:
        from ..games.strategic import list_classics

        return [c.summary() for c in list_classics()]

    @api.post("/validate", response_model=ValidateResponse,
              summary="Check a scenario text; problems come back with their lines")
    async def validate(body: ValidateRequest, request: Request) -> dict[str, Any]:
        # in a worker: no text, however hostile, can hold one of the server's threads
        return await runner.validate(request, body.text, body.format)

    def compute_route(path: str, kind: str, model: type, title: str) -> None:
        """POST /api/<path>: the body (a `model`) names its scenario; `kind` is computed
        in a worker (`Runner.compute`) and its result returned as JSON."""

        async def route(body: Any, request: Request) -> JSONResponse:
            # a game may read no scenario (a model's file, a classic game)
            r = None if body.scenario is None else await resolved(body.scenario, request)
            return await _reply(await runner.compute(request, kind, r, body))

        route.__annotations__ = {"body": model, "request": Request, "return": JSONResponse}
        api.post(f"/{path}", responses=_RESULT, response_model=None, summary=title,
                 name=path)(route)

    for path, kind, model, title in COMPUTE_ROUTES:
        compute_route(path, kind, model, title)

    @api.get("/saved/scenarios", response_model=list[SavedSummary],
             summary="Saved scenarios, most recently changed first")
    def list_saved() -> list[dict[str, Any]]:
        return [s.to_dict() for s in store.list_scenarios()]

    @api.post("/saved/scenarios", response_model=SavedVersion, status_code=201,
              responses={200: {"model": SavedVersion,
                               "description": "Identical to the latest version: not added."}},
              summary="Save a scenario (validated); saving again adds a version")
    async def save(body: SaveScenarioRequest, request: Request) -> JSONResponse:
        # problems with their lines (from the validation worker) before the store sees it
        await checked(request, body.text, body.format)
        saved, created = await run_in_threadpool(store.save_scenario, body.text, body.format)
        return _json({**saved.to_dict(text=False), "created": created}, 201 if created else 200)

    @api.get("/saved/scenarios/{name}",
             summary="A saved scenario's version (default latest), with every version listed")
    def get_saved(name: Annotated[str, Path(max_length=80)],
                  version: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None
                  ) -> dict[str, Any]:
        versions = store.versions(name)
        chosen = store.get_scenario(name, version)
        return {**chosen.to_dict(), "scenario": summary(parse(chosen.text, chosen.format)),
                "versions": [v.to_dict(text=False) for v in versions]}

    @api.post("/runs", status_code=201, responses={
        201: {"description": "The stored run with its result.",
              "content": {"application/json": {"schema": {"type": "object"}}}}},
        response_model=None, summary="Run an analysis, mediation, forecast or sweep and store it")
    async def create_run(body: Annotated[RunRequest, Body()], request: Request
                         ) -> JSONResponse:
        r = await resolved(body.scenario, request)
        params = PARAMS[body.kind].model_validate(
            body.model_dump(include=set(PARAMS[body.kind].model_fields)))
        # bad parameters fail here, before any write
        result = await runner.compute(request, body.kind, r, params)

        def save() -> dict[str, Any]:
            nonlocal r
            if isinstance(body.scenario, TextRef):  # a run must point at a stored scenario
                saved, _ = store.save_scenario(body.scenario.text, body.scenario.format)
                r = Resolved(r.scenario, "saved", saved.name, saved.version, r.text, r.format)
            run = store.save_run(body.kind, r.source, r.name, r.version, r.sha256,
                                 params.model_dump(mode="json"), getattr(params, "seed", None),
                                 __version__, result, body.label)
            return run.to_dict()

        return await _reply(await run_in_threadpool(save), 201)

    @api.get("/runs", summary="Stored runs, newest first (without their results)")
    def list_runs(scenario: Annotated[Id | None, Query()] = None,
                  limit: Annotated[int, Query(ge=1, le=limits.MAX_RUNS_LISTED)] = 100
                  ) -> list[dict[str, Any]]:
        return [r.to_dict(result=False) for r in store.list_runs(scenario, limit)]

    @api.get("/runs/{run_id}", responses=_RESULT, response_model=None,
             summary="A stored run with its result")
    def get_run(run_id: RunId) -> JSONResponse:
        return _json(store.get_run(run_id).to_dict())

    @api.post("/runs/{run_id}/replay", responses=_RESULT, response_model=None,
              summary="Run a stored run again and compare the results")
    async def replay(run_id: RunId, request: Request) -> JSONResponse:
        run = await run_in_threadpool(store.get_run, run_id)
        try:
            if run.scenario_source == "builtin":
                builtin_text(run.scenario_name)  # NotFoundError when no longer built in
                ref: BuiltinRef | SavedRef = BuiltinRef(builtin=run.scenario_name)
            else:
                ref = SavedRef(saved=run.scenario_name, version=run.scenario_version)
            r = await resolved(ref, request)
        except NotFoundError as exc:
            raise NotFoundError("run_id", f"the scenario of run {run_id} is gone: "
                                          f"{exc.message}") from None
        params = PARAMS[run.kind].model_validate(run.parameters)
        result = await runner.compute(request, run.kind, r, params)
        return await _reply({"run": run.id, "identical": compute.comparable(result)
                      == compute.comparable(run.result),
                      "scenario_changed": r.sha256 != run.scenario_sha256,
                      "accord_version": __version__, "stored_accord_version": run.accord_version,
                      "result": result})

    return api
