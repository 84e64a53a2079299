"""The single negotiating text: a mediator drafts, parties only vote, the mediator revises.

Roger Fisher's one-text procedure (used by the US team at Camp David, about 23 drafts) in
the form of the mediated single-text protocols of automated negotiation (Klein, Faratin,
Sayama and Bar-Yam 2003):

1. the mediator starts from a draft (a proposal of the scenario, the middle option of every
   issue, or a random text);
2. each round it proposes a variation of the current text: with `mutation="geometric"`
   (default) one issue changed and, with probability 1/2 each, one more (1, 2, 3 ...
   issues), which lets a text move by trades across issues; with `"single"` exactly one
   issue, as in Klein et al.; each changed issue takes a random other option;
3. every party votes on the variation against the current text;
4. if all accept, the variation becomes the current text; if some reject, a hill-climbing
   mediator keeps the current text, while an annealing mediator (Klein, Faratin and
   Bar-Yam 2002) asks the truthful voters how much they gain or lose and adopts the
   variation when the total change in welfare dW is positive, or else with probability
   exp(dW / T_m), its temperature T_m falling linearly to 0;
5. after the last round each party says yes or no to the whole text against its BATNA;
   the text is an agreement when every veto party says yes.

Voters. A truthful hill-climber accepts a variation iff it is at least as good for it as
the current text. An annealer also accepts a loss dU < 0 with probability exp(dU / T),
its temperature T falling linearly from `temperature` to 0 over the rounds.

Klein et al. found that with interdependent issues this is a prisoner's dilemma for the
parties: each does better hill-climbing whatever the other does, yet both do better when
both anneal; and that an annealing mediator with truthful voters reaches near-optimal
social welfare. `klein_scenario` builds their kind of problem (binary issues whose value
comes from pairwise interactions); the tests reproduce both findings.
Cost: O(rounds * parties * issues) plus the frontier used to score the end point.

Klein, M., Faratin, P., Sayama, H. and Bar-Yam, Y. (2003) Protocols for negotiating complex
contracts. IEEE Intelligent Systems 18(6):32-38. doi:10.1109/MIS.2003.1249167
Klein, M., Faratin, P. and Bar-Yam, Y. (2002) Using an annealing mediator to solve the
prisoners' dilemma in the negotiation of complex contracts. AMEC IV, LNCS 2531.
doi:10.1007/3-540-36378-5_12
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..budget import Budget, check
from ..defaults import SINGLE_TEXT_ROUNDS
from ..errors import InputError, Problem
from ..scenario import Scenario
from ..space import Space
from ..validation import validate_scenario
from .core import Context, MediationResult, Step

VOTERS = ("hill-climber", "annealer")
MEDIATORS = ("hill-climbing", "annealing")


def _start(ctx: Context, start: str, rng: np.random.Generator) -> np.ndarray:
    space = ctx.space
    if start == "random":
        return np.array([rng.integers(0, n) for n in space.n_options])
    if start == "middle":
        return np.array([(n - 1) // 2 for n in space.n_options])
    try:
        prop = space.scenario.proposal(start)
    except KeyError:
        known = ", ".join(["random", "middle", *(p.id for p in space.scenario.proposals)])
        raise InputError([Problem.of_parameter(
            "start", f"unknown start '{start}' (use {known})")]) from None
    return np.array(space.deal_index(prop.deal))


MUTATIONS = ("geometric", "single")


def _mutate(text: np.ndarray, sizes: Sequence[int], rng: np.random.Generator,
            mutation: str) -> np.ndarray:
    out = text.copy()
    changeable = [i for i, n in enumerate(sizes) if n > 1]
    k = 1
    while mutation == "geometric" and k < len(changeable) and rng.random() < 0.5:
        k += 1
    for i in rng.choice(changeable, size=k, replace=False):
        shift = rng.integers(1, sizes[i])
        out[i] = (out[i] + shift) % sizes[i]
    return out


def single_text(space: Space, voters: Sequence[str] | str = "hill-climber",
                search: str = "annealing", rounds: int = SINGLE_TEXT_ROUNDS,
                start: str = "middle",
                temperature: float = 0.1, mediator_temperature: float = 0.05,
                mutation: str = "geometric", parties: Sequence[str] | None = None,
                seed: int | None = 0,
                context: Context | None = None, trace: bool = True,
                budget: Budget | None = None) -> MediationResult:
    """Run the mediated single-text protocol (see the module doc).

    `voters`: one voter type per party (or one for all): "hill-climber" or "annealer";
    `search`: how the mediator revises the text, "hill-climbing" or "annealing";
    `temperature`: the annealers' starting temperature in utility units;
    `mediator_temperature`: the annealing mediator's, in units of total utility. `budget`
    is polled every round (`BudgetExceeded` when it runs out). An annealer accepts a loss
    dU < 0 with probability exp(dU / (T (1 - t / rounds))); the annealing mediator adopts a
    rejected variation when dW >= 0 or with probability exp(dW / (T_m (1 - t / rounds))).

    Cost: O(rounds * parties * issues), plus the frontier of the `Context` (scoring).

    References: Klein, M., Faratin, P., Sayama, H. and Bar-Yam, Y. (2003) "Protocols for
    negotiating complex contracts", IEEE Intelligent Systems 18(6):32-38,
    doi:10.1109/MIS.2003.1249167; Klein, M., Faratin, P. and Bar-Yam, Y. (2002) "Using an
    annealing mediator to solve the prisoners' dilemma in the negotiation of complex
    contracts", AMEC IV, LNCS 2531, doi:10.1007/3-540-36378-5_12; the one-text procedure
    of Fisher, R. and Ury, W. (1981) *Getting to Yes*, Houghton Mifflin (a book, no DOI).
    """
    ctx = context if context is not None else Context(space, parties, seed)
    rng = np.random.default_rng(seed)
    n = len(ctx.parties)
    kinds = [voters] * n if isinstance(voters, str) else list(voters)
    if len(kinds) == 1:
        kinds = kinds * n
    bad = [v for v in kinds if v not in VOTERS]
    if len(kinds) != n or bad:
        raise InputError([Problem.of_parameter(
            "voters", f"give one of {', '.join(VOTERS)} per party "
                      f"({n}) or one for all")])
    if search not in MEDIATORS:
        raise InputError([Problem.of_parameter("search", f"unknown search '{search}' (use "
                                                         f"{', '.join(MEDIATORS)})")])
    if rounds < 1:
        raise InputError([Problem.of_parameter("rounds", "must be at least 1")])
    if mutation not in MUTATIONS:
        raise InputError([Problem.of_parameter("mutation", f"unknown mutation '{mutation}' (use "
                                                           f"{', '.join(MUTATIONS)})")])
    ids = [space.actor_ids[p] for p in ctx.parties]
    text = _start(ctx, start, rng)
    u_text = ctx.utilities(text)
    steps: list[Step] = []
    if trace:
        steps.append(ctx.step(0, "mediator", text, {}, note="first draft"))
    drafts = 1
    for t in range(rounds):
        check(budget, t, rounds, "single-text rounds", "give fewer --rounds")
        cool = 1 - t / rounds
        proposal = _mutate(text, space.n_options, rng, mutation)
        u_new = ctx.utilities(proposal)
        votes = {}
        for k, (party, kind) in enumerate(zip(ctx.parties, kinds, strict=True)):
            du = u_new[party] - u_text[party]
            if du >= -1e-12:
                yes = True
            elif kind == "annealer" and temperature > 0 and cool > 0:
                yes = bool(rng.random() < np.exp(du / (temperature * cool)))
            else:
                yes = False
            votes[ids[k]] = "accept" if yes else "reject"
        rejections = sum(v == "reject" for v in votes.values())
        adopt = rejections == 0
        if not adopt and search == "annealing" and cool > 0:
            # truthful voters also report how much they gain or lose (a graded vote); the
            # mediator anneals on the reported change in total welfare
            dw = float(sum(u_new[p] - u_text[p] for p in ctx.parties))
            adopt = dw >= 0 or bool(rng.random() < np.exp(dw / (mediator_temperature * cool)))
        if adopt:
            text, u_text = proposal, u_new
            drafts += 1
        if trace:
            steps.append(ctx.step(t + 1, "mediator", proposal, votes,
                                  note="adopted" if adopt else "dropped"))
    final_votes = {ids[k]: "yes" if ctx.accepts(text, p) else "no"
                   for k, p in enumerate(ctx.parties)}
    if trace:
        steps.append(ctx.step(rounds + 1, "mediator", text, final_votes, note="final text"))
    veto_ok = all(ctx.accepts(text, p) for p in space.veto_indices)
    params = {"voters": dict(zip(ids, kinds, strict=True)), "search": search,
              "rounds": rounds, "start": start, "temperature": temperature,
              "mediator_temperature": mediator_temperature, "mutation": mutation,
              "drafts": drafts}
    result = ctx.result("single-text", params, text if veto_ok else None, rounds + 1, steps)
    if not veto_ok:
        # record where the text ended even though it was refused, and whether it was efficient
        from ..bargaining.pareto import dominating

        units = space.utility_units(text[None, :], ctx.parties)[0]
        result.parameters["final_text"] = space.deal_mapping(text)
        result.parameters["final_text_pareto_optimal"] = not len(dominating(ctx.frontier,
                                                                            units))
    return result


def klein_scenario_data(n_issues: int = 16, n_parties: int = 2, seed: int = 0,
                        density: float = 1.0) -> dict:
    """A complex contract in the manner of Klein et al. (2003): `n_issues` binary issues;
    each party values each pair of issues being both "in" by an influence drawn uniformly
    from [-1, 1] (a fraction `density` of the pairs), so utilities have many local optima.
    Encoded with interaction terms: score 50 + 50 * influence when both are in, 50
    otherwise (an affine rescaling of the sum of influences). Cost: O(parties * issues^2).

    References: Klein, M., Faratin, P., Sayama, H. and Bar-Yam, Y. (2003) "Protocols for
    negotiating complex contracts", IEEE Intelligent Systems 18(6):32-38,
    doi:10.1109/MIS.2003.1249167.
    """
    rng = np.random.default_rng(seed)
    issues = [{"id": f"c{i}", "options": ["out", "in"]} for i in range(n_issues)]
    actors = []
    for a in range(n_parties):
        terms = []
        for i in range(n_issues):
            for j in range(i + 1, n_issues):
                if rng.random() >= density:
                    continue
                v = round(float(rng.uniform(-1, 1)), 3)
                terms.append({"issues": [f"c{i}", f"c{j}"], "weight": 1,
                              "scores": {"out": {"out": 50, "in": 50},
                                         "in": {"out": 50, "in": 50 + 50 * v}}})
        actors.append({"id": f"agent-{chr(97 + a)}", "role": "party", "batna": 0,
                       "salience": {f"c{i}": 0 for i in range(n_issues)},
                       "interactions": terms})
    return {"accord": 1, "id": f"klein-{n_issues}-s{seed}",
            "title": f"Complex contract, {n_issues} interdependent binary issues (seed {seed})",
            "summary": "Random pairwise issue interactions after Klein et al. (2003).",
            "issues": issues, "actors": actors}


def klein_scenario(n_issues: int = 16, n_parties: int = 2, seed: int = 0,
                   density: float = 1.0) -> Scenario:
    """`klein_scenario_data`, validated (Klein et al. 2003, doi:10.1109/MIS.2003.1249167)."""
    return validate_scenario(klein_scenario_data(n_issues, n_parties, seed, density),
                             "<klein>")
