"""Forces and mobility: the order of battle, the corridor network and closure curves.

* :mod:`alliance.mobility.forces`: brigades per ally and year (order of battle,
  the plan's deliveries as brigade equivalents, readiness tiers).
* :mod:`alliance.mobility.network`: the bundled corridor network under the
  scenario's levers (permits, cut links, Rail Baltica, US strategic lift).
* :mod:`alliance.mobility.flow`: time-expanded maximum flow (compiled in
  :mod:`alliance.mobility.flow_kernel`); :mod:`alliance.mobility.bottleneck`: the minimum cut.
* :mod:`alliance.mobility.closure`: brigades in theatre by hour, per area and ally.
* :mod:`alliance.mobility.checks`: the ST 100-3 march arithmetic, Steadfast Dart
  2026 and the Allied Reaction Force standard.
* :mod:`alliance.mobility.stage`: the stage function and its result.

The model is stated in ``docs/mobility.md``.
"""

from alliance.mobility.bottleneck import min_cut_links
from alliance.mobility.closure import ClosureResult, closure_for_year, target_areas
from alliance.mobility.flow import Arc, Network, Supply, arrivals_by_step
from alliance.mobility.forces import brigades_for_year, plan_brigade_equivalents
from alliance.mobility.network import build_network

__all__ = [
    "Arc",
    "ClosureResult",
    "Network",
    "Supply",
    "arrivals_by_step",
    "brigades_for_year",
    "build_network",
    "closure_for_year",
    "min_cut_links",
    "plan_brigade_equivalents",
    "target_areas",
]
