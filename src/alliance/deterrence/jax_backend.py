"""Optional JAX backend of the crisis Monte Carlo: not yet ported to the force model.

Until issue 11 the JAX backend compiled the GDP-weighted kernel with XLA. The
force-based kernel (combat power in theatre from the mobility stage's closure
curves, :func:`alliance.deterrence.engine.evaluate`) has not been ported yet:
``backend="jax"`` is a :class:`~alliance.errors.ModelError` saying so, and the
NumPy engine is the one implementation. :func:`jax_available` still reports
whether JAX can be imported (``pip install 'alliance[jax]'``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from alliance.errors import ModelError
from alliance.params import DeterrenceParams

__all__ = ["NOT_PORTED", "jax_available", "simulate_jax"]

_INSTALL_HINT = "backend 'jax' needs JAX; install it with: pip install 'alliance[jax]'"
#: The error message of ``backend="jax"``.
NOT_PORTED = (
    "backend 'jax' has not been ported to the force-based model (issue 11: combat power "
    "from the closure curves); use --backend numpy"
)


def jax_available() -> bool:
    """True when JAX can be imported (imports it: about a second the first time)."""
    try:
        _jax()
    except ModelError:
        return False
    return True


def _jax() -> tuple[Any, Any]:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError as exc:
        raise ModelError(_INSTALL_HINT) from exc
    return jax, jnp


def simulate_jax(
    params: DeterrenceParams,
    allies: pd.DataFrame,
    context: pd.DataFrame,
    draws: int,
    seed: int,
    batch_size: int | None = None,
    progress: Any = None,
    forces: Any = None,
) -> pd.DataFrame:
    """Refuse: the JAX kernel is not ported to the force model (module docstring).

    Without JAX installed the error says how to install it first, as before.
    """
    _jax()
    raise ModelError(NOT_PORTED)
