"""Bounded by construction: YAML, CSV, SQL, parameters and Monte Carlo work have limits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from alliance._io import MAX_YAML_ALIASES, MAX_YAML_DEPTH, load_yaml
from alliance.constants import MAX_DRAW_YEARS, MAX_DRAWS_PER_YEAR, MAX_GRID_POINTS
from alliance.data import Dataset, load_dataset
from alliance.data.loader import MAX_CSV_FIELD_CHARS
from alliance.deterrence import allies_with_gdp, simulate
from alliance.errors import AllianceError, DataValidationError, ModelError, ScenarioError
from alliance.params import CapabilityParams, DeterrenceParams, SpendingAssumptions
from alliance.sweep import load_grid

BOMB = "\n".join(
    [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        *(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcde", "bcdef", strict=True)),
        "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]",
    ]
)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("[" * 10_000 + "]" * 10_000, "(YAML structure)"),
        ("[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5), "(YAML structure)"),
        (BOMB, "(YAML structure)|(YAML aliases)"),
        ("x: &x 1\n" + "\n".join(f"k{i}: *x" for i in range(MAX_YAML_ALIASES + 1)),
         "(YAML aliases)"),
        ("name: a\nname: b\n", "name"),
        ("name: !!binary aGVsbG8=\n", "(YAML tag)"),
        ("name: !!python/object:os.system echo\n", "(YAML tag)"),
        ("horizon: " + "9" * 5000 + "\n", "(YAML value)"),
    ],
    ids=["deep-10000", "deep-limit", "alias-bomb", "many-aliases", "duplicate-key", "binary",
         "python-tag", "5000-digits"],
)
def test_yaml_that_would_be_unbounded_or_ambiguous_is_refused(text: str, field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        load_yaml(text, "scenario.yaml")
    assert err.value.field in field.split("|")


def test_plain_yaml_within_the_bounds_loads() -> None:
    data, root = load_yaml("name: x\nus_commitment:\n  sustainment: {2025: 1, 2030: 0.5}\n",
                           "s.yaml")
    assert data == {"name": "x", "us_commitment": {"sustainment": {2025: 1, 2030: 0.5}}}
    assert root is not None


def _overlay(tmp_path: Path, name: str, text: str | bytes) -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir(exist_ok=True)
    target = folder / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return folder


GDP_HEADER = "iso3,year,gdp_usd_bn,status,vintage,source,source_grade"


def test_an_excel_csv_with_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    row = "DEU,2031,6000,projection,test,https://example.org/gdp,B"
    folder = _overlay(tmp_path, "gdp.csv", ("\ufeff" + GDP_HEADER + "\n" + row + "\n").encode())
    ds = load_dataset(folder)
    gdp = ds.table("gdp")
    assert float(gdp[(gdp["iso3"] == "DEU") & (gdp["year"] == 2031)]["gdp_usd_bn"].iloc[0]) == 6000


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("gdp.csv", (GDP_HEADER + "\n").encode("utf-16"), "not UTF-8"),
        ("gdp.csv", (GDP_HEADER + "\nDEU,2031,\"" + "x" * (MAX_CSV_FIELD_CHARS + 10)
                     + "\",p,t,https://e.org,B\n").encode(), "not readable as CSV"),
        ("GDP.CSV", (GDP_HEADER + "\n").encode(), "lower case"),
        ("gdp.csv", (GDP_HEADER + "\nDEU,2031," + "9" * 5000 + ",p,t,https://e.org,B\n").encode(),
         "gdp_usd_bn"),
        ("gdp.csv", (GDP_HEADER + "\nDEU,2031,1e308,p,t,https://e.org,B\n").encode(),
         "gdp_usd_bn"),
    ],
    ids=["utf-16", "huge-field", "upper-case-name", "5000-digit-number", "gdp-1e308"],
)
def test_bad_overlay_files_are_refused_by_name(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    folder = _overlay(tmp_path, name, content)
    with pytest.raises(DataValidationError) as err:
        load_dataset(folder)
    assert problem in str(err.value)
    assert name in str(err.value)


def test_a_folder_named_like_a_table_and_an_empty_overlay_name_are_refused(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "overlay"
    (folder / "gdp.csv").mkdir(parents=True)
    with pytest.raises(DataValidationError, match="not a file"):
        load_dataset(folder)
    with pytest.raises(DataValidationError, match="overlay folder name is empty"):
        load_dataset("")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM glob('/etc/*')",
        "COPY (SELECT 1) TO 'copy.csv'",
        "ATTACH 'other.db'",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "EXPORT DATABASE 'dump'",
    ],
)
def test_sql_is_sealed_from_the_file_system(
    dataset: Dataset, query: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AllianceError, match="SQL error"):
        dataset.sql(query)
    assert list(tmp_path.iterdir()) == []


def test_sql_changes_do_not_outlive_the_query_and_empty_queries_are_refused(
    dataset: Dataset,
) -> None:
    dataset.sql("DROP TABLE allies")
    assert len(dataset.sql("SELECT * FROM allies")) == 32
    with pytest.raises(AllianceError, match="empty"):
        dataset.sql("   ")


@pytest.mark.slow
def test_a_runaway_sql_query_is_stopped(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alliance.data.loader.SQL_TIMEOUT_S", 1.0)
    with pytest.raises(AllianceError, match="longer than 1 s"):
        dataset.sql("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                    "SELECT count(*) FROM r")


def test_the_opt_in_flag_lets_sql_read_the_users_files(dataset: Dataset, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("a,b\n1,2\n", encoding="utf-8")
    frame = dataset.sql(f"SELECT * FROM read_csv('{mine}')", allow_files=True)
    assert frame.to_dict("records") == [{"a": 1, "b": 2}]


def test_parameters_refuse_infinite_values_and_unknown_allies() -> None:
    with pytest.raises(ValidationError):
        CapabilityParams(risk_weights={"combat_aircraft": float("inf")})
    with pytest.raises(ValidationError):
        DeterrenceParams(trust_in_us=float("nan"))
    with pytest.raises(ValidationError, match="not an ISO3 code"):
        SpendingAssumptions.model_validate({"ally_overrides": {"X[/]": {"path": "frozen"}}})


def test_an_override_for_an_unknown_ally_is_refused(tmp_path: Path, dataset: Dataset) -> None:
    """`scenario validate` names it against the bundled allies; a run against its dataset."""
    from typer.testing import CliRunner

    from alliance.cli import app
    from alliance.scenario import load_scenario
    from alliance.spending import spending_for

    file = tmp_path / "s.yaml"
    file.write_text("name: s\nspending:\n  ally_overrides:\n    XXX: {path: frozen}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["scenario", "validate", str(file)])
    assert result.exit_code == 2
    assert "spending.ally_overrides.XXX" in result.output
    with pytest.raises(ModelError, match="unknown allies: XXX"):
        spending_for(dataset, load_scenario(file))


def test_monte_carlo_work_is_bounded(dataset: Dataset) -> None:
    allies = allies_with_gdp(dataset.table("allies"), dataset.table("gdp"), 2025)
    context = pd.DataFrame({"year": list(range(2026, 2037)), "us_forces_in_place": 1.0,
                            "us_reinforcements": 1.0, "capability_coverage": 0.8})
    with pytest.raises(ModelError, match="exceeds the maximum"):
        simulate(DeterrenceParams(), allies, context, draws=10**9, seed=1)
    per_year = MAX_DRAWS_PER_YEAR  # 11 years x the per-year maximum is over the run maximum
    assert per_year * len(context) > MAX_DRAW_YEARS
    with pytest.raises(ModelError, match="draws x years"):
        simulate(DeterrenceParams(), allies, context, draws=per_year, seed=1)
    with pytest.raises(ValidationError):
        DeterrenceParams(batch_size=4096 * 10_000)


def test_a_sweep_grid_is_bounded(tmp_path: Path, dataset: Dataset) -> None:
    values = ", ".join(str(0.1 + i / 10_000) for i in range(1_001))
    grid = tmp_path / "grid.yaml"
    grid.write_text(f"scenario: baseline\ndraws: 1000\nseed: 1\ngrid:\n"
                    f"  deterrence.trust_in_us: [{values}]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=f"at most {MAX_GRID_POINTS:,} grid points") as err:
        load_grid(grid)
    assert err.value.field == "grid" and err.value.line == 4
    assert str(grid) in str(err.value)


def test_an_error_that_quotes_control_characters_stays_on_one_line() -> None:
    from typer.testing import CliRunner

    from alliance.cli import app
    from alliance.errors import one_line

    assert one_line("a\rb\nc\x1dd é") == "a\\rb\\nc\\x1dd é"
    result = CliRunner().invoke(app, ["spending", "--ally", "\x1dA\rd"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
