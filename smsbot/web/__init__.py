"""The web face: a public catalog with a map, and the admin's and sellers' dashboard.

SMS stays the first channel. Every change made on the web is an SMS command run through the
same core (`actions.run_command`), so the web and SMS share one set of rules.
"""

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor):
    """`{name:id}` in a route: a row id of at most 9 digits, so that it fits every database's
    integer column; a longer one matches no route (404) instead of overflowing the driver.
    Registered here, before any module that declares routes is imported."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
