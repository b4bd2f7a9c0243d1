<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>imprint::wizard::CredentialsPage</name>
    <message>
        <source>Build secret</source>
        <translation>Build-Geheimnis</translation>
    </message>
    <message>
        <source>Proves that this is genuine device software. It is sent once, to the service checked before.</source>
        <translation>Weist nach, dass dies echte Gerätesoftware ist. Es wird einmal gesendet, an den zuvor geprüften Dienst.</translation>
    </message>
    <message>
        <source>Type the build secret</source>
        <translation>Build-Geheimnis eingeben</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Read it from a file</source>
        <translation>Aus einer Datei lesen</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Build secret file</source>
        <translation>Datei mit dem Build-Geheimnis</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::EnrollingPage</name>
    <message>
        <source>Cancel enrollment</source>
        <translation>Registrierung abbrechen</translation>
    </message>
    <message>
        <source>Renewing</source>
        <translation>Erneuerung</translation>
    </message>
    <message>
        <source>Enrolling</source>
        <translation>Registrierung</translation>
    </message>
    <message>
        <source>Cancel renewal</source>
        <translation>Erneuerung abbrechen</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::EnrollmentWizard</name>
    <message>
        <source>Imprint Enrollment</source>
        <translation>Imprint-Registrierung</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::IdentityPage</name>
    <message>
        <source>Identity</source>
        <translation>Identität</translation>
    </message>
    <message>
        <source>What the service will know this machine by.</source>
        <translation>Woran der Dienst dieses Gerät erkennt.</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerabdruck:</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Herkunft:</translation>
    </message>
    <message>
        <source>Host name:</source>
        <translation>Hostname:</translation>
    </message>
    <message>
        <source>System:</source>
        <translation>System:</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::Inputs</name>
    <message>
        <source>%1 holds several build secrets; a device sends one.</source>
        <translation>%1 enthält mehrere Build-Geheimnisse; ein Gerät sendet genau eines.</translation>
    </message>
    <message>
        <source>Enter the service URL, e.g. https://ca.example:8443</source>
        <translation>Geben Sie die URL des Dienstes ein, z. B. https://ca.example:8443</translation>
    </message>
    <message>
        <source>The service URL must start with https:// and name a host, e.g. https://ca.example:8443</source>
        <translation>Die URL des Dienstes muss mit https:// beginnen und einen Host nennen, z. B. https://ca.example:8443</translation>
    </message>
    <message>
        <source>Type the build secret or choose the file that holds it.</source>
        <translation>Geben Sie das Build-Geheimnis ein oder wählen Sie die Datei, die es enthält.</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::ResultPage</name>
    <message>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Renewal failed</source>
        <translation>Erneuerung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Enrollment failed</source>
        <translation>Registrierung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Renewed</source>
        <translation>Erneuert</translation>
    </message>
    <message>
        <source>The certificate was renewed (%1).</source>
        <translation>Das Zertifikat wurde erneuert (%1).</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Registriert</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::ServicePage</name>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>The enrollment service and the pin of its CA, as on the operator&apos;s sheet.</source>
        <translation>Der Registrierungsdienst und der Pin seiner CA, wie auf dem Blatt des Betreibers.</translation>
    </message>
    <message>
        <source>Service URL:</source>
        <translation>URL des Dienstes:</translation>
    </message>
    <message>
        <source>CA pin:</source>
        <translation>CA-Pin:</translation>
    </message>
    <message>
        <source>or a CA certificate file (PEM)</source>
        <translation>oder eine CA-Zertifikatsdatei (PEM)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>CA file:</source>
        <translation>CA-Datei:</translation>
    </message>
    <message>
        <source>Check the service</source>
        <translation>Dienst prüfen</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA-Zertifikat</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem);;All files (*)</source>
        <translation>Zertifikate (*.crt *.pem);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>The service that issued this machine&apos;s certificate; it is checked against the CA in the store.</source>
        <translation>Der Dienst, der das Zertifikat dieses Geräts ausgestellt hat; er wird gegen die CA im Speicher geprüft.</translation>
    </message>
    <message>
        <source>Give either the CA pin or a CA file, not both.</source>
        <translation>Geben Sie entweder den CA-Pin oder eine CA-Datei an, nicht beides.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung mit %1 wird hergestellt…</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::StatusPage</name>
    <message>
        <source>This machine</source>
        <translation>Dieses Gerät</translation>
    </message>
    <message>
        <source>Renew the certificate now (new key, same server_id)</source>
        <translation>Zertifikat jetzt erneuern (neuer Schlüssel, gleiche server_id)</translation>
    </message>
    <message>
        <source>Enroll this machine</source>
        <translation>Dieses Gerät registrieren</translation>
    </message>
    <message>
        <source>server_id: %1
Serial: %2
Valid from %3 until %4
Store: %5</source>
        <translation>server_id: %1
Seriennummer: %2
Gültig von %3 bis %4
Speicher: %5</translation>
    </message>
    <message>
        <source>Enroll again (new key and certificate; the server_id stays)</source>
        <translation>Erneut registrieren (neuer Schlüssel und neues Zertifikat; die server_id bleibt)</translation>
    </message>
    <message>
        <source>The next pages check the service, show this machine&apos;s identity and ask for the build secret; then the wizard enrolls it, which takes a few seconds.</source>
        <translation>Die nächsten Seiten prüfen den Dienst, zeigen die Identität dieses Geräts und fragen nach dem Build-Geheimnis; dann registriert der Assistent das Gerät in wenigen Sekunden.</translation>
    </message>
</context>
<context>
    <name>imprint::wizard::Texts</name>
    <message>
        <source>Checking the service&apos;s identity</source>
        <translation>Identität des Dienstes wird geprüft</translation>
    </message>
    <message>
        <source>Generating the device key</source>
        <translation>Geräteschlüssel wird erzeugt</translation>
    </message>
    <message>
        <source>Creating the certificate request</source>
        <translation>Zertifikatsanforderung wird erstellt</translation>
    </message>
    <message>
        <source>Sending the enrollment request</source>
        <translation>Registrierungsanfrage wird gesendet</translation>
    </message>
    <message>
        <source>Saving the credentials</source>
        <translation>Zugangsdaten werden gespeichert</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>Registriert</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>valid, renewal due</source>
        <translation>gültig, Erneuerung fällig</translation>
    </message>
    <message>
        <source>expired, renewable with a signed challenge</source>
        <translation>abgelaufen, mit signierter Challenge erneuerbar</translation>
    </message>
    <message>
        <source>expired, must enroll again</source>
        <translation>abgelaufen, muss neu registriert werden</translation>
    </message>
    <message>
        <source>not enrolled</source>
        <translation>nicht registriert</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>unlesbar</translation>
    </message>
    <message>
        <source>This machine is not enrolled yet (store %1).</source>
        <translation>Dieses Gerät ist noch nicht registriert (Speicher %1).</translation>
    </message>
    <message>
        <source>The store %1 holds credentials that cannot be used: %2</source>
        <translation>Der Speicher %1 enthält Zugangsdaten, die nicht verwendbar sind: %2</translation>
    </message>
    <message>
        <source>Enrolled as %1, certificate valid until %2 (%3), %4.</source>
        <translation>Registriert als %1, Zertifikat gültig bis %2 (%3), %4.</translation>
    </message>
    <message>
        <source>hardware (read from this machine)</source>
        <translation>Hardware (von diesem Gerät gelesen)</translation>
    </message>
    <message>
        <source>persisted (from the identity file)</source>
        <translation>gespeichert (aus der Identitätsdatei)</translation>
    </message>
    <message>
        <source>generated (new random identity, now persisted)</source>
        <translation>erzeugt (neue zufällige Identität, jetzt gespeichert)</translation>
    </message>
    <message>
        <source>Fingerprint: %1
From: %2
Host name: %3
System: %4 / %5</source>
        <translation>Fingerabdruck: %1
Herkunft: %2
Hostname: %3
System: %4 / %5</translation>
    </message>
    <message>
        <source>Service: %1</source>
        <translation>Dienst: %1</translation>
    </message>
    <message>
        <source>This machine&apos;s fingerprint cannot be computed: %1</source>
        <translation>Der Fingerabdruck dieses Geräts kann nicht berechnet werden: %1</translation>
    </message>
    <message>
        <source>Service verified. Nothing secret has been sent yet.
CA: %1
CA pin: %2
Service: %3</source>
        <translation>Dienst geprüft. Noch wurde nichts Vertrauliches gesendet.
CA: %1
CA-Pin: %2
Dienst: %3</translation>
    </message>
    <message>
        <source>No pin was given: the system&apos;s trusted roots vouched for this service.</source>
        <translation>Kein Pin angegeben: Die vertrauenswürdigen Stammzertifikate des Systems bürgen für diesen Dienst.</translation>
    </message>
    <message>
        <source>This machine is enrolled as %1.</source>
        <translation>Dieses Gerät ist registriert als %1.</translation>
    </message>
    <message>
        <source>The service cannot be reached</source>
        <translation>Der Dienst ist nicht erreichbar</translation>
    </message>
    <message>
        <source>The service did not answer in time</source>
        <translation>Der Dienst hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <source>The secure connection to the service failed</source>
        <translation>Die sichere Verbindung zum Dienst ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>The service&apos;s CA does not match the pin</source>
        <translation>Die CA des Dienstes passt nicht zum Pin</translation>
    </message>
    <message>
        <source>The service refused the build secret</source>
        <translation>Der Dienst hat das Build-Geheimnis abgelehnt</translation>
    </message>
    <message>
        <source>The service refuses this device</source>
        <translation>Der Dienst weist dieses Gerät ab</translation>
    </message>
    <message>
        <source>The service rejected the request</source>
        <translation>Der Dienst hat die Anfrage zurückgewiesen</translation>
    </message>
    <message>
        <source>The service answered with an error (HTTP %1)</source>
        <translation>Der Dienst hat mit einem Fehler geantwortet (HTTP %1)</translation>
    </message>
    <message>
        <source>The service&apos;s answer is not an Imprint answer</source>
        <translation>Die Antwort des Dienstes ist keine Imprint-Antwort</translation>
    </message>
    <message>
        <source>Something failed on this machine</source>
        <translation>Auf diesem Gerät ist etwas fehlgeschlagen</translation>
    </message>
    <message>
        <source>Enrollment cancelled; nothing was saved</source>
        <translation>Registrierung abgebrochen; nichts wurde gespeichert</translation>
    </message>
    <message>
        <source>Check the URL, that the service is running, and that this machine can reach it (network cable, Wi-Fi, firewall).</source>
        <translation>Prüfen Sie die URL, ob der Dienst läuft und ob dieses Gerät ihn erreichen kann (Netzwerkkabel, WLAN, Firewall).</translation>
    </message>
    <message>
        <source>Check the CA pin and the host name in the URL; the service may present a certificate that is not from its Imprint CA.</source>
        <translation>Prüfen Sie den CA-Pin und den Hostnamen in der URL; der Dienst legt womöglich ein Zertifikat vor, das nicht von seiner Imprint-CA stammt.</translation>
    </message>
    <message>
        <source>Compare the pin with the operator&apos;s (&apos;imprint ca show&apos; on the service). Nothing secret was sent to this service.</source>
        <translation>Vergleichen Sie den Pin mit dem des Betreibers („imprint ca show“ auf dem Dienst). An diesen Dienst wurde nichts Vertrauliches gesendet.</translation>
    </message>
    <message>
        <source>Check the build secret: it must be one of the service&apos;s, exactly, without extra spaces.</source>
        <translation>Prüfen Sie das Build-Geheimnis: Es muss genau eines des Dienstes sein, ohne zusätzliche Leerzeichen.</translation>
    </message>
    <message>
        <source>Ask the operator: this device may have been revoked.</source>
        <translation>Fragen Sie den Betreiber: Dieses Gerät wurde möglicherweise widerrufen.</translation>
    </message>
    <message>
        <source>Note the message above and tell the operator.</source>
        <translation>Notieren Sie die Meldung oben und geben Sie sie an den Betreiber weiter.</translation>
    </message>
    <message>
        <source>Check that the URL is the Imprint service and not another web server.</source>
        <translation>Prüfen Sie, ob die URL zum Imprint-Dienst führt und nicht zu einem anderen Webserver.</translation>
    </message>
    <message>
        <source>Check that the store directory is writable and the disk is not full.</source>
        <translation>Prüfen Sie, ob das Speicherverzeichnis beschreibbar und der Datenträger nicht voll ist.</translation>
    </message>
    <message>
        <source>Start again when you are ready.</source>
        <translation>Beginnen Sie erneut, wenn Sie bereit sind.</translation>
    </message>
    <message>
        <source>Expected pin: %1
Found pin:    %2</source>
        <translation>Erwarteter Pin: %1
Gefundener Pin: %2</translation>
    </message>
    <message>
        <source>The certificate renews itself while &apos;imprint daemon&apos; runs. With the packaged service unit: put IMPRINT_URL=%1 and IMPRINT_STORE_DIR=%2 into /etc/default/imprint-daemon and run &apos;systemctl enable --now imprint-daemon&apos;. Or start it yourself:
imprint daemon --url %1 --store-dir %2</source>
        <translation>Das Zertifikat erneuert sich selbst, solange „imprint daemon“ läuft. Mit der mitgelieferten Dienst-Unit: Tragen Sie IMPRINT_URL=%1 und IMPRINT_STORE_DIR=%2 in /etc/default/imprint-daemon ein und führen Sie „systemctl enable --now imprint-daemon“ aus. Oder starten Sie ihn selbst:
imprint daemon --url %1 --store-dir %2</translation>
    </message>
    <message>
        <source>server_id: %1
Certificate valid from %2 until %3 (%4)
Key: %5
Certificate: %6
CA: %7
Enrollment: %8</source>
        <translation>server_id: %1
Zertifikat gültig von %2 bis %3 (%4)
Schlüssel: %5
Zertifikat: %6
CA: %7
Registrierung: %8</translation>
    </message>
    <message>
        <source>The service does not send its CA, so the pin cannot be checked</source>
        <translation>Der Dienst sendet seine CA nicht mit, daher lässt sich der Pin nicht prüfen</translation>
    </message>
    <message>
        <source>Use the CA certificate file instead of the pin (ask the operator for it), or have the service send its CA certificate with its own. Nothing secret was sent to this service.</source>
        <translation>Verwenden Sie statt des Pins die CA-Zertifikatsdatei (beim Betreiber erhältlich), oder lassen Sie den Dienst sein CA-Zertifikat mit seinem eigenen senden. An diesen Dienst wurde nichts Vertrauliches gesendet.</translation>
    </message>
</context>
</TS>
