"""The language we write to a contact in, "id" or "en": from the country code of a new
number, from what they write, or from their explicit choice (BAHASA / ENGLISH). The word lists
and country codes are data in `grammar/languages.toml`, which also states the rules.

`core.handle_message` calls `follow` before the handler runs, so every handler's replies (and
`directory.language_of` for notices to that contact later) use the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from smsbot.contacts.models import Contact
from smsbot.sms import grammar as grammar_module
from smsbot.sms.command import Command
from smsbot.sms.grammar import DEFAULT_LANGUAGE, Grammar

NUMBER, TEXT, CHOSEN = "number", "text", "chosen"  # Contact.language_source
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SPLIT = re.compile(r"[\s#*.:,]+")


@dataclass(frozen=True)
class Rules:
    countries: tuple[tuple[str, str], ...]  # (calling code, language), longest code first
    other: str  # the language of any other foreign number
    words: dict[str, str]  # lower-case word -> language it counts for
    choose: dict[str, str]  # upper-case word of BAHASA / LANG <x> -> language


def rules(grammar: Grammar) -> Rules:
    return _rules(grammar.root) if grammar.root else _build(grammar.data.get("languages", {}))


@lru_cache(maxsize=4)
def _rules(root) -> Rules:
    return _build(grammar_module.load(root).data.get("languages", {}))


def _build(data: dict) -> Rules:
    countries = {code: lang for code, lang in data.get("countries", {}).items() if code != "other"}
    words = {word.lower(): lang for lang, listed in data.get("words", {}).items() for word in listed}
    choose = {word.upper(): lang for lang, listed in data.get("choose", {}).items() for word in listed}
    return Rules(countries=tuple(sorted(countries.items(), key=lambda item: -len(item[0]))),
                 other=data.get("countries", {}).get("other", DEFAULT_LANGUAGE),
                 words=words, choose=choose)


def of_number(phone: str, rules_: Rules) -> str:
    """The language a new contact with this E.164 number starts in."""
    digits = phone.lstrip("+")
    return next((lang for code, lang in rules_.countries if digits.startswith(code)), rules_.other)


def counts(text: str, rules_: Rules) -> dict[str, int]:
    """How many words of `text` count for each language (`what's` and `whats` alike)."""
    found: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        lang = rules_.words.get(word.replace("'", ""))
        if lang:
            found[lang] = found.get(lang, 0) + 1
    return found


def follow(contact: Contact, command: Command, grammar: Grammar, new: bool) -> None:
    """Set `contact.language` for this message. A new contact starts in its number's
    language; then an SMS whose language words are all of one language (keywords in
    Indonesian and food names count for none) decides: one such word in their first SMS, two
    later (`CARI rendang please` leaves a buyer who sent `CARI sanjai` yesterday Indonesian).
    An explicit choice is final, and a seller's or admin's command text (a broadcast, a reply
    to a complaint) is for others."""
    rules_ = rules(grammar)
    if new and not contact.language_source:
        contact.language = of_number(contact.phone, rules_)
        contact.language_source = NUMBER
    if contact.language_source == CHOSEN or (command.keyword and command.keyword.role != "buyer"):
        return
    found = counts(command.text, rules_)
    if len(found) != 1:
        return  # no language words, or words of both: nothing to decide
    (lang, n), = found.items()
    needed = 1 if new or lang == contact.language else 2
    if n >= needed:
        contact.language = lang
        contact.language_source = TEXT


def named(grammar: Grammar, command: Command) -> str | None:
    """The language `BAHASA`, `ENGLISH`, `LANG EN`, `BAHASA INGGRIS` name (the word after the
    keyword wins over the keyword); None for a bare `LANG`."""
    choose = rules(grammar).choose
    typed = _SPLIT.split(command.text.strip(), maxsplit=1)[0].upper()
    for word in (*(a.upper() for a in command.args[:2]), typed):
        if word in choose:
            return choose[word]
    return None


def choose(contact: Contact, lang: str) -> None:
    contact.language = lang
    contact.language_source = CHOSEN
