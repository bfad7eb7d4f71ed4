// TopoJSON (world-atlas) to a compact GeoJSON FeatureCollection; run by scripts/vendor_web_assets.sh.
"use strict";
const fs = require("fs");
const topojson = require("topojson-client");

const [source, target] = process.argv.slice(2);
const topology = JSON.parse(fs.readFileSync(source, "utf8"));
const countries = topojson.feature(topology, topology.objects.countries);

const round = (value) => Math.round(value * 100) / 100;
// Rounding can make consecutive vertices equal; dropping repeats keeps rings valid and small.
// A ring that crosses the antimeridian (Russia's east, Fiji) jumps from 180 to -180, which a flat
// map draws as a line across the world: such rings are unwrapped past 180 instead.
function ring(points) {
  const out = [];
  let shift = 0;
  for (const [x, y] of points) {
    const previous = out[out.length - 1];
    if (previous) {
      const jump = x + shift - previous[0];
      if (jump > 180) shift -= 360;
      else if (jump < -180) shift += 360;
    }
    const p = [round(x + shift), round(y)];
    if (!previous || previous[0] !== p[0] || previous[1] !== p[1]) out.push(p);
  }
  if (out.length && out.every(([x]) => x > 180)) for (const p of out) p[0] = round(p[0] - 360);
  return out;
}
function polygon(rings) {
  return rings.map(ring).filter((r) => r.length >= 4);
}
const features = [];
for (const f of countries.features) {
  // Antarctica's ring runs along the pole from 180 to -180; no conflict map needs it.
  if (!f.geometry || f.properties.name === "Antarctica") continue;
  const g = f.geometry;
  const coordinates = g.type === "Polygon" ? polygon(g.coordinates)
    : g.coordinates.map(polygon).filter((p) => p.length);
  if (!coordinates.length) continue;
  features.push({
    type: "Feature", id: f.id,
    properties: { name: f.properties.name },
    geometry: { type: g.type, coordinates },
  });
}
fs.writeFileSync(target, JSON.stringify({ type: "FeatureCollection", features }));
console.log(`${features.length} countries written to ${target}`);
