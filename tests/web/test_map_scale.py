"""The map at city scale: `/peta.json` sends the shops in the map's view (bbox), clusters
them when the view holds too many, and stays small however many shops the city has."""

import re

import pytest
from sqlmodel import Session, select

from smsbot.catalog.models import Shop
from smsbot.store import engine as db
from smsbot.web import map_grid
from tests.conftest import NOW, WebClock
from tests.sms.test_per_message_cost import grow_city

# grow_city puts its shops on a grid from (-0.20, 100.60) south and east, 0.001 degrees apart


@pytest.fixture(scope="module")
def city_site(tmp_path_factory):
    """The website on the demo catalog plus 3,000 shops."""
    from starlette.testclient import TestClient

    from smsbot.sim.seed import seed_demo
    from smsbot.web.app import create_app
    from smsbot.web.config import WebConfig

    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('map') / 'city.db'}")
    seed_demo(engine, NOW)
    grow_city(engine, 3_000)
    app = create_app(engine, WebConfig(tile_url="", bot_number="0812 0000 0000",
                                       clock=WebClock(NOW)))
    with TestClient(app, follow_redirects=False) as client:
        client.engine = engine
        yield client
    engine.dispose()


def located_in(engine, view, name_has: str = "") -> set[str]:
    west, south, east, north = view
    with Session(engine) as session:
        shops = session.exec(select(Shop).where(Shop.active == True)).all()  # noqa: E712
    return {s.code for s in shops if s.lat is not None and s.lon is not None
            and south <= s.lat <= north and west <= s.lon <= east and name_has in s.name}


def bbox(view) -> str:
    return ",".join(str(part) for part in view)


def test_the_whole_city_comes_as_clusters_in_a_small_answer(city_site):
    response = city_site.get("/peta.json")
    assert len(response.content) <= 100_000
    data = response.json()
    in_city = located_in(city_site.engine, map_grid.CITY_VIEW)
    assert len(in_city) > 3_000 and data["total"] == len(in_city)
    assert data["shops"] == [] and sum(c["count"] for c in data["clusters"]) == len(in_city)
    assert set(data["clusters"][0]) == {"lat", "lon", "count"}


@pytest.mark.parametrize("zoom", ["12", "14", "16", "19"])
def test_clusters_count_every_shop_in_the_view_once(city_site, zoom):
    view = (100.59, -0.26, 100.66, -0.21)  # west, south, east, north: Leaflet's order
    response = city_site.get("/peta.json", params={"bbox": bbox(view), "z": zoom})
    assert len(response.content) <= 100_000
    data = response.json()
    expected = located_in(city_site.engine, view)
    assert data["total"] == len(expected)
    assert sum(c["count"] for c in data["clusters"]) == len(expected)
    assert all(view[1] <= c["lat"] <= view[3] and view[0] <= c["lon"] <= view[2]
               for c in data["clusters"])
    assert len(data["clusters"]) <= map_grid.MAX_CELLS


def test_zooming_in_splits_clusters(city_site):
    view = (100.59, -0.26, 100.66, -0.21)
    counts = [len(city_site.get("/peta.json", params={"bbox": bbox(view), "z": z})
                  .json()["clusters"]) for z in ("11", "13", "15")]
    assert counts[0] < counts[1] < counts[2]


def test_a_small_view_gets_its_shops_as_markers(city_site):
    view = (100.6005, -0.2055, 100.6045, -0.2005)  # a few streets: 5 x 6 shops
    data = city_site.get("/peta.json", params={"bbox": bbox(view), "z": "18"}).json()
    assert data["clusters"] == [] and data["total"] == len(data["shops"])
    assert {s["code"] for s in data["shops"]} == located_in(city_site.engine, view) != set()
    first = data["shops"][0]
    assert set(first) >= {"code", "name", "lat", "lon", "address", "open", "url"}


def test_a_food_search_is_bounded_by_the_view_too(city_site):
    view = (100.6005, -0.2055, 100.6045, -0.2005)
    data = city_site.get("/peta.json", params={"q": "keripik uji", "bbox": bbox(view)}).json()
    assert data["q"] == "keripik uji" and data["clusters"] == []
    assert {s["code"] for s in data["shops"]} == located_in(city_site.engine, view, "Uji")
    everywhere = city_site.get("/peta.json", params={"q": "keripik uji"})
    assert len(everywhere.content) <= 100_000 and everywhere.json()["shops"] == []


def test_the_page_lists_a_bounded_number_of_shops(city_site):
    html = city_site.get("/peta").text
    assert len(re.findall(r'href="[^"]*/toko/', html)) == map_grid.MAX_MARKERS


@pytest.mark.parametrize("params", [{"bbox": "1,2,3"}, {"bbox": "a,b,c,d"},
                                    {"bbox": "100.7,-0.2,100.6,-0.1"}, {"z": "near"}])
def test_a_bad_view_is_refused_in_indonesian(web, params):
    response = web.get("/peta.json", params=params)
    assert response.status_code == 400 and "Peta tidak dikenal" in response.json()["error"]


def test_the_demo_town_still_comes_whole(web):
    data = web.get("/peta.json").json()
    assert len(data["shops"]) == 28 and data["clusters"] == [] and data["total"] == 28
