"""What every parameter model shares: strict validation and a list of named assumptions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["Assumption", "ParamsModel", "format_value"]


@dataclass(frozen=True)
class Assumption:
    """One named assumption in force: the dotted parameter, its value and what it means."""

    parameter: str
    value: str
    description: str

    def sentence(self) -> str:
        """One readable line: ``parameter = value: description``."""
        return f"{self.parameter} = {self.value}: {self.description}"


def format_value(value: Any) -> str:
    """A parameter value as people read it (floats without trailing zeros, maps inline)."""
    if value is None:
        return "(empty: see description)"
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) or "{}"
    if isinstance(value, tuple | list):
        return ", ".join(format_value(v) for v in value) or "(none)"
    return str(value)


class ParamsModel(BaseModel):
    """A frozen, strict parameter section: unknown keys are errors, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def assumptions(self, prefix: str = "") -> list[Assumption]:
        """Fields whose description calls them an *Assumption*, with their current values.

        Nested parameter models are walked unless the field itself is named an assumption
        (then it is reported whole, e.g. a low-central-high range); ``prefix`` is prepended
        to each dotted name.
        """
        out: list[Assumption] = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            path = f"{prefix}{name}"
            description = info.description or ""
            if "Assumption" in description:
                # a field named an assumption is one, even when its value is a model (a range)
                out.append(Assumption(path, format_value(value), description))
            elif isinstance(value, ParamsModel):
                out.extend(value.assumptions(prefix=path + "."))
        return out
