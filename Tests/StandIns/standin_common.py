"""Scaffolding shared by the HTTP stand-ins (dropbox_standin.py, google_standin.py); Python 3 stdlib only.

  * StandInState: what request threads share - the request log (`/__requests`) and the scripted fault
    queues (`/__control` "route"/"responses"; a route ending in "*" is a prefix).
  * StandInHandler: HTTP/1.1 keep-alive handler - body reading (Content-Length or chunked, 100 Continue only
    once a route asks for the body), replies (JSON / text, Connection: close when a body is left unread),
    dispatch (control routes, logging, queued faults, then the stand-in's own routes), queued faults
    (answers and dropped connections), the control routes /__health, /__requests, /__reset, /__control,
    Range replies.
  * Server, arg_parser, finish_args, serve: the command line (`--host`, `--port 0` = a free port, `--quiet`)
    and the start-up line "<name> listening on http://HOST:PORT" on stdout.

A stand-in subclasses StandInState and StandInHandler and fills in the hooks their docstrings name; what
goes over the wire (statuses, headers and their order, bodies, log fields) is each stand-in's own.
"""
import argparse
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standin_lifecycle as lifecycle

TEXT_TYPE = "text/plain; charset=utf-8"
LOG_BODY_LIMIT = 4096
SMALL_BODY = 1 << 20       # an unused request body up to this size is read so the connection stays usable


class IncompleteBody(Exception):
    pass


def parse_range(value, size):
    """'bytes=a-b' | 'bytes=a-' | 'bytes=-n' -> (start, end) | 'unsatisfiable' | None (ignore: send all).
    Several ranges or a malformed header are ignored (RFC 9110 allows answering 200 with everything)."""
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", value or "")
    if not m or not (m.group(1) or m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if first:
        start = int(first)
        if last and int(last) < start:
            return None
        if start >= size:
            return "unsatisfiable"
        return start, min(int(last), size - 1) if last else size - 1
    if int(last) == 0 or size == 0:
        return "unsatisfiable"
    return max(0, size - int(last)), size - 1


class StandInState:
    """Everything shared between request threads: the request log and the fault queues."""

    def __init__(self, args, base_url):
        self.args, self.base_url = args, base_url
        self.lock = threading.Lock()
        self.faults, self.log, self.seq = {}, [], 0

    def next_fault(self, path):
        with self.lock:
            for route in [path] + sorted(r for r in self.faults if r.endswith("*") and path.startswith(r[:-1])):
                if self.faults.get(route):
                    return self.faults[route].pop(0)
        return None

    def record(self, handler):
        with self.lock:
            self.seq += 1
            entry = {"seq": self.seq, "method": handler.command, "path": handler.path,
                     "headers": [[k, v] for k, v in handler.headers.items()], "body": "", "body_length": 0,
                     "body_truncated": False, "time": time.monotonic(), "status": None}
            self.log.append(entry)
        return entry

    def queue_faults(self, cmd):
        """Queue a /__control command's "responses" for its "route" -> {route: queued count}."""
        with self.lock:
            if cmd.get("route"):
                self.faults.setdefault(cmd["route"], []).extend(cmd.get("responses", []))
            return {r: len(q) for r, q in self.faults.items() if q}

    def reset(self):
        """POST /__reset: forget the fault queues and the request log."""
        with self.lock:
            self.faults.clear()
            self.log.clear()


class StandInHandler(BaseHTTPRequestHandler):
    """Subclasses set `name`, `server_version`, `json_type` (and maybe `json_text`, `keep_blank_values`) and
    define _route(path) (after logging and faults), _fault_body(f, status, path, headers) -> str | JSON value,
    and may extend _log_headers(), _small_unused_body(), _read_before_drop(), _other_control(path, raw) and
    _control_command(cmd)."""
    protocol_version = "HTTP/1.1"
    name = "standin"
    timeout = 300
    disable_nagle_algorithm = True     # headers and body go out as separate writes: avoid 40 ms stalls
    json_type = "application/json"
    json_text = staticmethod(json.dumps)
    keep_blank_values = False          # for self.query

    def handle_expect_100(self):
        return True          # 100 Continue is decided per route, in _body_chunks()

    def log_message(self, fmt, *args):
        if not self.server.standin.args.quiet:
            sys.stderr.write("%s: %s\n" % (self.name, fmt % args))

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = lambda self: self._dispatch()

    def q(self, name):
        values = self.query.get(name)
        return values[0] if values else None

    # ---- request bodies ---------------------------------------------------------------------------
    def _chunked(self):
        return "chunked" in self.headers.get("Transfer-Encoding", "").lower()

    def _content_length(self):
        value = (self.headers.get("Content-Length") or "0").strip()
        if not value.isdigit():
            raise IncompleteBody("bad Content-Length")
        return int(value)

    def _has_body(self):
        return self._chunked() or self._content_length() > 0

    def _expects_continue(self):
        return self.headers.get("Expect", "").lower() == "100-continue" and self.request_version == "HTTP/1.1"

    def _body_chunks(self):
        """Yield the request body (Content-Length or chunked); 100 Continue first if asked for."""
        self._body_started = True
        if self._expects_continue():
            self.send_response_only(100)
            self.end_headers()
            self.wfile.flush()
        if self._chunked():
            while True:
                line = self.rfile.readline(1024)
                if not line.endswith(b"\n"):
                    raise IncompleteBody()
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise IncompleteBody("bad chunk size")
                if size == 0:
                    while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                yield from self._exactly(size)
                self.rfile.readline(8)
        else:
            yield from self._exactly(self._content_length())

    def _exactly(self, n):
        while n > 0:
            chunk = self.rfile.read(min(n, 1 << 20))
            if not chunk:
                raise IncompleteBody()
            n -= len(chunk)
            yield chunk

    def _note_body(self, head, total):
        if self.entry is not None:
            self.entry.update(body=head[:LOG_BODY_LIMIT].decode("utf-8", "replace"), body_length=total,
                              body_truncated=total > LOG_BODY_LIMIT)

    def _read_body(self):
        if self._body is None:
            self._body = b"".join(self._body_chunks())
            self._note_body(self._body, len(self._body))
        return self._body

    def _spool_body(self, out, skip=0, digest=None):
        """Stream the body into file object `out`, dropping its first `skip` bytes (`digest`, if given, sees
        every byte) -> total length."""
        head, total = b"", 0
        for chunk in self._body_chunks():
            if len(head) <= LOG_BODY_LIMIT:
                head += chunk[:LOG_BODY_LIMIT + 1 - len(head)]
            if digest is not None:
                digest.update(chunk)
            drop = min(max(skip - total, 0), len(chunk))
            total += len(chunk)
            if drop < len(chunk):
                out.write(chunk[drop:])
        self._note_body(head, total)
        return total

    # ---- responses --------------------------------------------------------------------------------
    def _log_headers(self):
        """Extra headers of every answer to a logged (non-control) request."""
        return ()

    def _start(self, status, length, ctype=None, headers=(), reason=None):
        self.send_response(status, reason)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        for k, v in headers:
            self.send_header(k, v)
        if self.entry is not None:
            for k, v in self._log_headers():
                self.send_header(k, v)
            self.entry["status"] = status
        if not self._body_started and self._has_body():
            self.send_header("Connection", "close")     # body left unread: the connection can't be reused
            self.close_connection = True
        self.end_headers()

    def _send(self, status, body=b"", ctype=None, headers=(), reason=None):
        body = body.encode("utf-8") if isinstance(body, str) else body
        self._start(status, len(body), ctype, headers, reason)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status, obj, headers=()):
        self._send(status, self.json_text(obj), self.json_type, headers)

    def _text(self, status, text, headers=()):
        self._send(status, text, TEXT_TYPE, headers)

    def _small_unused_body(self):
        """Whether an unused body is read before answering (else the answer closes the connection)."""
        return not self._expects_continue() and not self._chunked() and self._content_length() <= SMALL_BODY

    def _discard_then(self, fn, *args):
        """Answer without using the body: read a small one first so the connection stays usable; with
        Expect: 100-continue or a body over 1 MiB, don't ask for it / read it (_start closes instead)."""
        if self._small_unused_body():
            self._read_body()
        fn(*args)

    def _send_range(self, rng, size, ctype, headers, copy_from):
        """200 with all `size` bytes, or 206 with rng = (start, end) from parse_range; for GET the bytes come
        from copy_from() -> an open binary file (closed afterwards)."""
        (start, end), code = rng or (0, size - 1), 206 if rng else 200
        headers = list(headers)
        if code == 206:
            headers.append(("Content-Range", "bytes %d-%d/%d" % (start, end, size)))
        self._start(code, end - start + 1, ctype, headers)
        if self.command == "GET":
            with copy_from() as f:
                f.seek(start)
                left = end - start + 1
                while left > 0:
                    chunk = f.read(min(left, 1 << 20))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    left -= len(chunk)

    # ---- dispatch ---------------------------------------------------------------------------------
    def _dispatch(self):
        self.standin = s = self.server.standin
        self.entry, self._body, self._body_started = None, None, False
        url = urllib.parse.urlsplit(self.path)
        path, self.query = url.path, urllib.parse.parse_qs(url.query, keep_blank_values=self.keep_blank_values)
        try:
            if path.startswith("/__"):
                return self._control(path)
            self.entry = s.record(self)
            fault = s.next_fault(path)
            if fault is not None:
                return self._fault(fault, path)
            return self._route(path)
        except (IncompleteBody, ConnectionError, TimeoutError):
            self.close_connection = True

    def _route(self, path):
        raise NotImplementedError

    # ---- scripted faults ----------------------------------------------------------------------------
    def _read_before_drop(self):
        """Whether a {"drop": true} fault reads the body before closing the connection."""
        return self._small_unused_body()

    def _fault_body(self, f, status, path, headers):
        """The body of a queued answer (append to `headers` as needed): str -> text, else JSON."""
        raise NotImplementedError

    def _fault(self, f, path):
        time.sleep(float(f.get("delay", 0)))
        if f.get("drop"):
            if self._read_before_drop():
                self._read_body()
            self.close_connection = True
            self.entry["status"] = "dropped"
            return
        status, headers = int(f.get("status", 503)), list((f.get("headers") or {}).items())
        body, ctype = self._fault_body(f, status, path, headers), f.get("content_type")
        if isinstance(body, str):
            self._discard_then(self._send, status, body, ctype or TEXT_TYPE, headers)
        else:
            self._discard_then(self._send, status, json.dumps(body), ctype or self.json_type, headers)

    # ---- test control -------------------------------------------------------------------------------
    def _control_command(self, cmd):
        """Apply a /__control command's own fields (faults are queued already) -> extra reply fields."""
        return {}

    def _other_control(self, path, raw):
        """Answer a stand-in's own control route -> True, or False if `path` / the method is unknown."""
        return False

    def _control(self, path):
        s = self.standin
        raw = self._read_body()
        if path == "/__health":
            return self._text(200, "ok")
        if path == "/__requests" and self.command == "GET":
            with s.lock:
                return self._json(200, s.log)
        if path == "/__reset" and self.command == "POST":
            s.reset()
            return self._json(200, {"reset": True})
        if path == "/__control" and self.command == "POST":
            try:
                cmd = json.loads(raw or b"{}")
            except ValueError:
                return self._text(400, "control body must be JSON")
            queued = s.queue_faults(cmd)
            return self._json(200, {"queued": queued, **self._control_command(cmd)})
        if not self._other_control(path, raw):
            self._text(404, "Unknown control route")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def arg_parser(doc, state_dir_help):
    """The options every stand-in has first: --host, --port, --state-dir."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 = pick a free port")
    p.add_argument("--state-dir", default=None,
                   help=state_dir_help + " (default: a temporary folder, removed when the stand-in exits)")
    lifecycle.add_arguments(p)
    return p


def finish_args(p, argv):
    """Add the last option (--quiet) and parse."""
    p.add_argument("--quiet", action="store_true", help="no per-request log on stderr")
    return p.parse_args(argv)


def serve(args, handler, make_state, fatal=()):
    """Bind, build the shared state (make_state(args, base URL); `fatal` exceptions end the process with
    "<name>: <error>"), print "<name> listening on http://HOST:PORT", serve until SIGTERM/SIGINT (or the
    parent's exit with --exit-with-parent), then close and remove a temporary state folder."""
    with lifecycle.running(args, handler.name):
        server = Server((args.host, args.port), handler)
        port = server.server_address[1]
        try:
            server.standin = make_state(args, (args.public_base or "http://%s:%d" % (args.host, port)).rstrip("/"))
        except fatal as e:
            server.server_close()
            sys.exit("%s: %s" % (handler.name, e))
        print("%s listening on http://%s:%d" % (handler.name, args.host, port), flush=True)
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()
