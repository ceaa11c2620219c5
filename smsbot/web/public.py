"""Public pages (no login): home with search, products, shops, the map.

The search is CARI's own (`smsbot.search.results.find`): the same folding, typo tolerance and
ranking, so a tourist on the website and a buyer texting CARI see the same list. The map
filters shops with LOKASI's code (`Index.shops_selling`, `nearby.grid`). Every page but
the map works without JavaScript; the map's data also comes as a plain list. At city scale the map asks only for its view
(`/peta.json?bbox=west,south,east,north&z=zoom`) and gets clusters where the view holds
more shops than a map can draw (smsbot.web.map_grid).
"""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from smsbot.catalog.models import Product, Shop
from smsbot.catalog.promos import active_promo
from smsbot.crm.reviews import rating_counts
from smsbot.search import live as search_index, misses, results as search_results
from smsbot.search.nearby import distance_text, grid
from smsbot.search.words import parse_query
from smsbot.web import map_grid, shop_data
from smsbot.web.render import page

MAX_QUERY = 160  # one SMS: longer text is cut, as the modem would
MAX_CODE = 20
SEARCH_LIMIT = search_results.MAX_LIST
NEAREST = 5
EXAMPLES = ["rendang", "galamai", "keripik sanjai", "kue bolu", "dakak-dakak"]


def _engine(request: Request):
    return request.app.state.engine


def _now(request: Request):
    return request.app.state.config.clock()


def _query_text(request: Request) -> str:
    """The search box's text on one line, without control characters (a NUL would break
    PostgreSQL when a miss is recorded), cut to one SMS."""
    text = "".join(ch if ch.isprintable() else " " for ch in request.query_params.get("q", ""))
    return " ".join(text.split())[:MAX_QUERY]


def _code(request: Request) -> str:
    """A product or shop code from the path: letters and digits only, else "" (404)."""
    code = request.path_params["code"].strip()
    return code if code.isascii() and code.isalnum() and len(code) <= MAX_CODE else ""


async def home(request: Request):
    return page(request, "home.html", examples=EXAMPLES, q="")


# -- search ------------------------------------------------------------------------------
def _search(engine, text: str, now) -> dict:
    with Session(engine) as session:
        query, rows, index = search_results.find(session, text, limit=SEARCH_LIMIT)
        if not query.words and not query.optional:
            return {"empty": True, "results": [], "suggestions": []}
        if not rows:
            misses.record(session, query, text, misses.WEB_PHONE, now)
            session.commit()
            return {"empty": False, "results": [],
                    "suggestions": index.suggest(query.words + query.optional)}
        priced = search_results.decorate(session, rows, now)
        codes = index.shop_codes
        results = [{"code": row.code, "name": row.name, "price": row.price, "promo": shown.price
                    if shown.price < row.price else None, "in_stock": row.in_stock,
                    "shop": row.shop, "shop_code": codes[index.shop_position[row.shop_id]],
                    "rating": shown.rating}
                   for row, shown in zip(rows, priced)]
        return {"empty": False, "results": results, "suggestions": []}


async def search(request: Request):
    text = _query_text(request)
    found = await run_in_threadpool(_search, _engine(request), text, _now(request))
    return page(request, "public/search.html", q=text, examples=EXAMPLES, **found)


# -- product -----------------------------------------------------------------------------
def _product(engine, code: str, now) -> dict | None:
    if not code or len(code) > MAX_CODE:
        return None
    with Session(engine) as session:
        found = session.exec(
            select(Product, Shop).join(Shop, Shop.id == Product.shop_id)
            .where(Product.code_key == code.upper(), Product.active == True,  # noqa: E712
                   Shop.active == True)).first()  # noqa: E712
        if found is None:
            return None
        product, shop = found
        promo = active_promo(session, product.id, now)
        return {"product": shop_data.product_view(product), "shop": shop_data.shop_view(shop, now),
                "promo": {"price": promo.price_idr, "percent": promo.percent,
                          "ends_at": promo.ends_at} if promo else None,
                "rating": shop_data.rating_view(rating_counts(session, [shop.id]).get(shop.id)),
                "reviews": shop_data.reviews(session, shop.id, product.id)}


async def product(request: Request):
    code = _code(request)
    found = await run_in_threadpool(_product, _engine(request), code, _now(request))
    if found is None:
        return _not_found(request, f"Produk dengan kode {code} tidak ada." if code
                          else "Produk itu tidak ada: kodenya hanya huruf dan angka, mis. RT01.")
    order = f"PESAN {found['product']['code']} 1"
    return page(request, "public/product.html", order=order, sms_link=sms_link(request, order),
                **found)


# -- shop --------------------------------------------------------------------------------
def _shop(engine, code: str, now) -> dict | None:
    if not code or len(code) > MAX_CODE:
        return None
    with Session(engine) as session:
        shop = session.exec(select(Shop).where(Shop.code_key == code.upper(),
                                               Shop.active == True)).first()  # noqa: E712
        if shop is None:
            return None
        return {"shop": shop_data.shop_view(shop, now),
                "products": shop_data.products(session, shop.id, now),
                "rating": shop_data.rating_view(rating_counts(session, [shop.id]).get(shop.id)),
                "reviews": shop_data.reviews(session, shop.id)}


async def shop(request: Request):
    code = _code(request)
    found = await run_in_threadpool(_shop, _engine(request), code, _now(request))
    if found is None:
        return _not_found(request, f"Toko dengan kode {code} tidak ada." if code
                          else "Toko itu tidak ada: kodenya hanya huruf dan angka, mis. RDG1.")
    first = found["products"][0]["code"] if found["products"] else "KODE"
    order = f"PESAN {first} 1"
    return page(request, "public/shop.html", order=order, sms_link=sms_link(request, order),
                **found)


# -- map ---------------------------------------------------------------------------------
class BadPlace(ValueError):
    """lat/lon that are missing half, not numbers, or off the globe."""


def _place(request: Request) -> tuple[float, float] | None:
    lat, lon = request.query_params.get("lat"), request.query_params.get("lon")
    if lat is None and lon is None:
        return None
    try:
        place = float(lat or ""), float(lon or "")
    except ValueError:
        raise BadPlace from None
    if not (-90 <= place[0] <= 90 and -180 <= place[1] <= 180):
        raise BadPlace
    return place


def _map_shops(engine, text: str, place, now, view=None, zoom: int = map_grid.CITY_ZOOM,
               markers_only: bool = False) -> dict:
    """The shops for the map: those selling `text` (all when empty), or the NEAREST of them
    to `place`. Otherwise those in `view` (the city's when None), at most MAX_MARKERS by name,
    and `clusters` of them all when the view holds more. A town or a filter small enough
    lists every shop, also those without coordinates (listed, but without a marker).
    `markers_only` (the JSON): no shops at all when there are clusters."""
    with Session(engine) as session:
        index = search_index.load(session)
    only = None
    query = parse_query(text) if text else None
    if query and (query.words or query.optional):
        only = index.shops_selling(query)
    clusters: list[dict] = []
    if place is not None:
        near = grid(index).nearest(place[0], place[1], NEAREST, only)
        chosen = [(n.shop, n.metres) for n in near]
        total = len(chosen)
    else:
        picked = np.arange(len(index.shop_codes)) if only is None else np.flatnonzero(only)
        if view is not None or len(picked) > map_grid.MAX_MARKERS:
            view = view or map_grid.CITY_VIEW
            picked = map_grid.in_view(index.shop_lat, index.shop_lon, view, only)
            if len(picked) > map_grid.MAX_MARKERS:
                clusters = map_grid.clusters(index.shop_lat, index.shop_lon, picked, view, zoom)
        total = len(picked)
        if clusters and markers_only:
            picked = picked[:0]
        names = index.shop_names
        chosen = [(s, None) for s in sorted(picked.tolist(), key=lambda s: names[s].lower())
                  [:map_grid.MAX_MARKERS]]
    shops = [shop_data.map_entry(index, s, metres, now) for s, metres in chosen]
    for entry in shops:
        entry["distance"] = distance_text(entry["metres"]) if entry["metres"] is not None else ""
    return {"q": text, "shops": shops, "clusters": clusters, "total": total}


async def map_page(request: Request):
    text = _query_text(request)
    try:
        place = _place(request)
    except BadPlace:
        place = None
    found = await run_in_threadpool(_map_shops, _engine(request), text, place, _now(request))
    return page(request, "public/map.html", near=place is not None, **found)


async def map_json(request: Request):
    """`q` (a food), and either `lat`+`lon` (the NEAREST shops) or the map's view: `bbox`
    (west,south,east,north, Leaflet's toBBoxString; the city's when absent) and `z` (its
    zoom). Shops in view as markers, or, when more than MAX_MARKERS, only `clusters`."""
    try:
        place = _place(request)
    except BadPlace:
        return JSONResponse({"error": "Lokasi tidak dikenal: kirim lat dan lon berupa angka."},
                            status_code=400)
    try:
        view = map_grid.parse_view(request.query_params.get("bbox"))
        zoom = map_grid.parse_zoom(request.query_params.get("z"))
    except map_grid.BadView:
        return JSONResponse({"error": "Peta tidak dikenal: bbox=barat,selatan,timur,utara dan "
                             "z=zoom berupa angka."}, status_code=400)
    found = await run_in_threadpool(_map_shops, _engine(request), _query_text(request), place,
                                    _now(request), view, zoom, True)
    for entry in found["shops"]:
        entry["url"] = request.url_for("shop", code=entry["code"]).path
    return JSONResponse(found)


# -- helpers -----------------------------------------------------------------------------
def sms_link(request: Request, text: str) -> str:
    """An `sms:` link that opens the phone's SMS app with `text` to the bot's number."""
    number = "".join(ch for ch in request.app.state.config.bot_number if ch.isdigit() or ch == "+")
    return f"sms:{number}?body={quote(text)}"


def _not_found(request: Request, message: str):
    return page(request, "public/not_found.html", status_code=404, message=message,
                examples=EXAMPLES, q="")


routes = [
    Route("/", home, name="home"),
    Route("/cari", search, name="search"),
    Route("/produk/{code}", product, name="product"),
    Route("/toko/{code}", shop, name="shop"),
    Route("/peta", map_page, name="map"),
    Route("/peta.json", map_json, name="map_json"),
]
