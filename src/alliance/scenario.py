"""Scenarios: one typed model of every assumption a run makes.

A :class:`Scenario` is composed from the parameter sections of
:mod:`alliance.params` and loaded from YAML, validated before anything runs
(``extra="forbid"``: an unknown key is an error, not silently ignored). Every
parameter has a unit and a default in its field description; the report lists
them all. Built-in scenarios live in ``alliance/scenarios``.

Paths over time (US commitment, custom spending shares) are year -> value maps,
linear between the given years and flat outside them.
"""

from __future__ import annotations

import copy
import logging
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, Field, RootModel, ValidationError, ValidationInfo, field_validator

from alliance._io import load_yaml, node_line, read_user_text
from alliance.errors import ScenarioError
from alliance.params import (
    Assumption,
    CapabilityParams,
    DeterrenceParams,
    ParamsModel,
    PlanningParams,
    SpendingAssumptions,
    USCommitment,
    format_value,
)
from alliance.params.asw import AswParams
from alliance.params.mobility import MobilityParams
from alliance.params.ukraine import UkraineParams

__all__ = [
    "Scenario",
    "apply_overrides",
    "builtin_scenario_names",
    "load_scenario",
    "parameter_table",
    "scenario_from_mapping",
]

logger = logging.getLogger(__name__)

#: The scenario sections that are parameter models of a stage, in pipeline order.
SECTIONS: tuple[str, ...] = (
    "spending", "us_commitment", "capabilities", "planning", "deterrence",
    "asw",  # GIUK barrier (issue 12)
    "ukraine",  # Ukraine support and PURL (issue 13)
    "mobility",  # forces and mobility (issue 11)
)


class Scenario(ParamsModel):
    """Every assumption of one run of alliance."""

    name: Annotated[str, Field(min_length=1, max_length=80, description="Scenario name.")]
    description: str = Field(default="", description="What the scenario represents.")
    base_year: int = Field(
        default=2025,
        ge=2014,
        le=2025,
        description="Last year of data; projections start the year after [year].",
    )
    first_year: int = Field(
        default=2026, ge=2015, le=2060, description="First year assessed [year]."
    )
    horizon: int = Field(default=2035, ge=2016, le=2060, description="Last year assessed [year].")
    spending: SpendingAssumptions = Field(default_factory=SpendingAssumptions)
    us_commitment: USCommitment = Field(default_factory=USCommitment)
    capabilities: CapabilityParams = Field(default_factory=CapabilityParams)
    planning: PlanningParams = Field(default_factory=PlanningParams)
    deterrence: DeterrenceParams = Field(default_factory=DeterrenceParams)
    asw: AswParams = Field(default_factory=AswParams)
    ukraine: UkraineParams = Field(default_factory=UkraineParams)
    mobility: MobilityParams = Field(default_factory=MobilityParams)

    @field_validator("horizon")
    @classmethod
    def _horizon_after_first(cls, value: int, info: ValidationInfo) -> int:
        first = info.data.get("first_year")
        if first is not None and value < first:
            raise ValueError(f"horizon {value} is before first_year {first}")
        return value

    def assumptions(self, prefix: str = "") -> list[Assumption]:
        """Every named assumption of every section, with dotted names (``deterrence.…``)."""
        out: list[Assumption] = []
        for section in SECTIONS:
            model: ParamsModel = getattr(self, section)
            out.extend(model.assumptions(prefix=f"{prefix}{section}."))
        return out

    def without(self, *sections: str) -> dict[str, Any]:
        """The scenario as plain data without ``name``, ``description`` and ``sections``.

        Equal for two scenarios whose results up to those sections are equal.
        """
        data = self.model_dump(mode="json")
        for key in ("name", "description", *sections):
            data.pop(key, None)
        return data

    @property
    def years(self) -> list[int]:
        """Years assessed, first_year..horizon inclusive."""
        return list(range(self.first_year, self.horizon + 1))


_BUILTIN = "alliance.scenarios"


def builtin_scenario_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    folder = resources.files(_BUILTIN)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _scenario_error(
    exc: ValidationError, file: str | Path | None, root: yaml.Node | None
) -> ScenarioError:
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in ("root",)))
    field = ".".join(str(p) for p in loc) or "(top level)"
    kind = err["type"]
    if kind == "extra_forbidden":
        expected = "a known field (unknown keys are errors; check the spelling)"
        found = f"unknown key {loc[-1]!r}" if loc else "an unknown key"
    elif kind == "missing":
        expected, found = "this required field", "nothing"
    else:
        expected = err["msg"].removeprefix("Value error, ")
        found = _describe(err.get("input"))
    return ScenarioError(file, field, expected, found, line=node_line(root, loc))


def scenario_from_mapping(
    data: Any, file: str | Path | None = None, root: yaml.Node | None = None
) -> Scenario:
    """Validate a mapping into a Scenario; errors name the field and (with ``root``) the line."""
    if not isinstance(data, dict):
        raise ScenarioError(file, "(top level)", "a mapping of fields", type(data).__name__, line=1)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _scenario_error(exc, file, root) from None


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a YAML file by path, and validate it."""
    text_name = str(name_or_path)
    path = Path(text_name)
    if text_name in builtin_scenario_names():
        resource = resources.files(_BUILTIN) / f"{text_name}.yaml"
        text = resource.read_text(encoding="utf-8")
        file: str | Path = f"built-in scenario {text_name}"
    elif path.is_file():
        text = read_user_text(path, "scenario YAML")
        file = path
    else:
        raise ScenarioError(
            text_name,
            "(scenario)",
            f"a built-in name ({', '.join(builtin_scenario_names())}) or a YAML file",
            "neither",
        )
    data, root = load_yaml(text, file)
    return scenario_from_mapping(data, file, root)


def apply_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a new, validated Scenario with dotted-path overrides applied.

    ``{"deterrence.trust_in_us": 0.3, "us_commitment.forces_in_place": 0.5}``; a
    scalar given for a year path sets a flat path. Unknown paths are errors.
    """
    data = scenario.model_dump(mode="python")
    for dotted, value in overrides.items():
        parts = dotted.split(".")
        target = data
        for part in parts[:-1]:
            if not isinstance(target, dict) or part not in target:
                raise ScenarioError(None, dotted, "a known parameter path", f"no field {part!r}")
            target = target[part]
        leaf = parts[-1]
        if not isinstance(target, dict) or leaf not in target:
            raise ScenarioError(None, dotted, "a known parameter path", f"no field {leaf!r}")
        if (
            isinstance(target[leaf], dict)
            and not isinstance(value, dict)
            and _is_year_map(target[leaf])
        ):
            value = {min(target[leaf]): value}
        target[leaf] = copy.deepcopy(value)
    return scenario_from_mapping(data, file=f"{scenario.name} with overrides")


def _is_year_map(value: dict[Any, Any]) -> bool:
    return bool(value) and all(isinstance(k, int) for k in value)


def parameter_table(scenario: Scenario) -> list[dict[str, str]]:
    """Every parameter of a scenario with its value, unit/description and default flag.

    Rows: ``parameter`` (dotted path), ``value``, ``default``, ``description``.
    """
    rows: list[dict[str, str]] = []
    default = Scenario(name=scenario.name)

    def walk(model: BaseModel, ref: BaseModel | None, prefix: str) -> None:
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            ref_value = getattr(ref, name, None) if ref is not None else None
            path = f"{prefix}{name}"
            if isinstance(value, BaseModel) and not isinstance(value, RootModel):
                walk(value, ref_value if isinstance(ref_value, BaseModel) else None, path + ".")
                continue
            shown = value.root if isinstance(value, RootModel) else value
            if (
                isinstance(shown, dict)
                and shown
                and isinstance(next(iter(shown.values())), BaseModel)
            ):
                shown = {k: v.model_dump(exclude_none=True, mode="json") for k, v in shown.items()}
            ref_shown = ref_value.root if isinstance(ref_value, RootModel) else ref_value
            if (
                isinstance(ref_shown, dict)
                and ref_shown
                and isinstance(next(iter(ref_shown.values())), BaseModel)
            ):
                ref_shown = {
                    k: v.model_dump(exclude_none=True, mode="json") for k, v in ref_shown.items()
                }
            rows.append(
                {
                    "parameter": path,
                    "value": format_value(shown),
                    "default": "yes" if shown == ref_shown else "no",
                    "description": info.description or "",
                }
            )

    walk(scenario, default, "")
    return rows
