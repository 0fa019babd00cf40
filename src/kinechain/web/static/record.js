// In-browser recording: camera preview with a framing guide, MediaRecorder, upload with progress.
(function () {
  "use strict";
  const root = document.getElementById("recorder");
  if (!root) return;
  const preview = document.getElementById("preview");
  const status = document.getElementById("rec-status");
  const start = document.getElementById("start");
  const stop = document.getElementById("stop");
  const send = document.getElementById("send");
  let recorder = null, chunks = [], blob = null, started = 0, timer = null;

  function say(text) { status.textContent = text; }

  function pickType() {
    const types = ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm", "video/mp4"];
    for (const t of types) { if (window.MediaRecorder && MediaRecorder.isTypeSupported(t)) return t; }
    return "";
  }

  async function openCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("This browser cannot record video here; film with the camera app and upload the clip instead.");
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 60 } },
      });
      preview.srcObject = stream;
      start.disabled = false;
      say("Camera ready. Frame the whole body inside the guide, then start.");
    } catch (err) {
      say("The camera could not be opened (" + err.name + "); allow camera access, or upload a clip instead.");
    }
  }

  start.addEventListener("click", function () {
    const type = pickType();
    chunks = []; blob = null;
    recorder = new MediaRecorder(preview.srcObject, type ? { mimeType: type } : undefined);
    recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
    recorder.onstop = function () {
      blob = new Blob(chunks, { type: recorder.mimeType || "video/webm" });
      clearInterval(timer);
      send.disabled = false;
      say("Recorded " + ((Date.now() - started) / 1000).toFixed(1) + " s. Upload it, or record again.");
    };
    recorder.start(1000);
    started = Date.now();
    timer = setInterval(function () { say("Recording: " + Math.round((Date.now() - started) / 1000) + " s"); }, 500);
    start.disabled = true; stop.disabled = false; send.disabled = true;
  });

  stop.addEventListener("click", function () {
    if (recorder && recorder.state !== "inactive") recorder.stop();
    stop.disabled = true; start.disabled = false;
  });

  send.addEventListener("click", function () {
    if (!blob) return;
    const form = new FormData();
    form.append("test", root.dataset.test);
    form.append("view", root.dataset.view);
    const ext = blob.type.indexOf("mp4") >= 0 ? "mp4" : "webm";
    form.append("video", blob, "recording." + ext);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", root.dataset.upload);
    xhr.setRequestHeader("X-CSRF-Token", root.dataset.csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) say("Uploading: " + Math.round(100 * e.loaded / e.total) + "%");
    };
    xhr.onload = function () {
      if (xhr.status === 201) { window.location = root.dataset.done; return; }
      let detail = "the upload failed (" + xhr.status + ")";
      try { detail = JSON.parse(xhr.responseText).detail; } catch (e) { /* keep the status text */ }
      say("Not uploaded: " + detail);
      send.disabled = false;
    };
    xhr.onerror = function () { say("The upload was interrupted; check the connection and try again."); send.disabled = false; };
    send.disabled = true;
    xhr.send(form);
  });

  openCamera();
})();
