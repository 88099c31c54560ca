"""Every table of asw, assess, data, scenario and data import reads at 80 columns.

Issue 14, item 7. Each command runs through ``typer.testing.CliRunner`` with
``COLUMNS=80`` (environment and Rich console width). The checks:

* no line is longer than 80 characters (paths, printed whole on lines of their
  own, are the one named exception);
* no word is broken: every word inside a table cell is a whole word of the data,
  a header or a number (a word cut on purpose ends in '…' and starts a real word);
* plain labels instead of internal ids where a label exists (GIUK legs);
* counts and years print as integers (no '.0', no '2,009' for a year);
* long notes and descriptions are cut (or left out) and the output says so; with
  ``--wide`` they appear in full.

These are checks of the presentation, not reproductions: inputs are the bundled
tables and scenarios, and nothing here is a published figure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import alliance.data
from alliance.cli import app, common
from alliance.data import load_dataset
from alliance.scenario import builtin_scenario_names, load_scenario, parameter_table
from tests.importers.workbooks import nato_workbook, sipri_workbook

WIDTH = 80
#: A number as the CLI prints it: '1,949', '2009', '-75.7', '0.14', '1.2e-05'.
NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?(e[-+]?\d+)?%?$")
CELL_RULES = re.compile(r"[│┃]")
#: The bundled tables (src/alliance/data/tables/*.csv), listed without loading them.
BUNDLED_TABLES = sorted(p.stem for p in (Path(alliance.data.__file__).parent / "tables")
                        .glob("*.csv"))


@pytest.fixture(autouse=True)
def _fresh_console() -> Iterator[None]:
    """A console made under each test's COLUMNS (the CLI caches its console)."""
    common.console.cache_clear()
    yield
    common.console.cache_clear()


def run(*args: str, width: int = WIDTH, code: int = 0) -> str:
    """Stdout of ``alliance ARGS`` on a terminal ``width`` characters wide."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(width)},
                                terminal_width=width)
    assert result.exit_code == code, result.output
    return result.stdout


def flat(out: str) -> str:
    """``out`` with every run of whitespace (line breaks too) as one space."""
    return " ".join(out.split())


def assert_fits(out: str, *, paths: tuple[str, ...] = ()) -> None:
    """No line longer than WIDTH, except lines that print one of ``paths`` whole."""
    for line in out.splitlines():
        if any(p in line for p in paths):
            continue
        assert len(line) <= WIDTH, f"{len(line)} characters: {line!r}"


def cell_words(out: str) -> list[str]:
    """The words inside the table cells (header and body) of ``out``."""
    words: list[str] = []
    for line in out.splitlines():
        if CELL_RULES.search(line):
            for cell in CELL_RULES.split(line):
                words += cell.split()
    return words


def words_of(*texts: object) -> set[str]:
    """Every whitespace-separated word of ``texts``."""
    return {w for t in texts for w in str(t).split()}


def assert_whole_words(out: str, allowed: set[str]) -> None:
    """Every cell word is a word of the data, a number, or a cut word ('…') that starts one."""
    for word in cell_words(out):
        if word in allowed or NUMBER.match(word):
            continue
        if word.endswith("…"):
            stem = word[:-1]
            assert any(a.startswith(stem) for a in allowed), f"cut word {word!r} starts no word"
            continue
        raise AssertionError(f"broken or unknown word in a table cell: {word!r}")


def column_text(out: str, index: int) -> str:
    """The text of the ``index``-th column of every table body in ``out``, row after row."""
    cells = [line.split("│")[index] for line in out.splitlines() if line.count("│") >= index]
    return flat(" ".join(cells))


def headers_of(out: str) -> list[str]:
    """The column headers of the first table in ``out`` (wrapped headers joined)."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if "┃" in ln)
    parts: list[list[str]] = []
    for line in lines[start:]:
        if "┃" not in line:
            break
        for i, cell in enumerate(line.split("┃")):
            if i == len(parts):
                parts.append([])
            parts[i] += cell.split()
    return [" ".join(p) for p in parts]


def assert_integer_column(out: str, header_line: str, column: int) -> None:
    """The ``column``-th cell of every body row after ``header_line`` is a whole number."""
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if header_line in ln)
    for line in lines[start + 2:]:
        if "│" not in line:
            break
        cell = line.split("│")[column].strip()
        assert cell == "" or re.fullmatch(r"\d{1,3}(,\d{3})*|unreachable", cell), line


# --- asw ----------------------------------------------------------------------------------


def test_asw_tables_fit_80_columns_with_leg_names() -> None:
    out = run("asw", "--scenario", "europe-alone", "--year", "2030")
    assert_fits(out)
    legs = load_dataset().table("giuk_legs")
    data = json.loads(run("asw", "--scenario", "europe-alone", "--year", "2030", "--json"))
    headers = words_of("year leg P(detect) without US missed per year sensor needed held")
    assert_whole_words(out, words_of(*legs["name"], *(r["sensor"] for r in data["requirements"]))
                       | headers)
    tables = out.split("Assumption:")[0]
    assert "Denmark" in tables and "Iceland-Faroes-Scotland" in tables  # giuk_legs.name
    assert "denmark_strait" not in tables and "iceland_faroes" not in tables  # no leg ids
    assert_integer_column(out, "┃ needed ┃", 2)
    assert_integer_column(out, "┃ needed ┃", 3)
    assumptions = [ln for ln in out.splitlines() if ln.startswith("Assumption:")]
    assert len(assumptions) == len(data["assumptions"])  # one line each, cut with '…'
    assert any(ln.endswith("…") for ln in assumptions) and "--wide" in out.split("Assumption:")[-1]


def test_asw_wide_prints_the_assumptions_in_full() -> None:
    out = run("asw", "--scenario", "europe-alone", "--year", "2030", "--wide")
    data = json.loads(run("asw", "--scenario", "europe-alone", "--year", "2030", "--json"))
    assert_fits(out)
    for sentence in data["assumptions"]:
        assert flat(sentence) in flat(out)


# --- data ---------------------------------------------------------------------------------


def test_data_list_and_validate_print_integer_counts() -> None:
    ds = load_dataset()
    out = run("data", "list")
    assert_fits(out)
    assert_whole_words(out, words_of("table rows columns", *ds.table_names()))
    assert_integer_column(out, "┃ rows ┃", 1)
    assert_integer_column(out, "┃ rows ┃", 2)
    total = sum(len(t) for t in ds.tables.values())
    assert f"ok: {len(ds.tables)} tables, {total:,d} rows valid" in run("data", "validate")


@pytest.mark.parametrize("name", BUNDLED_TABLES)
def test_data_show_every_table_fits_without_broken_words(name: str) -> None:
    ds = load_dataset()
    frame, spec = ds.table(name), ds.schemas[name]
    out = run("data", "show", name, "--limit", "6")
    assert_fits(out)
    text = [v for c in frame.columns for v in frame[c].head(6) if isinstance(v, str)]
    headers = words_of(*(c.replace("_", " ") for c in frame.columns))
    assert_whole_words(out, words_of(*text) | headers | {"yes", "no"})
    assert headers_of(out)[0] == spec.key[0].replace("_", " ")  # key columns first
    assert "--wide" in out  # every table has notes or sources left out
    schema = run("data", "show", name, "--schema")
    assert_fits(schema)
    assert_whole_words(schema, words_of(*(f"{c.name} {c.type} {c.unit} {c.description}"
                                          for c in spec.columns),
                                        "column type unit required description yes no"))


def test_data_show_allies_integers_booleans_and_left_out_columns() -> None:
    out = run("data", "show", "allies", "--limit", "3")
    albania = next(ln for ln in out.splitlines() if ln.startswith(" ALB "))
    assert " 2009 " in albania and "2,009" not in albania and ".0" not in albania
    assert " no " in albania  # eu_member, a boolean
    said = flat(out)
    for column in ("source", "eu_member_source", "capital_source", "border_source"):
        assert column in said.split("not shown:")[1]  # named as left out, whole
    assert "--wide" in said and "--columns" in said
    headline = run("data", "show", "gdp", "--columns", "iso3,headline", "--limit", "3")
    assert {ln.split("│")[1].strip() for ln in headline.splitlines() if "│" in ln} == {"yes"}
    quantity = run("data", "show", "capability_holdings", "--columns", "record_id,quantity",
                   "--limit", "5")  # a float column of whole counts
    assert_integer_column(quantity, "┃ quantity", 1)


def test_data_show_wide_shows_sources_whole_and_columns_picks() -> None:
    frame = load_dataset().table("allies")
    out = run("data", "show", "allies", "--limit", "2", "--wide")
    for url in frame["source"].head(2):
        assert any(url in line for line in out.splitlines())  # on one line, not folded
    picked = run("data", "show", "allies", "--columns", "capital,iso3", "--limit", "2")
    assert headers_of(picked) == ["capital", "iso3"]
    bad = CliRunner().invoke(app, ["data", "show", "allies", "--columns", "iso3,moon"])
    assert bad.exit_code == 2 and "--columns" in bad.output and "moon" in bad.output


def test_data_show_schema_cuts_descriptions_and_wide_prints_them() -> None:
    spec = load_dataset().schemas["capability_holdings"]
    out = run("data", "show", "capability_holdings", "--schema")
    assert "…" in out and "--wide" in out
    long = max(spec.columns, key=lambda c: len(c.description))
    assert flat(long.description) not in flat(out)
    wide = run("data", "show", "capability_holdings", "--schema", "--wide", width=200)
    assert flat(long.description) in column_text(wide, 4)


def test_data_sql_fits_and_names_left_out_columns() -> None:
    query = ("SELECT iso3, name, accession_year, eu_member, capital_lat, source FROM allies "
             "ORDER BY iso3 LIMIT 4")
    out = run("data", "sql", query)
    assert_fits(out)
    frame = load_dataset().table("allies")
    assert_whole_words(out, words_of(*frame["name"], *frame["iso3"],
                                     "iso3 name accession year eu member capital lat yes no"))
    albania = next(ln for ln in out.splitlines() if ln.startswith(" ALB "))
    assert " 2009 " in albania and ".0" not in albania
    assert "source" in flat(out).split("Not shown")[1]
    wide = run("data", "sql", query, "--wide")
    assert any(frame["source"].iloc[0] in line for line in wide.splitlines())


# --- scenario -----------------------------------------------------------------------------


def test_scenario_list_one_line_each_and_wide_in_full() -> None:
    out = run("scenario", "list")
    assert_fits(out)
    descriptions = [load_scenario(n).description for n in builtin_scenario_names()]
    assert_whole_words(out, words_of(*builtin_scenario_names(), *descriptions,
                                     "name description"))
    body = [ln for ln in out.splitlines() if "│" in ln]
    assert len(body) == len(builtin_scenario_names())  # one line per scenario
    assert "--wide" in out
    wide = run("scenario", "list", "--wide")
    assert_fits(wide)
    for description in descriptions:
        assert flat(description) in column_text(wide, 1)


def test_scenario_show_fits_with_whole_parameter_names() -> None:
    sc = load_scenario("europe-alone")
    rows = parameter_table(sc)
    out = run("scenario", "show", "europe-alone")
    assert_fits(out)
    leaves = {r["parameter"].rpartition(".")[2] for r in rows}
    assert_whole_words(out, leaves | words_of(*(r["value"] for r in rows))
                       | words_of("parameter value default yes no (empty: see --wide)"))
    printed = set(cell_words(out))
    assert leaves <= printed  # every parameter name whole in a cell
    assert all(section in out.splitlines() for section in
               {r["parameter"].rpartition(".")[0] for r in rows} - {""})
    body = [ln for ln in out.splitlines() if "│" in ln]
    assert len(body) == len(rows)  # one line per parameter
    wide = run("scenario", "show", "europe-alone", "--wide", width=160)
    long = max(rows, key=lambda r: len(r["description"]))
    assert flat(long["description"]) in column_text(wide, 3)


# --- data import --------------------------------------------------------------------------


def test_import_report_fits_and_wide_prints_what_was_skipped(tmp_path: Path) -> None:
    book = nato_workbook(tmp_path / "nato.xlsx")
    folder = tmp_path / "ov"
    out = run("data", "import", "nato", str(book), "--out", str(folder))
    assert_fits(out, paths=(str(folder),))
    assert f"Folder: {folder}" in out.splitlines()  # the path whole, on one line
    assert_integer_column(out, "┃ rows", 1)
    skipped = json.loads(run("data", "import", "nato", str(book), "--out", str(folder),
                             "--json"))["skipped"]
    long = max(skipped, key=len)
    assert flat(long) not in flat(out) and "--wide" in out
    wide = run("data", "import", "nato", str(book), "--out", str(folder), "--wide")
    assert flat(long) in flat(wide)
    sipri = run("data", "import", "sipri", str(sipri_workbook(tmp_path / "s.xlsx")),
                "--out", str(tmp_path / "ov2"))
    assert_fits(sipri, paths=(str(tmp_path / "ov2"),))


# --- assess -------------------------------------------------------------------------------


def test_assess_summary_fits_80_columns(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    out = run("assess", "baseline", "--draws", "1000", "--out", str(folder))
    assert_fits(out, paths=(str(folder),))
    lines = out.splitlines()
    assert any(ln.startswith("Report: ") and ln.endswith("report.html") for ln in lines)
    assert "± is the 95 % Monte Carlo interval (1.96 standard errors)." in out
    tables = re.search(r"and (\S+) Parquet tables", flat(out))
    assert tables is not None and tables.group(1).isdigit()


def test_assess_outcome_lines_fit_and_state_the_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """The printing half of `alliance assess` on its own (findings as `narrative` returns)."""
    from alliance.cli.assess import _print_outcome

    target = tmp_path / "out"
    target.mkdir()
    (target / "report.html").write_bytes(b"x" * 1_500_000)
    for name in ("spending", "gaps", "plan"):
        (target / f"{name}.parquet").write_bytes(b"")
    finding = ("In 2030 the adversary probes in 23.4 % (± 0.6) of simulated crises; "
               "capability_coverage_after_the_plan_deliveries is the longest word here. ") * 3
    findings = {"baseline": dict.fromkeys(("spending", "gaps", "plan", "deterrence"), finding)}
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    _print_outcome(findings, target, 12.4)
    out = capsys.readouterr().out
    assert_fits(out, paths=(str(target),))
    assert "capability_coverage_after_the_plan_deliveries" in out  # wrapped at spaces only
    assert f"Report: {target / 'report.html'}" in out.splitlines()
    assert "± is the 95 % Monte Carlo interval (1.96 standard errors)." in out
    assert "summary.json and 3 Parquet tables, in 12 s." in flat(out)
    assert "1.5 MB" in out


# --- the helpers, as properties -----------------------------------------------------------

WORD = st.text(alphabet="abcdefghij_-.()", min_size=3, max_size=16)
CELL = st.lists(WORD, min_size=0, max_size=10).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=5),
       width=st.integers(min_value=20, max_value=90), clipped=st.sampled_from([None, 2]))
def test_fit_table_never_breaks_a_word_and_fits_when_it_can(
    rows: list[list[str]], width: int, clipped: int | None,
) -> None:
    """Within ``width`` whenever the columns' longest words fit, else each column at that
    minimum (print_table then prints it at its own width); never a word split (cut words,
    in the clipped column, end in '…')."""
    import rich.console

    table = common.fit_table("t", [("a", "left"), ("b", "left"), ("c", "left")], rows,
                             width=width, clipped=clipped)
    widths = [c.width or 0 for c in table.columns]
    needed = sum(w + 2 for w in widths) + len(widths) - 1
    longest = [max([1, *(len(w) for r in rows for w in r[i].split())]) for i in range(3)]
    if clipped is not None:  # a clipped column may narrow to 10 (its cells are cut to fit)
        whole = max([longest[clipped], *(len(" ".join(r[clipped].split())) for r in rows)])
        longest[clipped] = min(whole, 10)
    assert needed <= width or widths == longest
    console = rich.console.Console(width=max(width, needed), markup=False, highlight=False)
    with console.capture() as captured:
        console.print(table)
    out = captured.get()
    assert all(len(line) <= max(width, needed) for line in out.splitlines())
    assert_whole_words(out, words_of(*(c for r in rows for c in r), "a b c"))


@settings(max_examples=100, deadline=None)
@given(value=st.text(alphabet="ab c\n", max_size=60), width=st.integers(0, 30))
def test_clip_is_one_line_within_width(value: str, width: int) -> None:
    """``clip``: at most ``width`` characters, one line, the text itself when it fits."""
    cut = common.clip(value, width)
    assert len(cut) <= width and "\n" not in cut
    line = " ".join(value.split())
    if len(line) <= width:
        assert cut == line
    elif width == 0:
        assert cut == ""
    else:
        assert cut.endswith("…") and line.startswith(cut[:-1].rstrip())
