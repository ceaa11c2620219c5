"""`smsbot import shops|products FILE.csv`: the admin's lists into the catalog (scripting contract)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from smsbot.clock import utcnow


@click.group("import")
def import_() -> None:
    """Load shops and products from CSV (upsert by code, all or nothing per file)."""


def _import(obj, kind: str, path: Path) -> None:
    from smsbot.catalog.importer import import_file

    report = import_file(obj.engine, kind, path, utcnow())
    if not report.ok:
        for error in report.errors:
            click.echo(f"{path}: {error}", err=True)
        click.echo(f"{path}: nothing imported ({len(report.errors)} problem(s))", err=True)
        sys.exit(1)
    click.echo(f"{path}: {report.created} {kind} added, {report.updated} updated")


@import_.command("shops")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def import_shops(obj, path: Path) -> None:
    """Import shops. Header: code,name,phone,address,kelurahan,lat,lon,hours,assets_idr,
    annual_sales_idr. Empty lat/lon: the kelurahan's centre. Each shop's phone becomes a
    seller contact."""
    _import(obj, "shops", path)


@import_.command("products")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def import_products(obj, path: Path) -> None:
    """Import products. Header: code,shop_code,name,category,price_idr,unit,stock."""
    _import(obj, "products", path)
