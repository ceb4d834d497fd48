// Draws a capability's map layer from its declaration (the JSON in its map_layers.html), so that a
// capability describes its layers as data and ships no script of its own:
//   marker/style values: a constant, {"field": "colour"} (the feature's own value) or
//     {"by": "level", "map": {"red": "#c0392b"}, "default": "#777"};
//   className, tooltip and popup lines: templates "{name}", "{R|fixed:2}", "{population|num}",
//     "{level|label:levels}" (labels from the declaration); a popup line whose fields are all empty is left out;
//   filter: {"field": "alarm_level", "present": true} or {"field": "outside", "equals": true}.
window.YingjiLayerKit = (function () {
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function empty(v) { return v === null || v === undefined || v === ""; }

  function format(v, filter, labels) {
    if (!filter) return v;
    const [name, arg] = filter.split(":");
    if (empty(v)) return v;
    if (name === "fixed") return Number(v).toFixed(Number(arg || 0));
    if (name === "num") return Number(v).toLocaleString("zh-CN");
    if (name === "label") return ((labels || {})[arg] || {})[v] ?? v;
    if (name === "yesno") return v ? (arg || "是") : "";
    return v;
  }

  // Fills a template; returns [text, allEmpty]. Values are escaped when ``html`` is set, and
  // percent-encoded when it is "url" (a record's text never becomes a path segment, a query or a scheme).
  function fill(tpl, props, labels, html) {
    let fields = 0, filled = 0;
    const text = String(tpl).replace(/\{([a-zA-Z0-9_]+)(?:\|([^}]+))?\}/g, (m, key, filter) => {
      fields++;
      const v = format(props[key], filter, labels);
      if (empty(v)) return "";
      filled++;
      return html === "url" ? encodeURIComponent(String(v)) : html ? esc(v) : String(v);
    });
    return [text, fields > 0 && filled === 0];
  }

  // A link of the platform's own: a path on this site, never "javascript:" or another host.
  function ownLink(tpl, props) {
    const [href, none] = fill(tpl, props, {}, "url");
    return [/^\/(?![\/\\])/.test(href) ? href : "", none];
  }

  function pick(spec, props) {
    if (spec === null || spec === undefined || typeof spec !== "object") return spec;
    if (spec.field) return props[spec.field] ?? spec.default;
    if (spec.by) return (spec.map || {})[props[spec.by]] ?? spec.default;
    if (spec.when) return props[spec.when] ? spec.then : spec.else;
    return spec.default;
  }

  function options(spec, props) {
    const out = {};
    for (const [k, v] of Object.entries(spec || {})) out[k] = pick(v, props);
    return out;
  }

  function keep(filter, props) {
    if (!filter) return true;
    const v = props[filter.field];
    if ("present" in filter) return filter.present ? !empty(v) : empty(v);
    if ("equals" in filter) return v === filter.equals;
    return true;
  }

  function popupHtml(popup, props, labels) {
    const parts = [];
    if (popup.title) parts.push("<b>" + fill(popup.title, props, labels, true)[0] + "</b>");
    for (const line of popup.lines || []) {
      const [text, none] = fill(line, props, labels, true);
      if (!none && text.trim()) parts.push(text);
    }
    for (const link of popup.links || []) {
      const [href, none] = ownLink(link.href, props);
      if (href && !none && (!link.if || props[link.if])) parts.push(`<a href="${esc(href)}">${esc(link.label)}</a>`);
    }
    return parts.join("<br>");
  }

  // The Leaflet layer of one declaration and its GeoJSON; ``toLatLng`` places [lon, lat] on the base map.
  function render(def, data, labels, toLatLng) {
    const m = def.marker || {};
    let count = 0;
    const layer = L.geoJSON(data, {
      coordsToLatLng: (c) => toLatLng(c[0], c[1]),
      filter: (f) => f.geometry && keep(def.filter, f.properties || {}),
      style: (f) => {
        const o = options(def.style, f.properties);
        if (def.className) o.className = fill(def.className, f.properties, labels, false)[0];
        return o;
      },
      pointToLayer: (f, ll) => {
        const p = f.properties, cls = def.className ? fill(def.className, p, labels, false)[0] : "";
        if (m.shape === "diamond") {
          // Built as an element: its colour set through the DOM, not an inline style attribute (CSP).
          const d = document.createElement("div");
          d.className = "diamond";
          d.style.background = pick(m.color, p) || "#777";
          return L.marker(ll, { icon: L.divIcon({ className: cls, iconSize: [18, 18], html: d }) });
        }
        const o = options(m, p);
        delete o.shape;
        o.className = cls;
        return L.circleMarker(ll, o);
      },
      onEachFeature: (f, l) => {
        count++;
        const p = f.properties || {};
        if (def.tooltip) l.bindTooltip(fill(def.tooltip, p, labels, true)[0], { sticky: true });
        if (def.popup) l.bindPopup(() => popupHtml(def.popup, p, labels));
      },
    });
    return { layer: layer, count: count };
  }

  return { render: render, fill: fill, esc: esc, link: ownLink };
})();
