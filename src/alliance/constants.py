"""Fixed vocabulary shared by the parameter models and the shells (imports only typing).

Kept apart from :mod:`alliance.params` so that ``alliance --help`` can name the
choices without building any pydantic model.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "BLOCK_DRAWS",
    "MAX_BATCH_BLOCKS",
    "MAX_DRAWS_PER_YEAR",
    "MAX_DRAW_YEARS",
    "MAX_GRID_POINTS",
    "PROJECTED_SPENDING_PATHS",
    "SPENDING_PATHS",
    "SpendingPathName",
]

#: The spending paths: frozen (last actual share), trend (recent real growth, capped),
#: national (announced national targets, then the Hague path), hague (linear to the
#: Hague core target), custom (per-ally shares).
SpendingPathName = Literal["frozen", "trend", "national", "hague", "custom"]
SPENDING_PATHS: tuple[str, ...] = get_args(SpendingPathName)
#: The paths that need no per-ally shares (every path but ``custom``).
PROJECTED_SPENDING_PATHS: tuple[str, ...] = tuple(p for p in SPENDING_PATHS if p != "custom")

#: Draws per random-number block of the crisis Monte Carlo. Every block has its own
#: counter-based stream keyed by (seed, block index), so results never depend on how
#: blocks are grouped into batches or spread over workers. Fixed: changing it changes
#: results.
BLOCK_DRAWS: int = 4096

# Bounds on Monte Carlo work, chosen so that the largest accepted run finishes in
# minutes on a 2-core machine (the engine runs about 400,000 draws a second).
#: Most crisis draws per year in one run [count].
MAX_DRAWS_PER_YEAR: int = 10_000_000
#: Most draws x years in one run (one ``deter`` call, or one whole sweep) [count].
MAX_DRAW_YEARS: int = 100_000_000
#: Largest batch, in blocks of BLOCK_DRAWS draws (memory ~ batch x allies x 8 bytes x ~10).
MAX_BATCH_BLOCKS: int = 64
#: Most points in one sweep grid [count].
MAX_GRID_POINTS: int = 1_000
