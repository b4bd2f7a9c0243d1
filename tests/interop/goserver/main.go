// A service built on the Go reference library (github.com/dvstc/imprint, package server),
// wired the way its own tests wire it, for run-interop.sh. The library issues device
// certificates only; the service's TLS certificate is issued here from the same CA, sent
// alone (Go's default) or followed by the CA with -send-ca-in-chain.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/dvstc/imprint"
	"github.com/dvstc/imprint/server"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9443", "listen address")
	caDir := flag.String("ca-dir", "", "CA directory (the library creates the CA when it is empty)")
	secret := flag.String("secret", "go-ref-secret", "build secret")
	validity := flag.Duration("validity", 0, "client cert validity (0 = reference default 1y)")
	window := flag.Duration("challenge-window", 30*24*time.Hour, "tier-2 window")
	chain := flag.Bool("send-ca-in-chain", false, "send CA cert after the leaf in the TLS chain")
	flag.Parse()
	if *caDir == "" {
		log.Fatal("-ca-dir is required")
	}

	ca, err := server.NewCA(server.CAConfig{CertDir: *caDir, Validity: *validity})
	if err != nil {
		log.Fatal(err)
	}
	store := server.NewMemStore()

	leaf := serverCert(*caDir, *chain)

	mux := http.NewServeMux()
	mux.Handle("/api/v1/enroll", server.NewEnrollHandler(server.EnrollConfig{
		CA: ca, Store: store, BuildSecrets: []string{*secret}, Mode: imprint.ModeAuto,
	}))
	// Mounted as the library's README mounts it: the renewal handler leaves the check
	// that the certificate is the current one to RequireMTLS.
	mux.Handle("/api/v1/renew", server.RequireMTLS(store, server.NewRenewHandler(server.RenewConfig{CA: ca, Store: store})))
	mux.Handle("/api/v1/renew/challenge", server.NewChallengeRenewHandler(server.ChallengeRenewConfig{
		CA: ca, Store: store, ChallengeWindow: *window,
	}))
	guarded := server.RequireMTLS(store, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := server.ServerIdentity(r.Context())
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{
			"server_id": id.ServerID, "fingerprint": id.Fingerprint, "status": id.Status,
			"serial": id.SerialNumber, "path": r.URL.Path,
		})
	}))
	mux.Handle("/api/v1/device", guarded)
	mux.Handle("/data", guarded)

	tlsCfg := ca.ServerTLSConfig()
	tlsCfg.Certificates = []tls.Certificate{leaf}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("go reference server listening on https://%s (CA %s)", ln.Addr(), filepath.Join(*caDir, "ca.crt"))
	srv := &http.Server{Handler: mux, TLSConfig: tlsCfg}
	log.Fatal(srv.ServeTLS(ln, "", ""))
}

func serverCert(caDir string, chain bool) tls.Certificate {
	caPEM, err := os.ReadFile(filepath.Join(caDir, "ca.crt"))
	must(err)
	keyPEM, err := os.ReadFile(filepath.Join(caDir, "ca.key"))
	must(err)
	cb, _ := pem.Decode(caPEM)
	caCert, err := x509.ParseCertificate(cb.Bytes)
	must(err)
	kb, _ := pem.Decode(keyPEM)
	caKey, err := x509.ParseECPrivateKey(kb.Bytes)
	must(err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "localhost", Organization: caCert.Subject.Organization},
		NotBefore:    time.Now().Add(-5 * time.Minute),
		NotAfter:     time.Now().Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	must(err)
	c := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	if chain {
		c.Certificate = append(c.Certificate, caCert.Raw)
	}
	return c
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
