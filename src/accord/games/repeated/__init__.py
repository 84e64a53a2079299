"""The repeated prisoner's dilemma and trust (being split into modules)."""

from .evolution import (  # noqa: F401
    Moran,
    Replicator,
    RestPoint,
    fixation_probability,
    jacobian_eigenvalues,
    moran,
    replicator,
    rest_points,
)
from .files import (  # noqa: F401
    TrustSpec,
    load_trust,
    parse_trust,
)
from .markov import (  # noqa: F401
    DEFAULT_STRATEGIES,
    DEFAULT_TURNS,
    MEMORY_ONE,
    OUTCOMES,
    STRATEGIES,
    SWAP,
    EquilibriumCheck,
    MatchResult,
    Payoffs,
    Simulation,
    Strategy,
    Tournament,
    as_fraction,
    best_response,
    contrite_tft,
    equilibrium,
    grim,
    grim_threshold,
    gtft_generosity,
    markov_chain,
    match,
    memory_one,
    simulate,
    strategies,
    strategy,
    tft_threshold,
    tit_for_k_tats,
    tournament,
    window_tft,
)
from .track2 import (  # noqa: F401
    DEFAULT_TRACK2_STRATEGIES,
    ContactModel,
    Track2,
    contact_needed,
)
