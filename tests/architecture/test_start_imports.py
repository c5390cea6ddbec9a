"""What the app loads to start: the PDF libraries only when a PDF is made or read.

pyHanko, reportlab, svglib (with lxml) and pypdfium2 together cost about 60 MiB and half a
second; most sessions never make a PDF. The services import them inside the functions
that make, sign, check or draw PDFs (issue 17), and this keeps it so: a top-level import
of a PDF module anywhere on the way to the window or the command line fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PDF_LIBRARIES = ("pyhanko", "pyhanko_certvalidator", "reportlab", "svglib", "lxml", "pypdfium2")

_LOADED = """
import json, sys
{imports}
print(json.dumps(sorted({{name.split('.')[0] for name in sys.modules}})))
"""


def loaded_after(*imports: str) -> set[str]:
    """Top-level packages in sys.modules after ``imports``, in a fresh interpreter."""
    code = _LOADED.format(imports="\n".join(imports))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "imports",
    [
        ("import safeguard_desktop.app", "import safeguard_desktop.ui.main_window"),
        ("import safeguard_desktop.cli",),
    ],
    ids=["window", "command line"],
)
def test_starting_loads_no_pdf_library(imports: tuple[str, ...]) -> None:
    assert loaded_after(*imports).isdisjoint(PDF_LIBRARIES)


def test_the_check_sees_a_pdf_library_when_one_is_loaded() -> None:
    # The check itself can fail: importing the signing module loads pyHanko and reportlab.
    loaded = loaded_after("import safeguard_desktop.pdf.signing")
    assert {"pyhanko", "reportlab"} <= loaded
