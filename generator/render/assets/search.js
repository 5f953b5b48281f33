// Flare: the search index only when a reader starts to search. mkdocs-material asks for
// search/search_index.json as every page loads; this script, loaded before the theme's, holds
// that one request back until the reader focuses the search field, opens search or presses
// one of its keys (/, s, f), then lets it go. Every other request goes out untouched.
(function () {
  "use strict";
  var INDEX = /\/search\/search_index\.json(\?|$)/;
  var held = [];
  var wanted = false;

  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (send) { send(); });
  }

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.flareIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (request.flareIndex && !wanted) {
      held.push(function () { send.apply(request, args); });
      return undefined;
    }
    return send.apply(request, args);
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest(".md-search")) release();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search") release();
  });
  document.addEventListener("keydown", function (event) {
    if (["/", "s", "f", "S", "F"].indexOf(event.key) !== -1) release();
  }, true);
})();
