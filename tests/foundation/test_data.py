"""Data layer: bundled tables validate, corrupt files fail with file, line and column."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from alliance.data import Dataset, load_dataset
from alliance.data.loader import _bundled_dir, read_schema, validate_frame
from alliance.errors import DataValidationError

TABLES = _bundled_dir() / "tables"
SCHEMA = _bundled_dir() / "schema"


def test_every_bundled_table_validates_and_has_sources(dataset: Dataset) -> None:
    ds = dataset
    assert {"allies", "defence_expenditure", "gdp", "pledges", "ukraine_support", "purl"} <= set(
        ds.table_names()
    )
    for name in ds.table_names():
        frame = ds.table(name)
        if "source" not in frame.columns:
            # a table computed from other bundled tables names the rows it was derived from
            assert "derived_from" in frame.columns and frame["derived_from"].notna().all(), name
            continue
        cited = frame["source"].notna()
        # a row without a source must be a named assumption (e.g. sustainment floors)
        named = frame["assumption"].notna() if "assumption" in frame.columns else False
        assert (cited | named).all(), name
        assert frame.loc[cited, "source"].str.startswith("http").all(), name


def test_allies_are_the_32_members(dataset: Dataset) -> None:
    allies = dataset.table("allies")
    assert len(allies) == 32
    assert allies["iso3"].is_unique
    assert set(allies.loc[allies["borders_russia_belarus"], "iso3"]) == {
        "NOR",
        "FIN",
        "EST",
        "LVA",
        "LTU",
        "POL",
    }
    assert allies.loc[allies["iso3"] == "SWE", "accession_year"].item() == 2024


def test_shares_copied_exactly_from_the_raw_data(dataset: Dataset) -> None:
    de = dataset.table("defence_expenditure").set_index(["iso3", "year"])
    # POL 2025: NATO Table 3 as the checked copy holds it (verification_third_pass.csv,
    # 4.480548763), which replaced the press's 4.48; nato_2025_additions_2.csv: FIN 2.772590002
    assert de.loc[("POL", 2025), "share_gdp_pct"] == 4.480548763
    assert de.loc[("FIN", 2025), "share_gdp_pct"] == 2.772590002
    assert de.loc[("ISL", 2020), "share_gdp_pct"] != de.loc[("ISL", 2020), "share_gdp_pct"]  # NaN


def test_derived_money_says_how(dataset: Dataset) -> None:
    de = dataset.table("defence_expenditure")
    money = de["spending_musd_current"].notna()
    assert de.loc[money, "derived"].str.contains("share_gdp_pct/100 x GDP").all()
    assert de.loc[~money, "derived"].isna().all()


def test_sql_over_tables(dataset: Dataset) -> None:
    out = dataset.sql("SELECT count(*) AS n FROM allies WHERE eu_member")
    assert out["n"].item() == 23


def _corrupt(tmp_path: Path, table: str, old: str, new: str) -> Path:
    src = TABLES / f"{table}.csv"
    text = src.read_text(encoding="utf-8")
    assert old in text
    dst = tmp_path / f"{table}.csv"
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("old", "new", "column", "words"),
    [
        ("POL,Poland,2025,4.48", "POL,Poland,2025,four", "share_gdp_pct", "expected a number"),
        (
            "POL,Poland,2025,4.48",
            "POL,Poland,2025,140",
            "share_gdp_pct",
            "above the allowed maximum",
        ),
        ("POL,Poland,2025,4.48", "XYZ,Poland,2025,4.48", "iso3", "unknown ISO3"),
        ("POL,Poland,2025,4.48", "POL,Poland,2024,4.48", "iso3", "duplicate key"),
    ],
)
def test_corrupt_fixture_names_file_line_column(
    dataset: Dataset, tmp_path: Path, old: str, new: str, column: str, words: str
) -> None:
    path = _corrupt(tmp_path, "defence_expenditure", old, new)
    known = frozenset(dataset.table("allies")["iso3"])
    schema = read_schema(SCHEMA / "defence_expenditure.csv")
    with pytest.raises(DataValidationError) as info:
        validate_frame(path, schema, known)
    err = info.value
    assert err.file == str(path)
    assert err.column == column
    assert words in str(err)
    expected_line = _line_of(
        path, new.split(",")[0] + "," + new.split(",")[1] + "," + new.split(",")[2]
    )
    if "duplicate" in words:
        # the duplicate is the second occurrence of POL 2024
        lines = [
            i
            for i, line in enumerate(path.read_text().splitlines(), 1)
            if line.startswith("POL,Poland,2024,")
        ]
        expected_line = lines[1]
    assert err.line == expected_line
    assert "Fix:" in str(err)


def test_overlay_adds_and_replaces_rows(dataset: Dataset, tmp_path: Path) -> None:
    (tmp_path / "gdp.csv").write_text(
        "iso3,year,gdp_usd_bn,status,vintage,source,source_grade\n"
        "POL,2025,1.5,actual,user figure,https://example.org/pl,C\n"
        "POL,2031,2000,projection,user figure,https://example.org/pl,C\n",
        encoding="utf-8",
    )
    base = dataset.table("gdp")
    ds = load_dataset(tmp_path)
    gdp = ds.table("gdp").set_index(["iso3", "year"])
    assert gdp.loc[("POL", 2025), "gdp_usd_bn"] == 1.5
    assert gdp.loc[("POL", 2031), "gdp_usd_bn"] == 2000
    assert len(gdp) == len(base) + 1


def test_overlay_error_names_overlay_file(tmp_path: Path) -> None:
    bad = tmp_path / "gdp.csv"
    bad.write_text(
        "iso3,year,gdp_usd_bn,status,vintage,source,source_grade\n"
        "POL,2025,-3,actual,x,https://example.org,C\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as info:
        load_dataset(tmp_path)
    assert (
        info.value.file == str(bad) and info.value.line == 2 and info.value.column == "gdp_usd_bn"
    )


def test_overlay_with_unknown_table_is_rejected(tmp_path: Path) -> None:
    shutil.copy(TABLES / "purl.csv", tmp_path / "purls.csv")
    with pytest.raises(DataValidationError, match="no bundled table named 'purls'"):
        load_dataset(tmp_path)


def test_a_column_that_refers_to_the_catalogue_refuses_an_unknown_code(tmp_path: Path) -> None:
    """systems.capability takes its allowed values from capability_catalogue.code."""
    bundled = (_bundled_dir() / "tables" / "systems.csv").read_text(
        encoding="utf-8"
    ).splitlines()
    header, first = bundled[0], bundled[1]
    fields = next(csv.reader([first]))
    fields[1] = "tanks_typo"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    (tmp_path / "systems.csv").write_text(header + "\n" + out.getvalue(), encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_dataset(tmp_path)
    assert err.value.line == 2
    assert err.value.column == "capability"
    assert "main_battle_tank" in (err.value.fix or "")


def test_the_capability_catalogue_cannot_be_overlaid(tmp_path: Path) -> None:
    """The catalogue defines the model (parameters validate against it without the Dataset)."""
    bundled = _bundled_dir() / "tables" / "capability_catalogue.csv"
    lines = bundled.read_text(encoding="utf-8").splitlines()
    (tmp_path / "capability_catalogue.csv").write_text("\n".join(lines[:2]) + "\n",
                                                       encoding="utf-8")
    with pytest.raises(DataValidationError, match="cannot be overlaid"):
        load_dataset(tmp_path)
