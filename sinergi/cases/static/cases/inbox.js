// The inbox's bulk disposition: "choose all" ticks every case of the page. Works after htmx swaps.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.id !== "bulk-all") {
      return;
    }
    document.querySelectorAll("#case-results .bulk-one").forEach(function (one) {
      one.checked = box.checked;
    });
  });
})();
