"""Parse an SMS into a command: the keyword is the whole first word, any case, followed by
a space, `#`, `*`, `.`, `:` or `,` (`REG#...` and `KW*p1*p2` are common Indonesian habits)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from smsbot.sms.grammar import Grammar, Keyword

_FIRST_WORD = re.compile(r"\s*([^\s#*.:,]+)[\s#*.:,]*(.*)\Z", re.S)
_ARG_SPLIT = re.compile(r"[\s#*]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Command:
    keyword: Keyword | None  # None: no keyword, the text goes to the fallback
    args: tuple[str, ...]
    rest: str  # everything after the keyword, as typed (free text such as a complaint)
    text: str  # the whole message, cleaned

    @property
    def name(self) -> str:
        return self.keyword.name if self.keyword else "UNKNOWN"

    def describe(self) -> str:
        """`CARI rendang telur` / `UNKNOWN halo`: the form used by grammar/examples."""
        words = self.args if self.keyword else tuple(self.text.split())
        return " ".join((self.name, *words))


def clean(text: str) -> str:
    return _CONTROL.sub(" ", text or "").strip()


def parse(text: str, grammar: Grammar) -> Command:
    text = clean(text)
    match = _FIRST_WORD.match(text)
    if match:
        keyword = grammar.keyword_for(match.group(1))
        if keyword:
            rest = match.group(2).strip()
            args = tuple(a for a in _ARG_SPLIT.split(rest) if a)
            return Command(keyword, args, rest, text)
    return Command(None, tuple(text.split()), text, text)
