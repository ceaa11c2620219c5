import pytest

from smsbot.contacts.phones import local_form, normalize, sender_kind


@pytest.mark.parametrize("raw", ["081234567890", "6281234567890", "+6281234567890",
                                 "0812-3456-7890", " +62 812 3456 7890 "])
def test_every_indonesian_form_is_one_number(raw):
    assert normalize(raw) == "+6281234567890"


@pytest.mark.parametrize("raw,kind", [("TELKOMSEL", "alphanumeric"), ("INFO-XL", "alphanumeric"),
                                      ("3636", "shortcode"), ("99899", "shortcode"),
                                      ("", "alphanumeric"), ("081234567890", "person")])
def test_operators_and_short_codes_are_not_people(raw, kind):
    assert sender_kind(raw) == kind


def test_local_form_is_what_indonesians_write():
    assert local_form("+6281234567890") == "081234567890"
