"""What the public pages show of shops, products and reviews, as plain dicts for templates
and the map's JSON. Buyers' phone numbers never leave this module."""

from __future__ import annotations

import math

from sqlmodel import Session, select

from smsbot.catalog.models import Product, Shop
from smsbot.catalog.promos import active_prices
from smsbot.crm.models import Review
from smsbot.orders.models import OrderItem
from smsbot.search.nearby import is_open

REVIEWS_SHOWN = 5


def shop_view(shop: Shop, now) -> dict:
    return {"code": shop.code, "name": shop.name, "address": shop.address,
            "kelurahan": shop.kelurahan, "hours": shop.hours, "open": is_open(shop.hours, now),
            "lat": shop.lat, "lon": shop.lon}


def product_view(product: Product) -> dict:
    return {"code": product.code, "name": product.name, "category": product.category,
            "price": product.price_idr, "unit": product.unit, "stock": product.stock}


def products(session: Session, shop_id: int, now) -> list[dict]:
    """The shop's active products, in stock first, then by name, with promo prices."""
    rows = session.exec(select(Product).where(Product.shop_id == shop_id,
                                              Product.active == True)).all()  # noqa: E712
    promos = active_prices(session, [p.code for p in rows], now)
    views = []
    for row in sorted(rows, key=lambda p: (p.stock <= 0, p.name.lower(), p.code)):
        view = product_view(row)
        promo = promos.get(row.code.upper())
        view["promo"] = promo if promo is not None and promo < row.price_idr else None
        views.append(view)
    return views


def rating_view(counts: tuple[float, int] | None) -> dict | None:
    if counts is None:
        return None
    average, count = counts
    return {"stars": round(average, 1), "count": count, "full": int(round(average))}


def reviews(session: Session, shop_id: int, product_id: int | None = None) -> list[dict]:
    """The newest reviews: of orders that held this product when there are any, else of
    the shop. No buyer's number is shown."""
    query = select(Review).where(Review.shop_id == shop_id)
    if product_id is not None:
        about = query.join(OrderItem, OrderItem.suborder_id == Review.suborder_id).where(
            OrderItem.product_id == product_id).distinct()
        found = session.exec(about.order_by(Review.created_at.desc(), Review.id.desc())
                             .limit(REVIEWS_SHOWN)).all()
        if found:
            return [_review(r) for r in found]
    found = session.exec(query.order_by(Review.created_at.desc(), Review.id.desc())
                         .limit(REVIEWS_SHOWN)).all()
    return [_review(r) for r in found]


def _review(review: Review) -> dict:
    return {"stars": review.stars, "comment": review.comment, "at": review.created_at}


def map_entry(index, shop: int, metres: float | None, now) -> dict:
    """One shop of the search index (a position), for the map and its list."""
    lat, lon = float(index.shop_lat[shop]), float(index.shop_lon[shop])
    located = not (math.isnan(lat) or math.isnan(lon))
    return {"code": index.shop_codes[shop], "name": index.shop_names[shop],
            "address": index.shop_address[shop], "kelurahan": index.shop_kelurahan[shop],
            "lat": lat if located else None, "lon": lon if located else None,
            "open": is_open(index.shop_hours[shop], now), "hours": index.shop_hours[shop],
            "metres": round(metres) if metres is not None else None}
