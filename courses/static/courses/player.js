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
})();
