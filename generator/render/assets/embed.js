/* Flare's embeddable status, for a product's own pages:

     <div data-flare-status></div>            a badge: the overall state, linking to the page
     <div data-flare-status="banner"></div>   a banner while an incident or maintenance is on
     <script src="https://status.example.com/embed.js" async></script>

   It reads the status site's api/v2/summary.json (beside this script), writes text only (a
   title is never HTML), sets no cookie, and remembers a dismissed banner per update, so the
   next update shows again. Colours follow the reader's prefers-color-scheme; nothing moves. */
(function () {
  "use strict";
  var PALETTE = /*PALETTE*/ {};
  var script = document.currentScript;
  if (!script || !window.fetch || !window.URL) return;
  var root = new URL(".", script.src);
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var colours = dark ? PALETTE.dark : PALETTE.light;
  var STATES = { none: "operational", minor: "degraded_performance", major: "partial_outage",
                 critical: "major_outage", maintenance: "under_maintenance" };
  var KEY = "flare-dismissed:";

  function element(tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    for (var name in style || {}) node.style[name] = style[name];
    return node;
  }

  function badge(host, summary) {
    var state = STATES[summary.status.indicator] || "operational";
    var link = element("a", "", { display: "inline-flex", alignItems: "center", gap: "0.4em",
      color: colours.text, textDecoration: "none", font: "inherit" });
    link.href = root.href;
    link.appendChild(element("span", "", { width: "0.7em", height: "0.7em", borderRadius: "50%",
      background: colours.states[state], display: "inline-block" })).setAttribute("aria-hidden", "true");
    link.appendChild(element("span", summary.status.description));
    host.setAttribute("role", "status");
    host.replaceChildren(link);
  }

  function banner(host, summary) {
    var active = summary.incidents.concat(summary.scheduled_maintenances.filter(function (item) {
      return item.status === "in_progress" || item.status === "verifying";
    }));
    var item = active[0];
    var latest = item && item.incident_updates[0];
    var dismissed = latest && remembered(KEY + latest.id);
    if (!item || dismissed) { host.hidden = true; host.replaceChildren(); return; }
    var state = STATES[item.impact] || "major_outage";
    var box = element("div", "", { display: "flex", flexWrap: "wrap", gap: "0.5em 1em",
      alignItems: "center", padding: "0.6em 1em", borderLeft: "4px solid " + colours.states[state],
      background: colours.background, color: colours.text, font: "inherit" });
    box.appendChild(element("strong", item.name));
    box.appendChild(element("span", latest ? latest.status.replace("_", " ") : ""));
    var link = element("a", "Details", { color: colours.link });
    link.href = item.shortlink;
    box.appendChild(link);
    var close = element("button", "Dismiss", { marginLeft: "auto", font: "inherit" });
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss: " + item.name);
    close.addEventListener("click", function () {
      remember(KEY + latest.id);
      host.hidden = true;
      host.replaceChildren();
    });
    box.appendChild(close);
    host.hidden = false;
    host.setAttribute("role", "status");
    host.replaceChildren(box);
  }

  function remembered(key) {
    try { return window.localStorage.getItem(key) === "1"; } catch (error) { return false; }
  }

  function remember(key) {
    try { window.localStorage.setItem(key, "1"); } catch (error) { /* private mode: no memory */ }
  }

  fetch(new URL("api/v2/summary.json", root).href, { credentials: "omit" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
    .then(function (summary) {
      document.querySelectorAll("[data-flare-status]").forEach(function (host) {
        (host.getAttribute("data-flare-status") === "banner" ? banner : badge)(host, summary);
      });
    })
    .catch(function () { /* the product's page stays as it is */ });
})();
