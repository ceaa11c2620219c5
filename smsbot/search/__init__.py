"""Search at city scale: the in-memory catalog index behind CARI, LOKASI and keyword-less
food questions (`index`), the spelling folding (`words`), the nearest-shop grid (`nearby`)
and the catalog version that keeps every process's index fresh (`version`)."""
