"""The CLI's shared table helpers: 80 columns, no word broken, integer counts, one ± (95 %)."""

from __future__ import annotations

import io

import rich.console

from alliance.cli.common import PM_NOTE, Z95, add_rows, count, label, pm95, report_table


def _render(table: object, width: int = 80) -> str:
    out = io.StringIO()
    rich.console.Console(file=out, width=width, markup=False).print(table)
    return out.getvalue()


def test_counts_are_integers_and_years_have_no_separator() -> None:
    assert count(31.0) == "31"
    assert count(12345.4) == "12,345"
    assert count(2031.0, separator=False) == "2031"
    assert count(None) == "" and count(float("nan")) == ""


def test_plus_minus_is_the_95_percent_interval() -> None:
    assert Z95 == 1.96 and "95 %" in PM_NOTE
    assert pm95(0.25, 0.01) == "0.250 ± 0.020"  # 1.96 x 0.01, rounded
    assert pm95(0.231, 0.003, percent=True) == "23.1 % ± 0.6"
    assert pm95(None, 0.1) == ""


def test_labels_replace_internal_ids() -> None:
    assert label("air_defence_interceptors") == "air defence interceptors"


def test_no_word_is_broken_at_80_columns_and_notes_need_wide() -> None:
    words = ["interoperability", "counter-battery", "Bosnia-Herzegovina"]
    rows = [[f"{w} and some plain words", "12.5 % ± 0.4", "note " * 12] for w in words]
    narrow = report_table("Test", [("area", "left"), ("value", "right")], ["notes"])
    add_rows(narrow, [r[:2] for r in rows])
    text = _render(narrow)
    assert max(len(line) for line in text.splitlines()) <= 80
    for w in words:
        assert w in text, f"{w} was broken"
    assert "notes" not in text
    wide = report_table("Test", [("area", "left"), ("value", "right")], ["notes"], wide=True)
    add_rows(wide, rows)
    assert "notes" in _render(wide, 120)
