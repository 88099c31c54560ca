"""Properties of the cell reader: numbers, missing codes and footnote symbols."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.data.importers._workbook import (
    FOOTNOTES,
    MISSING_CODES,
    Sheet,
    cell_number,
    column_letter,
)
from alliance.errors import DataValidationError

FILE = Path("book.xlsx")


def _sheet(value: object) -> Sheet:
    return Sheet(FILE, "S", [(None, value)])


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_a_number_with_a_footnote_symbol_reads_as_the_number(x: float) -> None:
    symbol = "†"
    value, flags = cell_number(_sheet(f"{x!r}{symbol}"), 0, 1, unit="u")
    assert value == pytest.approx(x) and flags == (FOOTNOTES[symbol],)
    assert cell_number(_sheet(x), 0, 1, unit="u") == (x, ())


@given(st.sampled_from(sorted(MISSING_CODES)), st.sampled_from(["", " ", "  "]))
def test_missing_codes_are_missing_not_zero(code: str, pad: str) -> None:
    assert cell_number(_sheet(pad + code + pad), 0, 1, unit="u")[0] is None


@given(st.text(alphabet="abcdefghij#@!?", min_size=1, max_size=6).filter(
    lambda s: s.strip().lower() not in MISSING_CODES))
def test_other_text_is_an_error_naming_the_cell(text: str) -> None:
    with pytest.raises(DataValidationError) as err:
        cell_number(_sheet(text), 0, 1, unit="u")
    assert err.value.line == 1 and err.value.column == "B" and "sheet 'S'" in str(err.value)


@pytest.mark.parametrize("text", ["inf", "nan", "-inf"])
def test_non_finite_text_is_an_error(text: str) -> None:
    with pytest.raises(DataValidationError):
        cell_number(_sheet(text), 0, 1, unit="u")


@given(st.integers(min_value=0, max_value=20_000))
def test_column_letters_are_bijective_base_26(index: int) -> None:
    letters = column_letter(index)
    back = 0
    for ch in letters:
        back = back * 26 + (ord(ch) - 64)
    assert back - 1 == index
