"""Reproductions of IISS (May 2025) 'Defending Europe without the United States' (issue 10, item 8).

Inputs: the bundled US holdings (USA_EUCOM in Europe, USA_TOTAL inventory), the
named reinforcement-share assumption (low/central/high 0.1/0.25/0.5, not fitted
to IISS) and the bundled unit costs of the systems Europe would buy. Outputs: the
US contribution per area that the ``replace_us`` requirement counts, and its
one-off replacement bill. The IISS figures below are NOT inputs: they are only
compared with the outputs (they sit in ``requirement_estimates`` /
``capability_requirements`` as ``replace_us_published`` rows, which the model
never uses as a requirement).

Tolerances:
* quantities — IISS's figure must lie inside the model's low-high range (the
  reinforcement share's named range); the central value is reported, not forced;
* bill — the model's central bill must lie within IISS's USD 226-344 bn range
  widened by 15 % each side (unit costs are nominal USD of mixed price years,
  mostly package prices), and the two ranges must overlap.
"""

from __future__ import annotations

import pytest

from alliance.capabilities.replacement import us_replacement_bill
from alliance.data import Dataset
from alliance.scenario import load_scenario

#: IISS 2025: US assets Europe would have to replace (press release and report summary).
IISS_QUANTITIES = {"combat_aircraft": 400, "frigate_destroyer": 20,
                   "ground_based_air_defence_long_range": 24}
#: IISS 2025: one-off procurement cost of like-for-like replacement [USD bn].
IISS_BILL_USD_BN = (226.0, 344.0)
BILL_TOLERANCE = 0.15


@pytest.fixture(scope="module")
def bill(dataset: Dataset):  # type: ignore[no-untyped-def]
    return us_replacement_bill(dataset, load_scenario("baseline")).set_index("capability")


def test_iiss_largest_items_lie_in_the_computed_range(bill) -> None:  # type: ignore[no-untyped-def]
    for area, iiss in IISS_QUANTITIES.items():
        row = bill.loc[area]
        assert row["quantity_low"] <= iiss <= row["quantity_high"], (area, row.to_dict())


def test_iiss_one_off_procurement_bill(bill) -> None:  # type: ignore[no-untyped-def]
    low, high = IISS_BILL_USD_BN
    central = bill["cost_musd"].sum() / 1000.0
    assert low * (1 - BILL_TOLERANCE) <= central <= high * (1 + BILL_TOLERANCE), central
    assert bill["cost_low_musd"].sum() / 1000.0 <= high
    assert bill["cost_high_musd"].sum() / 1000.0 >= low
    priced = bill[bill["status"] == "ok"]
    assert {"combat_aircraft", "frigate_destroyer", "air_to_air_refuelling"} <= set(priced.index)
