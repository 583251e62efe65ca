// Polls the progress record of a running import; the page works without it (refresh link).
(function () {
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = document.getElementById("import-bar");
  var label = document.getElementById("import-percent");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.percent;
        label.textContent = data.percent + "%";
        if (data.running) { setTimeout(poll, 1500); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
