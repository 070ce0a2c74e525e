<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CorpusPage</name>
    <message numerus="yes">
        <source>%n file(s) will be used (%1, %2).</source>
        <translation>
            <numerusform>%n file will be used (%1, %2).</numerusform>
            <numerusform>%n files will be used (%1, %2).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln line(s)</source>
        <translation>
            <numerusform>%Ln line</numerusform>
            <numerusform>%Ln lines</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped.</source>
        <translation>
            <numerusform>%n file skipped.</numerusform>
            <numerusform>%n files skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ParamsPage</name>
    <message numerus="yes">
        <source>%Ln word(s) in %1, %2 distinct</source>
        <translation>
            <numerusform>%Ln word in %1, %2 distinct</numerusform>
            <numerusform>%Ln words in %1, %2 distinct</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln sentence(s)</source>
        <translation>
            <numerusform>%Ln sentence</numerusform>
            <numerusform>%Ln sentences</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (words seen at least %n time(s))</source>
        <translation>
            <numerusform>%1 (words seen at least %n time)</numerusform>
            <numerusform>%1 (words seen at least %n times)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Only %Ln word(s) are kept: too few for useful neighbours.</source>
        <translation>
            <numerusform>Only %Ln word is kept: too few for useful neighbours.</numerusform>
            <numerusform>Only %Ln words are kept: too few for useful neighbours.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Lower min_count to %1 to keep %Ln word(s).</source>
        <translation>
            <numerusform>Lower min_count to %1 to keep %Ln word.</numerusform>
            <numerusform>Lower min_count to %1 to keep %Ln words.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The corpus has only %Ln distinct word(s): add more text.</source>
        <translation>
            <numerusform>The corpus has only %Ln distinct word: add more text.</numerusform>
            <numerusform>The corpus has only %Ln distinct words: add more text.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message numerus="yes">
        <source>Cancelled. The model was not saved yet, but its %n finished epoch(s) are kept: Resume continues from there, now or later from File &gt; Resume an Interrupted Training.</source>
        <translation>
            <numerusform>Cancelled. The model was not saved yet, but its %n finished epoch is kept: Resume continues from there, now or later from File &gt; Resume an Interrupted Training.</numerusform>
            <numerusform>Cancelled. The model was not saved yet, but its %n finished epochs are kept: Resume continues from there, now or later from File &gt; Resume an Interrupted Training.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln word(s)</source>
        <translation>
            <numerusform>%Ln word</numerusform>
            <numerusform>%Ln words</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n epoch</numerusform>
            <numerusform>%n epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln new word(s) learned.</source>
        <translation>
            <numerusform>%Ln new word learned.</numerusform>
            <numerusform>%Ln new words learned.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResumeNotice</name>
    <message numerus="yes">
        <source>%n more can be resumed from File &gt; Resume an Interrupted Training.</source>
        <translation>
            <numerusform>%n more can be resumed from File &gt; Resume an Interrupted Training.</numerusform>
            <numerusform>%n more can be resumed from File &gt; Resume an Interrupted Training.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingResume</name>
    <message numerus="yes">
        <source>%1 — %2 of %n epoch(s) done, stopped %3</source>
        <translation>
            <numerusform>%1 — %2 of %n epoch done, stopped %3</numerusform>
            <numerusform>%1 — %2 of %n epochs done, stopped %3</numerusform>
        </translation>
    </message>
</context>
</TS>
