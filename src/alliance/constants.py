"""Fixed vocabulary shared by the parameter models and the shells (imports only typing).

Kept apart from :mod:`alliance.params` so that ``alliance --help`` can name the
choices without building any pydantic model.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["BLOCK_DRAWS", "PROJECTED_SPENDING_PATHS", "SPENDING_PATHS", "SpendingPathName"]

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
