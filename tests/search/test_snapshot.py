"""A restarted process answers from the index's snapshot exactly as the process that wrote
it did, after any kind of catalog change, and goes on changing it in place; a snapshot it
cannot trust (another layout, another way of folding words, a cut file) is never read."""

import numpy as np
import pytest

from smsbot.search import index as search_index, live, snapshot
from smsbot.search.index import Index
from smsbot.search.words import parse_query

# shops: id, code, name, address, kelurahan, lat, lon, hours (+ active in a change)
SHOPS = [
    (1, "RDG1", "Rendang Uni Emi", "Jl. Tan Malaka No. 12", "Ibuh", -0.2231, 100.6312, "08:00-21:00"),
    (2, "GLM1", "Galamai Mak Sari", "Jl. Jambu 22", "Ibuh", -0.2250, 100.6330, "07:00-17:00"),
    (3, "SNJ1", "Sanjai Amak Upik", "Jl. Sudirman 3", "Labuah Basilang", -0.2290, 100.6401, ""),
]
# products: id, code, name, category, price, stock, shop id (+ active in a change)
PRODUCTS = [
    (10, "RT01", "Rendang Telur 250g", "rendang", 25_000, 10, 1),
    (11, "RP01", "Rendang Paru 250g", "rendang", 48_000, 0, 1),
    (12, "GL01", "Galamai Durian 250g", "galamai", 26_000, 5, 2),
    (13, "GL02", "Galamai Original 250g", "galamai", 24_000, 7, 2),
    (14, "SJ01", "Sanjai Balado 200g", "sanjai", 15_000, 30, 3),
    (15, "SJ02", "Sanjai Tawar 200g", "sanjai", 13_000, 0, 3),
]
QUERIES = ["rendang", "galamai", "sanjai balado", "uni emi", "rendang murah", "galamay",
           "RT01", "paru", "amak upik", "dendeng", "galamai 25rb"]


def answers(index: Index) -> list:
    """What buyers would be told: every query's hits with their shop, and each shop code."""
    found = []
    for text in QUERIES:
        positions, unknown = index.search(parse_query(text))
        found.append((text, unknown, [
            (h.code, h.name, h.price, h.stock, index.shop_codes[h.shop], index.shop_names[h.shop])
            for h in map(index.hit, positions)]))
    for code in ("RDG1", "GLM1", "SNJ1", "SLM1", "KUE1"):
        s = index.shop_at(code)
        found.append((code, None if s is None else (
            index.shop_names[s], index.shop_address[s], index.shop_hours[s],
            place(index.shop_lat[s]), place(index.shop_lon[s]))))
    return found


def place(degrees) -> float | None:
    return None if np.isnan(degrees) else float(degrees)


def change(index: Index, round_: int) -> None:
    """One of every kind of change a live catalog sees."""
    p, s = round_ * 100, round_ * 10
    assert index.change(
        [(10, "RT01", "Rendang Telur 250g", "rendang", 21_000 + p, 0 + round_, 1, True),  # HARGA, STOK
         (11, "RP01", "Rendang Paru Pedas 250g", "rendang", 48_000, 3, 1, True),  # renamed
         (13, f"GO{round_:02d}", "Galamai Original 250g", "galamai", 24_000, 7, 2, True),  # new code
         (15, "SJ02", "Sanjai Tawar 200g", "sanjai", 13_000, 0, 3, False),  # hidden (HAPUS)
         (20 + round_, f"RA{round_:02d}", "Rendang Ayam 250g", "rendang", 30_000, 20, 1, True),  # TAMBAH
         (30 + round_, f"KB{round_:02d}", "Kue Bawang", "kue", 9_000, 4, 4 + round_, True)],
        [(2, "GLM1", f"Galamai Mak Sari {s}", "Jl. Jambu 22", "Ibuh", -0.2250, 100.6330, "07-17", True),
         (3, "SNJ1", "Sanjai Amak Upik", "Jl. Sudirman 5", "Labuah Basilang", -0.2291, 100.6402, "", True),
         (4 + round_, f"KUE{round_}", "Kue Bawang Bundo", "Pasar Ibuh", "Ibuh", -0.224, 100.632, "", True)])


def restarted(index: Index, tmp_path) -> Index:
    target = snapshot.write(tmp_path / "smsbot.index.pickle", index)
    state = snapshot.read_file(target)
    assert state is not None
    return Index.from_columns(state)


def test_a_restart_answers_as_the_index_it_saved_and_changes_in_place_alike(tmp_path):
    live = Index(PRODUCTS, SHOPS, stamp=(7,))
    change(live, 1)
    loaded = restarted(live, tmp_path)
    assert answers(loaded) == answers(live)
    assert ("RA01", "Rendang Ayam 250g") in [hit[:2] for hit in answers(loaded)[0][2]]
    for index in (live, loaded):  # both processes see the same changes after the restart
        change(index, 2)
    assert answers(loaded) == answers(live)
    assert any(hit[0] == "RA02" for hit in answers(loaded)[0][2])
    assert loaded.stamp == (7,)


def test_a_name_holding_the_snapshots_separator_comes_back_whole(tmp_path):
    shops = [(1, "RDG1", "Rendang\x00Uni Emi", "Jl. Tan Malaka", "Ibuh", None, None, None)]
    loaded = restarted(Index(PRODUCTS[:2], shops), tmp_path)
    assert loaded.shop_names == ["Rendang\x00Uni Emi"]
    assert place(loaded.shop_lat[0]) is None  # no place stays no place
    assert answers(loaded) == answers(Index(PRODUCTS[:2], shops))


def test_a_snapshot_it_cannot_trust_is_not_read(tmp_path, monkeypatch):
    index = Index(PRODUCTS, SHOPS, stamp=(7,))
    target = snapshot.write(tmp_path / "smsbot.index.pickle", index)
    good = target.read_bytes()
    target.write_bytes(good[: len(good) // 2])  # cut short (a full disk)
    assert snapshot.read_file(target) is None
    target.write_bytes(b"\x80\x05" + good[len(snapshot.MAGIC):])  # the old whole-object pickle
    assert snapshot.read_file(target) is None
    target.write_bytes(good)
    assert snapshot.read_file(target)["stamp"] == (7,)
    monkeypatch.setattr(snapshot, "read", lambda session: snapshot.read_file(target))
    assert live._snapshot(None, (7,)) is not None
    assert live._snapshot(None, (6,)) is None  # of a newer database than this one
    target = snapshot.write(target, Index(PRODUCTS, SHOPS, stamp=("x",)))
    assert live._snapshot(None, (7,)) is None  # not a stamp: not this database's
    target = snapshot.write(target, index)
    monkeypatch.setattr(live, "folding", lambda: "words folded otherwise")
    assert live._snapshot(None, (7,)) is None


@pytest.mark.parametrize("column", [["a", "b", "a", "a"] * 600, ["x\x00y", "z"], [1, 2, 3], [],
                                    {"rendang": None}])
def test_every_column_comes_back_as_it_was(column):
    assert snapshot._unpack(snapshot._pack(column)) == column


def test_new_codes_keep_code_order_among_equals_even_when_ranks_run_out(monkeypatch):
    """Equal products (same stock state and price) list by code, also codes added in place
    after the build and after a restart, and when no rank is left between two neighbours
    (all are spaced out again)."""
    monkeypatch.setattr(search_index, "CODE_BITS", 6)  # 64 ranks: they run out quickly
    shops = SHOPS[:1]
    same = [(40 + i, f"KB{i * 10:03d}", "Kue Bawang", "kue", 9_000, 5, 1) for i in range(4)]
    index = Index(same, shops)
    added = [f"KB{n:03d}" for n in (15, 12, 11, 13, 14, 1, 35, 16, 17, 18, 19)]
    for i, code in enumerate(added):
        if i == 5:
            index = Index.from_columns(snapshot._unpack_all(snapshot._pack_all(index.columns())))
        assert index.change([(100 + i, code, "Kue Bawang", "kue", 9_000, 5, 1, True)], [])
    found, _unknown = index.search(parse_query("kue bawang"))
    codes = [index.codes[p] for p in found]
    assert codes == sorted(codes) and len(codes) == 4 + len(added)


def test_columns_are_kept_as_few_objects():
    """What makes a city's snapshot quick to read: no list of 200,000 strings in the file."""
    assert snapshot._pack([f"RT{n:05d}" for n in range(3000)])[0] == "strings"
    assert snapshot._pack(["Rendang Telur", "Galamai"] * 1500)[0] == "repeated"
    assert snapshot._pack({"rendang": np.arange(3), "galamai": np.arange(2)})[0] == "arrays"


def test_an_index_of_rows_sharing_a_code_still_builds_and_ranks():
    """Two rows with one code (the database's code_key forbids it; a list given by hand may
    not): the code finds one of them and the list still ranks in stock first, cheaper first."""
    rows = PRODUCTS + [(16, "rt01", "Rendang Telur 500g", "rendang", 45_000, 2, 1)]
    index = Index(rows, SHOPS)
    found, _unknown = index.search(parse_query("rendang"))
    hits = [index.hit(p) for p in found]
    assert [(h.stock > 0, h.price) for h in hits] == sorted(
        [(h.stock > 0, h.price) for h in hits], key=lambda k: (not k[0], k[1]))
    assert index.codes[index.by_code["RT01"]] in ("RT01", "rt01")


def test_a_run_of_new_codes_in_one_place_keeps_code_order(monkeypatch):
    """An import adding codes in sequence between two old ones (no rank left between them
    after a few) still lists equal products in code order: the codes around are spaced out."""
    monkeypatch.setattr(search_index, "CODE_BITS", 16)  # 65,536 ranks for 2,000 codes
    same = [(n, f"KB{n:05d}", "Kue Bawang", "kue", 9_000, 5, 1) for n in range(0, 4000, 2)]
    index = Index(same, SHOPS[:1])
    added = [(10_000 + n, f"KB01000-{n:03d}", "Kue Bawang", "kue", 9_000, 5, 1, True)
             for n in range(300)]
    for row in added[:100]:
        assert index.change([row], [])
    assert index.change(added[100:], [])
    by_rank = [index.codes[p] for p in np.argsort(index.order, kind="stable").tolist()]
    assert by_rank == sorted(by_rank, key=str.upper) and len(by_rank) == 2000 + 300
