"""The seller's pages: their sub-orders (TERIMA / TOLAK / KIRIM / SELESAI buttons), stock and
prices (STOK / HARGA), their reviews.

Every button runs the SMS command from the seller's own phone (`dash_base.act`), so the web
follows the same rules as SMS and the buyer gets the same SMS. Before that, the object must
belong to one of the seller's shops, checked here on every request: another shop's sub-order
or product is a 404.
"""

from __future__ import annotations

from sqlmodel import col, select
from starlette.requests import Request
from starlette.routing import Route

from smsbot.catalog.models import Product, Shop
from smsbot.catalog.promos import active_promo
from smsbot.crm.models import Review
from smsbot.orders import rules as orders
from smsbot.orders.models import Order, SubOrder
from smsbot.web.dash_base import (
    act,
    back,
    dash_page,
    db,
    not_found,
    now,
    require_seller,
    typed,
)
from smsbot.web.security import checked_form, require_user


def sub_orders(session, shop_ids: list[int], statuses=None, limit: int = 100) -> list[dict]:
    """Sub-orders of these shops with their order, shop and items, newest first."""
    query = (select(SubOrder, Order, Shop).join(Order, Order.id == SubOrder.order_id)
             .join(Shop, Shop.id == SubOrder.shop_id)
             .where(col(SubOrder.shop_id).in_(shop_ids), Order.status != Order.DRAFT)
             .order_by(col(SubOrder.id).desc()).limit(limit))
    if statuses:
        query = query.where(col(SubOrder.status).in_(statuses))
    return [{"sub": sub, "order": order, "shop": shop, "items": orders.items(session, sub)}
            for sub, order, shop in session.exec(query).all()]


async def overview(request: Request, user):
    """The seller's /dasbor: what waits for them first."""
    with db(request) as session:
        waiting = sub_orders(session, user.shop_ids, SubOrder.OPEN)
        shops = session.exec(select(Shop).where(col(Shop.id).in_(user.shop_ids))).all()
        low = session.exec(select(Product).where(col(Product.shop_id).in_(user.shop_ids),
                                                 Product.active == True, Product.stock <= 5)  # noqa: E712
                           .order_by(Product.code_key)).all()
        return dash_page(request, "dash/seller.html", user, parts=waiting, shops=shops,
                         low_stock=low)


async def order_list(request: Request):
    user = require_seller(request)
    status = request.query_params.get("status", "")
    with db(request) as session:
        parts = sub_orders(session, user.shop_ids,
                           [status] if status in SubOrder.STATUSES else None)
        return dash_page(request, "dash/seller_orders.html", user, parts=parts, status=status,
                         statuses=SubOrder.STATUSES)


def _own_sub(request: Request, user, sub_id: int) -> str:
    """The order code of the user's own sub-order `sub_id` (404 otherwise)."""
    with db(request) as session:
        sub = session.get(SubOrder, sub_id)
        if sub is None or sub.shop_id not in user.shop_ids:
            raise not_found()
        return session.get(Order, sub.order_id).code


def _order_action(keyword: str, with_reason: bool = False):
    async def handler(request: Request):
        user = require_seller(request)
        form = await checked_form(request)
        code = _own_sub(request, user, request.path_params["sub_id"])
        reason = typed(form, "alasan", 60) if with_reason else ""
        act(request, user, f"{keyword} {code} {reason}".strip())
        return back(form)
    handler.__name__ = f"order_{keyword.lower()}"
    return handler


async def products(request: Request):
    user = require_seller(request)
    with db(request) as session:
        rows = session.exec(select(Product, Shop).join(Shop, Shop.id == Product.shop_id)
                            .where(col(Product.shop_id).in_(user.shop_ids))
                            .order_by(Shop.code_key, Product.code_key)).all()
        promos = {product.id: promo for product, _shop in rows
                  if (promo := active_promo(session, product.id, now(request))) is not None}
        return dash_page(request, "dash/seller_products.html", user, rows=rows, promos=promos)


def _product_action(keyword: str, field: str):
    async def handler(request: Request):
        user = require_seller(request)
        form = await checked_form(request)
        with db(request) as session:
            product = session.get(Product, request.path_params["product_id"])
            if product is None or product.shop_id not in user.shop_ids:
                raise not_found()
            code = product.code
        value = typed(form, field, 20) or "?"
        act(request, user, f"{keyword} {code} {value}")
        return back(form, "/dasbor/produk")
    handler.__name__ = f"product_{keyword.lower()}"
    return handler


async def reviews(request: Request):
    """A seller sees their shops' reviews; the admin sees everyone's."""
    user = require_user(request)
    with db(request) as session:
        query = (select(Review, Shop, Order).join(Shop, Shop.id == Review.shop_id)
                 .join(Order, Order.id == Review.order_id)
                 .order_by(col(Review.id).desc()).limit(200))
        if not user.is_admin:
            if not user.shop_ids:
                raise not_found()
            query = query.where(col(Review.shop_id).in_(user.shop_ids))
        rows = session.exec(query).all()
        return dash_page(request, "dash/reviews.html", user, rows=rows)


routes = [
    Route("/dasbor/pesanan", order_list, name="dash_orders"),
    Route("/dasbor/pesanan/{sub_id:id}/terima", _order_action("TERIMA"), methods=["POST"]),
    Route("/dasbor/pesanan/{sub_id:id}/tolak", _order_action("TOLAK", True), methods=["POST"]),
    Route("/dasbor/pesanan/{sub_id:id}/kirim", _order_action("KIRIM"), methods=["POST"]),
    Route("/dasbor/pesanan/{sub_id:id}/selesai", _order_action("SELESAI"), methods=["POST"]),
    Route("/dasbor/produk", products, name="dash_products"),
    Route("/dasbor/produk/{product_id:id}/stok", _product_action("STOK", "stok"), methods=["POST"]),
    Route("/dasbor/produk/{product_id:id}/harga", _product_action("HARGA", "harga"),
          methods=["POST"]),
    Route("/dasbor/ulasan", reviews, name="dash_reviews"),
]
