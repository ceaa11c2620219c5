"""A catalog named the way real shops are: many "Rendang <owner>", "Dapoer Rendang <owner>"
and "Kerupuk Jangek Pak <owner>", where the owner's name is what tells them apart."""

import pytest

from smsbot.catalog.importer import import_file
from smsbot.testing import Conversation
from tests.conftest import NOW

# Near the point -0.2300,100.6300 (LOKASI -0.2300,100.6300): RRY 210 m, RRS 230 m, RNT 510 m
SHOPS = """code,name,phone,address,kelurahan,lat,lon,hours,assets_idr,annual_sales_idr
RRY,Dapoer Rendang Rusdi Yanto,081277001001,Jl. H.R. Rasuna Said No. 5,Ibuah,-0.2281,100.6300,08:00-21:00,,
RRS,Rendang Rusdi,081277001002,Jl. Sudirman No. 41,Ibuah,-0.2300,100.6321,08:00-21:00,,
RNT,Rendang Nan Tongga Pak Rusdi,081277001003,Jl. Tan Malaka No. 120,Ibuah,-0.2346,100.6300,07:00-17:00,,
KJR,Kerupuk Jangek Pak Rusdi,081277001004,Jl. Soekarno-Hatta No. 3,Ibuah,-0.2372,100.6300,08:00-20:00,,
KJN,Kerupuk Jangek Pak Nasrul,081277001005,Jl. Soekarno-Hatta No. 9,Ibuah,-0.2390,100.6300,,,
DUE,Dapoer Rendang Uni Emi,081277001006,Jl. Ahmad Yani No. 2,Ibuah,-0.2400,100.6300,09:00-18:00,,
SRB,Rumah Makan dan Pusat Oleh-Oleh Khas Minangkabau Sari Raso Bundo Kanduang,081277001007,Jl. Jenderal Sudirman Simpang Tiga Labuah Baru No. 123,Koto Nan Ampek,-0.3000,100.7000,07:00-22:00,,
"""
PRODUCTS = """code,shop_code,name,category,price_idr,unit,stock
RRY1,RRY,Rendang Daging 500g,rendang,95000,kotak,10
RRY2,RRY,Rendang Telur 250g,rendang,25000,bungkus,30
RRY3,RRY,Rendang Paru 250g,rendang,45000,bungkus,20
RRY4,RRY,Rendang Suwir 250g,rendang,40000,bungkus,0
RRS1,RRS,Rendang Telur 250g,rendang,22000,bungkus,40
RRS2,RRS,Rendang Daging 500g,rendang,90000,kotak,5
RNT1,RNT,Rendang Daging 1kg,rendang,180000,kotak,3
KJR1,KJR,Kerupuk Jangek 250g,kerupuk,20000,bungkus,50
KJN1,KJN,Kerupuk Jangek Balado 250g,kerupuk,23000,bungkus,50
DUE1,DUE,Rendang Telur 250g,rendang,24000,bungkus,12
SRB1,SRB,Nasi Kapau Komplit,makanan,35000,porsi,9
"""


@pytest.fixture
def namesakes(engine, tmp_path):
    """A conversation over that catalog alone."""
    for kind, text in (("shops", SHOPS), ("products", PRODUCTS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        assert import_file(engine, kind, path, NOW).ok
    return Conversation(engine)
