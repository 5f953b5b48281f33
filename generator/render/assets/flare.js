// Flare: optional touches. The pages are complete without this script; it adds each time in the
// reader's own timezone (named, so the tooltip needs no words) and how long ago it was, as a
// tooltip and a short suffix, both in the page's language.
(function () {
  "use strict";
  var language = document.documentElement.lang || undefined;
  var relative = typeof Intl !== "undefined" && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(language, { numeric: "auto" })
    : null;
  var units = [
    ["year", 31536000], ["month", 2592000], ["day", 86400],
    ["hour", 3600], ["minute", 60]
  ];

  function ago(date) {
    var seconds = (date.getTime() - Date.now()) / 1000;
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || units[i][0] === "minute") {
        return relative.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
    return "";
  }

  function enhance() {
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var element = times[i];
      if (element.dataset.flareLocal) continue;
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date.getTime())) continue;
      element.dataset.flareLocal = "1";
      element.title = date.toLocaleString(language, {
        year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
        timeZoneName: "short"
      });
      if (relative && Math.abs(Date.now() - date.getTime()) < 7 * 86400000) {
        var note = document.createElement("span");
        note.className = "flare-ago";
        note.textContent = " (" + ago(date) + ")";
        element.after(note);
      }
    }
  }

  // mkdocs-material may swap pages without a reload (navigation.instant); re-run on each page.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
