"""`attach (REF | --child ID) FILE --as USER`: as a user runs it, in a subprocess, with the
exit codes ../shared/CLI.md sets (0 done, 2 bad input, 3 not permitted)."""

from __future__ import annotations

import hashlib
import json
import os
from io import BytesIO
from pathlib import Path

from PIL import Image

from casework_data import concern_data, submit
from cli_run import assert_error, run
from conftest import StoreFixture
from safeguard_desktop.services import casework
from safeguard_desktop.services.store import Store

DSL_PASSWORD = "dsl-password-1\n"


def _photo(path: Path) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5)})
    out = BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return out.getvalue()


def test_attach_to_a_concern_and_a_childs_file_then_show_lists_it(
    store_dir: StoreFixture, tmp_path: Path
) -> None:
    ref = submit(Store.open(store_dir.data_dir), concern_data())
    session = Store.open(store_dir.data_dir).login(*store_dir.dsl)
    child_id = casework.create_child_for(session, ref, 0).id  # type: ignore[arg-type]
    session.lock()
    original = _photo(tmp_path / "Amelia notes.jpg")

    done = run(
        tmp_path, store_dir.data_dir, "attach", ref, str(tmp_path / "Amelia notes.jpg"),
        "--as", "dana", "--description", "Coach's notes", stdin=DSL_PASSWORD,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    added = json.loads(done.stdout)
    assert added["ref"] == ref and added["child_id"] is None and added["kind"] == "jpeg"
    assert added["original_sha256"] == hashlib.sha256(original).hexdigest()
    assert added["removed"] == ["location (GPS)"]

    (tmp_path / "letter.pdf").write_bytes(_letter())
    to_child = run(
        tmp_path, store_dir.data_dir, "attach", "--child", str(child_id),
        str(tmp_path / "letter.pdf"), "--as", "dana", stdin=DSL_PASSWORD,
    )  # fmt: skip
    assert to_child.returncode == 0, to_child.stderr
    assert json.loads(to_child.stdout)["child_id"] == child_id

    shown = run(tmp_path, store_dir.data_dir, "show", ref, "--as", "dana", stdin=DSL_PASSWORD)
    (listed,) = json.loads(shown.stdout)["attachments"]
    assert listed["attachment_id"] == added["attachment"]
    assert listed["description"] == "Coach's notes" and listed["sha256"] == added["sha256"]


def test_attach_refuses_with_the_documented_codes(store_dir: StoreFixture, tmp_path: Path) -> None:
    ref = submit(Store.open(store_dir.data_dir), concern_data())
    (tmp_path / "notes.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
    _photo(tmp_path / "photo.jpg")
    os.mkfifo(tmp_path / "pipe.pdf")

    def attach(*args: str, stdin: str = DSL_PASSWORD) -> str:
        result = run(tmp_path, store_dir.data_dir, "attach", *args, stdin=stdin)
        return assert_error(result, 2 if "rita" not in args else 3)

    assert "not a PDF, a PNG picture or a JPEG photo" in attach(
        ref, str(tmp_path / "notes.pdf"), "--as", "dana"
    )
    assert "FIFO" in attach(ref, str(tmp_path / "pipe.pdf"), "--as", "dana")
    assert "no longer there" in attach(ref, str(tmp_path / "gone.pdf"), "--as", "dana")
    assert "no concern with the reference C-0000-0000" in attach(
        "C-0000-0000", str(tmp_path / "photo.jpg"), "--as", "dana"
    )
    assert "reference and then the file" in attach(str(tmp_path / "photo.jpg"), "--as", "dana")
    assert "child record does not exist" in attach(
        "--child", "999", str(tmp_path / "photo.jpg"), "--as", "dana"
    )
    attach(ref, str(tmp_path / "photo.jpg"), "--as", "rita", stdin="recorder-pw-1\n")


def _letter() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "A letter")
    canvas.save()
    return out.getvalue()
