#!/usr/bin/env bash
# One-off: fetch the page's third-party assets from the npm registry into frontlines/web/static/vendor/.
# The results are committed, so neither the tests nor `frontlines serve` need npm or a network; run
# this again only to change a version. Packages go to a temporary folder, never into the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
LEAFLET=1.9.4
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0
SWAGGER_UI=5.35.0
VENDOR=frontlines/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm install --silent --no-audit --no-fund --prefix "$work" \
  "leaflet@$LEAFLET" "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT" \
  "swagger-ui-dist@$SWAGGER_UI"
mods="$work/node_modules"

# Leaflet: the minified script, its stylesheet and marker images, and its licence.
rm -rf "$VENDOR/leaflet" && mkdir -p "$VENDOR/leaflet"
cp "$mods/leaflet/dist/leaflet.js" "$mods/leaflet/dist/leaflet.css" "$mods/leaflet/LICENSE" "$VENDOR/leaflet/"
cp -r "$mods/leaflet/dist/images" "$VENDOR/leaflet/"

# Swagger UI for /docs: FastAPI's default page loads it from a CDN with an inline script, which
# neither works offline nor passes the page's Content-Security-Policy.
rm -rf "$VENDOR/swagger-ui" && mkdir -p "$VENDOR/swagger-ui"
cp "$mods/swagger-ui-dist/swagger-ui-bundle.js" "$mods/swagger-ui-dist/swagger-ui.css" \
  "$mods/swagger-ui-dist/LICENSE" "$mods/swagger-ui-dist/NOTICE" "$VENDOR/swagger-ui/"

# Country boundaries: Natural Earth 1:50m admin-0 (world-atlas TopoJSON) to GeoJSON once, with
# coordinates rounded to 0.01 degree (about 1 km, finer than the 1:50m source) to keep it small.
rm -rf "$VENDOR/world-atlas" && mkdir -p "$VENDOR/world-atlas"
NODE_PATH="$mods" node scripts/countries_geojson.js "$mods/world-atlas/countries-50m.json" \
  "$VENDOR/world-atlas/countries-50m.geojson"
cp "$mods/world-atlas/LICENSE" "$VENDOR/world-atlas/LICENSE"
cat > "$VENDOR/world-atlas/README.md" <<TXT
countries-50m.geojson: country boundaries from Natural Earth (public domain, naturalearthdata.com),
1:50m admin-0, as redistributed in TopoJSON by the npm package world-atlas@$WORLD_ATLAS (ISC licence,
LICENSE beside this file), converted with topojson-client@$TOPOJSON_CLIENT by
scripts/vendor_web_assets.sh; coordinates rounded to 0.01 degree.
TXT
ls -la "$VENDOR"/*
