<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- English (UK) plural forms: for each text the code gives plural() (ui/translations.py),
     the singular and the plural. Compile with
     uv run pyside6-lrelease src/safeguard_desktop/resources/translations/safeguard_en_GB.ts
     tests/test_plurals.py checks that every such text is here, and the .qm is current. -->
<TS version="2.1" language="en_GB">
<context>
    <name>Plural</name>
    <message numerus="yes">
        <source>Locked because nobody used the app for %n minutes. Sign in to carry on.</source>
        <translation>
            <numerusform>Locked because nobody used the app for %n minute. Sign in to carry on.</numerusform>
            <numerusform>Locked because nobody used the app for %n minutes. Sign in to carry on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Complete and unchanged: {n} entries, checked at {time}.</source>
        <translation>
            <numerusform>Complete and unchanged: {n} entry, checked at {time}.</numerusform>
            <numerusform>Complete and unchanged: {n} entries, checked at {time}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved the chronology (%n entries) to {path}. Keep it somewhere only you can open, and delete it when it is no longer needed.</source>
        <translation>
            <numerusform>Saved the chronology (%n entry) to {path}. Keep it somewhere only you can open, and delete it when it is no longer needed.</numerusform>
            <numerusform>Saved the chronology (%n entries) to {path}. Keep it somewhere only you can open, and delete it when it is no longer needed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>A big store takes several minutes. The app still locks after %n minutes without use, which stops the export: stay at the PC until it is done.</source>
        <translation>
            <numerusform>A big store takes several minutes. The app still locks after %n minute without use, which stops the export: stay at the PC until it is done.</numerusform>
            <numerusform>A big store takes several minutes. The app still locks after %n minutes without use, which stops the export: stay at the PC until it is done.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Noticed %n phrase(s) that may be opinion or guesswork rather than what you saw or heard (underlined in the box). You can keep them; this is advice, not a rule:</source>
        <translation>
            <numerusform>Noticed %n phrase that may be opinion or guesswork rather than what you saw or heard (underlined in the box). You can keep it; this is advice, not a rule:</numerusform>
            <numerusform>Noticed %n phrases that may be opinion or guesswork rather than what you saw or heard (underlined in the box). You can keep them; this is advice, not a rule:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %n more kind(s) of phrase.</source>
        <translation>
            <numerusform>…and %n more kind of phrase.</numerusform>
            <numerusform>…and %n more kinds of phrase.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n step(s) have something empty that the {lead} usually needs: {steps}. You can send it as it is, or press Change beside a step to add it.</source>
        <translation>
            <numerusform>%n step has something empty that the {lead} usually needs: {steps}. You can send it as it is, or press Change beside it to add it.</numerusform>
            <numerusform>%n steps have something empty that the {lead} usually needs: {steps}. You can send it as it is, or press Change beside a step to add it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n concerns are waiting on this PC to be delivered. They are kept safely here meanwhile.</source>
        <translation>
            <numerusform>%n concern is waiting on this PC to be delivered. It is kept safely here meanwhile.</numerusform>
            <numerusform>%n concerns are waiting on this PC to be delivered. They are kept safely here meanwhile.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>about %n minutes left</source>
        <translation>
            <numerusform>about %n minute left</numerusform>
            <numerusform>about %n minutes left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{n} concerns</source>
        <translation>
            <numerusform>{n} concern</numerusform>
            <numerusform>{n} concerns</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{n} children</source>
        <translation>
            <numerusform>{n} child</numerusform>
            <numerusform>{n} children</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{n} PDFs</source>
        <translation>
            <numerusform>{n} PDF</numerusform>
            <numerusform>{n} PDFs</numerusform>
        </translation>
    </message>
</context>
</TS>
