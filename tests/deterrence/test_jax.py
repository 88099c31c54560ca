"""The JAX backend is not ported to the force model: a clear error, never wrong numbers."""

from __future__ import annotations

import pytest

from alliance.deterrence import simulate
from alliance.errors import ModelError


def test_jax_backend_refuses_with_a_clear_error(params, allies, crisis_context):
    # without JAX installed the error first says how to install it; with it, that the
    # force-based kernel is not ported yet
    with pytest.raises(ModelError, match=r"not been ported|alliance\[jax\]"):
        simulate(params, allies, crisis_context, 4096, seed=8, backend="jax")
