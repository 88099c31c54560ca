"""Memos keyed by their inputs: table contents, not identity; one switch clears them all."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance import memo


def test_a_table_memo_keys_by_contents_not_identity() -> None:
    calls: list[int] = []
    table = pd.DataFrame({"iso3": ["DEU", "POL"], "units": [3.0, 4.0]})
    cache: memo.TableMemo[float] = memo.TableMemo(4)

    def total(frame: pd.DataFrame) -> float:
        calls.append(1)
        return float(frame["units"].sum())

    assert cache.get([table], "sum", lambda: total(table)) == 7.0
    copy = table.copy()  # a new object with the same contents: a hit
    assert cache.get([copy], "sum", lambda: total(copy)) == 7.0
    changed = table.assign(units=[3.0, 5.0])  # new contents: computed again
    assert cache.get([changed], "sum", lambda: total(changed)) == 8.0
    assert len(calls) == 2


def test_clear_all_forgets_every_registered_memo() -> None:
    calls: list[int] = []

    @memo.memoised(8)
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    table_memo: memo.TableMemo[int] = memo.TableMemo(2)
    frame = pd.DataFrame({"a": [1]})
    double(2)
    double(2)
    table_memo.get([frame], 0, lambda: 1)
    assert calls == [2]
    memo.clear_all()
    double(2)
    assert calls == [2, 2]
    assert table_memo.get([frame], 0, lambda: 99) == 99  # recomputed after clear_all


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), max_size=20))
def test_the_fingerprint_is_the_contents(values: list[float]) -> None:
    frame = pd.DataFrame({"v": values}, dtype=float)
    assert memo.fingerprint(frame) == memo.fingerprint(frame.copy())
    assert memo.fingerprint(frame) != memo.fingerprint(frame.astype("float32"))  # dtype counts
    if values:
        bumped = frame.assign(v=frame["v"] + 1.0)
        if not bumped["v"].equals(frame["v"]):
            assert memo.fingerprint(bumped) != memo.fingerprint(frame)


def test_a_live_table_is_fingerprinted_once_and_a_new_one_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[int] = []
    real = memo.fingerprint

    def counting(frame: pd.DataFrame) -> str:
        hashed.append(1)
        return real(frame)

    monkeypatch.setattr(memo, "fingerprint", counting)
    table = pd.DataFrame({"a": [1.0, 2.0]})
    first = memo.remembered_fingerprint(table)
    assert memo.remembered_fingerprint(table) == first and len(hashed) == 1
    other = table.copy()
    assert memo.remembered_fingerprint(other) == first and len(hashed) == 2
    del table  # a dead object's entry is dropped, so a reused id is not trusted
    gc.collect()
    assert memo.remembered_fingerprint(pd.DataFrame({"a": [9.0]})) != first


def test_per_result_keys_results_by_identity_and_values_by_value() -> None:
    calls: list[int] = []

    @memo.per_result(4)
    def rows(frame: pd.DataFrame, year: int) -> int:
        calls.append(year)
        return len(frame) + year

    frame = pd.DataFrame({"a": [1, 2]})
    assert rows(frame, 1) == 3 and rows(frame, 1) == 3 and calls == [1]
    assert rows(frame, 2) == 4 and calls == [1, 2]  # another value: computed
    same_contents = frame.copy()  # another object: computed (identity, not contents)
    assert rows(same_contents, 1) == 3 and calls == [1, 2, 1]
    memo.clear_all()
    assert rows(frame, 1) == 3 and calls == [1, 2, 1, 1]
