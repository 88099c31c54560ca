"""Import boundaries: parameters are a leaf, the CLI starts light, no cycles dodged.

Each import check runs in a fresh interpreter (``sys.executable -c ...``), because
this test process has long since imported everything.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import alliance

#: Packages that only the stages that need them may load (LP, arrays, cluster, charts, web).
HEAVY: tuple[str, ...] = ("linopy", "xarray", "dask", "distributed", "plotly", "fastapi")
#: The data-frame stack, which the parameter models and the catalogue must not need either.
FRAMES: tuple[str, ...] = ("pandas", "numpy")

PACKAGE_DIR = Path(alliance.__file__).resolve().parent


def _modules_loaded_by(code: str) -> set[str]:
    """Names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("alliance", HEAVY + FRAMES),  # names load lazily (PEP 562)
        ("alliance.params", HEAVY + FRAMES),
        ("alliance.catalogue", HEAVY + FRAMES),
        # _io promises that the scenario module loads YAML without pandas or NumPy.
        ("alliance.scenario", (*HEAVY, "pandas")),
    ],
)
def test_light_module_loads_nothing_heavy(module: str, forbidden: tuple[str, ...]) -> None:
    loaded = _modules_loaded_by(f"import {module}")
    assert module in loaded  # the probe did import it
    assert sorted(_top_level(loaded).intersection(forbidden)) == []


def test_validating_parameters_loads_no_data_stack() -> None:
    # Area names are checked against the catalogue; reading it must not load the Dataset
    # (alliance.data imports pandas and DuckDB).
    code = (
        "from alliance.params import CapabilityParams, PlanningParams\n"
        "from alliance.scenario import apply_overrides, load_scenario\n"
        "PlanningParams(risk_weights={'combat_aircraft': 2.0})\n"
        "CapabilityParams(readiness={'main_battle_tank': 0.5}, risk_weights={'aew_c': 2.0})\n"
        "sc = load_scenario('europe-alone')\n"
        "apply_overrides(sc, {'planning.risk_weights': {'main_battle_tank': 3.0}})\n"
    )
    loaded = _top_level(_modules_loaded_by(code))
    assert "pydantic" in loaded
    assert sorted(loaded.intersection((*HEAVY, *FRAMES, "duckdb", "pyarrow"))) == []


def test_cli_help_loads_nothing_heavy() -> None:
    commands = ["--help"] + [
        f"{c} --help"
        for c in (
            "assess",
            "serve",
            "deter",
            "sweep",
            "plan",
            "gaps",
            "spending",
            "data",
            "scenario",
        )
    ]
    code = (
        "from typer.testing import CliRunner\n"
        "from alliance.cli import app\n"
        f"for args in {commands!r}:\n"
        "    result = CliRunner().invoke(app, args.split())\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        "    assert 'Usage' in result.output, (args, result.output)\n"
    )
    loaded = _top_level(_modules_loaded_by(code))
    assert "typer" in loaded
    assert sorted(loaded.intersection((*HEAVY, "pandas"))) == []


def test_console_entry_help_loads_nothing_heavy() -> None:
    # The real entry point (python -m alliance), with the import log of -X importtime.
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "alliance", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "assess" in done.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "typer" in imported
    assert sorted(imported.intersection((*HEAVY, "pandas"))) == []


# --- parameters are a leaf: what src/alliance/params may import ----------------------

#: alliance modules the parameter models may import besides alliance.params itself.
#: alliance.constants (typing-only vocabulary: spending path names, BLOCK_DRAWS) was
#: split off so that ``--help`` needs no pydantic; it is a leaf too (checked below).
PARAMS_MAY_IMPORT: frozenset[str] = frozenset(
    {"alliance.catalogue", "alliance.errors", "alliance.constants"}
)
#: Third-party packages the parameter models may import.
PARAMS_THIRD_PARTY: frozenset[str] = frozenset({"pydantic"})


def _imports(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, also inside functions.

    ``package`` is the dotted package the file belongs to (for relative imports).
    """
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def _is_stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _params_violations(folder: Path) -> list[str]:
    bad = []
    for path in sorted(folder.glob("*.py")):
        for line, name in _imports(path, "alliance.params"):
            ok = (
                _is_stdlib(name)
                or name.split(".")[0] in PARAMS_THIRD_PARTY
                or _within(name, "alliance.params")
                or any(_within(name, m) for m in PARAMS_MAY_IMPORT)
            )
            if not ok:
                bad.append(f"{path.name}:{line}: imports {name}")
    return bad


def test_params_import_only_pydantic_stdlib_and_leaves() -> None:
    folder = PACKAGE_DIR / "params"
    assert len(list(folder.glob("*.py"))) >= 5
    assert _params_violations(folder) == []


def test_modules_params_lean_on_are_leaves_themselves() -> None:
    # What the parameter models import must not pull anything heavy back in.
    bad = []
    for module in sorted(PARAMS_MAY_IMPORT):
        path = PACKAGE_DIR / (module.removeprefix("alliance.").replace(".", "/") + ".py")
        for line, name in _imports(path, "alliance"):
            if not (_is_stdlib(name) or name in PARAMS_MAY_IMPORT):
                bad.append(f"{path.name}:{line}: imports {name}")
    assert bad == []


def test_params_import_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text(
        "from pydantic import Field\nfrom alliance.catalogue import capability_catalogue\n"
        "from ._base import ParamsModel\nimport dataclasses\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.py").write_text(
        "def f():\n    import pandas\n    from alliance.capabilities import gaps\n",
        encoding="utf-8",
    )
    assert _params_violations(tmp_path) == [
        "bad.py:2: imports pandas",
        "bad.py:3: imports alliance.capabilities",
    ]


# --- no cycles dodged under TYPE_CHECKING ---------------------------------------------


def _type_checking_guards(path: Path) -> list[int]:
    """Lines of ``if TYPE_CHECKING`` / ``if typing.TYPE_CHECKING`` in ``path``."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.If):
            names = {
                n.id if isinstance(n, ast.Name) else n.attr
                for n in ast.walk(node.test)
                if isinstance(n, ast.Name | ast.Attribute)
            }
            if "TYPE_CHECKING" in names:
                lines.append(node.lineno)
    return lines


def test_no_type_checking_guard_in_the_package() -> None:
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(files) > 50  # found the package, not an empty folder
    found = [
        f"{p.relative_to(PACKAGE_DIR.parent)}:{line}"
        for p in files
        for line in _type_checking_guards(p)
    ]
    assert found == [], "move the shared name down instead of importing it for types only"


def test_type_checking_detector_can_fail(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import typing\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import pandas\n"
        "if typing.TYPE_CHECKING and True:\n    pass\n"
        "if not TYPE_CHECKING:\n    pass\n",
        encoding="utf-8",
    )
    assert _type_checking_guards(sample) == [3, 5, 7]
