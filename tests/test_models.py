"""Model install checks: checksums, missing files, corrupted bundles."""

import io
import shutil
import tarfile

import pytest

from kinechain.errors import ConfigError, ModelError
from kinechain.pose import models


def test_missing_models_say_how_to_install(tmp_path):
    with pytest.raises(ModelError, match="kinechain models install"):
        models.model_path("balanced", directory=tmp_path)


def test_unknown_quality_names_the_choices(tmp_path):
    with pytest.raises(ConfigError, match="'fast', 'balanced', 'accurate'"):
        models.model_path("best", directory=tmp_path)


def test_tarball_with_wrong_checksum_is_refused(tmp_path):
    fake = tmp_path / models.TARBALL_NAME
    buf = io.BytesIO(b"not the model")
    with tarfile.open(fake, "w:gz") as tar:
        info = tarfile.TarInfo("package/pose_landmark_full.tflite")
        info.size = len(buf.getvalue())
        tar.addfile(info, buf)
    with pytest.raises(ModelError, match="not the reviewed release"):
        models.install_models(tmp_path / "out", from_tarball=fake)
    assert not (tmp_path / "out" / "pose_full.task").exists()


def test_corrupted_bundle_fails_its_checksum(tmp_path, require_models):
    src = models.models_dir()
    for name in ("pose_full.task", models.MANIFEST):
        shutil.copy(src / name, tmp_path / name)
    assert models.model_path("balanced", directory=tmp_path).variant == "full"
    data = bytearray((tmp_path / "pose_full.task").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "pose_full.task").write_bytes(bytes(data))
    with pytest.raises(ModelError, match="checksum"):
        models.model_path("balanced", directory=tmp_path)


def test_bundle_members_are_aligned(require_models):
    import zipfile

    path = models.model_path("fast").path
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            offset = info.header_offset + 30 + len(info.filename) + len(info.extra)
            assert offset % 16 == 0
