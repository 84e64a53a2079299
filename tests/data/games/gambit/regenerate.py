"""Rewrite pygambit's recorded answers: the fixtures beside this file.

tests/test_games_strategic.py lists every question it puts to pygambit (`gambit_cases()`: the
game, the pygambit function, its options). This script puts each to pygambit and writes the
answers, with the games, to <fixture>.json here. It needs pygambit (`make test-gambit`
installs it); run it from anywhere:

    .venv/bin/python tests/data/games/gambit/regenerate.py

and then `.venv/bin/python -m pytest tests/test_games_strategic.py`. The output depends only
on the games and on pygambit's version: run twice, it writes the same bytes.
"""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]

try:
    import pygambit
except ImportError:
    sys.exit("regenerate.py needs pygambit: pip install -e '.[dev,gambit]' (make test-gambit)")

sys.path.insert(0, str(ROOT))
from tests import test_games_strategic as T  # noqa: E402

ABOUT = ("pygambit's answers to the questions tests/test_games_strategic.py puts to it "
         "(see README.md here). Exact rationals are strings, doubles are numbers.")
ANSWER = {"read_nfg": "read", "to_nfg": "nfg", "undominated_strategies_solve": "undominated"}


def exact(x: Fraction) -> str:
    """An exact rational as text Fraction() reads: 'p/q', or its decimal where that is
    shorter (the random float games' payoffs, which are their shortest decimals)."""
    x = Fraction(x)
    text = str(x)
    q, twos, fives = x.denominator, 0, 0
    while q % 2 == 0:
        q, twos = q // 2, twos + 1
    while q % 5 == 0:
        q, fives = q // 5, fives + 1
    if q == 1 and x.denominator > 1:
        places = max(twos, fives)
        digits = str(abs(x.numerator) * 10**places // x.denominator).rjust(places + 1, "0")
        decimal = ("-" if x < 0 else "") + digits[:-places] + "." + digits[-places:]
        if len(decimal) < len(text):
            assert Fraction(decimal) == x
            return decimal
    return text


def value(x):
    """A probability or payoff: exact rationals as text, doubles as JSON numbers."""
    return exact(x) if isinstance(x, Fraction | int) else float(x) + 0.0


def encode(nested):
    return T.nested(value, nested)


def record(live: T.Live, name: str, case_id: str, case: T.Case) -> dict:
    out: dict = {"id": case_id, "test": case.test}
    game: dict = {"origin": case.origin}
    answer = ANSWER.get(case.solver, "equilibria")
    reported = None
    if case.solver == "read_nfg":
        game["sha256"] = T.sha256(case.nfg())
        result = live.read_nfg(case_id, case.nfg())
        result = {**result, "payoffs": encode(result["payoffs"])}
    elif case.solver == "to_nfg":
        game.update({k: T.WRITTEN[k] for k in ("title", "players", "strategies")})
        game["payoffs"] = encode(T.WRITTEN["payoffs"])
        result = live.to_nfg(case_id)
    else:
        g = live.game(name, case_id)
        if case.catalog is not None:
            gg = live.gambit_game(name, case_id, g)
            game["catalog"] = case.catalog
            game["title"] = gg.title
            game["players"] = [p.label for p in gg.players]
            game["strategies"] = [[s.label for s in p.strategies] for p in gg.players]
            game["payoffs"] = encode([T.nested(Fraction, a.tolist()) for a in gg.to_arrays()])
        else:
            game["payoffs"] = encode(T.payoff_arrays(g))
        if case.solver == "undominated_strategies_solve":
            result = sorted(list(x) for x in live.undominated(case_id, g))
        else:
            solved, _ = live.solve(name, case_id, g)
            reported = {"method": solved.method, "rational": solved.rational,
                        "parameters": solved.parameters}
            result = encode(live.equilibria(name, case_id, g))
    out.update(game=game, solver=case.solver, options=case.options)
    if reported is not None:
        out["reported"] = reported          # what pygambit says it ran, defaults included
    out[answer] = result
    return out


def dump(x, indent: int = 0) -> str:
    """JSON, with short containers and rows of numbers on one line."""
    inline = json.dumps(x, ensure_ascii=False)
    if not isinstance(x, dict | list) or len(inline) + indent <= 96 or (
            isinstance(x, list) and not any(isinstance(y, dict | list) for y in x)):
        return inline
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(x, dict):
        items = [f"{inner}{json.dumps(k)}: {dump(v, indent + 1)}" for k, v in x.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    return "[\n" + ",\n".join(inner + dump(v, indent + 1) for v in x) + "\n" + pad + "]"


def main() -> None:
    live = T.Live(pygambit)
    for name, cases in T.gambit_cases().items():
        data = {"about": ABOUT, "pygambit": pygambit.__version__,
                "regenerate": "tests/data/games/gambit/regenerate.py",
                "cases": [record(live, name, case_id, case) for case_id, case in cases.items()]}
        path = HERE / f"{name}.json"
        path.write_text(dump(data) + "\n", encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: {len(cases)} cases")


if __name__ == "__main__":
    main()
