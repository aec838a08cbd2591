// Refreshes the dashboard every 30 s without a page reload; plain JavaScript, no build step.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (!seconds) { return; }

  // A one-time notice ("Signal acknowledged") should not come back with every refresh.
  var url = new URL(window.location.href);
  if (url.searchParams.has("notice")) {
    url.searchParams.delete("notice");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  function busy() {
    // Never throw away what a coordinator is typing.
    var active = document.activeElement;
    if (active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT")) { return true; }
    var fields = document.querySelectorAll("main textarea");
    for (var i = 0; i < fields.length; i++) { if (fields[i].value.trim() !== "") { return true; } }
    return false;
  }

  function refresh() {
    if (document.hidden || busy()) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected || response.status !== 200) {
          window.location.reload();  // signed out or expired: show whatever the server shows now
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null || busy()) { return; }
        var next = new DOMParser().parseFromString(html, "text/html");
        var main = next.getElementById("main");
        if (!main) { return; }
        document.getElementById("main").innerHTML = main.innerHTML;
        var footer = next.querySelector("footer");
        if (footer) { document.querySelector("footer").innerHTML = footer.innerHTML; }
      })
      .catch(function () { /* offline for a moment: try again next round */ });
  }

  window.setInterval(refresh, seconds * 1000);
})();
