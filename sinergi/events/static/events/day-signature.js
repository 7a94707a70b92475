// Signature pads: <canvas class="sig-pad" data-field="signature"> inside a form with a hidden
// <input name="signature">. Drawing with finger, pen or mouse fills the input with a PNG data URI;
// <button data-sig-clear> empties both. Works for pads that htmx swaps in later (event delegation).
(function () {
  "use strict";

  var drawing = null;

  function point(canvas, event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * canvas.width / box.width,
      y: (event.clientY - box.top) * canvas.height / box.height
    };
  }

  function input(canvas) {
    var form = canvas.closest("form");
    return form && form.querySelector("input[name='" + (canvas.getAttribute("data-field") || "signature") + "']");
  }

  function store(canvas) {
    var field = input(canvas);
    if (field && canvas.getAttribute("data-inked") === "1") {
      field.value = canvas.toDataURL("image/png");
    }
  }

  document.addEventListener("pointerdown", function (event) {
    var canvas = event.target.closest && event.target.closest("canvas.sig-pad");
    if (!canvas) {
      return;
    }
    event.preventDefault();
    if (canvas.setPointerCapture) {
      canvas.setPointerCapture(event.pointerId);
    }
    var ctx = canvas.getContext("2d");
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#0b1f4b";
    ctx.fillStyle = "#0b1f4b";
    var p = point(canvas, event);
    ctx.beginPath();
    ctx.arc(p.x, p.y, 1.5, 0, 2 * Math.PI);
    ctx.fill();
    canvas.setAttribute("data-inked", "1");
    drawing = { canvas: canvas, ctx: ctx, last: p };
  });

  document.addEventListener("pointermove", function (event) {
    if (!drawing) {
      return;
    }
    event.preventDefault();
    var p = point(drawing.canvas, event);
    drawing.ctx.beginPath();
    drawing.ctx.moveTo(drawing.last.x, drawing.last.y);
    drawing.ctx.lineTo(p.x, p.y);
    drawing.ctx.stroke();
    drawing.last = p;
  });

  function stop() {
    if (drawing) {
      store(drawing.canvas);
      drawing = null;
    }
  }
  document.addEventListener("pointerup", stop);
  document.addEventListener("pointercancel", stop);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-sig-clear]");
    if (!button) {
      return;
    }
    var form = button.closest("form");
    var canvas = form && form.querySelector("canvas.sig-pad");
    if (!canvas) {
      return;
    }
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
    canvas.removeAttribute("data-inked");
    var field = input(canvas);
    if (field) {
      field.value = "";
    }
  });
})();
