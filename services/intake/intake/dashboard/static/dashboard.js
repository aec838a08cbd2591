// The pages' behaviour: the menu that folds on a narrow screen, and the dashboard's refresh every 30 s
// without a page reload. Plain JavaScript, no build step; every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The menu: shown as it is without script; with script, folded behind its button on a narrow screen.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("menu");
  if (toggle && menu) {
    var narrow = window.matchMedia("(max-width: 760px)");
    var setOpen = function (open) {
      menu.classList.toggle("closed", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    toggle.hidden = false;
    setOpen(!narrow.matches);
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    var follow = function () { setOpen(!narrow.matches); };
    if (narrow.addEventListener) { narrow.addEventListener("change", follow); }
    menu.addEventListener("click", function (event) {
      if (narrow.matches && event.target.tagName === "A") { setOpen(false); }
    });
  }

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
    if (active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT" || active.tagName === "SELECT")) { return true; }
    var fields = document.querySelectorAll("main textarea");
    for (var i = 0; i < fields.length; i++) { if (fields[i].value.trim() !== "") { return true; } }
    return false;
  }

  // The sections a coordinator folded or unfolded stay so after a refresh.
  function foldState() {
    var state = {};
    var folds = document.querySelectorAll("main details");
    for (var i = 0; i < folds.length; i++) {
      var key = folds[i].getAttribute("data-fold") || ("details-" + i);
      state[key] = folds[i].open;
    }
    return state;
  }

  function restoreFolds(state) {
    var folds = document.querySelectorAll("main details");
    for (var i = 0; i < folds.length; i++) {
      var key = folds[i].getAttribute("data-fold") || ("details-" + i);
      if (Object.prototype.hasOwnProperty.call(state, key)) { folds[i].open = state[key]; }
    }
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
        var state = foldState();
        var x = window.scrollX, y = window.scrollY;
        document.getElementById("main").innerHTML = main.innerHTML;
        restoreFolds(state);
        window.scrollTo(x, y);
        var footer = next.querySelector("footer");
        if (footer) { document.querySelector("footer").innerHTML = footer.innerHTML; }
      })
      .catch(function () { /* offline for a moment: try again next round */ });
  }

  window.setInterval(refresh, seconds * 1000);
})();
