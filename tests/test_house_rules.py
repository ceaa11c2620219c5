"""Rules of the house that a reviewer would otherwise have to remember: keywords and timers
are wired in one visible list (no module found by its file name), every keyword in grammar/
has its handler, and comments say why rather than naming a tracker number."""

import re
from pathlib import Path

import smsbot
from smsbot.sms import grammar as grammar_module, wiring

PACKAGE = Path(smsbot.__file__).resolve().parent
ROOT = PACKAGE.parent


def sources(*folders: str, suffixes=(".py",)):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in suffixes and "__pycache__" not in path.parts:
                yield path


def test_every_keyword_in_the_grammar_has_its_handler_in_the_wiring():
    grammar = grammar_module.load()
    missing = {kw.name: kw.handler for kw in grammar.keywords.values()
               if kw.handler not in wiring.HANDLERS}
    assert missing == {}
    assert "fallback" in wiring.HANDLERS and wiring.TIMERS


def test_nothing_is_wired_by_file_name():
    found = [f"{path.relative_to(ROOT)}:{n}" for path in sources("smsbot")
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if "import_module(" in line or re.search(r"""["']smsbot\.[\w.]+:\w+["']""", line)]
    assert found == [], found


def test_no_comment_names_a_tracker_number():
    pattern = re.compile(r"\bissue\s*#?\d+", re.IGNORECASE)
    found = [f"{path.relative_to(ROOT)}:{n}"
             for path in sources("smsbot", "grammar", "db", "scripts", "tests",
                                 suffixes=(".py", ".toml", ".txt", ".sh", ".html", ".css", ".js"))
             for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
             if pattern.search(line) and path.name != "test_house_rules.py"]
    assert found == [], found
