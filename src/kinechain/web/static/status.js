// Poll the analysis status of clips still queued or running, and reload the page when one ends
// or when its findings arrive (they are stored before the overlay video is drawn).
(function () {
  "use strict";
  const pending = Array.from(document.querySelectorAll("[data-trial]")).filter(function (el) {
    return el.dataset.state === "queued" || el.dataset.state === "running";
  });
  if (!pending.length) return;
  function poll() {
    Promise.all(pending.map(function (el) {
      return fetch("/trials/" + el.dataset.trial + "/status", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          const status = el.querySelector(".status");
          const bar = el.querySelector("progress");
          if (status) status.textContent = job.text;
          if (bar && job.progress != null) bar.value = job.progress;
          const arrived = job.findings && el.dataset.findings !== "1";
          return arrived || job.state === "done" || job.state === "failed";
        });
    })).then(function (ended) {
      if (ended.some(Boolean)) { window.location.reload(); } else { setTimeout(poll, 1500); }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
