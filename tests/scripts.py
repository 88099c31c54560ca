"""The repository's scripts (``scripts/*.py``, not a package), loaded for tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` afresh as the module ``script_<name>``.

    The module is registered in ``sys.modules`` before it runs (dataclasses and
    NamedTuples defined in a script look their module up there), and ``scripts/`` is
    on ``sys.path`` as when a script runs (they share ``table_io``).
    """
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(f"script_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
