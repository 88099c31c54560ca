"""Load the bundled tables (and a user's overlay) into a validated Dataset.

Every table ``tables/<name>.csv`` has a data dictionary ``schema/<name>.csv``
(column, type, unit, description, required, min, max, allowed, key). Loading
checks every cell against it: types, ranges, allowed values, ISO3 codes known
(from the ``allies`` table), unique keys and no silent NaN (an empty cell is
allowed only where the dictionary says the column may be unknown). The first
problem raises :class:`~alliance.errors.DataValidationError` naming file, line
and column; nothing is loaded half.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from alliance.errors import AllianceError, DataValidationError

__all__ = ["Dataset", "TableSchema", "load_dataset", "read_schema", "validate_frame"]

logger = logging.getLogger(__name__)

TYPES = ("str", "int", "float", "bool", "iso3", "url")
#: Largest CSV file read (bundled or overlay) [bytes].
MAX_CSV_BYTES: int = 20_000_000
#: Longest cell of a CSV file [characters] (the csv module's default field limit).
MAX_CSV_FIELD_CHARS: int = 131_072
#: Longest time one ``Dataset.sql`` query may run [seconds].
SQL_TIMEOUT_S: float = 30.0
#: Most memory one ``Dataset.sql`` query may use (DuckDB memory_limit).
SQL_MEMORY_LIMIT: str = "2GB"
#: Prefix of an ``allowed`` cell that takes the allowed values from another table's column.
_REFERENCE = "ref:"
#: Tables that define the model itself: read by alliance.catalogue without the
#: Dataset, so an overlay could not reach every stage; overlays may not replace them.
_NOT_OVERLAYABLE = ("capability_catalogue",)
TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no"}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a data dictionary."""

    name: str
    type: str
    unit: str
    description: str
    required: bool
    min: float | None
    max: float | None
    allowed: tuple[str, ...]
    key: bool
    reference: tuple[str, str] | None = None
    """``(table, column)`` whose values are the allowed ones (``ref:table.column`` in the
    dictionary's ``allowed`` cell), resolved into ``allowed`` when that table is loaded."""


@dataclass(frozen=True)
class TableSchema:
    """The data dictionary of one table."""

    table: str
    columns: tuple[ColumnSpec, ...]

    @property
    def key(self) -> list[str]:
        """Names of the key columns (unique together), in dictionary order."""
        return [c.name for c in self.columns if c.key]

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``; KeyError when the dictionary lacks it."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _bundled_dir() -> Path:
    return Path(str(resources.files("alliance.data")))


def read_schema(path: Path) -> TableSchema:
    """Read a data dictionary CSV; a malformed dictionary is a DataValidationError."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cols = []
    for i, r in enumerate(rows, start=2):
        allowed_cell = r.get("allowed") or ""
        reference = None
        if allowed_cell.startswith(_REFERENCE):
            table, _, column = allowed_cell.removeprefix(_REFERENCE).partition(".")
            if not table or not column:
                raise DataValidationError(
                    path, f"reference {allowed_cell!r} names no table.column", line=i,
                    column="allowed",
                    fix="write ref:TABLE.COLUMN, e.g. ref:capability_catalogue.code.",
                )
            reference, allowed_cell = (table, column), ""
        if r.get("type") not in TYPES:
            raise DataValidationError(
                path,
                f"unknown type {r.get('type')!r}",
                line=i,
                column="type",
                fix=f"use one of {', '.join(TYPES)}.",
            )
        cols.append(
            ColumnSpec(
                name=r["column"],
                type=r["type"],
                unit=r.get("unit", ""),
                description=r.get("description", ""),
                required=r.get("required", "").strip().lower() == "true",
                min=float(r["min"]) if r.get("min") else None,
                max=float(r["max"]) if r.get("max") else None,
                allowed=tuple(allowed_cell.split("|")) if allowed_cell else (),
                key=r.get("key", "").strip().lower() == "true",
                reference=reference,
            )
        )
    return TableSchema(table=path.stem, columns=tuple(cols))


def _parse_cell(
    raw: str, spec: ColumnSpec, file: Path, line: int, known_iso3: frozenset[str] | None
) -> object:
    """Parse one CSV cell by its column spec; raise DataValidationError on a bad value."""
    text = raw.strip()
    if text == "" or text.lower() == "nan":
        if spec.required:
            raise DataValidationError(
                file,
                "empty cell in a required column",
                line=line,
                column=spec.name,
                fix=f"give a value ({spec.description or spec.type}).",
            )
        return None
    value: object
    if spec.type in ("str", "url", "iso3"):
        value = _parse_text(text, spec, file, line, known_iso3)
    elif spec.type == "bool":
        value = _parse_bool(text, spec, file, line)
    else:
        value = _parse_number(text, spec, file, line)
    if spec.allowed and str(value) not in spec.allowed:
        raise DataValidationError(
            file,
            f"{text!r} is not an allowed value",
            line=line,
            column=spec.name,
            fix=f"use one of {', '.join(spec.allowed)}.",
        )
    return value


def _parse_text(
    text: str, spec: ColumnSpec, file: Path, line: int, known_iso3: frozenset[str] | None
) -> str:
    """A text cell (str, url or iso3): URLs must be http(s), ISO3 codes known allies."""
    if spec.type == "url" and not text.startswith(("http://", "https://")):
        raise DataValidationError(
            file,
            f"{text!r} is not a URL",
            line=line,
            column=spec.name,
            fix="give the public source as an http(s) URL.",
        )
    if spec.type == "iso3" and known_iso3 is not None and text not in known_iso3:
        raise DataValidationError(
            file,
            f"unknown ISO3 code {text!r}",
            line=line,
            column=spec.name,
            fix="use the ISO 3166-1 alpha-3 code of a NATO ally "
            "(see `alliance data show allies`).",
        )
    return text


def _parse_bool(text: str, spec: ColumnSpec, file: Path, line: int) -> bool:
    """A bool cell: true/1/yes or false/0/no, any case."""
    low = text.lower()
    if low in TRUE_WORDS:
        return True
    if low in FALSE_WORDS:
        return False
    raise DataValidationError(
        file,
        f"expected true or false, found {text!r}",
        line=line,
        column=spec.name,
        fix="write true or false.",
    )


def _parse_number(text: str, spec: ColumnSpec, file: Path, line: int) -> float | int:
    """A finite number (a whole number for int columns) within the column's min and max."""
    try:
        number = float(text)
    except ValueError:
        raise DataValidationError(
            file,
            f"expected a number ({spec.type}), found {text!r}",
            line=line,
            column=spec.name,
            fix=f"write a number in {spec.unit or 'the column unit'}.",
        ) from None
    if math.isnan(number) or math.isinf(number):
        raise DataValidationError(
            file,
            f"{text!r} is not a finite number",
            line=line,
            column=spec.name,
            fix="leave the cell empty if the figure is unknown.",
        )
    value: float | int
    if spec.type == "int":
        if number != int(number):
            raise DataValidationError(
                file,
                f"expected a whole number, found {text!r}",
                line=line,
                column=spec.name,
                fix="write a whole number.",
            )
        value = int(number)
    else:
        value = number
    if spec.min is not None and number < spec.min:
        raise DataValidationError(
            file,
            f"{text} is below the allowed minimum {spec.min:g}",
            line=line,
            column=spec.name,
            fix=f"give a value in {spec.unit or 'range'} >= {spec.min:g}.",
        )
    if spec.max is not None and number > spec.max:
        raise DataValidationError(
            file,
            f"{text} is above the allowed maximum {spec.max:g}",
            line=line,
            column=spec.name,
            fix=f"give a value in {spec.unit or 'range'} <= {spec.max:g}.",
        )
    return value


_DtypeName = Literal["string", "Int64", "int64", "float64", "boolean", "bool"]

_DTYPES: dict[str, _DtypeName] = {
    "str": "string",
    "url": "string",
    "iso3": "string",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
}


def validate_frame(
    path: Path, schema: TableSchema, known_iso3: frozenset[str] | None, *, partial: bool = False
) -> pd.DataFrame:
    """Read and validate one CSV file against its schema, returning a typed DataFrame.

    ``partial`` (for overlays) allows a file to omit optional columns.
    Line numbers in errors are 1-based with the header on line 1.
    """
    header, rows = _read_csv(path)
    _check_header(path, header, schema, partial)
    records = _parse_rows(path, header, rows, schema, known_iso3)
    frame = _typed_frame(records, header, schema)
    _check_key(path, frame, rows, schema)
    return frame


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """The stripped header and the data rows of a UTF-8 CSV file (a byte-order mark is fine).

    Files over :data:`MAX_CSV_BYTES` and cells over :data:`MAX_CSV_FIELD_CHARS` are
    refused, as is anything that is not a readable file of UTF-8 text.
    """
    if not path.is_file():
        raise DataValidationError(path, "not a file (a folder or a special file)",
                                  fix="give a CSV file named after a table, e.g. gdp.csv.")
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise DataValidationError(
            path, f"the file has {size:,} bytes; at most {MAX_CSV_BYTES:,} are read",
            fix="split the overlay or keep only the rows that change.",
        )
    line = 1
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            rows = []
            for row in reader:
                line = reader.line_num
                rows.append(row)
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            path, f"not UTF-8 text ({exc.reason} at byte {exc.start})",
            fix="save the file as UTF-8 (Excel: 'CSV UTF-8').",
        ) from None
    except csv.Error as exc:
        raise DataValidationError(
            path, f"not readable as CSV ({exc})", line=line + 1,
            fix=f"cells may hold at most {MAX_CSV_FIELD_CHARS:,} characters; close every quote.",
        ) from None
    if header is None:
        raise DataValidationError(path, "the file is empty", line=1, fix="add a header row.")
    return [h.strip() for h in header], rows


def _check_header(path: Path, header: list[str], schema: TableSchema, partial: bool) -> None:
    """No unknown, missing (optional ones may be missing when ``partial``) or repeated columns."""
    expected = [c.name for c in schema.columns]
    unknown = [h for h in header if h not in expected]
    if unknown:
        raise DataValidationError(
            path,
            f"unknown column {unknown[0]!r}",
            line=1,
            column=unknown[0],
            fix=f"columns of table {schema.table!r} are: {', '.join(expected)}.",
        )
    missing = [
        c.name for c in schema.columns if c.name not in header and (c.required or not partial)
    ]
    if missing:
        raise DataValidationError(
            path,
            f"missing column {missing[0]!r}",
            line=1,
            column=missing[0],
            fix=f"add the column (see `alliance data show {schema.table}`).",
        )
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataValidationError(
            path, "column appears twice", line=1, column=dup, fix="keep one copy of the column."
        )


def _parse_rows(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    schema: TableSchema,
    known_iso3: frozenset[str] | None,
) -> list[list[object]]:
    """Parsed cells of every non-blank row (file line ``i`` is row ``i - 2``)."""
    specs = [schema.column(h) for h in header]
    records: list[list[object]] = []
    for i, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataValidationError(
                path,
                f"{len(row)} cells where the header has {len(header)}",
                line=i,
                fix="quote cells that contain commas; one cell per column.",
            )
        records.append(
            [
                _parse_cell(cell, spec, path, i, known_iso3)
                for cell, spec in zip(row, specs, strict=True)
            ]
        )
    return records


def _typed_frame(
    records: list[list[object]], header: list[str], schema: TableSchema
) -> pd.DataFrame:
    """The table in the dictionary's column order and dtypes (absent columns empty)."""
    expected = [c.name for c in schema.columns]
    frame = pd.DataFrame(records, columns=header)
    for spec in schema.columns:
        if spec.name not in frame.columns:
            frame[spec.name] = None
    frame = frame[expected]
    for spec in schema.columns:
        dtype: _DtypeName = _DTYPES[spec.type]
        if spec.required and spec.type in ("int", "bool"):
            dtype = "int64" if spec.type == "int" else "bool"
        frame[spec.name] = frame[spec.name].astype(dtype)
    return frame


def _check_key(
    path: Path, frame: pd.DataFrame, rows: list[list[str]], schema: TableSchema
) -> None:
    """Raise DataValidationError at the file line of the first duplicate key."""
    key = schema.key
    if key:
        dup_mask = frame.duplicated(key, keep="first")
        if dup_mask.any():
            first = int(dup_mask.to_numpy().nonzero()[0][0])
            # data lines skip blank rows; recover the file line of the duplicate
            line = _file_line(rows, first)
            values = ", ".join(f"{k}={frame.iloc[first][k]}" for k in key)
            raise DataValidationError(
                path,
                f"duplicate key ({values})",
                line=line,
                column=key[0],
                fix=f"each ({', '.join(key)}) may appear once; remove or merge the duplicate row.",
            )


def _file_line(rows: list[list[str]], record_index: int) -> int:
    seen = -1
    for i, row in enumerate(rows, start=2):
        if any(cell.strip() for cell in row):
            seen += 1
            if seen == record_index:
                return i
    return len(rows) + 1


@dataclass
class Dataset:
    """Validated tables, queryable as pandas DataFrames and with SQL (DuckDB).

    Tables are immutable once loaded: :meth:`table` returns a copy.
    """

    tables: dict[str, pd.DataFrame]
    schemas: dict[str, TableSchema]
    origins: dict[str, list[str]] = field(default_factory=dict)

    def table_names(self) -> list[str]:
        """Names of the loaded tables, sorted."""
        return sorted(self.tables)

    def has_table(self, name: str) -> bool:
        """True when a table ``name`` is loaded."""
        return name in self.tables

    def table(self, name: str) -> pd.DataFrame:
        """Return a copy of table ``name``; unknown names raise AllianceError."""
        if name not in self.tables:
            raise AllianceError(
                f"unknown table {name!r}; tables are: {', '.join(self.table_names())}."
            )
        return self.tables[name].copy()

    def frames(self, names: Iterable[str]) -> tuple[pd.DataFrame, ...]:
        """The loaded tables ``names`` themselves, not copies: read them, never modify them.

        For memo keys (:class:`alliance.memo.TableMemo` fingerprints a live object
        once) and read-only use. Unknown names raise as :meth:`table` does.
        """
        return tuple(self.tables[n] if n in self.tables else self.table(n) for n in names)

    def sql(self, query: str, *, allow_files: bool = False) -> pd.DataFrame:
        """Run one SQL query over the tables (DuckDB) and return a DataFrame.

        Each query gets a fresh in-memory database holding copies of the tables, so
        nothing a query creates or changes outlives it. By default the database is
        sealed: DuckDB's external access is off and its configuration locked (no file
        reads or writes, no ATTACH, COPY, EXPORT or extension installs); with
        ``allow_files`` the query may read (and write) the user's own files. Bounded
        by :data:`SQL_TIMEOUT_S` seconds and :data:`SQL_MEMORY_LIMIT` of memory.
        """
        if not query.strip():
            raise AllianceError("SQL: the query is empty; give one, e.g. \"SELECT * FROM allies\".")
        con = self._connection(allow_files)
        timer = threading.Timer(SQL_TIMEOUT_S, con.interrupt)
        timer.start()
        try:
            result = con.execute(query)
            if result is None or result.description is None:  # no statement, or no rows
                return pd.DataFrame()
            return result.df()
        except duckdb.InterruptException:
            msg = (f"SQL: the query ran longer than {SQL_TIMEOUT_S:g} s and was stopped; "
                   "narrow it (LIMIT, WHERE) or avoid unbounded recursion and cross joins.")
            raise AllianceError(msg) from None
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise AllianceError(f"SQL error: {first}") from None
        finally:
            timer.cancel()
            con.close()

    def _connection(self, allow_files: bool) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:", config={"threads": "2",
                                                 "memory_limit": SQL_MEMORY_LIMIT})
        for name, frame in self.tables.items():
            con.register(f"_{name}_df", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM "_{name}_df"')
            con.unregister(f"_{name}_df")
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        if not allow_files:
            con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        return con


def _load_order(table_files: dict[str, Path], schemas: dict[str, TableSchema]) -> list[str]:
    """Allies first (it defines the known ISO3 codes), then referenced tables, then the rest."""
    for name, path in table_files.items():
        if name not in schemas:
            raise DataValidationError(
                path, f"table {name!r} has no data dictionary", fix=f"add schema/{name}.csv."
            )
    referenced = sorted({c.reference[0] for name in table_files for c in schemas[name].columns
                         if c.reference is not None})
    for table in referenced:
        if table not in table_files:
            raise DataValidationError(
                f"schema of a table referring to {table!r}", f"no table named {table!r}",
                column="allowed", fix="refer to a bundled table.",
            )
    first = ["allies", *(t for t in referenced if t != "allies")]
    return first + [n for n in sorted(table_files) if n not in first]


def _resolve_references(schema: TableSchema, tables: dict[str, pd.DataFrame]) -> TableSchema:
    """The schema with each ``ref:table.column`` turned into that column's values."""
    if all(c.reference is None for c in schema.columns):
        return schema
    columns = []
    for c in schema.columns:
        if c.reference is not None:
            table, column = c.reference
            values = tables[table][column].dropna().astype(str).unique()
            c = dataclasses.replace(c, allowed=tuple(sorted(values)))
        columns.append(c)
    return TableSchema(table=schema.table, columns=tuple(columns))


def _table_files(folder: Path) -> dict[str, Path]:
    """Files of a folder that end in .csv, by table name; a name in the wrong case is an error."""
    out: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() != ".csv":
            continue
        if p.suffix != ".csv" or p.stem != p.stem.lower():
            raise DataValidationError(
                p, "file names must be a table name in lower case with the suffix .csv",
                fix=f"rename it to {p.stem.lower()}.csv.",
            )
        out[p.stem] = p
    return out


def _load_tables(
    table_files: dict[str, Path],
    schemas: dict[str, TableSchema],
    overlay_files: dict[str, Path],
    overlay_dir: Path | None,
) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]]]:
    for name, path in overlay_files.items():
        if name not in schemas:
            raise DataValidationError(
                path,
                f"no bundled table named {name!r}",
                line=1,
                fix=f"name overlay files after a table: {', '.join(sorted(schemas))}.",
            )
        if name in _NOT_OVERLAYABLE:
            raise DataValidationError(
                path,
                f"table {name!r} defines the model's capability areas and cannot be overlaid",
                line=1,
                fix="remove the file from the overlay folder; change the bundled catalogue "
                "instead (see docs/architecture.md).",
            )
    tables: dict[str, pd.DataFrame] = {}
    origins: dict[str, list[str]] = {}
    known: frozenset[str] | None = None
    for name in _load_order(table_files, schemas):
        schema = _resolve_references(schemas[name], tables)
        frame = validate_frame(table_files[name], schema, known)
        origins[name] = [str(table_files[name])]
        if name in overlay_files:
            extra = validate_frame(overlay_files[name], schema, known, partial=True)
            key = schemas[name].key
            frame = pd.concat([frame, extra], ignore_index=True)
            if key:
                frame = frame.drop_duplicates(key, keep="last").sort_values(key)
            frame = frame.reset_index(drop=True)
            origins[name].append(str(overlay_files[name]))
            logger.info("overlay %s: %d rows added or replaced", name, len(extra))
        tables[name] = frame
        if name == "allies":
            known = frozenset(frame["iso3"].astype(str))
    return tables, origins


@lru_cache(maxsize=8)
def _load_cached(overlay: str | None) -> Dataset:
    base = _bundled_dir()
    schemas = {p.stem: read_schema(p) for p in sorted((base / "schema").glob("*.csv"))}
    table_files = _table_files(base / "tables")
    overlay_dir = None if overlay is None else Path(overlay)
    overlay_files: dict[str, Path] = {}
    if overlay_dir is not None:
        if not overlay_dir.is_dir():
            raise DataValidationError(
                overlay_dir,
                "overlay folder not found",
                fix="give a folder of CSV files named after tables.",
            )
        overlay_files = _table_files(overlay_dir)
    tables, origins = _load_tables(table_files, schemas, overlay_files, overlay_dir)
    return Dataset(tables=tables, schemas=schemas, origins=origins)


def load_dataset(overlay: str | Path | None = None) -> Dataset:
    """Load and validate the bundled tables, plus an optional overlay folder.

    An overlay is a folder of CSVs named after bundled tables (e.g. ``gdp.csv``)
    whose rows add to or replace (same key) the bundled rows. Optional columns may
    be omitted. Raises DataValidationError on the first bad cell; nothing is
    loaded half. Results are cached per overlay path; tables are returned as copies.
    """
    if overlay is not None and not str(overlay).strip():
        raise DataValidationError("--overlay", "the overlay folder name is empty",
                                  fix="give the path of a folder of CSV files, or leave it out.")
    key = None if overlay is None else str(Path(overlay).resolve())
    return _load_cached(key)


def provenance_files() -> Iterable[Path]:
    """The provenance registries shipped with the data (PROVENANCE*.csv)."""
    return sorted(_bundled_dir().glob("PROVENANCE*.csv"))
