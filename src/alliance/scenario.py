"""Scenarios: one typed model of every assumption a run makes.

A :class:`Scenario` is loaded from YAML and validated before anything runs
(pydantic, ``extra="forbid"``: an unknown key is an error, not silently
ignored). Every parameter has a unit and a default in its field description;
the report lists them all. Built-in scenarios live in ``alliance/scenarios``.

Paths over time (US commitment, custom spending shares) are year -> value
maps, linear between the given years and flat outside them.
"""

from __future__ import annotations

import copy
import logging
from bisect import bisect_right
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError, field_validator

from alliance.capabilities.params import CapabilityParams
from alliance.deterrence.params import DeterrenceParams
from alliance.errors import ScenarioError
from alliance.planning.params import PlanningParams

__all__ = [
    "AllyOverride",
    "FractionPath",
    "Scenario",
    "SharePath",
    "SpendingAssumptions",
    "USCommitment",
    "apply_overrides",
    "builtin_scenario_names",
    "load_scenario",
    "parameter_table",
]

logger = logging.getLogger(__name__)

SpendingPathName = Literal["frozen", "trend", "national", "hague", "custom"]


class _YearPath(RootModel[dict[int, float]]):
    """A year -> value map, linear between given years, flat outside them."""

    low: ClassVar[float] = 0.0
    high: ClassVar[float] = 1.0
    unit: ClassVar[str] = "fraction"

    @field_validator("root")
    @classmethod
    def _check(cls, value: dict[int, float]) -> dict[int, float]:
        if not value:
            raise ValueError("give at least one year: value pair")
        for year, v in value.items():
            if not 1949 <= year <= 2100:
                raise ValueError(f"year {year} outside 1949-2100")
            if not cls.low <= v <= cls.high:
                raise ValueError(f"{cls.unit} {v} for {year} outside {cls.low:g}-{cls.high:g}")
        return dict(sorted(value.items()))

    def at(self, year: int) -> float:
        """Value in ``year``: linear interpolation between given years, flat outside."""
        years = list(self.root)
        values = list(self.root.values())
        if year <= years[0]:
            return values[0]
        if year >= years[-1]:
            return values[-1]
        i = bisect_right(years, year)
        y0, y1 = years[i - 1], years[i]
        v0, v1 = values[i - 1], values[i]
        return v0 + (v1 - v0) * (year - y0) / (y1 - y0)


class FractionPath(_YearPath):
    """A year -> fraction (0-1) path."""


class SharePath(_YearPath):
    """A year -> share of GDP (percent, 0-100) path."""

    low: ClassVar[float] = 0.0
    high: ClassVar[float] = 100.0
    unit: ClassVar[str] = "share of GDP (percent)"


def _full() -> FractionPath:
    return FractionPath({2025: 1.0})


class USCommitment(BaseModel):
    """The US commitment to European defence over time (1 = today's level, 0 = none)."""

    model_config = ConfigDict(extra="forbid")

    forces_in_place: FractionPath = Field(
        default_factory=_full,
        description="US forces stationed in Europe as a fraction of the 2025 posture "
        "(about 80,000-100,000 troops, see us_posture table) [fraction 0-1, by year].",
    )
    reinforcements: FractionPath = Field(
        default_factory=_full,
        description="US crisis reinforcements NATO plans count on, as a fraction of the "
        "planned flow [fraction 0-1, by year].",
    )
    sustainment: FractionPath = Field(
        default_factory=_full,
        description="US sustainment (spares, software, maintenance) of US-made equipment "
        "in European hands [fraction 0-1, by year]; below 1, availability decays.",
    )
    arms_sales: FractionPath = Field(
        default_factory=_full,
        description="US arms sales to European allies, as a fraction of unrestricted sales "
        "[fraction 0-1, by year]; caps purchases of US-made systems in planning.",
    )


class AllyOverride(BaseModel):
    """A per-ally override of the spending path."""

    model_config = ConfigDict(extra="forbid")

    path: SpendingPathName | None = Field(
        default=None, description="Spending path for this ally (default: the scenario's path)."
    )
    shares: SharePath | None = Field(
        default=None,
        description="Core defence spending as share of GDP by year [percent]; required with "
        "path 'custom'.",
    )
    absorption_cap_real_growth_pct: float | None = Field(
        default=None,
        ge=0,
        le=500,
        description="Ally-specific cap on real yearly growth of the defence budget [percent].",
    )


class SpendingAssumptions(BaseModel):
    """Assumptions of the spending projection."""

    model_config = ConfigDict(extra="forbid")

    path: SpendingPathName = Field(
        default="national",
        description="Default spending path: frozen (last actual share), trend (recent real "
        "growth, capped), national (announced national targets, then the Hague path), hague "
        "(linear to 3.5 % core by 2035), custom (per-ally shares).",
    )
    ally_overrides: dict[str, AllyOverride] = Field(
        default_factory=dict, description="Per-ally overrides, keyed by ISO3 code."
    )
    absorption_cap_real_growth_pct: float = Field(
        default=20.0,
        ge=0,
        le=500,
        description="Cap on the real yearly growth of any ally's defence budget [percent per "
        "year]. Assumption; for scale, NATO Europe+Canada grew 18.6 % (2024) and 15.9 % "
        "(2025) in real terms (nato_aggregates table).",
    )
    trend_window_years: int = Field(
        default=5,
        ge=1,
        le=10,
        description="Years of history the trend path uses for the growth of the share of GDP "
        "[years].",
    )
    trend_real_growth_cap_pct: float = Field(
        default=10.0,
        ge=0,
        le=100,
        description="Cap on the real yearly growth the trend path extrapolates [percent per year]. "
        "Assumption.",
    )
    hague_core_target_pct: float = Field(
        default=3.5,
        ge=0,
        le=100,
        description="Hague core defence target [percent of GDP] (pledges table, NATO 2025).",
    )
    hague_related_target_pct: float = Field(
        default=1.5,
        ge=0,
        le=100,
        description="Hague defence- and security-related spending target [percent of GDP].",
    )
    hague_target_year: int = Field(
        default=2035, ge=2026, le=2050, description="Year of the Hague targets [year]."
    )
    related_share_gdp_pct: SharePath = Field(
        default_factory=lambda: SharePath({2025: 0.0, 2035: 1.5}),
        description="Defence-related spending (outside NATO's definition) counted toward the 5 % "
        "pledge [percent of GDP, by year]. Assumption: no sourced per-ally series exists; the "
        "default ramps from zero to the Hague 1.5 % by 2035.",
    )
    long_run_real_gdp_growth_pct: float | None = Field(
        default=None,
        ge=-10,
        le=15,
        description="Real GDP growth after the last IMF projection year (2030) [percent per "
        "year]. Default (empty): each ally's IMF 2030 projection carried forward.",
    )
    long_run_inflation_pct: float | None = Field(
        default=None,
        ge=-5,
        le=50,
        description="Inflation after the last IMF projection year [percent per year]. Default "
        "(empty): each ally's IMF 2030 projection carried forward. Consumer-price inflation is "
        "used as the deflator (no GDP deflator series is bundled).",
    )
    gdp_growth_adjustment_pp: float = Field(
        default=0.0,
        ge=-10,
        le=10,
        description="Shift added to every ally's projected real GDP growth [percentage points].",
    )
    equipment_share_pct: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Equipment share of defence spending in projection years [percent]. "
        "Default (empty): each ally's last reported share (NATO Table 8) held constant.",
    )

    @field_validator("ally_overrides")
    @classmethod
    def _check_overrides(cls, value: dict[str, AllyOverride]) -> dict[str, AllyOverride]:
        for iso3, override in value.items():
            if len(iso3) != 3 or not iso3.isupper():
                raise ValueError(f"{iso3!r} is not an ISO3 code (three capital letters)")
            if override.path == "custom" and override.shares is None:
                raise ValueError(f"{iso3}: path 'custom' needs 'shares'")
        return value


class Scenario(BaseModel):
    """Every assumption of one run of alliance."""

    model_config = ConfigDict(extra="forbid")

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

    @field_validator("horizon")
    @classmethod
    def _horizon_after_first(cls, value: int, info: Any) -> int:
        first = info.data.get("first_year")
        if first is not None and value < first:
            raise ValueError(f"horizon {value} is before first_year {first}")
        return value

    @property
    def years(self) -> list[int]:
        """Years assessed, first_year..horizon inclusive."""
        return list(range(self.first_year, self.horizon + 1))


_BUILTIN = "alliance.scenarios"


def builtin_scenario_names() -> list[str]:
    """Names of the scenarios shipped with the package."""
    folder = resources.files(_BUILTIN)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at pydantic location ``loc`` (deepest found)."""
    line = None if node is None else node.start_mark.line + 1
    current = node
    for part in loc:
        if not isinstance(current, yaml.MappingNode):
            break
        nxt = None
        for key_node, value_node in current.value:
            if str(key_node.value) == str(part):
                nxt = value_node
                line = key_node.start_mark.line + 1
                break
        if nxt is None:
            break
        current = nxt
    return line


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
    return ScenarioError(file, field, expected, found, line=_node_line(root, loc))


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


def _load_yaml(text: str, file: str | Path) -> tuple[Any, yaml.Node | None]:
    try:
        return yaml.safe_load(text), yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        raise ScenarioError(
            file, "(YAML syntax)", "valid YAML", str(getattr(exc, "problem", exc)), line=line
        ) from None


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a YAML file by path, and validate it."""
    text_name = str(name_or_path)
    path = Path(text_name)
    if text_name in builtin_scenario_names():
        resource = resources.files(_BUILTIN) / f"{text_name}.yaml"
        text = resource.read_text(encoding="utf-8")
        file: str | Path = f"built-in scenario {text_name}"
    elif path.is_file():
        text = path.read_text(encoding="utf-8")
        file = path
    else:
        raise ScenarioError(
            text_name,
            "(scenario)",
            f"a built-in name ({', '.join(builtin_scenario_names())}) or a YAML file",
            "neither",
        )
    data, root = _load_yaml(text, file)
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
                    "value": _format(shown),
                    "default": "yes" if shown == ref_shown else "no",
                    "description": info.description or "",
                }
            )

    walk(scenario, default, "")
    return rows


def _format(value: Any) -> str:
    if value is None:
        return "(empty: see description)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return (
            ", ".join(
                f"{k}: {_format(v) if not isinstance(v, dict) else v}" for k, v in value.items()
            )
            or "{}"
        )
    return str(value)
