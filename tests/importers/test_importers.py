"""The NATO, SIPRI and Kiel importers on fixture workbooks, incl. drifted layouts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliance.cli import app
from alliance.data import load_dataset
from alliance.data.importers import import_kiel, import_nato, import_sipri
from alliance.errors import DataValidationError
from tests.importers.workbooks import kiel_workbook, nato_workbook, sipri_workbook

runner = CliRunner()


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


# --- NATO ---------------------------------------------------------------------------------


def test_nato_import_writes_a_validated_overlay(tmp_path: Path) -> None:
    book = nato_workbook(tmp_path / "def-exp-2025-en.xlsx")
    result = import_nato(book, tmp_path / "overlay")
    de = load_dataset(result.out_dir).table("defence_expenditure").set_index(["iso3", "year"])
    assert de.loc[("DEU", 2024), "share_gdp_pct"] == pytest.approx(2.12)
    assert de.loc[("DEU", 2024), "status"] == "estimate"
    assert de.loc[("BEL", 2023), "share_gdp_pct"] == pytest.approx(1.21)  # STANAG code row
    assert de.loc[("TUR", 2025), "share_gdp_pct"] == pytest.approx(2.33)  # Türkiye by name
    assert de.loc[("ALB", 2023), "spending_musd_current"] == pytest.approx(400.0)
    where = de.loc[("DEU", 2024), "imported_from"]
    assert "def-exp-2025-en.xlsx, sheet 'Table 3', row 8 col E" in where
    assert "sheet 'Table 2'" in where
    # '..' is a missing figure, not a zero: the bundled 2025 row stays as bundled
    assert result.rows["defence_expenditure"] == 4 * 5 - 2
    assert any("Table 1" in s and "no defence_expenditure column" in s for s in result.skipped)


def test_nato_round_trip_through_spending(tmp_path: Path) -> None:
    book = nato_workbook(tmp_path / "nato.xlsx")
    code, out = _cli("data", "import", "nato", str(book), "--out", str(tmp_path / "ov"))
    assert code == 0, out
    code, out = _cli("spending", "--overlay", str(tmp_path / "ov"), "--year", "2024", "--json")
    assert code == 0, out
    rows = {r["iso3"]: r for r in json.loads(out)["rows"]}
    assert rows["DEU"]["share_gdp_pct"] == pytest.approx(2.12)
    assert rows["BEL"]["share_gdp_pct"] == pytest.approx(1.30)


@pytest.mark.parametrize(
    ("drift", "expected"),
    [
        ("moved_header", "nato.xlsx, line 30, column 'A': sheet 'Table 3': the header row "
         "('Country' and the years) is found at row 30, expected within rows 1-25"),
        ("extra_column", "nato.xlsx, line 6, column 'D': sheet 'Table 3': a figure (9.99) in a "
         "column without a year in the header row 5"),
        ("unknown_country", "nato.xlsx, line 8, column 'A': sheet 'Table 3': unknown country "
         "'Atlantis'"),
        ("bad_code", "nato.xlsx, line 7, column 'D': sheet 'Table 3': expected a number in "
         "percent of GDP or a missing-value code"),
    ],
)
def test_nato_drift_is_one_clear_error(tmp_path: Path, drift: str, expected: str) -> None:
    book = nato_workbook(tmp_path / "nato.xlsx", drift=drift)
    with pytest.raises(DataValidationError) as err:
        import_nato(book, tmp_path / "ov")
    assert expected in str(err.value)
    assert err.value.line is not None and err.value.column is not None
    assert not (tmp_path / "ov").exists()
    code, out = _cli("data", "import", "nato", str(book), "--out", str(tmp_path / "ov"))
    assert code == 2
    assert "sheet 'Table 3'" in out and "Fix:" in out


# --- SIPRI --------------------------------------------------------------------------------


def test_sipri_import_reads_codes_footnotes_and_fractions(tmp_path: Path) -> None:
    book = sipri_workbook(tmp_path / "SIPRI-Milex-data-1949-2024.xlsx")
    result = import_sipri(book, tmp_path / "ov")
    t = load_dataset(result.out_dir).table("sipri_milex").set_index(["iso3", "year", "measure"])
    assert t.loc[("DEU", 2024, "share_gdp_pct"), "value"] == pytest.approx(1.90)
    assert t.loc[("DEU", 2024, "usd_current_m"), "value"] == pytest.approx(88500.0)
    assert t.loc[("FRA", 2024, "share_gdp_pct"), "flags"] == "current_only|estimate"
    assert t.loc[("POL", 2022, "share_gdp_pct"), "flags"] == "no_pensions"
    assert ("MKD", 2022, "share_gdp_pct") not in t.index  # xxx
    assert ("MKD", 2023, "share_gdp_pct") not in t.index  # . .
    assert "row 10, column E" in t.loc[("DEU", 2024, "share_gdp_pct"), "imported_from"]
    assert any("not allies" in s and "Algeria" in s for s in result.skipped)
    assert any("Local currency" in s for s in result.skipped)


@pytest.mark.parametrize(
    ("drift", "expected"),
    [
        ("renamed_sheet", "no sheet named 'Share of GDP'; the workbook has 'Front page', "
         "'GDP share'"),
        ("moved_header", "line 12, column 'A': sheet 'Share of GDP': no header row with "
         "'Country' in rows 1-12"),
        ("footnote", "line 10, column 'E': sheet 'Share of GDP': expected a number in "
         "share_gdp_pct or a missing-value code"),
    ],
)
def test_sipri_drift_is_one_clear_error(tmp_path: Path, drift: str, expected: str) -> None:
    book = sipri_workbook(tmp_path / "sipri.xlsx", drift=drift)
    with pytest.raises(DataValidationError) as err:
        import_sipri(book, tmp_path / "ov")
    assert expected in str(err.value)
    code, out = _cli("data", "import", "sipri", str(book), "--out", str(tmp_path / "ov"))
    assert code == 2 and "sipri.xlsx" in out


# --- Kiel ---------------------------------------------------------------------------------


@pytest.mark.parametrize("blank_first_column", [False, True])
def test_kiel_import_with_and_without_the_blank_first_column(
    tmp_path: Path, blank_first_column: bool
) -> None:
    book = kiel_workbook(tmp_path / "Ukraine_Support_Tracker_Release_28.xlsx",
                         blank_first_column=blank_first_column)
    result = import_kiel(book, tmp_path / "ov", data_through="2025-12-31")
    uk = load_dataset(result.out_dir).table("ukraine_support")
    imported = uk[uk["row_id"] >= 1_000_000]
    assert len(imported) == 7 + 2 * 3
    de = imported[(imported["iso3"] == "DEU") & (imported["year"] == 2024)
                  & (imported["aid_type"] == "military")]
    assert de["value_eur_bn"].sum() == pytest.approx(7.0)
    eu = imported[imported["donor"].str.startswith("EU")]
    assert set(eu["donor_group"]) == {"europe_part"}
    assert set(imported[imported["donor"] == "Japan"]["donor_group"]) == {"other"}
    letter = "I" if blank_first_column else "H"
    assert (f"Ukraine_Support_Tracker_Release_28.xlsx, sheet 'Bilateral Assistance, MAIN DATA', "
            f"row 3, column {letter}") in set(imported["imported_from"])
    summary = imported[imported["row_id"] >= 2_000_000]
    assert summary[(summary["iso3"] == "USA") & (summary["aid_type"] == "military")][
        "value_eur_bn"].iloc[0] == pytest.approx(64.0)
    assert len(uk) == len(load_dataset().table("ukraine_support")) + len(imported)


@pytest.mark.parametrize(
    ("drift", "expected"),
    [
        ("renamed_sheet", "no sheet named 'Bilateral Assistance, MAIN DATA'; the workbook has "
         "'MAIN DATA', 'Country Summary (€)'"),
        ("moved_header", "line 5, column 'A': sheet 'Bilateral Assistance, MAIN DATA': no header "
         "row with 'donor', 'announcement_date', 'aid_type_general', 'measure' in rows 1-5"),
        ("unknown_donor", "line 9, column 'A': sheet 'Bilateral Assistance, MAIN DATA': unknown "
         "donor 'Narnia'"),
        ("bad_aid_type", "line 2, column 'C': sheet 'Bilateral Assistance, MAIN DATA': 'Cyber' is "
         "not one of Military, Financial, Humanitarian"),
    ],
)
def test_kiel_drift_is_one_clear_error(tmp_path: Path, drift: str, expected: str) -> None:
    book = kiel_workbook(tmp_path / "kiel.xlsx", drift=drift)
    with pytest.raises(DataValidationError) as err:
        import_kiel(book, tmp_path / "ov")
    assert expected in str(err.value)
    code, out = _cli("data", "import", "kiel", str(book), "--out", str(tmp_path / "ov"))
    assert code == 2 and "kiel.xlsx" in out


def test_not_a_workbook_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "fake.xlsx"
    bad.write_text("not a zip", encoding="utf-8")
    code, out = _cli("data", "import", "kiel", str(bad), "--out", str(tmp_path / "ov"))
    assert code == 2 and "not a readable .xlsx workbook" in out


def test_a_failed_import_leaves_the_previous_overlay(tmp_path: Path) -> None:
    out = tmp_path / "ov"
    import_kiel(kiel_workbook(tmp_path / "good.xlsx"), out)
    before = (out / "ukraine_support.csv").read_text(encoding="utf-8")
    with pytest.raises(DataValidationError):
        import_kiel(kiel_workbook(tmp_path / "bad.xlsx", drift="unknown_donor"), out)
    assert (out / "ukraine_support.csv").read_text(encoding="utf-8") == before
