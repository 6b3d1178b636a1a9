#!/usr/bin/env python3
"""A misbehaving HTTP/1.1 server on 127.0.0.1 for testing presign's HTTP client.

Python 3 standard library only. Started by scripts/http-servers.sh on 127.0.0.1:8090;
tests may also start their own copy (``--port 0`` picks a free port and prints it).

    python3 Tests/StandIns/fault_server.py --host 127.0.0.1 --port 8090 [--verbose]

On start-up one line goes to stderr: ``fault_server: listening on http://HOST:PORT``.

Every response carries Content-Length, uses chunked encoding, or closes the connection,
so keep-alive is always well defined. Request bodies (Content-Length or chunked) are read
and discarded unless the endpoint says otherwise. Any method is accepted everywhere.
``Expect: 100-continue`` is honoured lazily: ``100 Continue`` is sent only when the
server is about to read the body (the /expect/ endpoints handle it explicitly).
Sleeps are capped at 30 s each.

Endpoints (``S`` = seconds, float):

  /status/CODE[?retry_after=S][&retry_after_date=1]
        CODE (200-599) with body ``status CODE``; Retry-After as delta seconds, or as an
        HTTP-date at least 2 s in the future.
  /flaky/ID?fail=N[&status=503][&retry_after=S]
        the first N requests for ID get ``status`` (body ``flaky ID attempt k``), then
        200 ``ok after N``. Every arrival is recorded under ID.
  GET /attempts/ID      {"id", "count", "times": [monotonic s], "wall_times": [epoch s],
                        "methods": [...]}; DELETE /attempts/ID forgets ID.
  any endpoint ?id=ID   records the arrival under ID too (e.g. /drop?id=x, /status/503?id=y).
  /slow?headers_after=S[&body_after=S]
        sleeps before the status line, and/or between the headers and the body.
  /drip?bytes=N&interval=S
        200 with Content-Length N, then each byte after a sleep of S (N*S <= 600).
  /drop[?rst=1]         reads the request, then closes without any response (FIN; with
                        rst=1 a TCP reset). With Expect: 100-continue the body is not
                        asked for.
  /truncate/N?send=M    200 announcing Content-Length N, sends M < N bytes, then closes.
  GET /bytes/N[?chunked=1]
        N bytes, byte i = i % 251; a single ``Range: bytes=a-b|a-|-n`` gets 206 with
        Content-Range (416 if unsatisfiable). Accept-Ranges, a fixed ETag; HEAD works.
  /echo...              200 JSON of what arrived: method, target (the request target
                        verbatim), version, headers ([name, value] in order, as sent),
                        body_length, body_sha256, body_chunked; ?body=1 adds body_base64.
  PUT|POST /expect/...  explicit Expect: 100-continue. A path containing /deny/ gets a
                        final 403 ``denied`` (Connection: close) without 100 and without
                        reading the body; otherwise 100 Continue (only if the client asked;
                        ?continue_after=S delays it) then the body is read and 201
                        {"body_bytes": n, "sha256": ...} is answered.
  GET /expect-log       {path: {"expect": bool, "continue_sent": bool, "body_bytes": n,
                        "completed": bool, "early_body": bool, "requests": k}} for the
                        latest request on each /expect/ path (path without query);
                        body bytes that arrive after a deny are counted too (the socket
                        is drained for up to 2 s before closing). DELETE clears it.
  /reset                forgets all attempts and the expect log.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import email.utils
import hashlib
import json
import math
import select
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

MAX_SLEEP = 30.0
MAX_DRIP_SECONDS = 600.0
MAX_BYTES = 1 << 32  # /bytes/N upper bound (4 GiB; generated on the fly)
DENY_DRAIN_SECONDS = 2.0
IO_CHUNK = 64 * 1024

# 251 is prime, so the pattern does not line up with power-of-two buffer sizes.
_PATTERN = bytes(i % 251 for i in range(251)) * (IO_CHUNK // 251 + 2)


def pattern_bytes(start: int, length: int) -> bytes:
    """Bytes [start, start+length) of the infinite i % 251 stream; length <= IO_CHUNK."""
    off = start % 251
    return _PATTERN[off : off + length]


def capped(value: float) -> float:
    if not math.isfinite(value) or value < 0:
        return 0.0
    return min(value, MAX_SLEEP)


def no_attempts() -> dict:
    return {"times": [], "wall_times": [], "methods": []}


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.attempts: dict[str, dict] = {}
        self.expect_log: dict[str, dict] = {}

    def record(self, ident: str, method: str) -> int:
        """Record an arrival; returns its 1-based number for that id."""
        with self.lock:
            entry = self.attempts.setdefault(ident, no_attempts())
            entry["times"].append(time.monotonic())
            entry["wall_times"].append(time.time())
            entry["methods"].append(method)
            return len(entry["times"])

    def attempts_json(self, ident: str) -> dict:
        with self.lock:
            entry = self.attempts.get(ident, no_attempts())
            return {
                "id": ident,
                "count": len(entry["times"]),
                "times": list(entry["times"]),
                "wall_times": list(entry["wall_times"]),
                "methods": list(entry["methods"]),
            }

    def forget(self, ident: str) -> None:
        with self.lock:
            self.attempts.pop(ident, None)

    def expect_start(self, path: str, expect: bool) -> dict:
        with self.lock:
            prev = self.expect_log.get(path)
            rec = {
                "expect": expect,
                "continue_sent": False,
                "body_bytes": 0,
                "completed": False,
                "early_body": False,
                "requests": (prev["requests"] + 1) if prev else 1,
            }
            self.expect_log[path] = rec
            return rec

    def expect_update(self, rec: dict, **changes) -> None:
        with self.lock:
            rec.update(changes)

    def expect_add_bytes(self, rec: dict, n: int) -> None:
        with self.lock:
            rec["body_bytes"] += n

    def expect_json(self) -> dict:
        with self.lock:
            return {k: dict(v) for k, v in self.expect_log.items()}

    def expect_clear(self) -> None:
        with self.lock:
            self.expect_log.clear()

    def reset(self) -> None:
        with self.lock:
            self.attempts.clear()
            self.expect_log.clear()


class BadRequest(Exception):
    pass


class ClientGone(Exception):
    pass


def check_status(code: int) -> int:
    if not 200 <= code <= 599:
        raise BadRequest("status must be 200-599")
    return code


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "presign-fault-server/1"
    # Idle keep-alive connections and stalled uploads give up after this long.
    timeout = 120

    # ---------------------------------------------------------------- plumbing

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        if self.server.verbose:
            super().log_message(format, *args)

    def handle_expect_100(self):
        # Do not answer 100 at parse time; endpoints decide (see _send_continue).
        return True

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, TimeoutError, socket.timeout, BrokenPipeError, OSError):
            self.close_connection = True

    def __getattr__(self, name):
        # Every method token goes to the same dispatcher (do_GET, do_PUT, do_FOO, ...).
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _parse_target(self) -> None:
        # self.path may be altered by the stdlib (leading '//' collapsed); the request
        # line is kept verbatim, so take the target from there.
        words = self.requestline.split()
        self.raw_target = words[1] if len(words) >= 2 else self.path
        target = self.raw_target
        if "?" in target:
            path, _, query = target.partition("?")
        else:
            path, query = target, ""
        self.raw_path = path
        self.query = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        self.expects_continue = (
            self.request_version >= "HTTP/1.1"
            and self.headers.get("Expect", "").strip().lower() == "100-continue"
        )
        self.continue_sent = False
        self.body_consumed = False

    def _qnumber(self, name: str, default, convert, what: str):
        raw = self.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            return convert(raw)
        except ValueError:
            raise BadRequest(f"query parameter {name}={raw!r} is not {what}")

    def qfloat(self, name: str, default: float | None = None) -> float | None:
        return self._qnumber(name, default, float, "a number")

    def qint(self, name: str, default: int | None = None) -> int | None:
        return self._qnumber(name, default, int, "an integer")

    def qflag(self, name: str) -> bool:
        """A query flag: present and not empty or 0."""
        return self.query.get(name) not in (None, "", "0")

    def _path_tail(self, prefix: str) -> str:
        """The raw path after PREFIX (which the route matched)."""
        return self.raw_path[len(prefix) :]

    def _path_int(self, prefix: str, error: str) -> int:
        """The raw path after PREFIX as an integer; else 400 with ERROR ({!r}: the text)."""
        tail = self._path_tail(prefix)
        try:
            return int(tail)
        except ValueError:
            raise BadRequest(error.format(tail))

    @contextlib.contextmanager
    def _or_client_gone(self):
        """Socket errors in the block mean the client is gone: no keep-alive, ClientGone."""
        try:
            yield
        except OSError as exc:  # ConnectionError, BrokenPipeError, timeouts, resets
            self.close_connection = True
            raise ClientGone() from exc

    def _write(self, data: bytes) -> None:
        with self._or_client_gone():
            self.wfile.write(data)
            self.wfile.flush()

    def _send_continue(self) -> None:
        if self.expects_continue and not self.continue_sent:
            self._write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.continue_sent = True

    def _body_framing(self) -> tuple[str, int]:
        te = self.headers.get("Transfer-Encoding")
        if te is not None:
            if te.strip().lower() != "chunked":
                raise BadRequest(f"unsupported Transfer-Encoding {te!r}")
            return "chunked", -1
        cl = self.headers.get("Content-Length")
        if cl is None:
            return "none", 0
        try:
            n = int(cl.strip())
        except ValueError:
            raise BadRequest(f"bad Content-Length {cl!r}")
        if n < 0:
            raise BadRequest("negative Content-Length")
        return "length", n

    def has_body(self) -> bool:
        try:
            kind, n = self._body_framing()
        except BadRequest:
            return True  # unknown framing: treat as an unread body (close after replying)
        return kind == "chunked" or n > 0

    def read_body(self, sink=None, keep: bool = False) -> tuple[int, str, bytes | None]:
        """Read (and discard) the whole request body; sends 100 Continue first if asked.

        Returns (length, sha256 hex, body if keep). sink(n) is told of every chunk.
        Raises ClientGone if the client disconnects before the end.
        """
        kind, n = self._body_framing()
        digest = hashlib.sha256()
        kept = bytearray() if keep else None
        total = 0
        if kind == "none" or (kind == "length" and n == 0):
            self.body_consumed = True
            return 0, digest.hexdigest(), bytes(kept) if keep else None
        self._send_continue()
        rfile = self.rfile

        def receive(read, size: int) -> bytes:
            with self._or_client_gone():
                data = read(size)
            if not data:
                raise ClientGone()
            return data

        def take(count: int) -> None:
            nonlocal total
            while count > 0:
                chunk = receive(rfile.read, min(count, IO_CHUNK))
                count -= len(chunk)
                total += len(chunk)
                digest.update(chunk)
                if kept is not None:
                    kept.extend(chunk)
                if sink is not None:
                    sink(len(chunk))

        def line() -> bytes:
            data = receive(rfile.readline, 65537)
            if len(data) > 65536:
                raise BadRequest("chunk line too long")
            return data

        try:
            if kind == "length":
                take(n)
            else:
                while True:
                    size_line = line().split(b";", 1)[0].strip()
                    try:
                        size = int(size_line, 16)
                    except ValueError:
                        raise BadRequest(f"bad chunk size {size_line!r}")
                    if size == 0:
                        while line() not in (b"\r\n", b"\n"):  # trailers
                            pass
                        break
                    take(size)
                    if line() not in (b"\r\n", b"\n"):
                        raise BadRequest("missing CRLF after chunk")
        except ClientGone:
            self.close_connection = True
            raise
        self.body_consumed = True
        return total, digest.hexdigest(), bytes(kept) if keep else None

    def respond(
        self,
        code: int,
        body: bytes | str = b"",
        content_type: str = "text/plain; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
        close: bool = False,
    ) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        no_body = code in (204, 304) or 100 <= code < 200
        if not self.body_consumed and self.has_body():
            # An unread body would be parsed as the next request: close instead.
            close = True
        headers = list(headers or [])
        if not no_body:
            headers += [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if close:
            headers.append(("Connection", "close"))
            self.close_connection = True
        self._send_head(code, headers)
        if not no_body and self.command != "HEAD":
            self._write(body)

    def _send_head(self, code: int, headers: list[tuple[str, str]]) -> None:
        """Status line and HEADERS, sent now."""
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        with self._or_client_gone():
            self.end_headers()

    def _send_octets_head(
        self, code: int, length: int, headers: list[tuple[str, str]] | None = None,
        chunked: bool = False,
    ) -> None:
        """The head of an application/octet-stream body of LENGTH bytes (or chunked)."""
        framing = ("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(length))
        content_type = ("Content-Type", "application/octet-stream")
        self._send_head(code, [*(headers or []), content_type, framing])

    def _write_pattern(self, start: int, stop: int, chunked: bool = False) -> None:
        """Bytes [start, stop) of the i % 251 stream, as chunks if CHUNKED (then the last chunk)."""
        pos = start
        while pos < stop:
            k = min(IO_CHUNK, stop - pos)
            data = pattern_bytes(pos, k)
            self._write(b"%x\r\n" % k + data + b"\r\n" if chunked else data)
            pos += k
        if chunked:
            self._write(b"0\r\n\r\n")

    def respond_json(self, code: int, obj, **kw) -> None:
        body = json.dumps(obj, separators=(", ", ": ")).encode("utf-8") + b"\n"
        self.respond(code, body, content_type="application/json", **kw)

    def _discard_body(self) -> None:
        self.read_body()

    # ---------------------------------------------------------------- dispatch

    def _dispatch(self) -> None:
        try:
            self._parse_target()
            ident = self.query.get("id")
            path = self.raw_path
            if ident and not path.startswith(("/attempts/", "/flaky/")):
                self.server.state.record(ident, self.command)
            route = self._route(path)
            if route is None:
                self._discard_body()
                self.respond(404, f"no such endpoint: {path}\n")
            else:
                route()
        except BadRequest as exc:
            try:
                self.respond(400, f"bad request: {exc}\n", close=True)
            except ClientGone:
                pass
        except ClientGone:
            self.close_connection = True

    def _route(self, path: str):
        if path.startswith("/status/"):
            return self.ep_status
        if path.startswith("/flaky/"):
            return self.ep_flaky
        if path.startswith("/attempts/"):
            return self.ep_attempts
        if path == "/slow":
            return self.ep_slow
        if path == "/drip":
            return self.ep_drip
        if path == "/drop":
            return self.ep_drop
        if path.startswith("/truncate/"):
            return self.ep_truncate
        if path.startswith("/bytes/"):
            return self.ep_bytes
        if path.lstrip("/").split("/", 1)[0] == "echo":  # /echo, /echo/..., //echo
            return self.ep_echo
        if path == "/expect-log":
            return self.ep_expect_log
        if path.startswith("/expect/"):
            return self.ep_expect
        if path == "/reset":
            return self.ep_reset
        return None

    # ---------------------------------------------------------------- endpoints

    def _retry_after_headers(self) -> list[tuple[str, str]]:
        headers = []
        ra = self.query.get("retry_after")
        if ra is not None:
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in ra):
                raise BadRequest("control character in retry_after")
            headers.append(("Retry-After", ra))
        if self.qflag("retry_after_date"):
            when = math.ceil(time.time()) + 2
            headers.append(("Retry-After", email.utils.formatdate(when, usegmt=True)))
        return headers

    def ep_status(self) -> None:
        code = check_status(self._path_int("/status/", "bad status {!r}"))
        self._discard_body()
        self.respond(code, f"status {code}\n", headers=self._retry_after_headers())

    def ep_flaky(self) -> None:
        ident = unquote(self._path_tail("/flaky/"))
        if not ident:
            raise BadRequest("missing flaky id")
        fail = self.qint("fail", 1)
        status = check_status(self.qint("status", 503))
        n = self.server.state.record(ident, self.command)
        self._discard_body()
        if n <= fail:
            self.respond(status, f"flaky {ident} attempt {n}\n", headers=self._retry_after_headers())
        else:
            self.respond(200, f"ok after {fail}\n")

    def _show_or_forget(self, show, forget) -> None:
        """GET: 200 JSON of show(); DELETE: forget(), 204."""
        self._discard_body()
        if self.command == "DELETE":
            forget()
            self.respond(204)
            return
        self.respond_json(200, show())

    def ep_attempts(self) -> None:
        ident = unquote(self._path_tail("/attempts/"))
        state = self.server.state
        self._show_or_forget(lambda: state.attempts_json(ident), lambda: state.forget(ident))

    def ep_reset(self) -> None:
        self._discard_body()
        self.server.state.reset()
        self.respond(204)

    def ep_slow(self) -> None:
        headers_after = capped(self.qfloat("headers_after", 0.0))
        body_after = capped(self.qfloat("body_after", 0.0))
        self._discard_body()
        if headers_after:
            time.sleep(headers_after)
        body = b"slow response\n"
        self._send_head(200, [("Content-Type", "text/plain; charset=utf-8"),
                             ("Content-Length", str(len(body)))])
        if body_after:
            time.sleep(body_after)
        if self.command != "HEAD":
            self._write(body)

    def ep_drip(self) -> None:
        n = self.qint("bytes", 10)
        interval = capped(self.qfloat("interval", 1.0))
        if n < 0 or n * interval > MAX_DRIP_SECONDS:
            raise BadRequest(f"bytes*interval must be <= {MAX_DRIP_SECONDS:.0f}s")
        self._discard_body()
        self._send_octets_head(200, n)
        if self.command == "HEAD":
            return
        for i in range(n):
            time.sleep(interval)
            self._write(pattern_bytes(i, 1))

    def _hard_close(self, reset: bool) -> None:
        self.close_connection = True
        sock = self.connection
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            if reset:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            else:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def ep_drop(self) -> None:
        reset = self.qflag("rst")
        if not self.expects_continue and not reset:
            try:
                self.read_body()  # so the FIN is not turned into a reset by unread data
            except ClientGone:
                return
        self._hard_close(reset)

    def ep_truncate(self) -> None:
        n = self._path_int("/truncate/", "bad length")
        send = self.qint("send", 0)
        if not 0 <= send < n or n > MAX_BYTES:
            raise BadRequest("need 0 <= send < N")
        self._discard_body()
        self._send_octets_head(200, n)
        self._write_pattern(0, send)
        self._hard_close(False)

    def ep_bytes(self) -> None:
        total = self._path_int("/bytes/", "bad length")
        if not 0 <= total <= MAX_BYTES:
            raise BadRequest(f"length must be 0..{MAX_BYTES}")
        chunked = self.qflag("chunked")
        self._discard_body()
        start, end, code = 0, total - 1, 200
        headers = [("Accept-Ranges", "bytes"), ("ETag", f'"bytes-{total}"')]
        rng = self.headers.get("Range")
        if rng is not None:
            parsed = parse_range(rng, total)
            if parsed == "unsatisfiable":
                self.respond(416, "range not satisfiable\n",
                             headers=headers + [("Content-Range", f"bytes */{total}")])
                return
            if parsed is not None:  # None: ignored (multi-range or malformed) -> 200
                start, end = parsed
                code = 206
                headers.append(("Content-Range", f"bytes {start}-{end}/{total}"))
        length = max(0, end - start + 1)
        self._send_octets_head(code, length, headers, chunked)
        if self.command == "HEAD":
            return
        self._write_pattern(start, start + length, chunked)

    def ep_echo(self) -> None:
        want_body = self.qflag("body")
        kind, _ = self._body_framing()
        length, sha, body = self.read_body(keep=want_body)
        out = {
            "method": self.command,
            "target": self.raw_target,
            "path": self.raw_path,
            "version": self.request_version,
            "headers": [[k, v] for k, v in self.headers.raw_items()],
            "body_length": length,
            "body_sha256": sha,
            "body_chunked": kind == "chunked",
            "continue_sent": self.continue_sent,
        }
        if want_body:
            out["body_base64"] = base64.b64encode(body or b"").decode("ascii")
        self.respond_json(200, out)

    def ep_expect_log(self) -> None:
        state = self.server.state
        self._show_or_forget(state.expect_json, state.expect_clear)

    def ep_expect(self) -> None:
        state = self.server.state
        rec = state.expect_start(self.raw_path, self.expects_continue)
        sock = self.connection
        if "/deny/" in self.raw_path:
            self.respond(403, "denied", close=True)
            self.close_connection = True
            # Count (and discard) whatever body still arrives, so the log can prove
            # that the client sent none; lingering avoids resetting the 403 away.
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            deadline = time.monotonic() + DENY_DRAIN_SECONDS
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    sock.settimeout(left)
                    # read1 returns bytes already buffered first, else one recv().
                    data = self.rfile.read1(IO_CHUNK)
                except (OSError, ValueError):  # timeout, reset: stop counting
                    break
                if not data:
                    break
                state.expect_add_bytes(rec, len(data))
            return
        delay = capped(self.qfloat("continue_after", 0.0))
        if self.expects_continue:
            if delay:
                time.sleep(delay)
            # Body bytes already in the kernel buffer = the client gave up waiting
            # for 100 (curl does after 1 s). Headers were read before they came.
            # (select first: a socket with a timeout waits in recv() even with MSG_DONTWAIT)
            try:
                readable, _, _ = select.select([sock], [], [], 0)
                # None: nothing yet, the client waits for us; b"": EOF; else early body
                peeked = sock.recv(1, socket.MSG_PEEK) if readable else None
            except (OSError, ValueError):
                peeked = b""
            if peeked == b"":  # the client hung up without sending a body
                self.close_connection = True
                return
            state.expect_update(rec, early_body=bool(peeked))
            self._send_continue()
            state.expect_update(rec, continue_sent=True)
        try:
            length, sha, _ = self.read_body(sink=lambda n: state.expect_add_bytes(rec, n))
        except ClientGone:
            state.expect_update(rec, continue_sent=self.continue_sent)
            raise
        state.expect_update(rec, continue_sent=self.continue_sent, completed=True)
        self.respond_json(201, {"path": self.raw_path, "body_bytes": length, "sha256": sha})


def parse_range(value: str, total: int):
    """One 'bytes=' range -> (start, end) inclusive; 'unsatisfiable'; or None to ignore."""
    value = value.strip()
    if not value.lower().startswith("bytes="):
        return None
    spec = value[6:].strip()
    if "," in spec:
        return None
    first, sep, last = spec.partition("-")
    if not sep:
        return None
    first, last = first.strip(), last.strip()
    try:
        if first == "":
            if not last:
                return None
            suffix = int(last)
            if suffix <= 0 or total == 0:
                return "unsatisfiable"
            return max(0, total - suffix), total - 1
        start = int(first)
        end = int(last) if last else None
    except ValueError:
        return None
    if start < 0 or (end is not None and end < start):
        return None
    if start >= total:
        return "unsatisfiable"
    return start, total - 1 if end is None else min(end, total - 1)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, verbose: bool):
        self.verbose = verbose
        self.state = State()
        super().__init__(addr, Handler)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout, ClientGone)):
            return
        if self.verbose:
            super().handle_error(request, client_address)
        else:
            print(f"fault_server: error from {client_address}: {exc!r}", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8090, help="0 picks a free port")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--quiet", dest="verbose", action="store_false", default=False,
                       help="no per-request log lines (the default)")
    group.add_argument("--verbose", dest="verbose", action="store_true",
                       help="log every request to stderr")
    args = ap.parse_args(argv)

    server = Server((args.host, args.port), args.verbose)
    host, port = server.server_address[:2]
    print(f"fault_server: listening on http://{host}:{port}", file=sys.stderr, flush=True)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
