"""State and rules of the Dropbox API v2 stand-in (see dropbox_standin.py for the HTTP side).

Python 3 stdlib only.  Holds: the fake Dropbox (plain files under --state-dir), access tokens,
temporary download / upload links, and the argument validation of the two link routes with the
Stone-style messages the real server sends ("request body: path: 'x' did not match pattern ...").

File metadata is derived from the files on disk, so a test may also drop files into the state dir:
  id = "id:" + 22 chars derived from path_lower (stable; an overwrite keeps the id, like Dropbox)
  rev = 16 hex chars derived from (inode, mtime_ns, ctime_ns, size)   -> changes on every write
  client_modified = mtime (uploads set it from commit_info.client_modified), server_modified = ctime
  content_hash = Dropbox content hash (sha256 over the concatenated sha256 of each 4 MiB block)
Lookups are case-insensitive like Dropbox; path_display uses the casing on disk.
"""
import base64
import datetime
import hashlib
import json
import os
import re
import secrets
import shutil
import threading
import time

BLOCK_SIZE = 4 * 1024 * 1024
MAX_UPLOAD_BYTES = 150 * 1024 * 1024          # "acts as a delayed upload()"; upload() caps at 150 MiB
# ReadPath, quoted exactly as the server quotes it (vectors/dropbox "400-bad-input-plain-text-from-server").
READ_PATH_PATTERN = r"(/(.|[\r\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)"
# WritePathOrId (CommitInfo.path) as in dropbox 12.2.4 files.py.
WRITE_PATH_PATTERN = r"(/(.|[\r\n])*)|(ns:[0-9]+(/(.|[\r\n])*)?)|(id:.*)"
REV_PATTERN = r"[0-9a-f]+"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Cloud documents (Google Docs in Dropbox, Paper) have no bytes to link to -> unsupported_file (assumption).
UNSUPPORTED_EXTENSIONS = (".gdoc", ".gsheet", ".gslides", ".gdraw", ".gform", ".gmap", ".gsite", ".paper")
COMMIT_FIELDS = ("path", "mode", "autorename", "client_modified", "mute", "property_groups", "strict_conflict")


def _full(pattern):
    return re.compile(r"\A(?:" + pattern + r")\Z")


_READ_RE, _WRITE_RE, _REV_RE = _full(READ_PATH_PATTERN), _full(WRITE_PATH_PATTERN), _full(REV_PATTERN)


def timestamp(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime(TIMESTAMP_FORMAT)


class ContentHasher:
    """Incremental Dropbox content hash: sha256 over the concatenated sha256 of each 4 MiB block."""

    def __init__(self):
        self.blocks, self.block, self.filled = [], hashlib.sha256(), 0

    def update(self, chunk):
        view = memoryview(chunk)
        while len(view):
            take = min(BLOCK_SIZE - self.filled, len(view))
            self.block.update(view[:take])
            self.filled += take
            view = view[take:]
            if self.filled == BLOCK_SIZE:
                self.blocks.append(self.block.digest())
                self.block, self.filled = hashlib.sha256(), 0

    def hexdigest(self):
        tail = [self.block.digest()] if self.filled else []
        return hashlib.sha256(b"".join(self.blocks + tail)).hexdigest()


def content_hash_of_stream(chunks):
    """Dropbox content hash of an iterable of byte chunks (any sizes)."""
    h = ContentHasher()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


class BadInput(Exception):
    """A Stone validation failure; str() gives 'request body: <field.path>: <message>'."""

    def __init__(self, message, *parents):
        super().__init__(message)
        self.message, self.parents = message, list(parents)

    def under(self, parent):
        self.parents.insert(0, parent)
        return self

    def __str__(self):
        where = ".".join(self.parents)
        return "request body: " + (where + ": " if where else "") + self.message


def _type_name(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "float"
    if isinstance(v, list):
        return "list"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    return "object"


def parse_json_object(raw):
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadInput("could not decode input as JSON")
    if not isinstance(obj, dict):
        raise BadInput("expected object, got %s" % _type_name(obj))
    return obj


def _check_fields(obj, allowed, required):
    for key in obj:
        if key not in allowed and not key.startswith(".tag"):
            raise BadInput("unknown field '%s'" % key)
    for key in required:
        if key not in obj:
            raise BadInput("missing required field '%s'" % key)


def _string(value, regex=None, pattern=None, field=None):
    if not isinstance(value, str):
        raise BadInput("'%s' expected to be a string, got %s" % (value, _type_name(value)), field)
    if regex is not None and not regex.match(value):
        raise BadInput("'%s' did not match pattern '%s'" % (value, pattern), field)
    return value


def validate_get_temporary_link_arg(obj):
    _check_fields(obj, ("path",), ("path",))
    return _string(obj["path"], _READ_RE, READ_PATH_PATTERN, "path")


def _write_mode(value):
    if isinstance(value, str):
        tag, rev = value, None
    elif isinstance(value, dict):
        if ".tag" not in value:
            raise BadInput("missing '.tag' key")
        tag, rev = value[".tag"], value.get("update")
    else:
        raise BadInput("expected string or object, got %s" % _type_name(value))
    if tag not in ("add", "overwrite", "update"):
        raise BadInput("unknown tag '%s'" % tag)
    if tag == "update":
        if rev is None:
            raise BadInput("expected object for 'update', got symbol" if isinstance(value, str)
                           else "missing 'update' key")
        _string(rev)
        if len(rev) < 9:
            raise BadInput("'%s' must be at least 9 characters, got %d" % (rev, len(rev)), "update")
        _string(rev, _REV_RE, REV_PATTERN, "update")
    return {"tag": tag, "rev": rev}


def validate_upload_link_arg(obj):
    """-> (commit_info dict with defaults applied, duration seconds)."""
    _check_fields(obj, ("commit_info", "duration"), ("commit_info",))
    ci = obj["commit_info"]
    try:
        if not isinstance(ci, dict):
            raise BadInput("expected object, got %s" % _type_name(ci))
        _check_fields(ci, COMMIT_FIELDS, ("path",))
        info = {"path": _string(ci["path"], _WRITE_RE, WRITE_PATH_PATTERN, "path"),
                "mode": {"tag": "add", "rev": None}, "autorename": False, "mute": False,
                "strict_conflict": False, "client_modified": None}
        if "mode" in ci:
            try:
                info["mode"] = _write_mode(ci["mode"])
            except BadInput as e:
                raise e.under("mode")
        for flag in ("autorename", "mute", "strict_conflict"):
            if flag in ci:
                if not isinstance(ci[flag], bool):
                    raise BadInput("%r is not a valid boolean" % (ci[flag],), flag)
                info[flag] = ci[flag]
        cm = ci.get("client_modified")
        if cm is not None:
            try:
                info["client_modified"] = datetime.datetime.strptime(_string(cm, field="client_modified"),
                                                                     TIMESTAMP_FORMAT)
            except (TypeError, ValueError) as e:
                raise BadInput(e.args[0], "client_modified")
        pg = ci.get("property_groups")
        if pg is not None and not isinstance(pg, list):
            raise BadInput("expected list, got %s" % _type_name(pg), "property_groups")
    except BadInput as e:
        raise e.under("commit_info")
    duration = obj.get("duration", 14400.0)
    if isinstance(duration, bool) or not isinstance(duration, (int, float)):
        raise BadInput("expected real number, got %s" % _type_name(duration), "duration")
    if duration < 60.0:
        raise BadInput("%f is not greater than %f" % (duration, 60.0), "duration")
    if duration > 14400.0:
        raise BadInput("%f is not less than %f" % (duration, 14400.0), "duration")
    return info, float(duration)


class Conflict(Exception):
    """Commit failure at upload-link consumption; the client only sees a generic 409."""


class Store:
    """The fake Dropbox: a directory tree. All public methods take the lock."""

    def __init__(self, root, namespace_id="1"):
        self.root = os.path.abspath(root)
        self.namespace_id = namespace_id
        os.makedirs(self.root, exist_ok=True)
        self.lock = threading.RLock()
        self._hashes = {}

    # ---- paths -------------------------------------------------------------------------------
    @staticmethod
    def malformed(parts):
        for p in parts:
            if p in ("", ".", "..") or len(p) > 255 or any(ord(c) < 32 or c == "\x7f" for c in p):
                return True
        return False

    @staticmethod
    def split(slash_path):
        """'/a/b' -> ['a', 'b'];  '/' -> [];  '/a/' -> ['a', ''] (malformed)."""
        return [] if slash_path == "/" else slash_path[1:].split("/")

    def _find(self, parts):
        """On-disk path for Dropbox path parts (case-insensitive) or None."""
        cur = self.root
        for part in parts:
            if not os.path.isdir(cur):
                return None
            exact = os.path.join(cur, part)
            if os.path.lexists(exact):
                cur = exact
                continue
            low = part.lower()
            match = sorted(n for n in os.listdir(cur) if n.lower() == low)
            if not match:
                return None
            cur = os.path.join(cur, match[0])
        return cur

    def _parts_of(self, disk):
        rel = os.path.relpath(disk, self.root)
        return [] if rel == "." else rel.split(os.sep)

    def _walk(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            for name in sorted(filenames) + dirnames:
                yield os.path.join(dirpath, name)

    @staticmethod
    def make_id(path_lower):
        digest = hashlib.sha256(("id" + path_lower).encode()).digest()
        return "id:" + base64.urlsafe_b64encode(digest).decode()[:22]

    @staticmethod
    def _rev(st):
        key = "%d:%d:%d:%d" % (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def resolve(self, path):
        """ReadPath -> ('ok', disk) | ('malformed_path'|'not_found', None).  Pattern already checked."""
        with self.lock:
            if path.startswith("id:"):
                if len(path) == 3:
                    return "malformed_path", None
                for disk in self._walk():
                    if self.make_id("/" + "/".join(self._parts_of(disk)).lower()) == path:
                        return "ok", disk
                return "not_found", None
            if path.startswith("rev:"):
                for disk in self._walk():
                    if os.path.isfile(disk) and self._rev(os.stat(disk)) == path[4:]:
                        return "ok", disk
                return "not_found", None
            if path.startswith("ns:"):
                ns, _, rest = path[3:].partition("/")
                if ns != self.namespace_id:
                    return "not_found", None
                path = "/" + rest
            parts = self.split(path)
            if self.malformed(parts):
                return "malformed_path", None
            disk = self._find(parts)
            return ("ok", disk) if disk else ("not_found", None)

    # ---- metadata ----------------------------------------------------------------------------
    def content_hash(self, disk, st=None):
        st = st or os.stat(disk)
        key = (disk, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        if key not in self._hashes:
            with open(disk, "rb") as f:
                self._hashes[key] = content_hash_of_stream(iter(lambda: f.read(1 << 20), b""))
        return self._hashes[key]

    def metadata(self, disk):
        with self.lock:
            parts = self._parts_of(disk)
            display = "/" + "/".join(parts)
            if os.path.isdir(disk):
                return {".tag": "folder", "name": parts[-1] if parts else "", "id": self.make_id(display.lower()),
                        "path_lower": display.lower(), "path_display": display}
            st = os.stat(disk)
            return {".tag": "file", "name": parts[-1], "id": self.make_id(display.lower()),
                    "client_modified": timestamp(st.st_mtime), "server_modified": timestamp(st.st_ctime),
                    "rev": self._rev(st), "size": st.st_size, "path_lower": display.lower(),
                    "path_display": display, "is_downloadable": True,
                    "content_hash": self.content_hash(disk, st)}

    # ---- writes ------------------------------------------------------------------------------
    def _target(self, parts):
        """Disk path to write Dropbox path parts to, reusing the casing of existing folders."""
        cur = self.root
        for i, part in enumerate(parts):
            found = self._find(parts[: i + 1])
            if found is None:
                cur = os.path.join(cur, part)
            else:
                cur = found
                if i < len(parts) - 1 and not os.path.isdir(found):
                    raise Conflict("parent '%s' is a file" % "/".join(parts[: i + 1]))
        return cur

    def write(self, parts, source, client_modified=None):
        """Store a file (source: bytes or a readable spool file path). Returns its disk path."""
        with self.lock:
            disk = self._target(parts)
            if os.path.isdir(disk):
                raise Conflict("target is a folder")
            os.makedirs(os.path.dirname(disk), exist_ok=True)
            tmp = os.path.join(os.path.dirname(disk), ".~standin-%s" % secrets.token_hex(6))
            if isinstance(source, (bytes, bytearray)):
                with open(tmp, "wb") as f:
                    f.write(source)
            else:
                shutil.copyfile(source, tmp)
            if client_modified is not None:
                epoch = client_modified.replace(tzinfo=datetime.timezone.utc).timestamp()
                os.utime(tmp, (epoch, epoch))
            os.replace(tmp, disk)
            return disk

    def delete(self, parts):
        with self.lock:
            disk = self._find(parts) if parts and not self.malformed(parts) else None
            if disk is None:
                return False
            shutil.rmtree(disk) if os.path.isdir(disk) else os.remove(disk)
            return True

    def commit(self, info, spool, body_hash):
        """Apply CommitInfo at consumption time (WriteMode add/overwrite/update, autorename,
        strict_conflict).  Raises Conflict; returns the stored file's disk path."""
        with self.lock:
            path = info["path"]
            if path.startswith("id:"):
                status, disk = self.resolve(path)
                if status != "ok":
                    raise Conflict("id not found")
                parts = self._parts_of(disk)
            else:
                if path.startswith("ns:"):
                    ns, _, rest = path[3:].partition("/")
                    if ns != self.namespace_id:
                        raise Conflict("unknown namespace")
                    path = "/" + rest
                parts = self.split(path)
            if not parts or self.malformed(parts):
                raise Conflict("malformed_path")
            existing = self._find(parts)
            if existing and os.path.isdir(existing):
                conflict = True
            elif existing is None:
                conflict = info["mode"]["tag"] == "update" and info["strict_conflict"]
            else:
                tag = info["mode"]["tag"]
                same = self.content_hash(existing) == body_hash
                if tag == "overwrite":
                    conflict = False
                elif tag == "update" and self._rev(os.stat(existing)) == info["mode"]["rev"]:
                    conflict = False
                else:   # add, or update with another rev: identical contents are no conflict unless strict
                    conflict = info["strict_conflict"] or not same
                    if not conflict:
                        return existing
            if conflict:
                if not info["autorename"]:
                    raise Conflict("path conflict")
                stem, ext = os.path.splitext(parts[-1])
                n = 1
                while self._find(parts[:-1] + ["%s (%d)%s" % (stem, n, ext)]) is not None:
                    n += 1
                parts = parts[:-1] + ["%s (%d)%s" % (stem, n, ext)]
            return self.write(parts, spool, info["client_modified"])


class Tokens:
    """The fixed long-lived token, the read-only token, and tokens issued via refresh."""

    def __init__(self, fixed, readonly, ttl):
        self.fixed, self.readonly, self.ttl = fixed, readonly, ttl
        self.issued = {}                      # token -> {"expires_at": monotonic, "write": bool}
        self.lock = threading.Lock()

    def issue(self, write=True):
        token = "sl." + secrets.token_urlsafe(48)
        with self.lock:
            self.issued[token] = {"expires_at": time.monotonic() + self.ttl, "write": write}
        return token

    def seed(self, token, expires_in, write=True):
        with self.lock:
            self.issued[token] = {"expires_at": time.monotonic() + expires_in, "write": write}

    def expire_all(self):
        with self.lock:
            for rec in self.issued.values():
                rec["expires_at"] = time.monotonic() - 1

    def check(self, token):
        """-> (error_tag or None, can_write)."""
        if token == self.fixed:
            return None, True
        if token == self.readonly:
            return None, False
        with self.lock:
            rec = self.issued.get(token)
        if rec is None:
            return "invalid_access_token", False
        if time.monotonic() >= rec["expires_at"]:
            return "expired_access_token", False
        return None, rec["write"]


class Links:
    """Temporary download links and one-time upload links."""

    def __init__(self, link_ttl, upload_cap=None):
        self.link_ttl, self.upload_cap = link_ttl, upload_cap
        self.downloads, self.uploads = {}, {}
        self.lock = threading.RLock()

    def new_download(self, file_id, name):
        key = secrets.token_urlsafe(24)
        with self.lock:
            self.downloads[key] = {"file_id": file_id, "name": name,
                                   "expires_at": time.monotonic() + self.link_ttl}
        return key

    def download(self, key):
        """-> ('ok', rec) | ('expired', rec) | ('unknown', None)."""
        with self.lock:
            rec = self.downloads.get(key)
        if rec is None:
            return "unknown", None
        return ("expired" if time.monotonic() >= rec["expires_at"] else "ok"), rec

    def new_upload(self, info, duration):
        ttl = min(duration, self.upload_cap) if self.upload_cap is not None else duration
        key = secrets.token_urlsafe(15)
        with self.lock:
            self.uploads[key] = {"commit_info": info, "expires_at": time.monotonic() + ttl, "state": "open"}
        return key

    def upload_state(self, key):
        """-> 'open' | 'busy' | 'consumed' | 'expired' | 'unknown'."""
        with self.lock:
            rec = self.uploads.get(key)
            if rec is None:
                return "unknown"
            if rec["state"] == "open" and time.monotonic() >= rec["expires_at"]:
                return "expired"
            return rec["state"]

    def claim_upload(self, key):
        """Mark the link busy while a body is received; -> state before the claim."""
        with self.lock:
            state = self.upload_state(key)
            if state == "open":
                self.uploads[key]["state"] = "busy"
            return state

    def finish_upload(self, key, consumed):
        with self.lock:
            self.uploads[key]["state"] = "consumed" if consumed else "open"

    def commit_info(self, key):
        with self.lock:
            return self.uploads[key]["commit_info"]

    def expire_all(self):
        with self.lock:
            for rec in list(self.downloads.values()) + list(self.uploads.values()):
                rec["expires_at"] = time.monotonic() - 1
