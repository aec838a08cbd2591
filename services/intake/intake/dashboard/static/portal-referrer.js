// The referrers' pages: a form sent back with errors puts the keyboard on the list of errors, so that
// a screen reader reads it first and each entry leads to its field. Plain JavaScript, no build step.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
