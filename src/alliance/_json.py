"""The one JSON sanitiser: pandas and NumPy values to plain JSON (NaN and NA become null)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import uuid
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["dumps", "jsonable"]


def jsonable(value: Any) -> Any:
    """Plain JSON-ready Python values: dicts, lists, str, int, float (finite), bool, None.

    Dates and times become ISO 8601 text, durations seconds, bytes hex text, and any
    other object its ``str``.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return [jsonable(v) for v in value.tolist()]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    """Dates, times, durations, decimals, UUIDs and bytes (SQL results) as JSON values."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, np.datetime64 | np.timedelta64):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return jsonable(float(value))
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, str | int):
        return value
    return str(value)


def dumps(payload: Any, *, indent: int | None = None) -> str:
    """``payload`` as JSON text after :func:`jsonable` (never NaN or Infinity)."""
    return json.dumps(jsonable(payload), indent=indent, ensure_ascii=False, allow_nan=False)
