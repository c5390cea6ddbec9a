"""The page shown after a concern is sent: its reference, what happens next, and how to
respond if the child talks again. When files went with it, it says how many, and that the
paper originals go to the lead.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..theme import (
    BUTTON_MIN_HEIGHT,
    banner,
    heading,
    hint,
    paragraph,
    readable_column,
    scrolling_page,
    taller,
    text_width,
)


class AfterSubmitPage(QWidget):
    """The reference, what happens next, and how to respond to the child. ``done`` on Done."""

    done = Signal()

    def __init__(
        self,
        ref: str,
        lead: str,
        *,
        signed_out: bool,
        delivery: str = "",
        files: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        """``delivery``: on a recording station, where the concern is now (delivered to the
        shared folder, or kept safely here until it can be). ``files``: how many were sent
        with it."""
        super().__init__(parent)
        self.setAccessibleName(self.tr("What happens next"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(12)
        if files == 1:
            thanks = self.tr("Thank you. Your concern and 1 file have been sent.")
        elif files > 1:
            thanks = self.tr("Thank you. Your concern and {n} files have been sent.").format(
                n=files
            )
        else:
            thanks = self.tr("Thank you. Your concern has been sent.")
        self.thanks = heading(thanks)
        layout.addWidget(self.thanks)
        self.reference = QLabel(self.tr("Reference: {ref}").format(ref=ref))
        font = self.reference.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.reference.setFont(font)
        self.reference.setAccessibleName(self.reference.text())
        layout.addWidget(self.reference)
        layout.addWidget(
            hint(
                self.tr("Note the reference if you may want to ask the {lead} about it.").format(
                    lead=lead
                )
            )
        )
        if files:
            layout.addWidget(
                paragraph(
                    self.tr(
                        "If you have the paper originals, please give them to the {lead} to "
                        "keep with the record."
                    ).format(lead=lead)
                )
            )
        if delivery:
            self.delivery = banner(delivery)
            self.delivery.setAccessibleName(self.tr("Where your concern is now"))
            layout.addWidget(self.delivery)
        if signed_out:
            layout.addWidget(
                banner(
                    self.tr(
                        "You have been signed out, so the next person at this PC cannot see "
                        "anything you typed."
                    )
                )
            )

        layout.addWidget(heading(self.tr("What happens next"), level=2))
        layout.addWidget(
            paragraph(
                self.tr(
                    "The {lead} will read what you wrote and decide what to do: perhaps watch "
                    "and wait, perhaps ask for help from children's services or the police. "
                    "They may ask you about it. Nobody at this PC, you included, can read it "
                    "back here. If you remember something else, record another concern."
                ).format(lead=lead)
            )
        )
        layout.addWidget(heading(self.tr("If the child talks to you again"), level=2))
        points = [
            self.tr("Listen calmly and give them your full attention."),
            self.tr(
                "Let them tell it in their own words and at their own pace; do not suggest "
                "words or ask questions that put ideas in their head."
            ),
            self.tr(
                "Do not promise to keep it a secret. Tell them you will need to tell the people "
                "whose job it is to help keep them safe."
            ),
            self.tr("Thank them for telling you and reassure them they were right to do so."),
            self.tr(
                "Do not investigate or talk to anyone they have named. Leave that to the {lead}."
            ).format(lead=lead),
        ]
        items = "".join(f"<li style='margin-bottom:6px'>{html.escape(p)}</li>" for p in points)
        advice = paragraph(f"<ul style='margin-left:-20px'>{items}</ul>")
        advice.setAccessibleName(self.tr("How to respond to the child"))
        layout.addWidget(advice)
        layout.addWidget(
            hint(
                self.tr(
                    "Hearing about harm to a child can be upsetting. You can talk to the {lead} "
                    "about how you feel too."
                ).format(lead=lead)
            )
        )
        self.done_button = QPushButton(self.tr("&Done"))
        self.done_button.setAccessibleName(self.tr("Done"))
        self.done_button.setDefault(True)
        taller(self.done_button, BUTTON_MIN_HEIGHT + 6)
        self.done_button.setMinimumWidth(text_width(14))
        self.done_button.clicked.connect(self.done)
        row = QHBoxLayout()
        row.addWidget(self.done_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

        scrolling_page(self, readable_column(body, 90), sideways=True)
