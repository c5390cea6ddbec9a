"""A child's file through its life: files taken in, and the retention review on the big store.

* **photo taken in**: ``attachment_intake.take_in`` on a 12-megapixel phone photo (4,000 x
  3,000, with GPS and camera details): read, turned upright, drawn again without them.
* **letter taken in**: the same on a 40-page PDF (each object walked for active content).
* **ingest 25 MB of files**: one concern sealed with 25 MB of scans (the most a concern
  can carry) taken in by a lead: opened, each file taken in again, stored.
* **due list**: ``retention.due_for_review`` on the 100,000-concern store (20,000 children):
  every child's review date, as the Children page's list and Home's count read it.
* **delete a file**: ``retention.delete_child_file`` on the heaviest child of that store
  (130 concerns): the plan, the rows secure-deleted with the tombstone, then the file
  rewritten without the freed pages (VACUUM, shown apart), and the process's peak memory.
* **transfer a file**: the same child, with the phone photo and the 40-page letter
  attached, made into the signed, password-protected PDF (the photo and every page of the
  letter printed in) and the sealed package (``transfer.make_transfer``), then saved;
  **receive it**: the package opened, checked and merged into a new child in another
  store (``transfer_receive.open_package`` then ``receive``).

No issue sets targets for these; they say what a lead waits for. Each is repeated
``--runs`` times (the big store's deletion on a fresh copy each time) and printed as
min / median / p95 / max.

    uv run python benchmarks/bench_child_file.py [--runs 5] [--no-big-store]

A benchmark, not a test: it prints numbers and never fails a build.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from functools import partial
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from casework_store import DEFAULT_FOLDER, ensure_store
from timing import percentile

from safeguard_desktop.domain.concern import Concern
from safeguard_desktop.domain.organisation import OrgType
from safeguard_desktop.security.kdf import KdfParams
from safeguard_desktop.services import attachments, inbox, retention, transfer, transfer_receive
from safeguard_desktop.services.attachment_intake import choose, take_in
from safeguard_desktop.services.recording import Submitter, seal_concern
from safeguard_desktop.services.session import CaseSession
from safeguard_desktop.services.setup import SetupRequest, create_store
from safeguard_desktop.services.store import Store
from safeguard_desktop.storage import retention_records

FAR = date(2200, 1, 1)  # a day by which every file is due
ADMIN = ("admin", "bench-password-1")
PASSWORD = "BENCH-TRANSFER-PASSWORD"


def _row(label: str, values: list[float], unit: str) -> str:
    return (
        f"{label:<30}{min(values):>9.2f}{statistics.median(values):>9.2f}"
        f"{percentile(values, 0.95):>9.2f}{max(values):>9.2f}  {unit}"
    )


def _photo() -> bytes:
    from PIL import Image

    noise = random.Random(5).randbytes(4_000 * 3_000 * 3)
    exif = Image.Exif()
    exif[0x010F], exif[0x0112] = "PhoneMaker", 6
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5)})
    out = BytesIO()
    Image.frombytes("RGB", (4_000, 3_000), noise).save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def _letter(pages: int) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out)
    for page in range(pages):
        for line in range(40):
            canvas.drawString(60, 780 - line * 18, f"Page {page + 1}, line {line + 1} of a letter.")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _timed(run: object) -> float:
    began = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - began


def _ingest_25_mb(folder: Path, runs: int) -> list[float]:
    from PIL import Image

    made = create_store(
        folder / "data",
        SetupRequest(
            org_name="Bench FC", org_type=OrgType.CLUB, admin_username=ADMIN[0],
            admin_display_name="Bench Admin", admin_password=ADMIN[1], allow_guests=True,
        ),
        kdf=KdfParams(),
    )  # fmt: skip
    scans = []
    for index in range(2):  # two scans of noise, 12.5 MB each: they do not compress
        out = BytesIO()
        size = (2_300, 1_800)
        pixels = random.Random(index).randbytes(size[0] * size[1] * 3)
        Image.frombytes("RGB", size, pixels).save(out, "PNG")
        scans.append(choose(out.getvalue(), f"scan-{index}.png"))
    concern = Concern.from_json(
        {
            "children": [{"name": "Bench Child"}],
            "occurred_at": datetime.now().replace(microsecond=0).isoformat(),
            "location": "Pitch",
            "categories": ["neglect"],
            "observed": "Arrived without a coat again.",
            "immediate_danger": False,
            "told_dsl_in_person": True,
        },
        now=datetime.now(),
    )
    who = Submitter(name="Bench Coach", role="Coach", username=None)
    seconds = []
    # Signed in first (sign-in takes in what waits), then each concern sealed and taken in.
    session = Store.open(folder / "data").login(*ADMIN)
    assert isinstance(session, CaseSession)
    try:
        for _ in range(runs):
            seal_concern(made.store, concern, who, attachments=scans)
            seconds.append(_timed(partial(inbox.ingest, session)))
    finally:
        session.lock()
    return seconds


Timings = dict[str, list[float]]


def _receiver(folder: Path) -> Path:
    create_store(
        folder / "school",
        SetupRequest(
            org_name="Bench School", org_type=OrgType.SCHOOL, admin_username=ADMIN[0],
            admin_display_name="Bench Head", admin_password=ADMIN[1], allow_guests=False,
        ),
        kdf=KdfParams(),
    )  # fmt: skip
    return folder / "school"


def _transfer(
    session: CaseSession, child: int, files: tuple[bytes, bytes], school: Path, times: Timings
) -> dict[str, float]:
    attachments.attach_to_child(session, child, files[0], "IMG_0001.jpg", "Photo of notes")
    attachments.attach_to_child(session, child, files[1], "letter.pdf", "A letter")
    began = time.perf_counter()
    made = transfer.make_transfer(session, child, "Bench School", "post", PASSWORD)
    times["transfer: make both files"].append(time.perf_counter() - began)
    with tempfile.TemporaryDirectory(prefix="bench-transfer-") as out:
        times["transfer: save and record"].append(
            _timed(partial(transfer.save_transfer, session, made, Path(out)))
        )
        package = Path(out) / made.suggested_names[1]
        receiver = Store.open(school).login(*ADMIN)
        assert isinstance(receiver, CaseSession)
        try:
            began = time.perf_counter()
            opened = transfer_receive.open_package(receiver, package, PASSWORD)
            times["receive: open and check"].append(time.perf_counter() - began)
            times["receive: merge"].append(
                _timed(partial(transfer_receive.receive, receiver, opened, opened.fingerprint))
            )
        finally:
            receiver.lock()
    return {"PDF MB": len(made.pdf) / 1e6, "package MB": len(made.package) / 1e6,
            "records": made.items, "files": made.files}  # fmt: skip


def _big_store(
    runs: int, files: tuple[bytes, bytes]
) -> tuple[list[float], list[float], list[float], float, dict[str, int], Timings, dict[str, float]]:
    generated = ensure_store(DEFAULT_FOLDER)
    due_seconds, delete_seconds, vacuum_seconds = [], [], []
    moves: Timings = {
        "transfer: make both files": [], "transfer: save and record": [],
        "receive: open and check": [], "receive: merge": [],
    }  # fmt: skip
    sizes: dict[str, float] = {}
    school = _receiver(Path(tempfile.mkdtemp(prefix="bench-school-", dir=DEFAULT_FOLDER)))
    counts: dict[str, int] = {}
    real_reclaim = retention_records.reclaim_space

    def timed_reclaim(conn: object) -> None:
        vacuum_seconds.append(_timed(lambda: real_reclaim(conn)))  # type: ignore[arg-type]

    retention_records.reclaim_space = timed_reclaim  # type: ignore[assignment]
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-child-", dir=DEFAULT_FOLDER) as temp:
            data_dir = Path(temp) / "data"
            shutil.copytree(generated.data_dir, data_dir)
            session = Store.open(data_dir).login(*generated.admin)
            assert isinstance(session, CaseSession)
            try:
                due_seconds.append(_timed(partial(retention.due_for_review, session, FAR)))
                child = generated.heavy_child_id
                sizes = _transfer(session, child, files, school, moves)
                plan = retention.deletion_plan(session, child, today=FAR)
                counts = plan.counts()
                delete = partial(
                    retention.delete_child_file,
                    session,
                    child,
                    concerns=len(plan.concerns_deleted),
                    today=FAR,
                )
                delete_seconds.append(_timed(delete))
            finally:
                session.lock()
    retention_records.reclaim_space = real_reclaim  # type: ignore[assignment]
    shutil.rmtree(school.parent)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return due_seconds, delete_seconds, vacuum_seconds, peak, counts, moves, sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-big-store", action="store_true", help="skip the 100,000 store")
    args = parser.parse_args()
    photo, letter = _photo(), _letter(40)
    photo_ms = [_timed(partial(take_in, photo, "IMG_0001.jpg")) * 1000 for _ in range(args.runs)]
    letter_ms = [_timed(partial(take_in, letter, "letter.pdf")) * 1000 for _ in range(args.runs)]
    with tempfile.TemporaryDirectory(prefix="bench-files-") as temp:
        ingest = _ingest_25_mb(Path(temp), args.runs)
    print(f"\n{'':<30}{'min':>9}{'median':>9}{'p95':>9}{'max':>9}")
    print(_row(f"photo taken in ({len(photo) / 1e6:.1f} MB)", photo_ms, "ms"))
    print(_row(f"letter taken in ({len(letter) / 1e6:.2f} MB, 40 pages)", letter_ms, "ms"))
    print(_row("ingest a concern with 25 MB", ingest, "s"))
    if not args.no_big_store:
        due, delete, vacuum, peak, counts, moves, sizes = _big_store(args.runs, (photo, letter))
        print(_row("due list, 20,000 children", due, "s"))
        for label, seconds in moves.items():
            print(_row(label, seconds, "s"))
        print("  the file transferred: " + ", ".join(f"{k} {v:,.1f}" for k, v in sizes.items()))
        print(_row("delete the heaviest file", delete, "s"))
        print(_row("  of which the rewrite (VACUUM)", vacuum, "s"))
        print(f"  peak memory {peak:,.0f} MB; deleted: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
