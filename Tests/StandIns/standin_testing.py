"""pytest helpers shared by test_dropbox_standin.py and test_google_standin.py: a stand-in started as a
subprocess on a free port (--port 0, the port read from its "<name> listening on http://HOST:PORT" line),
plain HTTP and raw-socket requests to it, and a session fixture keeping one instance per option set.
"""
import http.client
import json
import os
import socket
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "Fixtures")


def require_fixture(path):
    """`path` (a file or folder under Fixtures/), or a test failure that names it: never a skip."""
    if not os.path.exists(path):
        pytest.fail("missing fixture %s (see Fixtures/README.md)" % os.path.relpath(path, REPO), pytrace=False)
    return path


class Response:
    def __init__(self, r):
        self.status, self.reason, self.body = r.status, r.reason, r.read()
        self.headers = {k.lower(): v for k, v in r.getheaders()}
        self.will_close = r.will_close

    @property
    def ctype(self):
        return self.headers.get("content-type")

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode()


class StandInProcess:
    """One stand-in subprocess; subclasses set `script` (file name beside this one) and `name` (the first
    word of its start-up line) and may extend arguments()."""
    script = name = None

    def __init__(self, state_dir, *extra):
        self.state_dir = state_dir
        self.proc = subprocess.Popen(self.arguments(state_dir, extra), stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert line.startswith(self.name + " listening on http://127.0.0.1:"), line
        self.port = int(line.strip().rsplit(":", 1)[1])
        self.base = "http://127.0.0.1:%d" % self.port

    def arguments(self, state_dir, extra):
        return [sys.executable, "-B", os.path.join(HERE, self.script), "--host", "127.0.0.1", "--port", "0",
                "--state-dir", state_dir, "--quiet", *extra]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.proc.stdout.close()

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def request(self, method, target, body=None, headers=None, conn=None):
        c = conn or self.conn()
        c.request(method, target, body=body, headers=headers or {})
        r = Response(c.getresponse())
        if conn is None:
            c.close()
        return r

    def raw(self, request_head):
        """A socket that has sent `request_head` (text: request line and headers, up to the blank line)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        s.sendall(request_head.encode())
        return s

    # test-control routes
    def control(self, obj):
        r = self.request("POST", "/__control", json.dumps(obj))
        assert r.status == 200, r.body
        return r.json()

    def reset(self):
        assert self.request("POST", "/__reset").status == 200

    def log(self):
        return self.request("GET", "/__requests").json()


def read_head(sock):
    """-> (status, {lower-case header: value}, bytes after the head) of the next answer on a raw socket."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(4096)
        if not chunk:
            break
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, rest


def read_answer(sock):
    """read_head, then the rest of its Content-Length body -> (status, headers, body)."""
    status, headers, rest = read_head(sock)
    while len(rest) < int(headers.get("content-length", 0)):
        chunk = sock.recv(4096)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest


def answers_health(sock):
    """Whether a raw connection still answers GET /__health with 200 (it was kept alive)."""
    sock.sendall(b"GET /__health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return read_head(sock)[0] == 200


def standins_fixture(cls, prefix):
    """A session fixture `standins(*options)` -> a running `cls` instance for those options (started once,
    reset - empty request log and fault queues - on every call), state in a fresh `prefix` temp directory."""

    @pytest.fixture(scope="session")
    def standins(tmp_path_factory):
        started = {}

        def get(*extra):
            if extra not in started:
                started[extra] = cls(str(tmp_path_factory.mktemp(prefix)), *extra)
            inst = started[extra]
            inst.reset()
            return inst

        yield get
        for inst in started.values():
            inst.stop()

    return standins
