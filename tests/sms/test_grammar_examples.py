"""Every `input => parsed command` line in grammar/examples/ parses as written."""

import pytest

from smsbot.sms import grammar
from smsbot.sms.command import parse


def _examples():
    for path in grammar.example_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("#"):
                text, _, expected = line.rpartition("=>")
                yield pytest.param(text.rstrip("\n").rstrip(" "), expected.strip(),
                                   id=f"{path.name}:{number}")


@pytest.mark.parametrize("text,expected", list(_examples()))
def test_example_parses(text, expected):
    assert parse(text, grammar.load()).describe() == expected


def test_examples_exist_for_every_keyword():
    loaded = grammar.load()
    examples = " ".join(line for path in grammar.example_files()
                        for line in path.read_text(encoding="utf-8").splitlines())
    for name in loaded.keywords:
        assert f"=> {name}" in examples, f"no example for keyword {name}"


def test_every_template_is_plain_gsm7_and_fits_one_sms():
    from smsbot.messages.gsm7 import is_gsm7

    loaded = grammar.load()
    for lang, table in loaded.replies.items():
        for key, template in table.items():
            assert is_gsm7(template), f"{lang}:{key} has non-GSM-7 characters"
            assert len(loaded.render(key, lang)) <= 160, f"{lang}:{key} is over 160 characters"


def test_help_lists_every_keyword_menu_entry():
    loaded = grammar.load()
    help_text = loaded.render("common.help")
    for keyword in loaded.keywords.values():
        if keyword.menu and keyword.role == "buyer":  # one without [menu] is left out on purpose
            assert keyword.menu["id"] in help_text
