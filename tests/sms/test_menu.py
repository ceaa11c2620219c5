"""The menus: BANTUAN lists the buyers' commands, BANTUAN PENJUAL (TOKO, HELP SELLER) the
sellers', each in one SMS in both languages, built from the keyword files' role/menu/order."""

import pytest

from smsbot.messages.gsm7 import fits, is_gsm7
from smsbot.sms import grammar as grammar_module

HELP_ID = ("Payakumbuh UMKM SMS. Ketik: CARI <makanan>, LOKASI <tempat>, PESAN <kode> <jml>, INFO <toko>, STATUS, "
           "KELUHAN, NILAI, ENGLISH, BANTUAN. Penjual: BANTUAN PENJUAL")
HELP_EN = ("Payakumbuh UMKM SMS. Send: CARI <food>, LOKASI <place>, PESAN <code> <qty>, INFO <shop>, STATUS, "
           "KELUHAN, NILAI, BAHASA, HELP. Sellers: HELP SELLER")
SELLER_ID = ("Perintah penjual: TERIMA, TOLAK, BALAS, KIRIM, STOK, HARGA, TAMBAH, HAPUS, PROMO. "
             "Penjelasan: BANTUAN <perintah>, mis. BANTUAN STOK")
SELLER_EN = ("Seller commands: TERIMA, TOLAK, BALAS, KIRIM, STOK, HARGA, TAMBAH, HAPUS, PROMO. "
             "Details: HELP <command>, e.g. HELP STOK")
SHOP = "081266104512"  # a seeded shop
TOURIST = "+61412345678"  # Australia


def test_buyers_and_sellers_menus_in_both_languages(reader):
    reader.check(f"""
        081300000061 > BANTUAN
        081300000061 < {HELP_ID}
        081300000061 > menu
        081300000061 < {HELP_ID}
        {SHOP} > BANTUAN PENJUAL
        {SHOP} < {SELLER_ID}
        {SHOP} > bantuan toko
        {SHOP} < {SELLER_ID}
        {SHOP} > BANTUAN STOK
        {SHOP} < STOK <kode> <jumlah> (nomor toko): ubah stok produk Anda. Contoh: STOK RT01 50
        {TOURIST} > HELP
        {TOURIST} < {HELP_EN}
        {TOURIST} > HELP SELLER
        {TOURIST} < {SELLER_EN}
        {TOURIST} > HELP STOK
        {TOURIST} < STOK <code> <qty> (shop number): set your product's stock. Example: STOK RT01 50
        {TOURIST} > HELP ADMIN
        {TOURIST} < Admin commands: SIARAN, SETUJU. Details: HELP <command>, e.g. HELP SIARAN
    """)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("key, role", [("common.help", "buyer"), ("bantuan.seller", "seller"),
                                       ("bantuan.admin", "admin"), ("common.empty", "buyer"),
                                       ("common.unknown_keyword_help", "buyer")])
def test_every_menu_fits_one_sms(lang, key, role):
    """Fails when a new keyword's menu entry (or a longer one) pushes a menu past 160 GSM-7
    characters: shorten an entry, or give the keyword a `role` or an empty [menu] entry."""
    grammar = grammar_module.load()
    menu = grammar.menu(lang, role)
    text = grammar.render(key, lang, menu=menu, commands=menu, word="PESANN")
    assert is_gsm7(text) and fits(text), (len(text), text)


def test_every_keyword_is_in_one_menu_or_taught_where_it_is_used():
    """Every seller and admin keyword is listed (by its menu entry, else its name); a buyer keyword left out of BANTUAN is on
    purpose (YA, AMBIL, LAGI: the reply that needs them says them)."""
    grammar = grammar_module.load()
    for role in ("seller", "admin"):
        listed = grammar.menu("id", role).split(", ")
        assert len(listed) == len([k for k in grammar.keywords.values() if k.role == role])
    assert {k.role for k in grammar.keywords.values()} == {"buyer", "seller", "admin"}
