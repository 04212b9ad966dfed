// Command echo is the k8snet lab's tiny test server.
//
// HTTP: listens on every port in ECHO_PORTS (comma separated, default 8080)
// and on every --port flag. GET /health answers 200 "ok"; every other path
// answers 200 with a small JSON body naming the pod, hostname, port, path and
// Host header.
// TCP: every port in ECHO_TCP_PORTS or --tcp flag accepts plain TCP
// connections and echoes back each line, prefixed with the pod name.
// Hang: every port in ECHO_HANG_PORTS or --hang flag accepts TCP connections
// and never sends a byte (a backend that hangs); connections stay open until
// the client closes them.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
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
	log.Printf("echo: http listening on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, mux))
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
	var httpPorts, tcpPorts, hangPorts portList
	flag.Var(&httpPorts, "port", "HTTP port to listen on (repeatable, comma separated)")
	flag.Var(&tcpPorts, "tcp", "plain TCP echo port (repeatable, comma separated)")
	flag.Var(&hangPorts, "hang", "TCP port that accepts and never answers (repeatable, comma separated)")
	flag.Parse()
	httpPorts = append(httpPorts, splitPorts(os.Getenv("ECHO_PORTS"))...)
	tcpPorts = append(tcpPorts, splitPorts(os.Getenv("ECHO_TCP_PORTS"))...)
	hangPorts = append(hangPorts, splitPorts(os.Getenv("ECHO_HANG_PORTS"))...)
	if len(httpPorts) == 0 && len(tcpPorts) == 0 && len(hangPorts) == 0 {
		httpPorts = portList{"8080"}
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
