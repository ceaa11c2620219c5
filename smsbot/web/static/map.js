/* The map of shops (Leaflet, served from the package). Without JavaScript the page shows
   the same shops as a plain list; this script adds the map above it. Tiles come from the
   configured URL; with none (or no network) the markers stand on a blank background. */
(function () {
  "use strict";
  var box = document.getElementById("map-box");
  var el = document.getElementById("map");
  if (!box || !el || !window.L) { return; }
  box.hidden = false;
  var CENTER = [-0.2270, 100.6321]; /* Kota Payakumbuh */
  var map = L.map(el).setView(CENTER, 13);
  var tiles = el.dataset.tiles;
  if (tiles) {
    L.tileLayer(tiles, {maxZoom: 19, attribution: "&copy; OpenStreetMap"}).addTo(map);
  }
  var markers = L.layerGroup().addTo(map);
  var me = null;
  var msg = document.getElementById("map-msg");
  var list = document.getElementById("shop-list");

  function say(text) { if (msg) { msg.textContent = text; } }

  function status(shop) {
    if (shop.open === true) { return "Buka sekarang"; }
    if (shop.open === false) { return "Tutup"; }
    return "Jam buka tidak diketahui";
  }

  function popup(shop) {
    var div = document.createElement("div");
    var link = document.createElement("a");
    link.href = shop.url;
    link.textContent = shop.name;
    div.appendChild(link);
    var lines = [shop.address, status(shop) + (shop.distance ? " · " + shop.distance : "")];
    lines.forEach(function (line) {
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(line));
    });
    return div;
  }

  function relist(shops) {
    if (!list) { return; }
    var title = document.getElementById("list-title");
    if (title) { title.textContent = "Toko terdekat (" + shops.length + ")"; }
    list.textContent = "";
    shops.forEach(function (shop) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = shop.url;
      link.textContent = shop.name;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + shop.distance + ") · " + status(shop)));
      list.appendChild(item);
    });
  }

  function draw(shops) {
    markers.clearLayers();
    var points = [];
    shops.forEach(function (shop) {
      if (shop.lat === null || shop.lon === null) { return; }
      L.marker([shop.lat, shop.lon], {title: shop.name}).bindPopup(popup(shop)).addTo(markers);
      points.push([shop.lat, shop.lon]);
    });
    if (me) { points.push(me.getLatLng()); }
    if (points.length) { map.fitBounds(points, {padding: [30, 30], maxZoom: 16}); }
    return points.length;
  }

  function load(extra) {
    var url = el.dataset.json + "?q=" + encodeURIComponent(el.dataset.q || "") + (extra || "");
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  load("").then(function (data) {
    var shown = draw(data.shops);
    say(shown ? shown + " toko di peta" : "Tidak ada toko di peta");
  }).catch(function () { say("Data toko tidak bisa dimuat. Lihat daftar di bawah."); });

  var button = document.getElementById("near-me");
  if (button) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { say("Browser ini tidak bisa membaca lokasi."); return; }
      say("Membaca lokasi...");
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = position.coords.latitude, lon = position.coords.longitude;
        if (me) { map.removeLayer(me); }
        me = L.circleMarker([lat, lon], {radius: 8, color: "#1565c0"}).addTo(map).bindPopup("Anda di sini");
        load("&lat=" + lat + "&lon=" + lon).then(function (data) {
          draw(data.shops);
          relist(data.shops);
          say(data.shops.length + " toko terdekat");
        }).catch(function () { say("Toko terdekat tidak bisa dimuat."); });
      }, function () {
        say("Lokasi tidak bisa dibaca. Izinkan lokasi di browser, atau saring dengan nama makanan.");
      }, {timeout: 10000, maximumAge: 60000});
    });
  }
}());
