// Counts down the time a proposal has left to be answered, from what the server said when it sent the
// page (data-seconds), in the page's language (the words on #proposals). Plain JavaScript, no build step.
(function () {
  "use strict";
  var section = document.getElementById("proposals");
  var clocks = document.querySelectorAll("time.countdown[data-seconds]");
  if (!section || !clocks.length) { return; }
  var words = {
    hoursMinutes: section.getAttribute("data-hours-minutes") || "{h} h {m} min",
    minutes: section.getAttribute("data-minutes") || "{m} min",
    over: section.getAttribute("data-over") || "expired"
  };
  var started = Date.now();

  function said(seconds) {
    if (seconds <= 0) { return words.over; }
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var pattern = hours ? words.hoursMinutes : words.minutes;
    return pattern.replace("{h}", String(hours)).replace("{m}", String(minutes));
  }

  function tick() {
    var gone = Math.floor((Date.now() - started) / 1000);
    for (var i = 0; i < clocks.length; i++) {
      var left = parseInt(clocks[i].getAttribute("data-seconds"), 10) - gone;
      var text = said(left);
      if (clocks[i].textContent !== text) { clocks[i].textContent = text; }
      if (left <= 0) { clocks[i].classList.add("over"); }
    }
  }

  tick();
  window.setInterval(tick, 15000);
})();
