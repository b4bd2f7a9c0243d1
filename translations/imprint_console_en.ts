<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>imprint::console::ConsoleWindow</name>
    <message numerus="yes">
        <source>%n device(s) match</source>
        <translation>
            <numerusform>%n device matches</numerusform>
            <numerusform>%n devices match</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n device(s) to %1</source>
        <translation>
            <numerusform>Exported %n device to %1</numerusform>
            <numerusform>Exported %n devices to %1</numerusform>
        </translation>
    </message>
</context>
</TS>
