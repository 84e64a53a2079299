"""Limits of the web API. Each keeps one request's cost (time, memory, response size)
bounded; the CLI has none of them, so larger work belongs there."""

MAX_BODY_BYTES = 2_000_000
"""Largest request body (bytes); larger ones get 413 before they are parsed."""

MAX_TEXT_CHARS = 1_000_000
"""Longest scenario text (characters)."""

MAX_NODES = 200_000
"""Most values in a parsed scenario, counting every use of a YAML alias (no alias bombs)."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings in a scenario."""

MAX_ACTORS = 100
MAX_ISSUES = 200
MAX_CELLS = 50_000
"""Most (actor, option) pairs: compiling a scenario costs about 20 microseconds each."""

MAX_PARTIES = 10
"""Most actors named in `parties` (the Pareto frontier grows fast with their number)."""

MAX_FRONTIER_CANDIDATES = 500_000
"""Largest merge step when computing a Pareto frontier (see `pareto_frontier`)."""

MAX_FRONTIER_DEALS = 20_000
"""Largest Pareto frontier an answer lists (more parties mean larger frontiers)."""

MAX_ENUMERATED = 1_000_000
"""Largest outcome space that is walked deal by deal (interaction terms, ZOPA count)."""

MAX_CLOUD = 20_000
"""Most deals in the utility cloud: all of them up to this many, else a seeded sample."""

MAX_MEDIATION_ROUNDS = 2_000
MAX_NEAREST = 100
"""Most frontier deals nearest a proposal that a repair lists."""

MAX_STRATEGIES = 10
MAX_TOURNAMENT_REPETITIONS = 100
MAX_TOURNAMENT_OFFERS = 100_000
"""Most offers of a tournament: |strategies|^parties pairings x repetitions x rounds
(hardliners, who never agree, make about 11,000 offers a second on ukraine-2023: some nine
seconds at worst)."""

MAX_FORECAST_ROUNDS = 100
MAX_SWEEP_SAMPLES = 500
"""Most draws of an uncertainty sweep (about a second for the largest built-in scenario)."""

MAX_GAME_STARTS = 100
MAX_TRUST_STRATEGIES = 30
MAX_TRUST_TURNS = 100_000
MAX_POPULATION = 10_000
MAX_COALITION_PLAYERS = 12
"""Most players of a coalition game derived from a scenario's deals (2^12 - 1 coalitions,
each answered by an exact search: under a second, a response of about 0.7 MB)."""

MAX_COALITION_SHOW = 1_000

QUICK_WORKERS = 1
QUICK_QUEUE = 16
"""Workers (and requests waiting for one) of the pool for validations and the utility
cloud, apart from the computations' pool."""

VALIDATE_SECONDS = 10.0
"""Longest a validation may take (in a worker; the page validates on every edit)."""

WORKER_MEMORY_MB = 4096
"""Memory a worker process may allocate (its data segment, `RLIMIT_DATA`; the environment
variable ACCORD_WORKER_MEMORY_MB overrides it): a computation that needs more is stopped
with a 422, and the server goes on."""

MAX_SEED = 2**31 - 1
MAX_RUNS_LISTED = 500
