// frontlines map and timeline. Plain script, no build step, no framework: Leaflet is the only library.
//
// Article text, titles, actors and every other stored string are untrusted (they come from the
// web): they reach the page only through textContent and createElement, never innerHTML.
"use strict";

(() => {
  const PAGE = 5000; // the API's largest page
  const MAX_DRAWN = 20000; // markers drawn at most; past this the status line says "showing N of M"
  const MAX_LISTED = 300; // list rows rendered at most; the rest are counted
  const PLAY_STEP_MS = 700;
  const DAY_MS = 86400000;
  const TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
  };
  const OTHER_COLOUR = "#7f7f7f";

  const $ = (id) => document.getElementById(id);
  const colourOf = (type) => TYPE_COLOURS[type] || OTHER_COLOUR;
  // A date as precise as the report: an event known only to its month is "2024-11", not the 1st.
  function dateLabel(p) {
    if (!p.event_date) return "undated";
    if (p.date_precision === "month") return `${p.event_date.slice(0, 7)} (month)`;
    if (p.date_precision === "year") return `${p.event_date.slice(0, 4)} (year)`;
    if (p.date_precision === "week") return `week of ${p.event_date}`;
    return p.event_date;
  }
  const radiusOf = (fatalities) => (fatalities ? Math.min(22, 5 + 2.2 * Math.sqrt(fatalities)) : 5);

  // --- the view, kept in the query string so it can be shared and reloaded -------------------------

  const view = readView();

  function readView() {
    const q = new URLSearchParams(location.search);
    const num = (name) => (q.has(name) && Number.isFinite(Number(q.get(name))) ? Number(q.get(name)) : null);
    // An address is typed or shared by people: a part the API would refuse (a date that is no day,
    // "9999-99-99"; a country that is no code) is dropped, so the rest of the view still shows.
    const isoDate = (name) => {
      const value = q.get(name) || "";
      const day = new Date(`${value}T00:00:00Z`);
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(day.getTime())
        && day.toISOString().slice(0, 10) === value ? value : null;
    };
    const text = (name) => (q.get(name) || "").slice(0, 200);
    return {
      type: text("type"), actor: text("actor"),
      country: /^[A-Za-z]{2}$/.test(q.get("country") || "") ? q.get("country") : "",
      background: q.get("background") === "1", control: q.get("control") === "1",
      from: isoDate("from"), to: isoDate("to"),
      lat: num("lat"), lon: num("lon"), z: num("z"), event: num("event"),
    };
  }

  function writeView() {
    const q = new URLSearchParams();
    for (const name of ["type", "actor", "country", "from", "to"]) if (view[name]) q.set(name, view[name]);
    if (view.lat !== null) {
      q.set("lat", view.lat.toFixed(4)); q.set("lon", view.lon.toFixed(4)); q.set("z", String(view.z));
    }
    if (view.background) q.set("background", "1");
    if (view.control) q.set("control", "1");
    if (view.event !== null) q.set("event", String(view.event));
    history.replaceState(null, "", `${location.pathname}?${q}`);
  }

  function filterParams(withTime) {
    const q = new URLSearchParams();
    if (view.type) q.set("type", view.type);
    if (view.actor) q.set("actor", view.actor);
    if (view.country) q.set("country", view.country);
    // History an article recalls ("retaken in 2016") would stretch the timeline over years; it is
    // hidden unless asked for.
    if (!view.background) q.set("no_background", "true");
    if (withTime && view.from) q.set("since", view.from);
    if (withTime && view.to) q.set("until", view.to);
    return q;
  }

  async function getJSON(url, signal) {
    const response = await fetch(url, { signal, headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (_) { /* not JSON */ }
      throw new Error(`${response.status}: ${detail}`);
    }
    return response.json();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setStatus(text) { $("status").textContent = text; }

  // --- map -----------------------------------------------------------------------------------------

  const map = L.map("map", { minZoom: 2, maxZoom: 13, worldCopyJump: true, zoomSnap: 0.5 });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Boundaries: Natural Earth");
  // Events get their own pane and one canvas: tens of thousands of SVG circles would crawl.
  map.createPane("events").style.zIndex = "450";
  const eventRenderer = L.canvas({ pane: "events", padding: 0.2 });
  const markerLayer = L.layerGroup().addTo(map);
  if (view.lat !== null && view.z !== null) map.setView([view.lat, view.lon], view.z);
  else map.setView([28, 35], 3);

  const basemap = fetch("/static/vendor/world-atlas/countries-50m.geojson")
    .then((r) => r.json())
    .then((countries) => {
      L.geoJSON(countries, {
        interactive: false, renderer: L.canvas({ padding: 0.2 }),
        style: { color: "#8a8f98", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 },
      }).addTo(map);
    })
    .catch(() => setStatus("The country boundaries could not be loaded."));

  // --- state ---------------------------------------------------------------------------------------

  let features = []; // the loaded events (GeoJSON features), in the API's date order
  let markers = new Map(); // event id -> circle marker
  let total = 0; // events matching the filters and time range, loaded or not
  let extent = null; // [first day, last day] of the dated events matching the filters
  let loadController = null;
  let placedOnce = false; // the first load fits the map to the events unless the URL set a view
  let listTimer = null;

  function dayIndex(iso) { return Math.round((Date.parse(`${iso}T00:00:00Z`) - extent[0]) / DAY_MS); }
  function isoOf(index) { return new Date(extent[0] + index * DAY_MS).toISOString().slice(0, 10); }

  // --- filters -------------------------------------------------------------------------------------

  function fillFilterOptions(actors, places) {
    const typeSelect = $("f-type");
    for (const type of Object.keys(TYPE_COLOURS)) typeSelect.append(new Option(type, type));
    const names = $("actor-names");
    for (const actor of actors.actors) names.append(new Option(actor.name));
    fillCountries(places);
    keepOffered(typeSelect, view.type);
    $("f-actor").value = view.actor;
    $("f-background").checked = view.background;
  }

  // A shared URL may name a value no longer offered; keep it selectable so the view still loads.
  function keepOffered(select, value) {
    const offered = [...select.options].filter((o) => o.value === value);
    for (const extra of offered.slice(0, -1)) extra.remove(); // the placeholder added at start
    if (value && !offered.length) select.append(new Option(value, value));
    select.value = value;
  }

  // Each country with the number of events the map shows for it: history told as background
  // counts only while History is on, as on the map.
  function fillCountries(places) {
    const countries = new Map();
    for (const place of places.places) {
      if (!place.country) continue;
      const known = countries.get(place.country) || { name: place.country_name || place.country, count: 0 };
      known.count += place.count;
      countries.set(place.country, known);
    }
    const countrySelect = $("f-country");
    for (const option of [...countrySelect.options]) if (option.value) option.remove();
    [...countries.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name)).forEach(([code, c]) => {
      countrySelect.append(new Option(`${c.name} (${c.count})`, code));
    });
    keepOffered(countrySelect, view.country);
  }

  const placesURL = () => `/api/places?limit=10000${view.background ? "" : "&no_background=true"}`;

  function onFilterChange() {
    const historyToggled = view.background !== $("f-background").checked;
    view.type = $("f-type").value;
    view.actor = $("f-actor").value.trim();
    view.country = $("f-country").value;
    view.background = $("f-background").checked;
    if (historyToggled) getJSON(placesURL()).then(fillCountries).catch(reportError);
    view.from = view.to = null; // a new selection has its own time extent
    view.event = null;
    closePanel();
    $("event-list").scrollTop = 0; // a new selection is read from its top
    refresh();
  }

  // --- the control layer: who held each place on the last day of the time range ------------------

  const CONTROL_STATUS_COLOURS = { contested: "#000000", uncertain: "#9e9e9e" };
  const HOLDER_PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"];
  const controlLayer = L.layerGroup();
  let controlController = null;

  function holderColour(holder) {
    let hash = 0;
    for (const ch of holder) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
    return HOLDER_PALETTE[hash % HOLDER_PALETTE.length];
  }

  function controlLabel(state) {
    // A DOM node, not a string: Leaflet would parse a string tooltip as HTML.
    const label = document.createElement("span");
    const who = state.status === "held" ? state.holder : state.status;
    const since = state.since ? ` since ${state.since.date || state.since.window[0]}` : "";
    label.textContent = `${state.place.name}: ${who}${since}`;
    return label;
  }

  async function loadControl() {
    controlLayer.clearLayers();
    if (!view.control) return;
    delete document.body.dataset.controlReady;
    if (controlController) controlController.abort();
    const controller = new AbortController();
    controlController = controller;
    const day = view.to || isoOf(Number($("t-to").max));
    const params = new URLSearchParams({ at: day });
    if (view.country) params.set("country", view.country);
    const answer = await getJSON(`/api/control?${params}`, controller.signal);
    if (controller !== controlController) return;
    let drawn = 0;
    for (const state of answer.places) {
      const p = state.place;
      if (state.status === "unknown" || p.latitude === null || p.longitude === null) continue;
      const colour = CONTROL_STATUS_COLOURS[state.status] || holderColour(state.holder || "");
      L.circleMarker([p.latitude, p.longitude], {
        radius: 11, color: colour, weight: 3, dashArray: state.status === "held" ? null : "4 3",
        fillColor: colour, fillOpacity: 0.15, interactive: true,
      }).bindTooltip(controlLabel(state)).addTo(controlLayer);
      drawn += 1;
    }
    document.body.dataset.controlPlaces = String(drawn);
    document.body.dataset.controlReady = "true";
  }

  $("f-control").checked = view.control;
  if (view.control) controlLayer.addTo(map);
  $("f-control").addEventListener("change", () => {
    view.control = $("f-control").checked;
    writeView();
    if (view.control) controlLayer.addTo(map); else controlLayer.remove();
    loadControl().catch(reportError);
  });

  $("f-type").addEventListener("change", onFilterChange);
  $("f-country").addEventListener("change", onFilterChange);
  $("f-actor").addEventListener("change", onFilterChange);
  $("f-background").addEventListener("change", onFilterChange);
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); onFilterChange(); });
  $("f-reset").addEventListener("click", () => {
    $("f-type").value = ""; $("f-actor").value = ""; $("f-country").value = "";
    $("f-background").checked = false;
    onFilterChange();
  });

  // --- loading -------------------------------------------------------------------------------------

  async function refresh() {
    writeView();
    setStatus("Loading…");
    try {
      // the chart and the markers load side by side; the slider's extent comes with the chart
      const stats = getJSON(`/api/stats/daily?${filterParams(false)}`).then((s) => { setExtent(s); drawChart(s); });
      await Promise.all([stats, loadEvents()]);
    } catch (error) {
      if (error.name !== "AbortError") setStatus(`Could not load events (${error.message}).`);
    }
  }

  function setExtent(stats) {
    const days = stats.days;
    extent = days.length
      ? [Date.parse(`${days[0].date}T00:00:00Z`), Date.parse(`${days[days.length - 1].date}T00:00:00Z`)]
      : Array(2).fill(Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`));
    const last = Math.round((extent[1] - extent[0]) / DAY_MS);
    for (const input of [$("t-from"), $("t-to")]) { input.min = "0"; input.max = String(last); }
    const clamp = (i) => Math.max(0, Math.min(last, i));
    $("t-from").value = String(view.from ? clamp(dayIndex(view.from)) : 0);
    $("t-to").value = String(view.to ? clamp(dayIndex(view.to)) : last);
    showRangeLabels();
  }

  function showRangeLabels() {
    $("from-label").textContent = isoOf(Number($("t-from").value));
    $("to-label").textContent = isoOf(Number($("t-to").value));
  }

  async function loadEvents() {
    if (loadController) loadController.abort();
    const controller = new AbortController();
    loadController = controller;
    const params = filterParams(true);
    params.set("limit", String(PAGE));
    const pageAt = (offset) => {
      params.set("offset", String(offset));
      return getJSON(`/api/events?${params}`, controller.signal);
    };
    // The first page tells the total; the rest (up to MAX_DRAWN) are asked for all at once.
    const first = await pageAt(0);
    const matching = first.total;
    const rest = [];
    for (let offset = PAGE; offset < Math.min(matching, MAX_DRAWN); offset += PAGE) rest.push(pageAt(offset));
    const loaded = first.features.concat(...(await Promise.all(rest)).map((page) => page.features));
    if (controller !== loadController) return; // a newer load has started
    features = loaded;
    total = matching;
    drawMarkers();
    if (!placedOnce && view.lat === null && markers.size) {
      // not animated: a click on the list during the zoom animation would be undone by its end
      map.fitBounds(L.featureGroup([...markers.values()]).getBounds().pad(0.15), { maxZoom: 7, animate: false });
    }
    placedOnce = true;
    renderList();
    const placed = features.filter((f) => f.geometry).length;
    const unplaced = features.length - placed;
    setStatus(`Showing ${placed.toLocaleString()} of ${total.toLocaleString()} events`
      + (unplaced ? ` (${unplaced} without a location)` : "")
      + (features.length < total ? ` — the map draws at most ${MAX_DRAWN.toLocaleString()}; narrow the time range or filters` : ""));
    await basemap;
    // The control layer loads on its own: a slow answer must not hold up the events.
    loadControl().catch(reportError);
    document.body.dataset.loaded = "true";
    if (view.event !== null && markers.has(view.event)) select(view.event, "url");
  }

  function drawMarkers() {
    markerLayer.clearLayers();
    markers = new Map();
    for (const f of features) {
      if (!f.geometry) continue;
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      const marker = L.circleMarker([lat, lon], {
        renderer: eventRenderer, radius: radiusOf(p.fatalities), weight: 1, color: "#222",
        fillColor: colourOf(p.event_type), fillOpacity: 0.75,
      });
      marker.on("click", () => select(p.id, "map"));
      marker.feature = f;
      markers.set(p.id, marker);
      markerLayer.addLayer(marker);
    }
    document.body.dataset.markers = String(markers.size);
  }

  // --- the list of events in view ------------------------------------------------------------------

  function renderList() {
    const bounds = map.getBounds();
    const inView = features.filter((f) => f.geometry
      && bounds.contains(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0])));
    inView.reverse(); // newest first, like a news feed
    const list = $("event-list");
    list.replaceChildren(...inView.slice(0, MAX_LISTED).map(listItem));
    $("list-count").textContent = `${inView.length.toLocaleString()} in view`
      + (inView.length > MAX_LISTED ? `, newest ${MAX_LISTED} listed` : "");
    markSelected(false);
  }

  function listItem(f) {
    const p = f.properties;
    const item = el("li", "event");
    item.dataset.id = String(p.id);
    const button = el("button", "event-button");
    button.type = "button";
    const swatch = el("span", "swatch");
    swatch.style.backgroundColor = colourOf(p.event_type);
    const head = el("span", "event-head");
    head.append(swatch, el("span", "event-date", dateLabel(p)),
      el("span", "event-type", p.sub_event_type));
    const place = [p.location, p.country].filter(Boolean).join(", ");
    const actors = [p.actor1, p.actor2].filter(Boolean).join(" v ");
    button.append(head, el("span", "event-place", place || "unknown place"));
    if (actors) button.append(el("span", "event-actors", actors));
    if (p.fatalities) button.append(el("span", "event-fatalities", `${p.fatalities} killed`));
    button.addEventListener("click", () => select(p.id, "list"));
    item.append(button);
    return item;
  }

  function scheduleList() {
    clearTimeout(listTimer);
    listTimer = setTimeout(renderList, 120);
  }

  map.on("moveend", () => {
    const c = map.getCenter();
    view.lat = c.lat; view.lon = c.lng; view.z = map.getZoom();
    writeView();
    scheduleList();
  });

  // --- selection: list, marker and panel stay in step ----------------------------------------------

  let selectedMarker = null;

  function select(id, origin) {
    const marker = markers.get(id);
    view.event = id;
    writeView();
    if (selectedMarker) selectedMarker.setStyle({ weight: 1, color: "#222" });
    selectedMarker = marker || null;
    if (marker) {
      marker.setStyle({ weight: 3, color: "#000" });
      marker.bringToFront();
      if (origin !== "map") map.setView(marker.getLatLng(), Math.max(map.getZoom(), 7));
    }
    markSelected(origin === "map" || origin === "url");
    const feature = marker ? marker.feature : features.find((f) => f.properties.id === id);
    if (feature) openPanel(feature.properties);
  }

  function markSelected(scroll) {
    for (const node of document.querySelectorAll(".event.selected")) node.classList.remove("selected");
    if (view.event === null) return;
    const node = document.querySelector(`.event[data-id="${Number(view.event)}"]`);
    if (!node) return;
    node.classList.add("selected");
    if (scroll) node.scrollIntoView({ block: "nearest" });
  }

  // --- the event panel: metadata and the article with its evidence marked -------------------------

  let panelRequest = 0;

  async function openPanel(event) {
    const request = ++panelRequest;
    const panel = $("panel");
    panel.hidden = false;
    $("panel-title").textContent = `${event.sub_event_type}`;
    fillMeta(event, null);
    $("panel-text").replaceChildren(el("p", "muted", "Loading the article…"));
    try {
      const doc = await getJSON(`/api/documents/${Number(event.document_id)}`);
      if (request !== panelRequest) return;
      fillMeta(event, doc);
      showArticle(doc.text, event);
    } catch (error) {
      if (request === panelRequest) $("panel-text").replaceChildren(el("p", "muted", `The article could not be loaded (${error.message}).`));
    }
  }

  function fillMeta(event, doc) {
    const rows = [
      ["Type", `${event.event_type} — ${event.sub_event_type}`],
      ["Date", event.event_date ? `${event.event_date} (precision: ${event.date_precision})` : `undated (precision: ${event.date_precision})`],
      ["Place", [event.location, event.admin1, event.country].filter(Boolean).join(", ") || "unknown"],
      ["Actors", [event.actor1, event.actor2].filter(Boolean).join(" v ") || "unknown"],
      ["Fatalities", event.fatalities === null || event.fatalities === undefined ? "not reported" : event.fatalities],
      ["Source", (doc && doc.source) || event.source || "unknown"],
      ["Published", (doc && doc.published) || event.published || "unknown"],
      ["Confidence", Number(event.confidence).toFixed(2)],
    ];
    if (event.background) rows.push(["Note", "history told as background"]);
    const list = $("panel-meta");
    list.replaceChildren();
    for (const [name, value] of rows) list.append(el("dt", null, name), el("dd", null, value));
    const title = (doc && doc.title) || event.title;
    if (title) list.append(el("dt", null, "Article"), el("dd", null, title));
    const url = (doc && doc.url) || event.url;
    if (url && /^https?:\/\//i.test(url)) {
      const link = el("a", null, url);
      link.href = url; // only http(s): a javascript: URL from a feed must not become a link
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      const dd = el("dd");
      dd.append(link);
      list.append(el("dt", null, "Link"), dd);
    }
  }

  function showArticle(text, event) {
    const box = $("panel-text");
    let start = Number(event.start);
    let end = Number(event.end);
    // offsets point into the stored text; fall back to a search if they ever do not fit
    if (!(start >= 0 && end >= start && end <= text.length && text.slice(start, end) === event.evidence)) {
      start = text.indexOf(event.evidence);
      end = start < 0 ? -1 : start + event.evidence.length;
    }
    const article = el("p", "article-text");
    if (start < 0) {
      article.textContent = text;
      box.replaceChildren(el("p", "muted", "The evidence sentence was not found in the text."), article);
      return;
    }
    const mark = el("mark", "evidence", text.slice(start, end));
    article.append(document.createTextNode(text.slice(0, start)), mark, document.createTextNode(text.slice(end)));
    box.replaceChildren(article);
    mark.scrollIntoView({ block: "center" });
  }

  function closePanel() {
    $("panel").hidden = true;
    panelRequest++;
  }

  $("panel-close").addEventListener("click", () => {
    closePanel();
    view.event = null;
    if (selectedMarker) selectedMarker.setStyle({ weight: 1, color: "#222" });
    selectedMarker = null;
    writeView();
    markSelected(false);
  });

  // --- time slider and play ------------------------------------------------------------------------

  let rangeTimer = null;

  function onRangeInput(moved) {
    let from = Number($("t-from").value);
    let to = Number($("t-to").value);
    if (from > to) { // the handles never cross: the one moved pushes the other
      if (moved === "from") { to = from; $("t-to").value = String(to); } else { from = to; $("t-from").value = String(from); }
    }
    showRangeLabels();
    const last = Number($("t-to").max);
    view.from = from > 0 ? isoOf(from) : null;
    view.to = to < last ? isoOf(to) : null; // the full extent stays open-ended: undated events too
    writeView();
    highlightWindow();
    clearTimeout(rangeTimer);
    rangeTimer = setTimeout(() => loadEvents().catch(reportError), 200);
  }

  function reportError(error) { if (error.name !== "AbortError") setStatus(`Could not load events (${error.message}).`); }

  $("t-from").addEventListener("input", () => onRangeInput("from"));
  $("t-to").addEventListener("input", () => onRangeInput("to"));

  let playing = false;

  async function play() {
    const last = Number($("t-to").max);
    let from = Number($("t-from").value);
    let to = Number($("t-to").value);
    if (to - from >= last || to >= last) { // nothing to slide: start a window of a tenth at the start
      from = 0;
      to = Math.max(0, Math.round(last / 10));
    }
    const width = to - from;
    const step = Math.max(1, Math.round(width / 2));
    while (playing) {
      $("t-from").value = String(from);
      $("t-to").value = String(to);
      showRangeLabels();
      view.from = from > 0 ? isoOf(from) : null;
      view.to = to < last ? isoOf(to) : null;
      writeView();
      highlightWindow();
      try { await loadEvents(); } catch (error) { reportError(error); break; }
      await new Promise((resolve) => setTimeout(resolve, PLAY_STEP_MS));
      if (to >= last) {
        if (playing) showFullRange(); // played through: the whole war again, not its last days
        break;
      }
      from = Math.min(from + step, last - width);
      to = from + width;
    }
    setPlaying(false);
  }

  function showFullRange() {
    $("t-from").value = "0";
    $("t-to").value = $("t-to").max;
    showRangeLabels();
    view.from = view.to = null;
    writeView();
    highlightWindow();
    loadEvents().catch(reportError);
  }

  function setPlaying(on) {
    playing = on;
    $("play").textContent = on ? "❚❚ Pause" : "▶ Play";
    $("play").setAttribute("aria-pressed", String(on));
  }

  $("play").addEventListener("click", () => {
    if (playing) { setPlaying(false); return; }
    setPlaying(true);
    play();
  });

  // --- the chart of events per day by type (SVG drawn here, no chart library) ---------------------

  const SVG = "http://www.w3.org/2000/svg";
  let chartGeometry = null;

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node;
  }

  function drawChart(stats) {
    const box = $("chart");
    const width = Math.max(300, box.clientWidth || 800);
    const height = 110;
    const pad = { left: 34, right: 8, top: 8, bottom: 18 };
    const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
    chart.append(Object.assign(svg("title", {}), { textContent: "Events per day by event type" }));
    const days = Math.round((extent[1] - extent[0]) / DAY_MS) + 1;
    const max = Math.max(1, ...stats.days.map((d) => d.total));
    const plotWidth = width - pad.left - pad.right;
    const plotHeight = height - pad.top - pad.bottom;
    const barWidth = plotWidth / days;
    chartGeometry = { pad, barWidth, height, plotHeight };
    const windowRect = svg("rect", { class: "window", x: pad.left, y: pad.top, width: plotWidth, height: plotHeight });
    chart.append(windowRect);
    const types = [...Object.keys(TYPE_COLOURS), ...stats.event_types.filter((t) => !(t in TYPE_COLOURS))];
    for (const day of stats.days) {
      const x = pad.left + dayIndex(day.date) * barWidth;
      let y = pad.top + plotHeight;
      for (const type of types) {
        const n = day.counts[type];
        if (!n) continue;
        const h = (n / max) * plotHeight;
        y -= h;
        const bar = svg("rect", { x, y, width: Math.max(1, barWidth - 0.5), height: h, fill: colourOf(type) });
        bar.append(Object.assign(svg("title", {}), { textContent: `${day.date}: ${n} ${type}` }));
        chart.append(bar);
      }
    }
    const axis = (x, y, text, anchor) => {
      const label = svg("text", { x, y, "text-anchor": anchor, class: "axis" });
      label.textContent = text;
      chart.append(label);
    };
    chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: pad.top + plotHeight, y2: pad.top + plotHeight, class: "baseline" }));
    axis(pad.left - 4, pad.top + 8, String(max), "end");
    axis(pad.left - 4, pad.top + plotHeight, "0", "end");
    axis(pad.left, height - 4, isoOf(0), "start");
    axis(width - pad.right, height - 4, isoOf(days - 1), "end");
    box.replaceChildren(chart);
    box.dataset.days = String(stats.days.length);
    highlightWindow();
  }

  function highlightWindow() {
    const rect = document.querySelector("#chart .window");
    if (!rect || !chartGeometry) return;
    const from = Number($("t-from").value);
    const to = Number($("t-to").value);
    rect.setAttribute("x", String(chartGeometry.pad.left + from * chartGeometry.barWidth));
    rect.setAttribute("width", String(Math.max(1, (to - from + 1) * chartGeometry.barWidth)));
  }

  // --- legend and start ----------------------------------------------------------------------------

  function drawLegend() {
    const legend = $("legend");
    for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
      const item = el("li");
      const swatch = el("span", "swatch");
      swatch.style.backgroundColor = colour;
      item.append(swatch, document.createTextNode(type));
      legend.append(item);
    }
    legend.append(el("li", "muted", "Circle size: fatalities"));
  }

  async function start() {
    drawLegend();
    for (const [select, value] of [[$("f-type"), view.type], [$("f-country"), view.country]]) {
      if (value) { select.append(new Option(value, value)); select.value = value; }
    }
    $("f-actor").value = view.actor;
    $("f-background").checked = view.background;
    // The filter choices load beside the events, not before them: the view is already known.
    const options = Promise.all([getJSON("/api/actors?limit=2000"), getJSON(placesURL())])
      .then(([actors, places]) => fillFilterOptions(actors, places))
      .catch((error) => setStatus(`Could not load the filters (${error.message}).`));
    await Promise.all([refresh(), options]);
  }

  start();
})();
