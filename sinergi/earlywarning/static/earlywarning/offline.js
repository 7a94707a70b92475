// The FKDM member's phone page: send a report or nihil, or keep it on the phone while offline.
//
// Every form marked data-offline is sent with fetch. When the network cannot be reached the form's
// fields (not its files) are kept in localStorage with the form's client UUID and sent again when
// the connection returns; the server stores a client UUID once, so a report sent twice arrives once.
(function () {
  "use strict";

  var KEY = "sinergi.earlywarning.outbox";
  var box = document.getElementById("ew-outbox");
  var sending = false;

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "[]");
    } catch (e) {
      return [];
    }
  }

  function store(items) {
    window.localStorage.setItem(KEY, JSON.stringify(items));
    show();
  }

  function newUuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function localDate() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(text, kind) {
    if (!box) {
      return;
    }
    box.textContent = text;
    box.className = "alert alert-" + (kind || "info");
  }

  function show() {
    var items = load();
    if (box) {
      box.dataset.pending = String(items.length);
    }
    if (items.length && box) {
      say(box.dataset.labelPending + " " + items.length, "info");
    }
  }

  function fields(form) {
    var out = [];
    var hadFiles = false;
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") {
        return;
      }
      if (typeof value === "string") {
        out.push([name, value]);
      } else if (value && value.size) {
        hadFiles = true;
      }
    });
    return { fields: out, hadFiles: hadFiles };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() }
    });
  }

  function keep(form) {
    var taken = fields(form);
    var items = load();
    items.push({ url: form.action, kind: form.dataset.offline, fields: taken.fields, saved: new Date().toISOString() });
    store(items);
    var text = box ? box.dataset.labelSaved : "";
    if (taken.hadFiles && box) {
      text += " " + box.dataset.labelNoFiles;
    }
    say(text + " (" + items.length + ")", "warning");
    if (form.dataset.offline === "report") {
      form.reset();
    }
    form.querySelector("input[name=client_uuid]").value = newUuid();
  }

  function flush() {
    var items = load();
    if (sending || !items.length || navigator.onLine === false) {
      return;
    }
    sending = true;
    var item = items[0];
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    post(item.url, body)
      .then(function (response) {
        var rest = load().slice(1);
        if (response.ok) {
          store(rest);
          if (!rest.length) {
            say(box ? box.dataset.labelSent : "", "success");
          }
        } else if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          store(rest);
          say((box ? box.dataset.labelFailed : "") + " " + response.status, "danger");
        } else {
          throw new Error(String(response.status));
        }
        sending = false;
        if (rest.length) {
          flush();
        }
      })
      .catch(function () {
        sending = false;
      });
  }

  document.querySelectorAll("form[data-offline]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var day = form.querySelector("input[name=for_date]");
      if (day && !day.value) {
        day.value = localDate();
      }
      if (navigator.onLine === false) {
        keep(form);
        return;
      }
      post(form.action, new FormData(form))
        .then(function (response) {
          if (response.status === 422) {
            // Let the server show what is wrong, in the page itself.
            HTMLFormElement.prototype.submit.call(form);
            return null;
          }
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          if (!data) {
            return;
          }
          if (form.dataset.detailUrl) {
            window.location.assign(form.dataset.detailUrl.replace("/0/", "/" + data.id + "/"));
          } else {
            window.location.assign(form.dataset.nextUrl || window.location.href);
          }
        })
        .catch(function () {
          keep(form);
        });
    });
  });

  var locate = document.getElementById("ew-locate");
  if (locate && navigator.geolocation) {
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (position) {
          document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
          document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
        },
        function () {
          say(locate.dataset.labelError, "warning");
        },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }

  window.addEventListener("online", flush);
  show();
  flush();
  window.setInterval(flush, 30000);
})();
