"""LOKASI <place> [food words]: the 3 nearest shops, their distance, a short address and
whether they are open now. The place is a kelurahan (old names and spellings too), a
landmark or `lat,lon` (smsbot.search.places.find_place); food words keep only the shops that
sell it (the CARI index). Shops are found through a grid, never by scanning them all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smsbot.search import live as search_index
from smsbot.search.handlers.cari import SMS_LIMIT
from smsbot.search.nearby import distance_text, grid, is_open
from smsbot.search.places import find_place
from smsbot.search.shop_names import GENERIC, HONORIFIC, kind
from smsbot.search.words import fold_words, parse_query
from smsbot.sms.command import Command
from smsbot.sms.context import Context

NEAREST = 3
ASKED = GENERIC + 1  # a name word that is the food asked: the first to go
_NUMBER = re.compile(r"\bNo\.?\s*", re.I)
_PREFIX = re.compile(r"^(?:Jl|Jln|Jalan)\.?\s+(?=\S)", re.I)
_HOUSE = re.compile(r"\s(?:(?:Blok|Kav|Gg)\.?\s+\S+\s*)?\d+[A-Za-z]?(?:[-/]\d+)?\s*$", re.I)


def handle(ctx: Context, cmd: Command) -> None:
    if not cmd.rest.strip():
        ctx.say("need_place")
        return
    place, rest = find_place(cmd.rest)
    if place is None:
        ctx.say("unknown_place", place=cmd.rest.strip()[:30])
        return
    index = search_index.load(ctx.session)
    only = None
    food = ""
    query = parse_query(rest) if rest else None
    if query and (query.words or query.optional):
        food = rest[:30]
        only = index.shops_selling(query)
        if not only.any():
            ctx.say("no_shops", food=food, place=place.name)
            return
    near = grid(index).nearest(place.lat, place.lon, NEAREST, only)
    if not near:
        ctx.say("no_shops", food=food or "-", place=place.name)
        return
    key = "results_food" if food else "results"
    entries = [_Entry.of(ctx, index, n, number, food) for number, n in enumerate(near, 1)]
    text = fit(entries, lambda lines: ctx.t(key, food=food.capitalize(), place=place.name,
                                            lines=lines))
    ctx.reply(text if len(text) <= SMS_LIMIT else text[:SMS_LIMIT - 3] + "...")


@dataclass
class _Entry:
    """One shop of the reply, `1)RRY Rendang Rusdi 210 m Jl Rasuna Said 5 buka`, with the
    parts `fit` may shorten."""

    number: int
    code: str
    name: list[str]  # words
    kinds: list[int]  # per word: ASKED, GENERIC, HONORIFIC (grammar/shop_names.toml) or 0
    distance: str
    street: str  # "Jl Rasuna Said": kept whole as long as there is an address at all
    house: str  # "5", "Blok B 3"
    status: str  # buka / tutup / "" (hours unknown)
    with_address: bool = True

    @classmethod
    def of(cls, ctx: Context, index, near, number: int, food: str) -> "_Entry":
        words = index.shop_names[near.shop].split()
        said = set(fold_words(food)) if food else set()
        kinds = [ASKED if said and set(fold_words(w)) <= said else kind(w) for w in words]
        street, house = split_address(short_address(index.shop_address[near.shop]))
        status = is_open(index.shop_hours[near.shop], ctx.now)
        return cls(number, index.shop_codes[near.shop], words, kinds,
                   distance_text(near.metres), street, house,
                   "" if status is None else ctx.t("open" if status else "closed"))

    def text(self) -> str:
        parts = [f"{self.number}){self.code}", " ".join(self.name), self.distance]
        if self.with_address:
            parts += [self.street, self.house]
        parts.append(self.status)
        return " ".join(p for p in parts if p)

    # the ways to shorten, in the order `fit` tries them; each returns whether it could
    def _drop_word(self, of_kind: int) -> bool:
        """The first word of that kind, while a name word remains."""
        if 0 not in self.kinds or of_kind not in self.kinds:
            return False
        at = self.kinds.index(of_kind)
        del self.name[at], self.kinds[at]
        return True

    def drop_asked_word(self) -> bool:
        """`Galamai Mak Sari` in the answer to LOKASI ibuh galamai -> `Mak Sari`."""
        return self._drop_word(ASKED)

    def drop_generic_word(self) -> bool:
        """`Dapoer Rendang Pak Rusdi` -> `Rendang Pak Rusdi` -> `Pak Rusdi`."""
        return self._drop_word(GENERIC)

    def drop_honorific(self) -> bool:
        """`Pak Rusdi` -> `Rusdi`."""
        return self._drop_word(HONORIFIC)

    def drop_house_number(self) -> bool:
        if not self.house:
            return False
        self.house = ""
        return True

    def drop_street_prefix(self) -> bool:
        """`Jl Tan Malaka` -> `Tan Malaka`: the street's name stays whole."""
        if not self.with_address or not _PREFIX.match(self.street):
            return False
        self.street = _PREFIX.sub("", self.street)
        return True

    def drop_address(self) -> bool:
        if not self.with_address or not self.street:
            return False
        self.with_address = False
        return True

    def drop_first_word(self) -> bool:
        if len(self.name) <= 1:
            return False
        del self.name[0], self.kinds[0]
        return True


STEPS = (_Entry.drop_asked_word, _Entry.drop_house_number, _Entry.drop_generic_word,
         _Entry.drop_honorific, _Entry.drop_street_prefix, _Entry.drop_address,
         _Entry.drop_first_word)


def fit(entries: list[_Entry], render) -> str:
    """The whole reply in the full 160 characters: nothing is shortened while it fits;
    then, step by step and always on the longest line first: name words the buyer asked for
    (`galamai`), house numbers, generic name words, honorifics, `Jl`, whole addresses, and
    only then the first words of names."""
    text = render(" ".join(e.text() for e in entries))
    for step in STEPS:
        while len(text) > SMS_LIMIT:
            for entry in sorted(entries, key=lambda e: -len(e.text())):
                if step(entry):
                    break
            else:
                break
            text = render(" ".join(e.text() for e in entries))
    return text


def short_address(address: str) -> str:
    """'Jl. Tan Malaka No. 12' -> 'Jl Tan Malaka 12'."""
    return _NUMBER.sub("", address.replace("Jl. ", "Jl ")).strip()


def split_address(address: str) -> tuple[str, str]:
    """'Jl Tan Malaka 12' -> ('Jl Tan Malaka', '12'); 'Pasar Ibuh Blok B 3' -> ('Pasar
    Ibuh', 'Blok B 3'); the street name is never cut inside."""
    match = _HOUSE.search(address)
    if not match or not address[:match.start()].strip():
        return address, ""
    return address[:match.start()].strip().rstrip(","), address[match.start():].strip()
