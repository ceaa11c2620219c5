"""Public pages (no login): home with search, products, shops, the map."""

from __future__ import annotations

from starlette.routing import Route

from .render import page


async def home(request):
    return page(request, "home.html")


routes = [Route("/", home, name="home")]
