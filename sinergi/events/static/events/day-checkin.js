// The check-in page's scanner. The camera (getUserMedia) is read frame by frame into a canvas and
// jsQR (vendor/jsqr/jsQR.js) looks for a QR code; what it reads goes through the same path as a
// code typed by hand: window.sinergiCheckIn.submitToken(text) fills the code field and submits the
// form (htmx posts it and shows the answer). The same code is not sent again for a few seconds,
// and the server counts a participant once per day however often they are scanned.
(function () {
  "use strict";

  var root = document.querySelector("[data-scanner]");
  var form = document.getElementById("scan-form");
  if (!root || !form) {
    return;
  }
  var field = form.querySelector("input[name='code']");
  var video = root.querySelector("video");
  var frame = root.querySelector("canvas");
  var status = root.querySelector("[data-scanner-status]");
  var start = root.querySelector("[data-scanner-start]");
  var stopButton = root.querySelector("[data-scanner-stop]");
  var stream = null;
  var last = "";
  var lastAt = 0;
  var REPEAT_MS = 4000;

  function say(text) {
    if (status) {
      status.textContent = text || "";
    }
  }

  function submitToken(text) {
    var participant = form.querySelector("input[name='participant']");
    if (participant) {
      participant.value = "";
    }
    field.value = text;
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    }
  }
  window.sinergiCheckIn = { submitToken: submitToken };

  function scan() {
    if (!stream) {
      return;
    }
    if (video.readyState >= 2 && video.videoWidth) {
      // Scale down: QR codes are found as well in 640 px and the phone stays cool.
      var scale = Math.min(1, 640 / video.videoWidth);
      var w = Math.round(video.videoWidth * scale);
      var h = Math.round(video.videoHeight * scale);
      frame.width = w;
      frame.height = h;
      var ctx = frame.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, w, h);
      var code = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      if (code && code.data && (code.data !== last || now - lastAt > REPEAT_MS)) {
        last = code.data;
        lastAt = now;
        if (navigator.vibrate) {
          navigator.vibrate(80);
        }
        submitToken(code.data);
      }
    }
    window.requestAnimationFrame(scan);
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    video.classList.add("d-none");
    start.classList.remove("d-none");
    stopButton.classList.add("d-none");
    say("");
  }

  start.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
      say(root.getAttribute("data-msg-unsupported"));
      return;
    }
    say(root.getAttribute("data-msg-starting"));
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.setAttribute("playsinline", "");
        video.muted = true;
        return video.play();
      })
      .then(function () {
        video.classList.remove("d-none");
        start.classList.add("d-none");
        stopButton.classList.remove("d-none");
        say(root.getAttribute("data-msg-scanning"));
        window.requestAnimationFrame(scan);
      })
      .catch(function () {
        stop();
        say(root.getAttribute("data-msg-denied"));
      });
  });
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);

  // After an answer, the code field is emptied for the next participant.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form) {
      field.value = "";
    }
  });
})();
