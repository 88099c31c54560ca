"""Hypothesis strategies for bad input: CSV overlays, scenario and grid YAML, CLI argument vectors.

Each strategy mixes well-formed pieces (real table headers and rows, real field
names and dotted paths, built-in scenario names) with hostile ones (Rich markup,
control characters, odd encodings, huge or non-finite numbers, broken quoting),
so that examples reach the deep validators as well as the parsers.

The values are hostile in form, not in cost: work bombs (billions of draws, SQL
cross joins, alias bombs) are in the fixed corpus (test_corpus.py), where each
runs once under a time and memory bound.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from pydantic import BaseModel

import alliance
from alliance.constants import SPENDING_PATHS

TABLES_DIR = Path(alliance.__file__).parent / "data" / "tables"

#: Text that has broken parsers and formatters before.
NASTY: tuple[str, ...] = (
    "", " ", "\t", "[/]", "[/red]", "[bold]x", "[link=file:///etc/passwd]x[/link]", "\x00",
    "\ufeff", "é", "\U0001d518", "\u202e", "-", "--", "--help", "nan", "NaN", "inf", "-inf",
    "1e308", "-1e308", "1e-320", "9" * 60, "0x10", "1_000", "null", "~", "None", "True", "'",
    '"', ",", ";", "\n", "\r\n", "NULL", "DEU", "deu", "XXX", "'; DROP TABLE allies; --",
    "{{x}}", "%s", "../../etc/passwd", "*", "&a", "!!python/object:os.system",
)

ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "utf-16")
BUILTIN_SCENARIOS: tuple[str, ...] = ("baseline", "europe-alone", "us-drawdown",
                                      "eastern-flank-surge")


def _mostly(valid: st.SearchStrategy[Any],
            hostile: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid three times in four (so examples get past the option parser), else hostile."""
    return st.integers(0, 3).flatmap(lambda i: hostile if i == 0 else valid)


def nasty_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Known-bad strings, or arbitrary text (any code point but surrogates)."""
    return st.one_of(st.sampled_from(NASTY),
                     st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size))


def nasty_number() -> st.SearchStrategy[Any]:
    """Integers and floats at the edges: huge, negative, zero, NaN, infinities, subnormals."""
    return st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63), 2**64, 0.5, 1e308, -0.0]),
    )


def cell() -> st.SearchStrategy[str]:
    """One CSV cell: hostile text or a hostile number written as text."""
    return st.one_of(nasty_text(), nasty_number().map(repr), nasty_number().map(str))


@cache
def table_samples() -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each bundled table's header and first rows (the seeds of overlay files)."""
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    for path in sorted(TABLES_DIR.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        if rows:
            out[path.stem] = (rows[0], rows[1:6])
    return out


@st.composite
def overlay_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """One overlay CSV: a real table's header and rows with some parts made bad, encoded."""
    samples = table_samples()
    table = draw(st.sampled_from(sorted(samples)))
    header, rows = samples[table]
    name = draw(st.one_of(
        st.just(f"{table}.csv"),
        st.sampled_from([f"{table.upper()}.CSV", f"{table}.CSV", f"{table}.csv.bak", ".csv",
                         "[bold]x[red].csv", "notes.txt", "x y.csv", f"{table}.tsv"]),
    ))
    header = list(header)
    mutation = draw(st.sampled_from(["none", "none", "drop", "dup", "junk", "shuffle", "rename"]))
    if mutation == "drop" and header:
        del header[draw(st.integers(0, len(header) - 1))]
    elif mutation == "dup" and header:
        header.append(header[draw(st.integers(0, len(header) - 1))])
    elif mutation == "junk":
        header.append(draw(nasty_text(10)))
    elif mutation == "shuffle":
        header = draw(st.permutations(header))
    elif mutation == "rename" and header:
        header[draw(st.integers(0, len(header) - 1))] = draw(nasty_text(10))
    body = [list(r) for r in draw(st.lists(st.sampled_from(rows), max_size=4))] if rows else []
    for row in body:
        for _ in range(draw(st.integers(0, 2))):
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(cell())
    if draw(st.booleans()):
        body.append(draw(st.lists(cell(), max_size=len(header) + 2)))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.integers(0, 4)) == 0:  # unquoted: commas and quotes in cells break the rows
        text = newline.join(",".join(r) for r in [header, *body]) + newline
    else:
        buf = io.StringIO()
        csv.writer(buf, lineterminator=newline).writerows([header, *body])
        text = buf.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    return name, text.encode(encoding, errors="replace")


def overlay_files() -> st.SearchStrategy[list[tuple[str, bytes]]]:
    """One to three overlay files with distinct names."""
    return st.lists(overlay_file(), min_size=1, max_size=3, unique_by=lambda f: f[0].lower())


def _model_fields(model: type[BaseModel]) -> list[str]:
    return sorted(model.model_fields)


@cache
def scenario_sections() -> dict[str, list[str]]:
    """Each scenario section with its field names (from the typed model)."""
    from alliance.scenario import Scenario

    out: dict[str, list[str]] = {}
    for name, info in Scenario.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out[name] = _model_fields(ann)
    return out


def yaml_value(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """A YAML-representable value: scalars at the edges, small lists and mappings."""
    scalars = st.one_of(st.none(), st.booleans(), nasty_number(), nasty_text(),
                        st.sampled_from(list(SPENDING_PATHS)))
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(nasty_text(8), st.integers(1990, 2060)), inner,
                            max_size=3),
        ),
        max_leaves=max_leaves,
    )


@st.composite
def scenario_document(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario mapping: real sections and field names with hostile values, plus junk keys."""
    sections = scenario_sections()
    doc: dict[str, Any] = {"name": draw(st.one_of(st.just("fuzz"), nasty_text(20)))}
    if draw(st.booleans()):
        doc["description"] = draw(nasty_text())
    for key in ("first_year", "horizon", "base_year"):
        if draw(st.integers(0, 3)) == 0:
            doc[key] = draw(st.one_of(st.integers(1900, 2100), nasty_number(), nasty_text(6)))
    for section in draw(st.lists(st.sampled_from(sorted(sections)), max_size=3, unique=True)):
        names = sections[section]
        fields = draw(st.lists(st.sampled_from(names), max_size=3, unique=True)) if names else []
        doc[section] = {f: draw(yaml_value()) for f in fields}
        if draw(st.integers(0, 4)) == 0:
            doc[section][draw(nasty_text(12))] = draw(yaml_value())
    if draw(st.integers(0, 5)) == 0:
        doc[draw(nasty_text(12))] = draw(yaml_value())
    return doc


#: Fragments spliced into YAML text to break its syntax or reach the loader's guards.
YAML_FRAGMENTS: tuple[str, ...] = (
    "&a ", "*a", "*nope", "!!python/object:os.system ", "!!binary ", "!!str ", "!!float ",
    ": :", "\t", "{", "}", "[", "]", "- ", "? ", "|\n", ">\n", "%YAML 1.1\n", "---\n", "...\n",
    "<<: *a\n", "\x00", "\ufeff", "'", '"', "#", "\n  ", "@", "`",
)


@st.composite
def yaml_text(draw: st.DrawFn, document: st.SearchStrategy[Any]) -> bytes:
    """YAML text of ``document``: dumped cleanly, or with fragments spliced in; encoded."""
    text = yaml.safe_dump(draw(document), allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.sampled_from(YAML_FRAGMENTS)) + text[at + cut:]
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


GRID_PATHS: tuple[str, ...] = (
    "deterrence.trust_in_alliance", "deterrence.trust_in_us", "deterrence.domestic_constraint",
    "deterrence.limited_incursion.weight", "us_commitment.forces_in_place",
    "us_commitment.reinforcements", "planning.pooled_share", "spending.path",
)


@st.composite
def grid_document(draw: st.DrawFn) -> dict[str, Any]:
    """A sweep grid: at most 2 x 2 points of 64 draws when valid, hostile values otherwise."""
    doc: dict[str, Any] = {
        "scenario": draw(_mostly(st.sampled_from(BUILTIN_SCENARIOS), nasty_text(15))),
        "draws": draw(_mostly(st.sampled_from([16, 64]),
                              st.sampled_from([0, -1, "many", 1.5, None, 2**70]))),
        "seed": draw(_mostly(st.integers(0, 99), st.sampled_from([-1, "x", 2**70]))),
    }
    if draw(st.booleans()):
        doc["years"] = draw(_mostly(st.lists(st.integers(2026, 2035), min_size=1, max_size=2),
                                    st.lists(st.one_of(st.integers(), nasty_text(5)),
                                             max_size=2)))
    keys = draw(st.lists(_mostly(st.sampled_from(GRID_PATHS), nasty_text(20)), min_size=1,
                         max_size=2, unique=True))
    doc["grid"] = {k: draw(_mostly(
        st.lists(st.floats(0, 1), min_size=1, max_size=2),
        st.one_of(st.lists(st.one_of(nasty_number(), nasty_text(6)), max_size=2),
                  yaml_value(2)))) for k in keys}
    if draw(st.integers(0, 3)) == 0:
        doc["batch_size"] = draw(st.sampled_from([4096, 1000, 0, -4096, "x"]))
    if draw(st.integers(0, 5)) == 0:
        doc[draw(nasty_text(8))] = draw(yaml_value(2))
    return doc


# ---- CLI argument vectors -------------------------------------------------------------------

def _opt(name: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[list[str]]:
    return values.map(lambda v: [name, str(v)])


def _years() -> st.SearchStrategy[Any]:
    return _mostly(st.integers(2026, 2035), st.one_of(st.integers(-5, 3000), nasty_text(6)))


def _scenarios() -> st.SearchStrategy[str]:
    return _mostly(st.sampled_from(BUILTIN_SCENARIOS), nasty_text(15))


def _overlays() -> st.SearchStrategy[str]:
    return st.sampled_from(["", " ", "nowhere", "[/]", "/proc/self", "/dev/null", "."])


#: Per command: the fixed arguments and the options an example may add (each at most once).
COMMANDS: dict[str, tuple[list[str], dict[str, st.SearchStrategy[list[str]]]]] = {
    "spending": (["spending"], {
        "--path": _opt("--path", _mostly(st.sampled_from(list(SPENDING_PATHS)), nasty_text(8))),
        "--year": _opt("--year", _years()),
        "--ally": _opt("--ally", _mostly(st.sampled_from(["DEU", "POL", "FRA", "USA"]),
                                         nasty_text(5))),
        "--overlay": _opt("--overlay", _overlays()),
        "--json": st.just(["--json"]),
    }),
    "gaps": (["gaps"], {
        "--scenario": _opt("--scenario", _scenarios()),
        "--year": _opt("--year", _years()),
        "--overlay": _opt("--overlay", _overlays()),
        "--json": st.just(["--json"]),
    }),
    "plan": (["plan"], {
        "--scenario": _opt("--scenario", _scenarios()),
        "--pooled-share": _opt("--pooled-share", _mostly(st.floats(0, 1),
                                                         st.one_of(st.floats(), nasty_text(5)))),
        "--horizon": _opt("--horizon", _mostly(st.integers(2026, 2035),
                                               st.one_of(st.integers(), nasty_text(5)))),
        "--json": st.just(["--json"]),
    }),
    "deter": (["deter"], {
        "--scenario": _opt("--scenario", _scenarios()),
        "--draws": _opt("--draws", _mostly(st.sampled_from([4096, 1000, 1]),
                                           st.sampled_from([0, -1, "x", "1e3", 4096.5]))),
        "--seed": _opt("--seed", _mostly(st.integers(0, 2**32),
                                         st.one_of(st.integers(-(2**70), 2**70), nasty_text(5)))),
        "--year": _opt("--year", _years()),
        "--backend": _opt("--backend", _mostly(st.just("numpy"),
                                               st.one_of(st.just("jax"), nasty_text(6)))),
        "--batch-size": _opt("--batch-size", _mostly(st.sampled_from([4096, 8192]),
                                                     st.sampled_from([1000, 0, -4096, "x"]))),
        "--json": st.just(["--json"]),
    }),
    "scenario": (["scenario"], {
        "sub": st.one_of(
            st.just(["list"]), st.just(["list", "--json"]),
            st.tuples(st.sampled_from(["show", "validate"]), _scenarios()).map(list),
            st.tuples(st.just("show"), _scenarios(),
                      st.sampled_from(["--yaml", "--json"])).map(list)),
    }),
}


@st.composite
def argv(draw: st.DrawFn, command: str) -> list[str]:
    """An argument vector for ``command``: a random subset of its options in random order.

    ``deter`` always gets a small ``--draws`` unless the example draws one itself
    (the default of 100,000 draws per year is correct but slow for a fuzz example).
    """
    fixed, options = COMMANDS[command]
    chosen = draw(st.lists(st.sampled_from(sorted(options)), unique=True, max_size=len(options)))
    args = list(fixed)
    for name in chosen:
        args += draw(options[name])
    if command == "deter" and "--draws" not in chosen:
        args += ["--draws", "4096"]
    if draw(st.integers(0, 7)) == 0:
        args.insert(draw(st.integers(1, len(args))), draw(st.sampled_from(
            ["--nope", "-x", "extra", "--", "--json=1", "--year="])))
    return args


@st.composite
def sql_query(draw: st.DrawFn) -> str:
    """A query over one table with hostile literals, or hostile text (no joins, no recursion)."""
    tables = sorted(table_samples())
    table = draw(st.one_of(st.sampled_from(tables), nasty_text(10)))
    literal = draw(st.one_of(
        nasty_number().map(repr),
        nasty_text(12).map(lambda t: "'" + t.replace("'", "''") + "'"),
        nasty_text(12),
        st.sampled_from(["NULL", "DATE '2025-01-01'", "INTERVAL 1 DAY", "[1, 2]", "{'a': 1}",
                         "'x'::BLOB", "gen_random_uuid()", "1/0", "'a'::INTEGER",
                         "TIMESTAMP '2025-01-01 00:00:00'", "9" * 50])))
    alias = draw(st.one_of(st.just("v"), nasty_text(8).map(lambda t: '"' + t.replace('"', '""')
                                                        + '"')))
    limit = draw(st.sampled_from(["", " LIMIT 3", " LIMIT -1", " LIMIT 0", " LIMIT 'x'"]))
    form = draw(st.sampled_from(["select", "select", "bare", "text"]))
    if form == "select":
        return f"SELECT {literal} AS {alias}, * FROM {table}{limit}"
    if form == "bare":
        return f"SELECT {literal} AS {alias}"
    return draw(nasty_text(40))


@st.composite
def valid_grid_document(draw: st.DrawFn) -> dict[str, Any]:
    """A valid tiny sweep grid (1-4 points of 16 or 64 draws, one or two years)."""
    keys = draw(st.lists(st.sampled_from(GRID_PATHS[:6]), min_size=1, max_size=2, unique=True))
    return {
        "scenario": draw(st.sampled_from(BUILTIN_SCENARIOS)),
        "years": draw(st.lists(st.integers(2026, 2035), min_size=1, max_size=2, unique=True)),
        "draws": draw(st.sampled_from([16, 64])),
        "seed": draw(st.integers(0, 99)),
        "grid": {k: draw(st.lists(st.floats(0, 1), min_size=1, max_size=2)) for k in keys},
    }


def grid_text() -> st.SearchStrategy[bytes]:
    """Grid YAML: hostile (mutated, odd encodings) or valid and tiny, about half each."""
    clean = valid_grid_document().map(
        lambda d: yaml.safe_dump(d, sort_keys=False).encode("utf-8"))
    return st.one_of(yaml_text(grid_document()), clean)


def scenario_text() -> st.SearchStrategy[bytes]:
    """Scenario YAML: mutated and oddly encoded, or a clean dump of a hostile document."""
    clean = scenario_document().map(
        lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False).encode("utf-8"))
    return st.one_of(yaml_text(scenario_document()), clean)
