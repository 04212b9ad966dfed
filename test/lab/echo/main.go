// Command echo is the k8snet lab's tiny test server.
//
// HTTP: listens on every port in ECHO_PORTS (comma separated, default 8080)
// and on every --port flag. GET /health answers 200 "ok"; every other path
// answers 200 with a small JSON body naming the pod, hostname, port, path and
// Host header.
// TCP: every port in ECHO_TCP_PORTS or --tcp flag accepts plain TCP
// connections and echoes back each line, prefixed with the pod name.
// Hang: every port in ECHO_HANG_PORTS or --hang flag accepts TCP connections
// and never sends a byte (a backend that hangs, or a client-first protocol such
// as Postgres waiting for the client); connections stay open until the client
// closes them.
// TLS: every port in ECHO_TLS_PORTS or --tls flag serves the HTTP handler over
// TLS with a self-signed certificate made at start-up (in memory).
// H2C: every port in ECHO_H2C_PORTS or --h2c flag speaks HTTP/2 with prior
// knowledge only (like a gRPC server): every request gets 200 with
// content-type application/grpc and trailer grpc-status 0; HTTP/1.1 is refused.
// UDP: every port in ECHO_UDP_PORTS or --udp flag echoes each datagram back,
// prefixed with the pod name.
package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type portList []string

func (p *portList) String() string     { return strings.Join(*p, ",") }
func (p *portList) Set(v string) error { *p = append(*p, splitPorts(v)...); return nil }

func splitPorts(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func podName() string {
	if p := os.Getenv("POD_NAME"); p != "" {
		return p
	}
	h, _ := os.Hostname()
	return h
}

func serveHTTP(port string) {
	log.Printf("echo: http listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, echoMux(port)))
}

func echoMux(port string) *http.ServeMux {
	mux := http.NewServeMux()
	host, _ := os.Hostname()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/health") {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "ok")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"pod":       podName(),
			"namespace": os.Getenv("POD_NAMESPACE"),
			"hostname":  host,
			"port":      port,
			"path":      r.URL.Path,
			"host":      r.Host,
			"remote":    r.RemoteAddr,
		})
	})
	return mux
}

// selfSigned makes a throw-away ECDSA certificate for the pod's name.
func selfSigned() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: podName()},
		DNSNames:     []string{podName(), "localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * 365 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func serveTLS(port string, cert tls.Certificate) {
	srv := &http.Server{Addr: ":" + port, Handler: echoMux(port), TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	log.Printf("echo: https listening on :%s (self-signed)", port)
	log.Fatal(srv.ListenAndServeTLS("", ""))
}

func serveH2C(port string) {
	var protocols http.Protocols
	protocols.SetUnencryptedHTTP2(true) // prior knowledge only: no HTTP/1.1, like a gRPC server
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/grpc")
		w.Header().Set("Trailer", "Grpc-Status")
		w.WriteHeader(http.StatusOK)
		w.Header().Set("Grpc-Status", "0")
	})
	srv := &http.Server{Addr: ":" + port, Handler: h, Protocols: &protocols}
	log.Printf("echo: h2c (HTTP/2 prior knowledge, gRPC-like) listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}

func serveUDP(port string) {
	pc, err := net.ListenPacket("udp", ":"+port)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("echo: udp echo listening on :%s", port)
	buf := make([]byte, 65535)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			continue
		}
		_, _ = pc.WriteTo(append([]byte(podName()+": "), buf[:n]...), addr)
	}
}

func serveTCP(port string) {
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("echo: tcp listening on :%s", port)
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			fmt.Fprintf(c, "hello from %s\n", podName())
			s := bufio.NewScanner(c)
			for s.Scan() {
				fmt.Fprintf(c, "%s: %s\n", podName(), s.Text())
			}
		}(c)
	}
}

func serveHang(port string) {
	ln, err := net.Listen("tcp", ":"+port)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("echo: hang listening on :%s (accepts, never answers)", port)
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go func(c net.Conn) {
			defer c.Close()
			buf := make([]byte, 4096)
			for {
				if _, err := c.Read(buf); err != nil {
					return
				}
			}
		}(c)
	}
}

func main() {
	var httpPorts, tcpPorts, hangPorts, tlsPorts, h2cPorts, udpPorts portList
	flag.Var(&httpPorts, "port", "HTTP port to listen on (repeatable, comma separated)")
	flag.Var(&tcpPorts, "tcp", "plain TCP echo port (repeatable, comma separated)")
	flag.Var(&hangPorts, "hang", "TCP port that accepts and never answers (repeatable, comma separated)")
	flag.Var(&tlsPorts, "tls", "HTTPS port with a self-signed certificate (repeatable, comma separated)")
	flag.Var(&h2cPorts, "h2c", "HTTP/2 prior-knowledge (gRPC-like) port (repeatable, comma separated)")
	flag.Var(&udpPorts, "udp", "UDP echo port (repeatable, comma separated)")
	flag.Parse()
	httpPorts = append(httpPorts, splitPorts(os.Getenv("ECHO_PORTS"))...)
	tcpPorts = append(tcpPorts, splitPorts(os.Getenv("ECHO_TCP_PORTS"))...)
	hangPorts = append(hangPorts, splitPorts(os.Getenv("ECHO_HANG_PORTS"))...)
	tlsPorts = append(tlsPorts, splitPorts(os.Getenv("ECHO_TLS_PORTS"))...)
	h2cPorts = append(h2cPorts, splitPorts(os.Getenv("ECHO_H2C_PORTS"))...)
	udpPorts = append(udpPorts, splitPorts(os.Getenv("ECHO_UDP_PORTS"))...)
	if len(httpPorts) == 0 && len(tcpPorts) == 0 && len(hangPorts) == 0 && len(tlsPorts) == 0 && len(h2cPorts) == 0 && len(udpPorts) == 0 {
		httpPorts = portList{"8080"}
	}
	if len(tlsPorts) > 0 {
		cert := selfSigned()
		for _, p := range tlsPorts {
			go serveTLS(p, cert)
		}
	}
	for _, p := range h2cPorts {
		go serveH2C(p)
	}
	for _, p := range udpPorts {
		go serveUDP(p)
	}
	for _, p := range httpPorts {
		go serveHTTP(p)
	}
	for _, p := range tcpPorts {
		go serveTCP(p)
	}
	for _, p := range hangPorts {
		go serveHang(p)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
}
