/* Lesson player: resume where the learner stopped and report progress (one small POST per beat).
   Each beat says where to resume and how many seconds were actually played since the previous beat; the server
   credits at most the time on its own clock between beats, and the media's length is measured from the file,
   so neither seeking forward nor a forged beat completes a lesson. */
(function () {
  "use strict";
  var box = document.querySelector(".player[data-heartbeat]");
  if (!box) return;
  var media = box.querySelector("video, audio");
  var url = box.getAttribute("data-heartbeat");
  var resume = parseFloat(box.getAttribute("data-resume") || "0");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var status = document.getElementById("progress-status");
  var INTERVAL = 15000;
  var timer = null;
  var played = 0;          // seconds played since the last beat (normal playback only, not seeks)
  var lastTime = null;

  media.addEventListener("timeupdate", function () {
    var t = media.currentTime;
    if (lastTime !== null && !media.seeking && !media.paused) {
      var step = t - lastTime;
      // up to 5 s between two timeupdates (a busy device fires them late); a seek resets lastTime, so a jump
      // is never counted, and the server credits no more than its own clock anyway
      if (step > 0 && step < 5) played += step / (media.playbackRate || 1);
    }
    lastTime = t;
  });
  media.addEventListener("seeking", function () { lastTime = null; });

  function body(position) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", tokenInput ? tokenInput.value : "");
    data.append("position", String(Math.floor(position)));
    data.append("played", played.toFixed(2));
    played = 0;
    return data;
  }

  function send(final) {
    if (!media.duration || isNaN(media.duration)) return;
    var position = media.ended ? media.duration : media.currentTime;
    if (final && navigator.sendBeacon) {
      navigator.sendBeacon(url, body(position));
      return;
    }
    fetch(url, { method: "POST", body: body(position), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !status) return;
        if (data.course_completed) {
          status.textContent = status.getAttribute("data-course-completed");
          status.className = "alert alert-success";
        } else if (data.done) {
          status.textContent = status.getAttribute("data-lesson-done");
          status.className = "alert alert-success";
        }
        if (data.done) document.body.setAttribute("data-lesson-done", "1");
        if (data.course_completed) document.body.setAttribute("data-course-completed", "1");
      })
      .catch(function () { /* offline: the next beat retries */ });
  }

  function seekToResume() {
    if (resume > 0 && resume < media.duration - 1 && media.currentTime < 1) media.currentTime = resume;
  }
  // The metadata may already be loaded (cache) before this deferred script runs.
  if (media.readyState >= 1) seekToResume();
  else media.addEventListener("loadedmetadata", seekToResume, { once: true });
  media.addEventListener("play", function () {
    send(false);  // starts the server's clock for this stretch of playing
    if (!timer) timer = setInterval(function () { send(false); }, INTERVAL);
  });
  media.addEventListener("pause", function () { clearInterval(timer); timer = null; send(false); });
  media.addEventListener("ended", function () { clearInterval(timer); timer = null; send(false); });
  window.addEventListener("pagehide", function () { if (!media.paused) send(true); });

  if (document.documentElement.classList.contains("elder")) largeControls(box, media);
})();

/* Elder mode: large, labelled controls (60 px targets) instead of the browser's small native ones, and the
   captions drawn as page text (24 px and up, measurable, sized with the text-size control) instead of the
   browser's own caption box. They only drive the media element, so the progress beats above see the same play,
   pause, seek and ended events. Without JavaScript the native controls and captions stay. */
function largeControls(box, media) {
  "use strict";
  var bar = box.querySelector(".player-controls");
  if (!bar) return;
  var play = bar.querySelector("[data-action=play]");
  var seek = bar.querySelector("[data-action=seek]");
  var time = bar.querySelector(".player-time");
  var captionsButton = bar.querySelector("[data-action=captions]");
  var captionsBox = box.querySelector(".player-captions");
  var track = media.textTracks && media.textTracks[0];

  media.removeAttribute("controls");
  bar.hidden = false;

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }
  function refresh() {
    play.textContent = play.getAttribute(media.paused ? "data-label-play" : "data-label-pause");
    var duration = isFinite(media.duration) ? media.duration : 0;
    seek.max = String(Math.floor(duration));
    seek.value = String(Math.floor(media.currentTime));
    var text = clock(media.currentTime) + " / " + clock(duration);
    seek.setAttribute("aria-valuetext", text);
    time.textContent = text;
  }
  ["play", "pause", "ended", "timeupdate", "loadedmetadata", "durationchange"].forEach(function (name) {
    media.addEventListener(name, refresh);
  });
  refresh();

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var action = button.getAttribute("data-action");
    if (action === "play") {
      if (media.paused) { media.play(); } else { media.pause(); }
    } else if (action === "back") {
      media.currentTime = Math.max(0, media.currentTime - 10);
    } else if (action === "mute") {
      media.muted = !media.muted;
      button.setAttribute("aria-pressed", String(media.muted));
    } else if (action === "captions" && captionsBox) {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      captionsBox.hidden = !on || !captionsBox.textContent;
      box.classList.toggle("captions-off", !on);
    } else if (action === "fullscreen" && box.requestFullscreen) {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { box.requestFullscreen(); }
    }
  });
  seek.addEventListener("change", function () { media.currentTime = Number(seek.value); });

  if (track && captionsBox) {
    track.mode = "hidden";  // cues still fire; the page draws them
    track.addEventListener("cuechange", function () {
      var lines = [];
      var cues = track.activeCues || [];
      for (var i = 0; i < cues.length; i += 1) lines.push(cues[i].text);
      captionsBox.textContent = lines.join("\n");
      captionsBox.hidden = !lines.length || box.classList.contains("captions-off");
    });
  }
  if (captionsButton && !track) captionsButton.hidden = true;
}

