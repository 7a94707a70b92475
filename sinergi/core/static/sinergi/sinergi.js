// Small behaviours shared by every page. Loaded as a file: the CSP forbids inline script and on* handlers.
(function () {
  "use strict";

  // <form data-confirm="Really?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <form data-drop-empty hx-get=...>: leave empty fields out of the query string (and the pushed URL).
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    if (event.detail.verb !== "get" || !event.detail.elt.hasAttribute("data-drop-empty")) {
      return;
    }
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") {
        delete params[name];
      }
    });
  });

  // <button data-copy-target="#id" data-copied-label="Copied">: copy a field's value to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var field = document.querySelector(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    var done = function () {
      button.textContent = button.getAttribute("data-copied-label") || button.textContent;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else {
      // Plain-HTTP deployments have no Clipboard API; the older command still works there.
      field.select();
      if (document.execCommand("copy")) {
        done();
      }
    }
  });
})();
