"""UMKM classes at every threshold of both laws: the limit itself and one rupiah more."""

import pytest

from smsbot.crm.umkm_class import JT, LAWS, M, classify

EDGES = [
    # law, assets, sales, class
    ("pp7-2021", 1 * M, None, "micro"),
    ("pp7-2021", 1 * M + 1, None, "small"),
    ("pp7-2021", 5 * M, None, "small"),
    ("pp7-2021", 5 * M + 1, None, "medium"),
    ("pp7-2021", 10 * M, None, "medium"),
    ("pp7-2021", 10 * M + 1, None, "large"),
    ("pp7-2021", None, 2 * M, "micro"),
    ("pp7-2021", None, 2 * M + 1, "small"),
    ("pp7-2021", None, 15 * M, "small"),
    ("pp7-2021", None, 15 * M + 1, "medium"),
    ("pp7-2021", None, 50 * M, "medium"),
    ("pp7-2021", None, 50 * M + 1, "large"),
    ("uu20-2008", 50 * JT, None, "micro"),
    ("uu20-2008", 50 * JT + 1, None, "small"),
    ("uu20-2008", 500 * JT, None, "small"),
    ("uu20-2008", 500 * JT + 1, None, "medium"),
    ("uu20-2008", 10 * M, None, "medium"),
    ("uu20-2008", 10 * M + 1, None, "large"),
    ("uu20-2008", None, 300 * JT, "micro"),
    ("uu20-2008", None, 300 * JT + 1, "small"),
    ("uu20-2008", None, 2_500 * JT, "small"),
    ("uu20-2008", None, 2_500 * JT + 1, "medium"),
    ("uu20-2008", None, 50 * M, "medium"),
    ("uu20-2008", None, 50 * M + 1, "large"),
]


@pytest.mark.parametrize("law,assets,sales,expected", EDGES)
def test_every_threshold(law, assets, sales, expected):
    assert classify(assets, sales, law) == expected


def test_every_threshold_is_covered_above():
    for law, (assets, sales) in LAWS.items():
        for limit in assets:
            assert (law, limit, None) in {(e[0], e[1], e[2]) for e in EDGES}
        for limit in sales:
            assert (law, None, limit) in {(e[0], e[1], e[2]) for e in EDGES}


def test_either_figure_qualifies_the_smaller_class():
    # "atau": micro capital with large sales is still micro, and the other way round
    assert classify(1 * M, 60 * M) == "micro"
    assert classify(20 * M, 2 * M) == "micro"
    assert classify(5 * M + 1, 15 * M + 1) == "medium"
    assert classify(0, 0, "uu20-2008") == "micro"


def test_missing_figures():
    assert classify(None, None) == "unknown"
    assert classify(None, None, "uu20-2008") == "unknown"


def test_the_same_shop_under_both_laws():
    # RDG1 in the demo catalog: assets 145 jt, sales 780 jt
    assert classify(145 * JT, 780 * JT, "pp7-2021") == "micro"
    assert classify(145 * JT, 780 * JT, "uu20-2008") == "small"
