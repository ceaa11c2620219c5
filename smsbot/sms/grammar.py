"""Load the SMS command language from `grammar/` (see grammar/README.md)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from smsbot.paths import grammar_root

DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class Keyword:
    name: str  # canonical, upper case: "CARI"
    handler: str  # module name in smsbot.sms.handlers
    aliases: tuple[str, ...]
    order: int
    menu: dict[str, str]
    usage: dict[str, str]
    role: str = "buyer"  # whose menu lists it: buyer (BANTUAN), seller (BANTUAN PENJUAL), admin


@dataclass
class Grammar:
    keywords: dict[str, Keyword] = field(default_factory=dict)  # canonical name -> Keyword
    lookup: dict[str, str] = field(default_factory=dict)  # any alias, upper case -> canonical
    replies: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> key -> template
    data: dict[str, dict] = field(default_factory=dict)  # other data files by stem
    root: Path | None = None

    def keyword_for(self, word: str) -> Keyword | None:
        name = self.lookup.get(word.upper())
        return self.keywords.get(name) if name else None

    def template(self, key: str, lang: str = DEFAULT_LANGUAGE) -> str:
        table = self.replies.get(lang) or {}
        if key in table:
            return table[key]
        return self.replies[DEFAULT_LANGUAGE][key]

    def render(self, key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
        template = self.template(key, lang)
        if "menu" not in values and "{menu" in template:  # built only where it is used
            values["menu"] = self.menu(lang)
        return template.format_map(_Values(values))

    def menu(self, lang: str = DEFAULT_LANGUAGE, role: str = "buyer") -> str:
        """The short keyword list of a help SMS: the keywords of `role`, by `order`. A buyer
        keyword without a [menu] entry (YA, AMBIL, DAFTAR) is not listed; a seller or admin
        keyword is listed by its entry, else its name. BANTUAN <it> works for every one."""
        mine = sorted((k for k in self.keywords.values() if k.role == role),
                      key=lambda k: (k.order, k.name))
        entries = (k.menu.get(lang) or k.menu.get(DEFAULT_LANGUAGE) or
                   ("" if role == "buyer" else k.name) for k in mine)
        return ", ".join(entry for entry in entries if entry)

    def usage(self, keyword: Keyword, lang: str = DEFAULT_LANGUAGE) -> str:
        return keyword.usage.get(lang) or keyword.usage.get(DEFAULT_LANGUAGE, keyword.name)


class _Values(dict):
    """format_map values: a missing placeholder shows as-is instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=4)
def load(root: Path | None = None) -> Grammar:
    root = root or grammar_root()
    grammar = Grammar(root=root)
    common = _read(root / "common.toml")
    _merge_replies(grammar, "common", common.get("replies", {}))
    for path in sorted((root / "keywords").glob("*.toml")):
        spec = _read(path)
        name = spec["keyword"].upper()
        keyword = Keyword(
            name=name,
            handler=spec.get("handler", path.stem),
            aliases=tuple(a.upper() for a in spec.get("aliases", [])),
            order=int(spec.get("order", 50)),
            menu=dict(spec.get("menu", {})),
            usage=dict(spec.get("usage", {})),
            role=spec.get("role", "buyer"),
        )
        if name in grammar.keywords:
            raise ValueError(f"{path}: keyword {name} is defined twice")
        grammar.keywords[name] = keyword
        for word in (name, *keyword.aliases):
            if grammar.lookup.get(word, name) != name:
                raise ValueError(f"{path}: alias {word} already means {grammar.lookup[word]}")
            grammar.lookup[word] = name
        _merge_replies(grammar, path.stem, spec.get("replies", {}))
    for path in sorted(root.glob("*.toml")):
        if path.name != "common.toml":
            grammar.data[path.stem] = _read(path)
            # replies of a shared module (limits.toml -> "limits.too_many")
            _merge_replies(grammar, path.stem, grammar.data[path.stem].get("replies", {}))
    return grammar


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _merge_replies(grammar: Grammar, namespace: str, by_language: dict) -> None:
    for lang, table in by_language.items():
        target = grammar.replies.setdefault(lang, {})
        for key, text in table.items():
            target[f"{namespace}.{key}"] = text


def example_files(root: Path | None = None) -> list[Path]:
    root = root or grammar_root()
    return sorted((root / "examples").glob("*.txt"))
