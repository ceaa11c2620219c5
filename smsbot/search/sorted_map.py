"""A mapping kept as sorted keys with an array of int values beside them, for the search
index's tables of 200,000 codes or product ids. A restart reads it back from a snapshot as
two flat columns, without hashing a key: rebuilding a dict of a city's codes took most of
the snapshot's reading time. A look-up is a binary search (about a microsecond); a new key
is inserted in place (a memory move, rare: a new product)."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator


class SortedMap:
    def __init__(self, items: Iterable[tuple] = ()):
        """From (key, value) pairs (the last value of a key counts, as in a dict)."""
        table = dict(items)
        self.keys: list | array = sorted(table)  # the keys alone: sorting pairs is slower
        self.values = array("q", map(table.__getitem__, self.keys))

    @classmethod
    def from_columns(cls, keys: list | array, values: array) -> SortedMap:
        """Keys already sorted (and unique) and their values, kept as they are (an array("q")
        of int keys takes 8 bytes a key)."""
        table = cls.__new__(cls)
        table.keys, table.values = keys, values
        return table

    def _at(self, key) -> int:
        at = bisect.bisect_left(self.keys, key)
        return at if at < len(self.keys) and self.keys[at] == key else -1

    def get(self, key, default=None):
        at = self._at(key)
        return default if at < 0 else self.values[at]

    def __getitem__(self, key) -> int:
        at = self._at(key)
        if at < 0:
            raise KeyError(key)
        return self.values[at]

    def __contains__(self, key) -> bool:
        return self._at(key) >= 0

    def __setitem__(self, key, value: int) -> None:
        at = bisect.bisect_left(self.keys, key)
        if at < len(self.keys) and self.keys[at] == key:
            self.values[at] = value
        else:
            self.keys.insert(at, key)
            self.values.insert(at, value)

    def __delitem__(self, key) -> None:
        at = self._at(key)
        if at < 0:
            raise KeyError(key)
        del self.keys[at]
        del self.values[at]

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator:
        return iter(self.keys)

    def items(self) -> Iterator[tuple]:
        return zip(self.keys, self.values)
