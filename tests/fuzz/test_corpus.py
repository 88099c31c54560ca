"""The fixed corpus: known bad inputs, one case per line, each run through the CLI.

Every case passes :func:`tests.fuzz._harness.check_outcome`: exit 0, or exit 2 with
exactly one error line on stderr (naming the file, line or field given in
``names``); never a traceback, an escaped exception, a hang or another status.
``expect`` pins the cases whose answer is not a matter of taste (``ok``: must be
accepted; ``error``: must be refused). ``shows`` must appear verbatim on stdout
(user text printed as written, not parsed as Rich markup). ``isolated`` cases run
in a child process that is killed after the time bound and has bounded memory
(work that may spin inside C: SQL, huge allocations, Dask).

Arguments and file names may use ``{tmp}`` for the case's temporary folder, which
is also the working folder of the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fuzz._harness import Expect, check_outcome, run_cli, run_isolated

#: A file's contents, or a function that writes the file (big files), or DIR (a folder).
Content = bytes | str | Callable[[Path], None]
DIR = "<dir>"

GDP_HEAD = "iso3,year,gdp_usd_bn,status,vintage,source,source_grade\n"
BIG_INT = "9" * 5000
MB50 = 50 * 1024 * 1024


def gdp(value: str = "4500.0", year: str = "2024", status: str = "actual",
        vintage: str = "fuzz", iso3: str = "DEU") -> str:
    """An overlay gdp.csv with one row (valid unless a field is made bad)."""
    return GDP_HEAD + f"{iso3},{year},{value},{status},{vintage},https://example.org/gdp,B\n"


def scen(body: str = "", name: str = "fuzz") -> str:
    """A scenario YAML file: a name, then ``body``."""
    return f"name: {name}\n{body}"


def grid(body: str = "grid: {deterrence.trust_in_alliance: [0.5]}\n",
         head: str = "scenario: baseline\nyears: [2030]\ndraws: 64\nseed: 1\n") -> str:
    """A sweep grid YAML file with one tiny point (``body`` replaces the grid)."""
    return head + body


def enc(text: str, encoding: str) -> bytes:
    """``text`` encoded (Latin-1, UTF-16, UTF-8 with BOM: ``utf-8-sig``)."""
    return text.encode(encoding)


def one_line(size: int) -> Callable[[Path], None]:
    """A writer of a file of ``size`` bytes without a line break."""
    def write(path: Path) -> None:
        with path.open("wb") as fh:
            block = b"x" * (1024 * 1024)
            for _ in range(size // len(block)):
                fh.write(block)
    return write


def laughs(levels: int = 9) -> str:
    """A billion-laughs alias bomb as a scenario description."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    anchors = "\n".join(f"  {ln}" for ln in lines)
    return f"x-anchors:\n{anchors}\ndescription: *a{levels - 1}\n"


DEEP_LISTS = "description: " + "[" * 10_000 + "]" * 10_000 + "\n"
DEEP_MAPS = "description: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"
MILLION = "grid:\n" + "".join(
    f"  deterrence.{k}: [{', '.join(str(0.1 * i) for i in range(10))}]\n"
    for k in ("trust_in_alliance", "trust_in_us", "domestic_constraint",
              "weight_trust_in_alliance", "weight_trust_in_us", "weight_proximity"))
GRID_10x6 = MILLION.replace("trust_in_us", "no_such_lever").replace("weight_proximity", "nope")


@dataclass
class Case:
    """One corpus case: CLI arguments, the files to create first, and what must hold."""

    id: str
    args: list[str]
    files: dict[str, Content] = field(default_factory=dict)
    expect: Expect = "either"
    names: tuple[str, ...] = ()
    shows: tuple[str, ...] = ()
    isolated: bool = False
    slow: bool = False
    kept: tuple[str, ...] = ()  # files that must still exist afterwards
    absent: tuple[str, ...] = ()  # files that must not exist afterwards


def C(id: str, args: list[str], files: dict[str, Content] | None = None,  # noqa: N802
      **kw: object) -> Case:
    """Shorthand for one corpus line."""
    return Case(id, args, files or {}, **kw)  # type: ignore[arg-type]


SQL = ["data", "sql"]
VAL = ["data", "validate", "--overlay", "{tmp}/ov"]
SV = ["scenario", "validate", "{tmp}/s.yaml"]
SW = ["sweep", "{tmp}/g.yaml", "--serial", "--out", "{tmp}/sweep.parquet"]
DETER = ["deter", "--draws", "4096", "--year", "2030"]
ASSESS = ["assess", "baseline", "--draws", "1000", "--out"]
JSON = ["data", "sql", "--json"]
FAIL_OUT = {"{tmp}/foreign/notes.txt": "not alliance output\n", "{tmp}/afile": "a file\n"}

CASES: list[Case] = [
    # Rich markup in user text: printed as written, never parsed.
    C("markup-ally-code-close", ["spending", "--ally", "[/red]", "--year", "2030"], expect="error", names=("[/red]",)),  # noqa: E501
    C("markup-ally-code-open", ["spending", "--ally", "[bold]x", "--year", "2030"], expect="error", names=("[bold]x",)),  # noqa: E501
    C("markup-ally-override-key", SV, {"s.yaml": scen("spending:\n  ally_overrides:\n    '[/]': {path: frozen}\n")}, expect="error", names=("[/]",)),  # noqa: E501
    C("markup-scenario-name-arg", ["gaps", "--scenario", "[/]", "--year", "2030"], expect="error", names=("[/]",)),  # noqa: E501
    C("markup-scenario-name-in-file", ["scenario", "show", "{tmp}/s.yaml"], {"s.yaml": scen(name="'[/red]'")}, expect="ok", shows=("[/red]",)),  # noqa: E501
    C("markup-scenario-name-deter", [*DETER, "--scenario", "{tmp}/s.yaml"], {"s.yaml": scen(name="'[bold]x'")}, expect="ok", shows=("[bold]x",)),  # noqa: E501
    C("markup-file-name-bad", ["scenario", "validate", "{tmp}/[red]x[/].yaml"], {"[red]x[/].yaml": "name: [1\n"}, expect="error", names=("[red]x[/].yaml",)),  # noqa: E501
    C("markup-file-name-missing", ["scenario", "validate", "{tmp}/[/]missing.yaml"], expect="error", names=("[/]missing.yaml",)),  # noqa: E501
    C("markup-overlay-folder-name", ["data", "validate", "--overlay", "{tmp}/[/]ov"], {"[/]ov/gdp.csv": gdp(status="bad")}, expect="error", names=("[/]ov",)),  # noqa: E501
    C("markup-data-value-shown", [*SQL, "SELECT vintage FROM gdp WHERE vintage = '[/red]'", "--overlay", "{tmp}/ov"], {"ov/gdp.csv": gdp(vintage="[/red]")}, expect="ok", shows=("[/red]",)),  # noqa: E501
    C("markup-data-value-invalid", VAL, {"ov/gdp.csv": gdp(status="[/]")}, expect="error", names=("gdp.csv",)),  # noqa: E501
    C("markup-sql-string", [*SQL, "SELECT '[/]' AS a, '[bold]x' AS b"], expect="ok", shows=("[/]", "[bold]x")),  # noqa: E501
    C("markup-sql-column-name", [*SQL, 'SELECT 1 AS "[/red]"'], expect="ok", shows=("[/red]",)),
    C("markup-sql-error", [*SQL, "SELECT [/] FROM [bold]"], expect="error"),
    # Encodings: UTF-8 only, refused with the file named; a BOM is accepted.
    C("latin1-scenario", SV, {"s.yaml": enc(scen("description: Défense\n"), "latin-1")}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("utf16-scenario", SV, {"s.yaml": enc(scen("description: Défense\n"), "utf-16")}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("latin1-grid", SW, {"g.yaml": enc("# Défense\n" + grid(), "latin-1")}, expect="error", names=("g.yaml",)),  # noqa: E501
    C("utf16-grid", SW, {"g.yaml": enc(grid(), "utf-16")}, expect="error", names=("g.yaml",)),
    C("latin1-overlay", VAL, {"ov/gdp.csv": enc(gdp(vintage="Défense"), "latin-1")}, expect="error", names=("gdp.csv",)),  # noqa: E501
    C("utf16-overlay", VAL, {"ov/gdp.csv": enc(gdp(), "utf-16")}, expect="error", names=("gdp.csv",)),  # noqa: E501
    C("utf8-bom-overlay-accepted", VAL, {"ov/gdp.csv": enc(gdp(), "utf-8-sig")}, expect="ok"),
    C("utf8-bom-scenario", SV, {"s.yaml": enc(scen(), "utf-8-sig")}),
    # Size: long fields, huge one-line files, folders where files belong, huge integers.
    C("csv-field-over-128k", VAL, {"ov/gdp.csv": gdp(vintage="v" * 140_000)}, names=("gdp.csv",)),
    C("csv-one-line-50mb", VAL, {"ov/gdp.csv": one_line(MB50)}, expect="error", names=("gdp.csv",), isolated=True),  # noqa: E501
    C("yaml-one-line-50mb", SV, {"s.yaml": one_line(MB50)}, expect="error", names=("s.yaml",), isolated=True),  # noqa: E501
    C("grid-one-line-50mb", SW, {"g.yaml": one_line(MB50)}, expect="error", names=("g.yaml",), isolated=True),  # noqa: E501
    C("overlay-dir-named-gdp-csv", VAL, {"ov/gdp.csv": DIR}, expect="error", names=("gdp.csv",)),
    C("csv-int-5000-digits-year", VAL, {"ov/gdp.csv": gdp(year=BIG_INT)}, expect="error", names=("gdp.csv",)),  # noqa: E501
    C("csv-int-5000-digits-float", VAL, {"ov/gdp.csv": gdp(value=BIG_INT)}, names=("gdp.csv",)),
    C("yaml-int-5000-digits", SV, {"s.yaml": scen(f"spending:\n  absorption_cap_real_growth_pct: {BIG_INT}\n")}, expect="error", names=("s.yaml", "line")),  # noqa: E501
    C("yaml-int-5000-digits-year-key", SV, {"s.yaml": scen(f"us_commitment:\n  forces_in_place: {{{BIG_INT}: 1.0}}\n")}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("grid-int-5000-digits", SW, {"g.yaml": grid(head=f"scenario: baseline\ndraws: {BIG_INT}\nseed: 1\n")}, expect="error", names=("g.yaml", "line")),  # noqa: E501
    # YAML structure: depth, alias bombs, duplicate keys, tags.
    C("yaml-deep-lists-10000", SV, {"s.yaml": scen(DEEP_LISTS)}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("yaml-deep-maps-10000", SV, {"s.yaml": scen(DEEP_MAPS)}, expect="error", names=("s.yaml",)),
    C("grid-deep-lists-10000", SW, {"g.yaml": grid() + DEEP_LISTS}, expect="error", names=("g.yaml",)),  # noqa: E501
    C("yaml-billion-laughs", SV, {"s.yaml": scen(laughs())}, expect="error", names=("s.yaml",), isolated=True),  # noqa: E501
    C("grid-billion-laughs", SW, {"g.yaml": grid() + laughs().replace("description", "x-more")}, expect="error", names=("g.yaml",), isolated=True),  # noqa: E501
    C("yaml-duplicate-key", SV, {"s.yaml": scen("horizon: 2030\nhorizon: 2035\n")}, expect="error", names=("horizon",)),  # noqa: E501
    C("grid-duplicate-key", SW, {"g.yaml": grid() + "seed: 2\n"}, expect="error", names=("seed",)),
    C("yaml-unknown-ally-override", SV, {"s.yaml": scen("spending:\n  ally_overrides:\n    XYZ: {path: frozen}\n")}, expect="error", names=("XYZ",)),  # noqa: E501
    C("yaml-binary-tag", SV, {"s.yaml": scen("description: !!binary aGVsbG8=\n")}, names=("s.yaml",)),  # noqa: E501
    C("yaml-python-object-tag", SV, {"s.yaml": scen("description: !!python/object/apply:os.system ['touch pwned']\n")}, expect="error", names=("s.yaml",), absent=("pwned",)),  # noqa: E501
    C("grid-python-name-tag", SW, {"g.yaml": grid() + "x: !!python/name:os.system\n"}, expect="error", names=("g.yaml",)),  # noqa: E501
    C("yaml-nul-character", SV, {"s.yaml": scen("description: a\x00b\n")}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("grid-nul-character", SW, {"g.yaml": grid() + "# \x00\n"}, expect="error", names=("g.yaml",)),  # noqa: E501
    C("yaml-control-character", SV, {"s.yaml": scen("description: a\x1bb\n")}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("yaml-empty-file", SV, {"s.yaml": ""}, expect="error", names=("s.yaml",)),
    C("yaml-not-a-mapping", SV, {"s.yaml": "- just\n- a list\n"}, expect="error", names=("s.yaml",)),  # noqa: E501
    C("yaml-file-is-a-folder", ["scenario", "validate", "{tmp}"], expect="error"),
    C("risk-weight-inf-planning", SV, {"s.yaml": scen("planning:\n  risk_weights: {main_battle_tank: .inf}\n")}, expect="error", names=("risk_weights",)),  # noqa: E501
    C("risk-weight-inf-capabilities", SV, {"s.yaml": scen("capabilities:\n  risk_weights: {main_battle_tank: .inf}\n")}, expect="error", names=("risk_weights",)),  # noqa: E501
    C("risk-weight-nan-planning", SV, {"s.yaml": scen("planning:\n  risk_weights: {main_battle_tank: .nan}\n")}, expect="error", names=("risk_weights",)),  # noqa: E501
    # Unbounded work is refused before it starts.
    C("deter-draws-1e9", ["deter", "--draws", "1000000000", "--year", "2030"], expect="error", names=("draws",), isolated=True),  # noqa: E501
    C("deter-draws-zero", ["deter", "--draws", "0", "--year", "2030"], expect="error", names=("draws",)),  # noqa: E501
    C("deter-draws-negative", ["deter", "--draws", "-5", "--year", "2030"], expect="error", names=("draws",)),  # noqa: E501
    C("deter-batch-size-huge", [*DETER, "--batch-size", str(4096 * 2**40)], names=("batch",), isolated=True),  # noqa: E501
    C("deter-batch-size-not-multiple", [*DETER, "--batch-size", "1000"], expect="error", names=("batch",)),  # noqa: E501
    C("deter-year-outside", ["deter", "--draws", "4096", "--year", "1900"], expect="error", names=("--year",)),  # noqa: E501
    C("sweep-grid-1e6-points", SW, {"g.yaml": grid(MILLION)}, expect="error", names=("g.yaml",), isolated=True),  # noqa: E501
    C("sweep-grid-unknown-paths-1e6", SW, {"g.yaml": grid(GRID_10x6)}, expect="error", names=("g.yaml",), isolated=True),  # noqa: E501
    C("spending-year-huge", ["spending", "--year", "99999999999999999999"], expect="error", names=("--year",)),  # noqa: E501
    C("plan-horizon-huge", ["plan", "--scenario", "baseline", "--horizon", "100000"], expect="error", names=("horizon",), isolated=True),  # noqa: E501
    C("gaps-year-outside", ["gaps", "--scenario", "baseline", "--year", "1900"], expect="error", names=("1900",)),  # noqa: E501
    # SQL: bounded, sealed, every DuckDB type printable as JSON.
    C("sql-empty", [*SQL, ""], expect="error"),
    C("sql-whitespace", [*SQL, "  \n\t "], expect="error"),
    C("sql-recursive-cte-bomb", [*SQL, "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t"], expect="error", isolated=True, slow=True),  # noqa: E501
    C("sql-cross-join-bomb", [*SQL, "SELECT count(*) FROM gdp a, gdp b, gdp c, gdp d, gdp e"], expect="error", isolated=True, slow=True),  # noqa: E501
    C("sql-read-csv-passwd", [*SQL, "SELECT * FROM read_csv('/etc/passwd')"], expect="error", isolated=True),  # noqa: E501
    C("sql-glob-etc", [*SQL, "SELECT * FROM glob('/etc/*')"], expect="error", isolated=True),
    C("sql-copy-to-file", [*SQL, "COPY (SELECT 1) TO '{tmp}/x.csv'"], expect="error", absent=("x.csv",), isolated=True),  # noqa: E501
    C("sql-attach", [*SQL, "ATTACH '{tmp}/x.db' AS x"], expect="error", absent=("x.db",), isolated=True),  # noqa: E501
    C("sql-install-httpfs", [*SQL, "INSTALL httpfs"], expect="error", isolated=True),
    C("sql-set-config", [*SQL, "SET enable_external_access = true"], expect="error", isolated=True),
    C("sql-json-date", [*JSON, "SELECT DATE '2025-01-01' AS d"], expect="ok", shows=("2025-01-01",)),  # noqa: E501
    C("sql-json-timestamp", [*JSON, "SELECT TIMESTAMP '2025-01-01 12:30:00' AS t"], expect="ok", shows=("2025-01-01",)),  # noqa: E501
    C("sql-json-timestamptz", [*JSON, "SELECT TIMESTAMPTZ '2025-01-01 12:30:00+00' AS t"], expect="ok"),  # noqa: E501
    C("sql-json-interval", [*JSON, "SELECT INTERVAL 3 DAY AS i"], expect="ok"),
    C("sql-json-blob", [*JSON, "SELECT '\\xAA\\x00'::BLOB AS b"], expect="ok"),
    C("sql-json-uuid", [*JSON, "SELECT '2b0e6a54-0e6f-4b9a-9d0e-0c1f3a5e7b11'::UUID AS u"], expect="ok", shows=("2b0e6a54",)),  # noqa: E501
    C("sql-json-list", [*JSON, "SELECT [1, 2, NULL] AS l"], expect="ok"),
    C("sql-json-struct", [*JSON, "SELECT {'a': 1, 'b': [DATE '2025-01-01']} AS s"], expect="ok"),
    C("sql-json-decimal-huge", [*JSON, "SELECT 1e308 * 10 AS x, 'nan'::DOUBLE AS y"], expect="ok"),
    C("sql-json-map", [*JSON, "SELECT MAP {'k': 1} AS m"], expect="ok"),
    C("sql-table-time", [*SQL, "SELECT TIME '12:00:00' AS t, [1, 2] AS l"], expect="ok"),
    # Overlays: empty paths, case of file names, extreme values.
    C("overlay-empty-string-validate", ["data", "validate", "--overlay", ""]),
    C("overlay-empty-string-spending", ["spending", "--year", "2030", "--overlay", ""]),
    C("overlay-missing-folder", ["data", "validate", "--overlay", "{tmp}/nowhere"], expect="error", names=("nowhere",)),  # noqa: E501
    C("overlay-upper-case-name", VAL, {"ov/GDP.CSV": gdp()}, names=("GDP.CSV",)),
    C("overlay-unknown-table", VAL, {"ov/nosuch.csv": "a,b\n1,2\n"}, expect="error", names=("nosuch.csv",)),  # noqa: E501
    C("overlay-empty-csv", VAL, {"ov/gdp.csv": ""}, expect="error", names=("gdp.csv",)),
    C("overlay-header-only", VAL, {"ov/gdp.csv": GDP_HEAD}),
    C("overlay-gdp-1e308", VAL, {"ov/gdp.csv": gdp(value="1e308")}),
    C("overlay-gdp-1e308-spending", ["spending", "--year", "2030", "--ally", "DEU", "--overlay", "{tmp}/ov"], {"ov/gdp.csv": gdp(value="1e308")}),  # noqa: E501
    C("overlay-gdp-inf", VAL, {"ov/gdp.csv": gdp(value="inf")}, names=("gdp.csv",)),
    C("overlay-gdp-nan-text", VAL, {"ov/gdp.csv": gdp(value="NaN")}, names=("gdp.csv",)),
    C("overlay-nul-bytes", VAL, {"ov/gdp.csv": gdp(vintage="a\x00b")}, names=("gdp.csv",)),
    C("overlay-unterminated-quote", VAL, {"ov/gdp.csv": GDP_HEAD + 'DEU,2024,1.0,actual,"open,u,B\n'}, expect="error", names=("gdp.csv",)),  # noqa: E501
    # Options with markup or odd values in their help and errors.
    C("backend-jax-error", [*DETER, "--backend", "jax"], expect="error", names=("alliance[jax]",)),  # noqa: E501
    C("backend-jax-help", ["deter", "--help"], expect="ok", shows=("alliance[jax]",)),
    C("backend-markup", [*DETER, "--backend", "[/]"], expect="error", names=("[/]",)),
    C("spending-path-markup", ["spending", "--path", "[/red]", "--year", "2030"], expect="error", names=("[/red]",)),  # noqa: E501
    # Outputs: refused before anything runs, and nothing else is touched.
    C("assess-out-under-proc", [*ASSESS, "/proc/alliance-fuzz-out"], expect="error", names=("--out",), slow=True),  # noqa: E501
    C("assess-out-foreign-folder", [*ASSESS, "{tmp}/foreign"], FAIL_OUT, expect="error", names=("--out",), kept=("foreign/notes.txt",), slow=True),  # noqa: E501
    C("assess-out-below-a-file", [*ASSESS, "{tmp}/afile/out"], FAIL_OUT, expect="error", names=("--out",), kept=("afile",), slow=True),  # noqa: E501
    C("assess-out-dot", [*ASSESS, "."], FAIL_OUT, expect="error", names=("--out",), kept=("foreign/notes.txt", "afile"), slow=True),  # noqa: E501
    C("sweep-out-existing-folder", ["sweep", "{tmp}/g.yaml", "--serial", "--out", "{tmp}/foreign"], {**FAIL_OUT, "g.yaml": grid()}, expect="error", names=("--out",), kept=("foreign/notes.txt",)),  # noqa: E501
    C("sweep-out-below-a-file", ["sweep", "{tmp}/g.yaml", "--serial", "--out", "{tmp}/afile/x.parquet"], {**FAIL_OUT, "g.yaml": grid()}, expect="error", names=("--out",), kept=("afile",)),  # noqa: E501
    C("sweep-scheduler-not-a-url", ["sweep", "{tmp}/g.yaml", "--scheduler", "not a url", "--out", "{tmp}/s.parquet"], {"g.yaml": grid()}, expect="error", names=("--scheduler",), isolated=True),  # noqa: E501
    C("sweep-tiny-ok", SW, {"g.yaml": grid()}, expect="ok", kept=("sweep.parquet",)),
]


def _materialise(case: Case, tmp: Path) -> list[str]:
    """Create the case's files under ``tmp``; return its arguments with ``{tmp}`` filled in."""
    for name, content in case.files.items():
        path = Path(name.format(tmp=tmp)) if "{tmp}" in name else tmp / name
        if content == DIR:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return [a.format(tmp=tmp) if "{tmp}" in a else a for a in case.args]


def _params() -> list[object]:
    marks = {True: [pytest.mark.slow], False: []}
    return [pytest.param(c, id=c.id, marks=marks[c.slow]) for c in CASES]


def test_corpus_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", _params())
def test_corpus(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = _materialise(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    outcome = run_isolated(args, tmp_path) if case.isolated else run_cli(args)
    names = [n.format(tmp=tmp_path) if "{tmp}" in n else n for n in case.names]
    check_outcome(outcome, case.expect, names)
    for shown in case.shows:
        assert shown in outcome.stdout, f"{shown!r} not printed as written: {outcome.head()}"
    for kept in case.kept:
        assert (tmp_path / kept).exists(), f"{kept} was removed"
    for absent in case.absent:
        assert not (tmp_path / absent).exists(), f"{absent} was written"
