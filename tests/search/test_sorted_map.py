"""The index's code and id tables behave as the dicts they replaced."""

from array import array

import pytest

from smsbot.search.sorted_map import SortedMap


@pytest.mark.parametrize("numbers", [False, True])  # codes in a list, ids in an array("q")
def test_a_sorted_map_acts_as_a_dict(numbers):
    key = (lambda n: n * 7) if numbers else (lambda n: f"RT{n:03d}")
    pairs = [(key(n), n) for n in (5, 3, 9, 1)] + [(key(3), 33)]  # the last value counts
    same = dict(pairs)
    table = SortedMap(pairs) if not numbers else SortedMap.from_columns(
        array("q", sorted(same)), array("q", [same[k] for k in sorted(same)]))
    for n in (10, 0, 4, 9):
        table[key(n)] = same[key(n)] = 100 + n
    for n in (1, 10):
        del table[key(n)], same[key(n)]
    with pytest.raises(KeyError):
        del table[key(1)]
    with pytest.raises(KeyError):
        table[key(2)]
    assert dict(table.items()) == same and len(table) == len(same)
    assert list(table) == sorted(same)
    assert [table.get(key(n), -1) for n in range(12)] == [same.get(key(n), -1) for n in range(12)]
    assert all((key(n) in table) == (key(n) in same) for n in range(12))
    again = SortedMap.from_columns(list(table.keys) if not numbers else table.keys, table.values)
    assert dict(again.items()) == same
