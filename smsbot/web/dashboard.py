"""The dashboard: the admin sees everything, a seller only their own shop."""

from __future__ import annotations

routes: list = []
