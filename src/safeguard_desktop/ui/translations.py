"""Words that change with a number ("1 entry", "2 entries"), through Qt's plural forms.

English has two forms and Qt picks the right one only from a translation, so the app
ships one for English (UK): ``resources/translations/safeguard_en_GB.ts`` holds, for each
text written with ``%n``, its singular and plural, and ``safeguard_en_GB.qm`` is that file
as ``pyside6-lrelease`` compiles it. :func:`plural` is how the code asks for such a text;
tests/ui/test_plurals.py checks that every text it is given has both forms in the file and
that the compiled file is the one the source makes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from safeguard_desktop.resource_files import resource_path

CONTEXT = "Plural"
QM_FILE = "safeguard_en_GB.qm"
_PROPERTY = "sgPluralsInstalled"
# Held here as well as by the application: a translator Python lets go of stops working.
_translators: list[QTranslator] = []


def install(app: QCoreApplication | None = None) -> None:
    """Load the plural forms into the application, once."""
    app = app or QCoreApplication.instance()
    if app is None or app.property(_PROPERTY):
        return
    translator = QTranslator(app)
    if not translator.load(str(resource_path("translations", QM_FILE))):
        raise FileNotFoundError(f"cannot load the plural forms from {QM_FILE}")
    app.installTranslator(translator)
    _translators.append(translator)
    app.setProperty(_PROPERTY, True)


def plural(text: str, n: int) -> str:
    """``text`` with ``%n`` replaced by ``n``, in the singular or plural form for ``n``
    ("%n entries" gives "1 entry" and "2 entries")."""
    return QCoreApplication.translate(CONTEXT, text, "", n)
