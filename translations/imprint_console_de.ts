<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>imprint::console::CaPanel</name>
    <message>
        <source>Open CA directory...</source>
        <translation>CA-Verzeichnis öffnen...</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Inhaber:</translation>
    </message>
    <message>
        <source>Valid:</source>
        <translation>Gültig:</translation>
    </message>
    <message>
        <source>Give this pin to the technician: the enrollment wizard and &apos;imprint enroll --ca-pin&apos; use it to trust this service before sending anything secret.</source>
        <translation>Geben Sie diesen Pin an den Techniker weiter: Der Registrierungsassistent und „imprint enroll --ca-pin“ prüfen damit diesen Dienst, bevor sie vertrauliche Daten senden.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>CA pin:</source>
        <translation>CA-Pin:</translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation>Verzeichnis:</translation>
    </message>
    <message>
        <source>Service TLS certificate:</source>
        <translation>TLS-Zertifikat des Dienstes:</translation>
    </message>
    <message>
        <source>No CA directory is open.</source>
        <translation>Es ist kein CA-Verzeichnis geöffnet.</translation>
    </message>
    <message>
        <source>No CA could be read in %1: %2</source>
        <translation>In %1 konnte keine CA gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 to %2 (%3)</source>
        <translation>%1 bis %2 (%3)</translation>
    </message>
    <message>
        <source>not issued yet (imprint serve issues it on start)</source>
        <translation>noch nicht ausgestellt (imprint serve stellt es beim Start aus)</translation>
    </message>
    <message>
        <source>expires %1 (%2); renewed by the service 30 days before</source>
        <translation>läuft am %1 ab (%2); wird vom Dienst 30 Tage vorher erneuert</translation>
    </message>
    <message>
        <source>unreadable: %1</source>
        <translation>nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
</context>
<context>
    <name>imprint::console::CertificateHistoryModel</name>
    <message>
        <source>current</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>ersetzt</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Issued by</source>
        <translation>Ausgestellt durch</translation>
    </message>
    <message>
        <source>Not before</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <source>Not after</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
</context>
<context>
    <name>imprint::console::ConsoleWindow</name>
    <message>
        <source>Imprint CA Console</source>
        <translation>Imprint-CA-Konsole</translation>
    </message>
    <message>
        <source>Open SQLite &amp;database...</source>
        <translation>SQLite-&amp;Datenbank öffnen...</translation>
    </message>
    <message>
        <source>Open database &amp;URL...</source>
        <translation>Datenbank-&amp;URL öffnen...</translation>
    </message>
    <message>
        <source>Open &amp;CA directory...</source>
        <translation>&amp;CA-Verzeichnis öffnen...</translation>
    </message>
    <message>
        <source>&amp;New CA and database...</source>
        <translation>&amp;Neue CA und Datenbank...</translation>
    </message>
    <message>
        <source>&amp;Export view as CSV...</source>
        <translation>Ansicht als CSV &amp;exportieren...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Revoke...</source>
        <translation>&amp;Widerrufen...</translation>
    </message>
    <message>
        <source>Revoke the selected device (Ctrl+R)</source>
        <translation>Ausgewähltes Gerät widerrufen (Strg+R)</translation>
    </message>
    <message>
        <source>&amp;Delete record...</source>
        <translation>Eintrag &amp;löschen...</translation>
    </message>
    <message>
        <source>Delete the record of a decommissioned device (Del)</source>
        <translation>Eintrag eines außer Betrieb genommenen Geräts löschen (Entf)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>Copy server ID</source>
        <translation>Server-ID kopieren</translation>
    </message>
    <message>
        <source>Copy fingerprint</source>
        <translation>Fingerabdruck kopieren</translation>
    </message>
    <message>
        <source>&amp;About Imprint</source>
        <translation>Ü&amp;ber Imprint</translation>
    </message>
    <message>
        <source>About Imprint</source>
        <translation>Über Imprint</translation>
    </message>
    <message>
        <source>Imprint %1
Device enrollment, certificate renewal and mutual-TLS authentication.</source>
        <translation>Imprint %1
Geräteregistrierung, Zertifikatserneuerung und gegenseitige TLS-Authentifizierung (mTLS).</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Search:</source>
        <translation>Suche:</translation>
    </message>
    <message>
        <source>host name, server ID, fingerprint or serial</source>
        <translation>Hostname, Server-ID, Fingerabdruck oder Seriennummer</translation>
    </message>
    <message>
        <source> Show:</source>
        <translation> Anzeigen:</translation>
    </message>
    <message>
        <source>All devices</source>
        <translation>Alle Geräte</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Expiring soon</source>
        <translation>Läuft bald ab</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Certificate authority</source>
        <translation>Zertifizierungsstelle</translation>
    </message>
    <message>
        <source>Imprint CA Console - %1</source>
        <translation>Imprint-CA-Konsole - %1</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Aktualisiert um %1</translation>
    </message>
    <message>
        <source>No registry open. Use File &gt; New CA and database, or File &gt; Open.</source>
        <translation>Keine Datenbank geöffnet. Verwenden Sie Datei &gt; Neue CA und Datenbank oder einen der Öffnen-Befehle im Menü Datei.</translation>
    </message>
    <message numerus="yes">
        <source>%n device(s) match</source>
        <translation>
            <numerusform>%n passendes Gerät</numerusform>
            <numerusform>%n passende Geräte</numerusform>
        </translation>
    </message>
    <message>
        <source>Revoke failed</source>
        <translation>Widerruf fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 was not revoked: %2</source>
        <translation>%1 wurde nicht widerrufen: %2</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>%1 no longer exists in the registry.</source>
        <translation>%1 ist nicht mehr in der Datenbank vorhanden.</translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>Löschen fehlgeschlagen</translation>
    </message>
    <message>
        <source>The record of %1 was not deleted: %2</source>
        <translation>Der Eintrag von %1 wurde nicht gelöscht: %2</translation>
    </message>
    <message>
        <source>No registry is open. Create a new CA and database (as &apos;imprint serve&apos; does on first start), or open existing ones?</source>
        <translation>Es ist keine Datenbank geöffnet. Möchten Sie eine neue CA und Datenbank anlegen (wie „imprint serve“ beim ersten Start) oder vorhandene öffnen?</translation>
    </message>
    <message>
        <source>Create new...</source>
        <translation>Neu anlegen...</translation>
    </message>
    <message>
        <source>Open existing...</source>
        <translation>Vorhandene öffnen...</translation>
    </message>
    <message>
        <source>Open registry</source>
        <translation>Datenbank öffnen</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.db *.sqlite);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>%1 konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Open database URL</source>
        <translation>Datenbank-URL öffnen</translation>
    </message>
    <message>
        <source>Registry URL (postgresql://user@host:port/db or sqlite:///path):</source>
        <translation>Datenbank-URL (postgresql://user@host:port/db oder sqlite:///path):</translation>
    </message>
    <message>
        <source>Could not open the registry: %1</source>
        <translation>Die Datenbank konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Open CA directory</source>
        <translation>CA-Verzeichnis öffnen</translation>
    </message>
    <message>
        <source>Could not read a CA in %1: %2</source>
        <translation>In %1 konnte keine CA gelesen werden: %2</translation>
    </message>
    <message>
        <source>Directory for the new CA and database</source>
        <translation>Verzeichnis für die neue CA und Datenbank</translation>
    </message>
    <message>
        <source>New CA</source>
        <translation>Neue CA</translation>
    </message>
    <message>
        <source>Organisation named in the CA certificate:</source>
        <translation>Organisation im CA-Zertifikat:</translation>
    </message>
    <message>
        <source>New CA and database</source>
        <translation>Neue CA und Datenbank</translation>
    </message>
    <message>
        <source>Could not create them: %1</source>
        <translation>CA und Datenbank konnten nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>Export devices</source>
        <translation>Geräte exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Could not export: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n device(s) to %1</source>
        <translation>
            <numerusform>%n Gerät nach %1 exportiert</numerusform>
            <numerusform>%n Geräte nach %1 exportiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>imprint::console::DeleteDialog</name>
    <message>
        <source>Delete device record</source>
        <translation>Geräteeintrag löschen</translation>
    </message>
    <message>
        <source>Delete the record of %1?</source>
        <translation>Eintrag von %1 löschen?</translation>
    </message>
    <message>
        <source>The device and its certificate history are removed; the events stay. Its machine could then enroll again as a new device. Use this for decommissioned devices.</source>
        <translation>Das Gerät und sein Zertifikatsverlauf werden entfernt; die Ereignisse bleiben erhalten. Sein Rechner könnte sich danach als neues Gerät erneut registrieren. Verwenden Sie dies für außer Betrieb genommene Geräte.</translation>
    </message>
    <message>
        <source>This device is still active: revoke it first unless its certificate must keep working until it expires.</source>
        <translation>Dieses Gerät ist noch aktiv: Widerrufen Sie es zuerst, es sei denn, sein Zertifikat muss bis zu seinem Ablauf weiter gültig bleiben.</translation>
    </message>
    <message>
        <source>Type %1 to confirm:</source>
        <translation>Geben Sie zur Bestätigung %1 ein:</translation>
    </message>
    <message>
        <source>Delete record</source>
        <translation>Eintrag löschen</translation>
    </message>
</context>
<context>
    <name>imprint::console::DeviceDetailsWidget</name>
    <message>
        <source>Select a device to see its details.</source>
        <translation>Wählen Sie ein Gerät aus, um seine Details anzuzeigen.</translation>
    </message>
    <message>
        <source>Server ID:</source>
        <translation>Server-ID:</translation>
    </message>
    <message>
        <source>Host name:</source>
        <translation>Hostname:</translation>
    </message>
    <message>
        <source>OS/arch:</source>
        <translation>OS/Architektur:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Current serial:</source>
        <translation>Aktuelle Seriennummer:</translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>Läuft ab:</translation>
    </message>
    <message>
        <source>Enrolled:</source>
        <translation>Registriert:</translation>
    </message>
    <message>
        <source>Renewed:</source>
        <translation>Erneuert:</translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation>Zuletzt gesehen:</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerabdruck:</translation>
    </message>
    <message>
        <source>Certificates issued</source>
        <translation>Ausgestellte Zertifikate</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>%1 on %2, reason: %3</source>
        <translation>%1 am %2, Grund: %3</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>keiner angegeben</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>imprint::console::DeviceTableModel</name>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>enrollment</source>
        <translation>Registrierung</translation>
    </message>
    <message>
        <source>renewal</source>
        <translation>Erneuerung</translation>
    </message>
    <message>
        <source>challenge renewal</source>
        <translation>Challenge-Erneuerung</translation>
    </message>
    <message>
        <source>re-enrollment</source>
        <translation>Neuregistrierung</translation>
    </message>
    <message>
        <source>Current certificate valid until %1</source>
        <translation>Aktuelles Zertifikat gültig bis %1</translation>
    </message>
    <message>
        <source>Revoked %1: %2</source>
        <translation>Widerrufen am %1: %2</translation>
    </message>
    <message>
        <source>Server ID</source>
        <translation>Server-ID</translation>
    </message>
    <message>
        <source>Host name</source>
        <translation>Hostname</translation>
    </message>
    <message>
        <source>OS/arch</source>
        <translation>OS/Arch.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Registriert</translation>
    </message>
    <message>
        <source>Renewed</source>
        <translation>Erneuert</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Last address</source>
        <translation>Letzte Adresse</translation>
    </message>
</context>
<context>
    <name>imprint::console::EventListModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>registriert</translation>
    </message>
    <message>
        <source>enrolled again</source>
        <translation>erneut registriert</translation>
    </message>
    <message>
        <source>renewed</source>
        <translation>erneuert</translation>
    </message>
    <message>
        <source>renewed by challenge</source>
        <translation>per Challenge erneuert</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>record deleted</source>
        <translation>Eintrag gelöscht</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>genehmigt</translation>
    </message>
    <message>
        <source>enrollment refused</source>
        <translation>Registrierung abgelehnt</translation>
    </message>
    <message>
        <source>renewal refused</source>
        <translation>Erneuerung abgelehnt</translation>
    </message>
    <message>
        <source>challenge renewal refused</source>
        <translation>Challenge-Erneuerung abgelehnt</translation>
    </message>
</context>
<context>
    <name>imprint::console::OverviewPanel</name>
    <message>
        <source>%1 active, %2 revoked, %3 pending. Of the active devices, %4 have expired and %5 are within the renewal threshold.</source>
        <translation>%1 aktiv, %2 widerrufen, %3 ausstehend. Von den aktiven Geräten sind %4 abgelaufen und %5 liegen innerhalb der Erneuerungsschwelle.</translation>
    </message>
    <message>
        <source>Certificates expiring per week</source>
        <translation>Ablaufende Zertifikate pro Woche</translation>
    </message>
    <message>
        <source>Expiring</source>
        <translation>Ablaufend</translation>
    </message>
    <message>
        <source>Week starting</source>
        <translation>Wochenbeginn</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Devices by status</source>
        <translation>Geräte nach Status</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>renewal due</source>
        <translation>Erneuerung fällig</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
</context>
<context>
    <name>imprint::console::RevokeDialog</name>
    <message>
        <source>Revoke device</source>
        <translation>Gerät widerrufen</translation>
    </message>
    <message>
        <source>Revoke %1?</source>
        <translation>%1 widerrufen?</translation>
    </message>
    <message>
        <source>The service refuses this device from now on: its certificate no longer authenticates it, it cannot renew, and its machine cannot enroll again. This cannot be undone.</source>
        <translation>Der Dienst weist dieses Gerät ab sofort zurück: Sein Zertifikat authentifiziert es nicht mehr, eine Erneuerung ist nicht mehr möglich, und sein Rechner kann sich nicht erneut registrieren. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Reason (recorded in the device&apos;s events):</source>
        <translation>Grund (wird in den Ereignissen des Geräts protokolliert):</translation>
    </message>
    <message>
        <source>e.g. kiosk stolen, decommissioned, key exposed</source>
        <translation>z. B. Kiosk gestohlen, außer Betrieb genommen, Schlüssel kompromittiert</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
</context>
</TS>
