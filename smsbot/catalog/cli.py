"""`smsbot import shops|products FILE` (CSV or .xlsx): the admin's lists into the catalog
(scripting contract)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from smsbot.clock import utcnow


@click.group("import")
def import_() -> None:
    """Load shops and products from CSV or .xlsx (upsert by code, all or nothing per file;
    a progress bar on a terminal, a one-line summary on stderr otherwise)."""


def _import(obj, kind: str, path: Path) -> None:
    from smsbot.catalog.importer import import_file

    started = time.perf_counter()
    stderr = _stderr()
    bar = _Bar(stderr, path.name) if stderr.isatty() else None
    try:
        report = import_file(obj.engine, kind, path, utcnow(), progress=bar)
    finally:
        if bar:
            bar.close()
    if not report.ok:
        for error in report.errors:
            click.echo(f"{path}: {error}", err=True)
        click.echo(f"{path}: nothing imported ({len(report.errors)} problem(s))", err=True)
        sys.exit(1)
    click.echo(f"{path}: {report.created} {kind} added, {report.updated} updated")
    if bar is None:  # a log or a script: one line instead of a bar
        click.echo(f"imported {report.created + report.updated} {kind} from {path.name} in "
                   f"{time.perf_counter() - started:.1f} s", err=True)


def _stderr():
    return sys.stderr  # looked up at each call: click's test runner swaps it


class _Bar:
    """A progress bar on the terminal (stderr) for each step of an import: checking the
    rows, then writing them; `import_file` calls it with (step, done, total)."""

    def __init__(self, stream, name: str):
        self.stream, self.name = stream, name
        self.step, self.bar = None, None

    def __call__(self, step: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if step != self.step:
            self.close()
            self.step = step
            self.bar = tqdm(total=total, desc=f"{self.name}: {step}", unit=" rows",
                            file=self.stream, dynamic_ncols=True, mininterval=0.2)
        self.bar.total = max(total, done)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


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
