// A device built on the Go reference library (github.com/dvstc/imprint, packages client
// and fingerprint), one library call per subcommand, for run-interop.sh.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/dvstc/imprint/client"
	"github.com/dvstc/imprint/fingerprint"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goclient enroll|renew|challenge|auto|request|status|fingerprint [flags]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	url := fs.String("url", "", "service base URL")
	caFile := fs.String("ca-file", "", "CA PEM to trust for the service TLS cert (enroll/challenge)")
	secret := fs.String("secret", "", "build secret")
	store := fs.String("store-dir", "", "store dir")
	fp := fs.String("fingerprint", "", "fingerprint (default: fingerprint.Generate with PersistDir=store-dir)")
	host := fs.String("hostname", "go-ref-device", "hostname")
	threshold := fs.Duration("threshold", 0, "RenewOrReenroll threshold")
	fs.Parse(os.Args[2:])
	ctx := context.Background()

	getFP := func() string {
		if *fp != "" {
			return *fp
		}
		r, err := fingerprint.Generate(fingerprint.Options{PersistDir: *store})
		die(err)
		fmt.Fprintf(os.Stderr, "fingerprint %s (tier %s)\n", r.Fingerprint, r.Tier)
		return r.Fingerprint
	}
	var hc *http.Client
	if *caFile != "" {
		pemData, err := os.ReadFile(*caFile)
		die(err)
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemData) {
			die(fmt.Errorf("bad CA file"))
		}
		hc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	}

	switch cmd {
	case "fingerprint":
		r, err := fingerprint.Generate(fingerprint.Options{PersistDir: *store})
		die(err)
		fmt.Println(r.Fingerprint, r.Tier)
	case "enroll":
		resp, err := client.Enroll(ctx, client.EnrollConfig{ServiceURL: *url, BuildSecret: *secret,
			Fingerprint: getFP(), Hostname: *host, StoreDir: *store, HTTPClient: hc})
		die(err)
		fmt.Println("ENROLLED server_id=" + resp.ServerID)
	case "renew":
		resp, err := client.Renew(ctx, client.RenewConfig{ServiceURL: *url, StoreDir: *store})
		die(err)
		fmt.Println("RENEWED server_id=" + resp.ServerID)
	case "challenge":
		resp, err := client.ChallengeRenew(ctx, client.RenewConfig{ServiceURL: *url, StoreDir: *store, HTTPClient: hc}, getFP())
		die(err)
		fmt.Println("CHALLENGE_RENEWED server_id=" + resp.ServerID)
	case "auto":
		action, err := client.RenewOrReenroll(ctx, client.RenewConfig{ServiceURL: *url, StoreDir: *store, HTTPClient: hc},
			client.EnrollConfig{ServiceURL: *url, BuildSecret: *secret, Fingerprint: getFP(), Hostname: *host, StoreDir: *store, HTTPClient: hc},
			*threshold)
		die(err)
		fmt.Println("ACTION " + action)
	case "request":
		tc, err := client.LoadTLS(*store)
		die(err)
		c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: tc}}
		r, err := c.Get(fs.Arg(0))
		die(err)
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		fmt.Printf("HTTP %d X-Imprint-Cert-Expires=%q\n%s\n", r.StatusCode, r.Header.Get("X-Imprint-Cert-Expires"), b)
	case "status":
		fmt.Println("IsEnrolled:", client.IsEnrolled(*store))
		meta, err := client.LoadMeta(*store)
		if err != nil {
			fmt.Println("LoadMeta error:", err)
		} else {
			j, _ := json.Marshal(meta)
			fmt.Println("LoadMeta:", string(j))
		}
		cert, err := client.LoadCert(*store)
		if err != nil {
			fmt.Println("LoadCert error:", err)
		} else {
			fmt.Printf("LoadCert: CN=%s serial=%s notAfter=%s\n", cert.Subject.CommonName, cert.SerialNumber.Text(16), cert.NotAfter.Format(time.RFC3339))
		}
		nr, err := client.NeedsRenewal(*store, client.DefaultRenewalThreshold)
		fmt.Println("NeedsRenewal:", nr, err)
		_, err = client.LoadTLS(*store)
		fmt.Println("LoadTLS error:", err)
		_, err = client.ReloadableTLS(*store)
		fmt.Println("ReloadableTLS error:", err)
	default:
		fmt.Fprintln(os.Stderr, "unknown command")
		os.Exit(2)
	}
}

func die(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		os.Exit(1)
	}
}
