"""Sobol sensitivity of the crisis outcomes to the policy levers (SALib).

Which lever moves P(fait accompli) and P(probe) most, alone (first-order index
S1) and with its interactions (total index ST)? Levers are sampled with
Saltelli's scheme (SALib ``sample.sobol``), each sample is evaluated on the same
random numbers (common random numbers: the outcome is a deterministic function
of the levers for a seed), and the indices come from SALib ``analyze.sobol``
with bootstrap confidence intervals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from alliance.deterrence.engine import (
    AllyGeometry,
    BlockRandoms,
    batch_randoms,
    block_sizes,
    check_run,
    evaluate,
    prepare_year,
)
from alliance.deterrence.inputs import YearForces, forces_of, validate_allies, validate_context
from alliance.errors import ModelError
from alliance.params import DeterrenceParams

__all__ = ["LEVERS", "SENSITIVITY_COLUMNS", "SENSITIVITY_OUTPUTS", "sobol_sensitivity"]

logger = logging.getLogger(__name__)

#: Levers and their default ranges (low, high). Meaning:
#: ``us_commitment`` sets both US forces in place and reinforcements [fraction 0-1];
#: ``trust_in_alliance`` and ``trust_in_us`` set the parameters [fraction 0-1];
#: ``spending_multiplier`` multiplies capability coverage (a spending path above or
#: below the scenario's) [dimensionless]; ``capability_coverage`` sets the year's
#: coverage before that multiplier [share of requirement];
#: ``decision_latency_multiplier`` scales every decision time [dimensionless];
#: ``forces_multiplier`` scales every brigade in theatre (own, forward, arrivals)
#: [dimensionless].
LEVERS: dict[str, tuple[float, float]] = {
    "us_commitment": (0.0, 1.0),
    "trust_in_alliance": (0.2, 1.0),
    "trust_in_us": (0.0, 1.0),
    "spending_multiplier": (0.7, 1.3),
    "capability_coverage": (0.3, 1.2),
    "decision_latency_multiplier": (0.5, 2.0),
    "forces_multiplier": (0.5, 2.0),
}

#: Outputs analysed by default.
SENSITIVITY_OUTPUTS: tuple[str, ...] = ("p_fait_accompli", "p_probe")

#: Columns of the returned table.
SENSITIVITY_COLUMNS: tuple[str, ...] = ("output", "lever", "S1", "S1_conf", "ST", "ST_conf")

_OUTPUT_FLAGS = {
    "p_probe": "probe",
    "p_fait_accompli": "fait_accompli",
    "p_undivided_response": "undivided_response",
    "p_coalition_response": "coalition_response",
}


def _evaluate_sample(
    values: Mapping[str, float],
    params: DeterrenceParams,
    geometry: AllyGeometry,
    row: pd.Series,
    randoms: BlockRandoms,
    outputs: Sequence[str],
    forces: YearForces,
) -> list[float]:
    """Outputs for one lever setting on the shared random numbers."""
    update = {
        name: float(values[name])
        for name in ("trust_in_alliance", "trust_in_us", "decision_latency_multiplier")
        if name in values
    }
    p = params.model_copy(update=update) if update else params
    fip = float(row["us_forces_in_place"])
    reinf = float(row["us_reinforcements"])
    if "us_commitment" in values:
        fip = reinf = float(values["us_commitment"])
    coverage = float(values.get("capability_coverage", row["capability_coverage"]))
    coverage *= float(values.get("spending_multiplier", 1.0))
    scale = float(values.get("forces_multiplier", 1.0))
    if scale != 1.0:
        forces = YearForces(iso3=forces.iso3, own=forces.own * scale,
                            forward=forces.forward * scale,
                            curve=(forces.curve * np.float32(scale)).astype(np.float32))
    out = evaluate(randoms, prepare_year(p, geometry, fip, reinf, coverage, forces))
    return [float(np.mean(getattr(out, _OUTPUT_FLAGS[name]))) for name in outputs]


def sobol_sensitivity(
    params: DeterrenceParams,
    allies: pd.DataFrame,
    context: pd.DataFrame,
    year: int | None = None,
    levers: Mapping[str, tuple[float, float]] | None = None,
    n_base: int = 256,
    draws: int = 1024,
    seed: int = 0,
    outputs: Sequence[str] = SENSITIVITY_OUTPUTS,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Sobol indices of the outputs with respect to the levers, as a tidy table.

    Args:
        params: as for :func:`~alliance.deterrence.engine.simulate`; levers not
            varied keep the values of ``params`` and of the context row of ``year``.
        allies: the allies table (contract in :mod:`alliance.deterrence.inputs`).
        context: the per-year context table (same contract).
        year: context year to perturb (default: the first year of ``context``).
        levers: ``{lever: (low, high)}`` from :data:`LEVERS` (default: all, with
            their ranges).
        n_base: Saltelli base samples N (a power of 2); the model runs
            N x (levers + 2) times.
        draws: crisis draws per model run (common random numbers across runs).
        seed: seed of the crisis draws and of SALib's sampling and bootstrap.
        outputs: any of p_fait_accompli, p_probe, p_undivided_response,
            p_coalition_response.
        progress: called with the number of model runs finished (in chunks).

    Returns:
        A DataFrame with :data:`SENSITIVITY_COLUMNS`: one row per output x lever.
    """
    from SALib.sample import sobol as sobol_sample

    chosen = dict(LEVERS if levers is None else levers)
    _check_request(chosen, outputs, n_base)
    check_run(params, draws, seed, None)

    table = validate_allies(allies)
    given = forces_of(context)
    if given is None:
        raise ModelError("sobol_sensitivity: the context carries no forces (see simulate)")
    row = _context_row(validate_context(context), year)
    year_forces = given.year(int(row["year"]))
    geometry = AllyGeometry.build(params, table)
    randoms = batch_randoms(seed, 0, block_sizes(draws), len(geometry.iso3))

    names = list(chosen)
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(chosen[n]) for n in names],
    }
    samples = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    logger.info("sobol: %d model runs of %d draws (year %d)", len(samples), draws,
                int(row["year"]))
    results = _run_samples(samples, names, params, geometry, row, randoms, outputs, progress,
                           year_forces)
    return _indices_table(problem, names, results, outputs, seed)


def _run_samples(
    samples: npt.NDArray[np.float64],
    names: list[str],
    params: DeterrenceParams,
    geometry: AllyGeometry,
    row: pd.Series,
    randoms: BlockRandoms,
    outputs: Sequence[str],
    progress: Callable[[int], None] | None,
    forces: YearForces,
) -> npt.NDArray[np.float64]:
    """Outputs of every lever sample (rows) on the shared random numbers; progress per 256."""
    results = np.empty((len(samples), len(outputs)))
    for i, x in enumerate(samples):
        results[i] = _evaluate_sample(dict(zip(names, x, strict=True)), params, geometry, row,
                                      randoms, outputs, forces)
        if progress is not None and (i + 1) % 256 == 0:
            progress(256)
    if progress is not None and len(samples) % 256:
        progress(len(samples) % 256)
    return results


def _check_request(
    chosen: Mapping[str, tuple[float, float]], outputs: Sequence[str], n_base: int
) -> None:
    """Raise ModelError for unknown or empty levers and outputs, or a bad ``n_base``."""
    unknown = sorted(set(chosen) - set(LEVERS))
    if unknown:
        raise ModelError(f"sensitivity levers: unknown {unknown}; choose from {sorted(LEVERS)}")
    if not chosen:
        raise ModelError("sensitivity levers: give at least one lever")
    for name, (low, high) in chosen.items():
        if not low < high:
            raise ModelError(f"sensitivity lever {name}: low {low} must be below high {high}")
    bad_outputs = sorted(set(outputs) - set(_OUTPUT_FLAGS))
    if bad_outputs or not outputs:
        raise ModelError(
            f"sensitivity outputs: unknown {bad_outputs}; choose from {sorted(_OUTPUT_FLAGS)}"
        )
    if n_base < 2 or n_base & (n_base - 1):
        raise ModelError(f"sensitivity n_base must be a power of 2 (>= 2), got {n_base}")


def _context_row(ctx: pd.DataFrame, year: int | None) -> pd.Series:
    """The context row of ``year`` (the first row when None)."""
    if year is None:
        return ctx.iloc[0]
    match = ctx.loc[ctx["year"] == year]
    if match.empty:
        raise ModelError(f"sensitivity year {year} is not in the context table")
    return match.iloc[0]


def _indices_table(
    problem: dict[str, Any],
    names: list[str],
    results: npt.NDArray[np.float64],
    outputs: Sequence[str],
    seed: int,
) -> pd.DataFrame:
    """S1 and ST with confidence intervals per output and lever (0 for a constant output)."""
    from SALib.analyze import sobol as sobol_analyze

    records = []
    for j, output in enumerate(outputs):
        y = results[:, j]
        if float(np.var(y)) == 0.0:
            for name in names:
                records.append((output, name, 0.0, 0.0, 0.0, 0.0))
            continue
        indices = sobol_analyze.analyze(problem, y, calc_second_order=False,
                                        print_to_console=False, seed=seed)
        for i, name in enumerate(names):
            records.append((
                output, name, float(indices["S1"][i]), float(indices["S1_conf"][i]),
                float(indices["ST"][i]), float(indices["ST_conf"][i]),
            ))
    return pd.DataFrame.from_records(records, columns=list(SENSITIVITY_COLUMNS))
