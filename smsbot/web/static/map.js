/* The map of shops (Leaflet, served from the package). Without JavaScript the page shows
   the same shops as a plain list; this script adds the map above it. Tiles come from the
   configured URL; with none (or no network) the markers stand on a blank background.
   At city scale the server sends only the shops in the map's view, and numbered circles
   (clusters) where they are too many: the map asks again after every move or zoom. */
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
  var near = false; /* showing the nearest shops: a move does not replace them */
  var asked = 0; /* the newest request: an older answer arriving late is dropped */
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

  function cluster(group) {
    var size = group.count < 100 ? 32 : group.count < 1000 ? 40 : 48;
    var icon = L.divIcon({className: "map-cluster", html: String(group.count),
                          iconSize: [size, size]});
    return L.marker([group.lat, group.lon], {icon: icon, title: group.count + " toko"})
      .on("click", function () { map.setView([group.lat, group.lon], map.getZoom() + 2); });
  }

  /* Markers and clusters of `data`; with `fit`, the map moves to show them all.
     Returns how many shops they stand for. */
  function draw(data, fit) {
    markers.clearLayers();
    var points = [];
    var shown = 0;
    data.shops.forEach(function (shop) {
      if (shop.lat === null || shop.lon === null) { return; }
      L.marker([shop.lat, shop.lon], {title: shop.name}).bindPopup(popup(shop)).addTo(markers);
      points.push([shop.lat, shop.lon]);
      shown += 1;
    });
    (data.clusters || []).forEach(function (group) {
      cluster(group).addTo(markers);
      points.push([group.lat, group.lon]);
      shown += group.count;
    });
    if (me) { points.push(me.getLatLng()); }
    if (fit && points.length) { map.fitBounds(points, {padding: [30, 30], maxZoom: 16}); }
    return shown;
  }

  function load(extra) {
    var url = el.dataset.json + "?q=" + encodeURIComponent(el.dataset.q || "") + (extra || "");
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  function shown(count) { say(count ? count + " toko di peta" : "Tidak ada toko di peta"); }

  function view() {
    return "&bbox=" + map.getBounds().toBBoxString() + "&z=" + map.getZoom();
  }

  load("").then(function (data) {
    shown(draw(data, true));
    map.on("moveend", function () {
      if (near) { return; }
      var mine = ++asked;
      load(view()).then(function (data) {
        if (mine === asked && !near) { shown(draw(data, false)); }
      }).catch(function () { say("Data toko tidak bisa dimuat. Lihat daftar di bawah."); });
    });
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
        near = true;
        load("&lat=" + lat + "&lon=" + lon).then(function (data) {
          draw(data, true);
          relist(data.shops);
          say(data.shops.length + " toko terdekat");
        }).catch(function () { say("Toko terdekat tidak bisa dimuat."); });
      }, function () {
        say("Lokasi tidak bisa dibaca. Izinkan lokasi di browser, atau saring dengan nama makanan.");
      }, {timeout: 10000, maximumAge: 60000});
    });
  }
}());
