"""Request validation and job processing for lightroom_standin.py (Python 3 stdlib + jsonschema).

  * Validator: Adobe's published draft-07 schemas (cis-photoshop-api-docs static/acr/*.schema.json, found
    under Fixtures/lightroom/...), `$ref`s to sibling files resolved through a `referencing`
    registry keyed by file name (the schemas' `$id`s are those file names), no format checker - the same
    setup as the generator of Fixtures/lightroom/examples.json, so the verdicts agree with it.
  * Job: one background thread per accepted job: pending -> running -> fetch the input(s) -> upload the
    input bytes to every output -> succeeded | failed; status bodies in get_status.schema.json's shape.
"""
import copy
import datetime
import http.client
import json
import os
import re
import ssl
import threading
import time
import urllib.parse

from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

ENDPOINTS = {   # path -> schema file
    "/lrService/autoTone": "post_auto_tone.schema.json",
    "/lrService/autoStraighten": "post_auto_straighten.schema.json",
    "/lrService/presets": "post_presets.schema.json",
    "/lrService/edit": "post_image_edit.schema.json",
    "/lrService/xmp": "post_xmp.schema.json",
}
LOOPBACK_HTTP = re.compile(r"^http://(127\.0\.0\.1|localhost)(?=[:/?#]|$)", re.I)
RETRY_STATUSES = (429, 502, 503, 504)
RETRIES = 3                      # "The service will retry status codes of 429, 502, 503, 504 three times"
BACKOFF = (0.1, 0.2, 0.4)        # short, so tests stay fast
IO_TIMEOUT = 10
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
OFFLINE = "not fetched: --loopback-only"
DOWNLOAD_ERROR = "Unable to download the input href. The link is either invalid or has expired."
UPLOAD_ERROR = "Unable to upload the outputs"


def schema_dir(fixtures):
    """Adobe's request schemas under the repository's Fixtures/ folder."""
    return os.path.join(fixtures, "lightroom", "cis-photoshop-api-docs", "static", "acr")


def now_iso():
    t = datetime.datetime.now(datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def field_name(error):
    """A readable path of the failing field: outputs[0].quality, inputs.source, options.Temperature ..."""
    name = ""
    for p in error.absolute_path:
        name += "[%d]" % p if isinstance(p, int) else ("." if name else "") + str(p)
    extra = []
    if error.validator == "required":
        m = re.match(r"^'(.+)' is a required property", error.message)
        extra = [m.group(1)] if m else []
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = [p for p in error.instance if p not in error.schema.get("properties", {})]
    if extra:
        name = ", ".join((name + "." if name else "") + p for p in extra)
    return name or "body"


class Validator:
    def __init__(self, directory):
        self.directory = directory
        registry, self.schemas = Registry(), {}
        for fn in sorted(os.listdir(directory)):
            if fn.endswith(".json"):
                with open(os.path.join(directory, fn)) as f:
                    self.schemas[fn] = json.loads(f.read(), strict=False)
                registry = registry.with_resource(fn, DRAFT7.create_resource(self.schemas[fn]))
        self.validators = {fn: Draft7Validator(s, registry=registry) for fn, s in self.schemas.items()}
        missing = [fn for fn in list(ENDPOINTS.values()) + ["get_status.schema.json"] if fn not in self.schemas]
        if missing:
            raise FileNotFoundError("schemas missing in %s: %s" % (directory, ", ".join(missing)))

    def errors(self, schema_file, body, allow_http_loopback=False):
        """-> [] or the 400 `details` list [{"name", "reason", "allowedValues"?}] for `body`."""
        if allow_http_loopback:
            body = loopback_as_https(body)
        out = []
        for e in sorted(self.validators[schema_file].iter_errors(body), key=lambda e: list(map(str, e.path))):
            reason = e.message
            if len(reason) > 200:      # e.g. "[...26 outputs...] is too long"
                reason = "fails %s: %s (%s)" % (e.validator, json.dumps(e.validator_value), type(e.instance).__name__)
            d = {"name": field_name(e), "reason": reason}
            if e.validator == "enum":
                d["allowedValues"] = ", ".join(map(str, e.validator_value))
            if d not in out:
                out.append(d)
        return out


def loopback_as_https(body):
    """A copy of `body` where every "href" starting http://127.0.0.1 or http://localhost reads https://."""
    def walk(v):
        if isinstance(v, dict):
            return {k: (LOOPBACK_HTTP.sub(lambda m: "https://" + m.group(1), x)
                        if k == "href" and isinstance(x, str) else walk(x)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v
    return walk(copy.deepcopy(body))


def input_hrefs(path, body):
    """-> (source href, [preset hrefs])."""
    inputs = body["inputs"]
    if path in ("/lrService/autoTone", "/lrService/autoStraighten"):
        return inputs["href"], []
    return inputs["source"]["href"], [p["href"] for p in inputs.get("presets", [])]


def http_call(method, href, body=None, headers=()):
    """One request, exactly these headers (plus Host and Content-Length for a body); no redirects followed.
    -> (status, bytes) or raises OSError / http.client.HTTPException."""
    u = urllib.parse.urlsplit(href)
    if u.scheme == "https":
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=IO_TIMEOUT,
                                           context=ssl.create_default_context())
    elif u.scheme == "http":
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=IO_TIMEOUT)
    else:
        raise OSError("unsupported URL scheme %r" % u.scheme)
    try:
        conn.putrequest(method, (u.path or "/") + ("?" + u.query if u.query else ""), skip_accept_encoding=True)
        for k, v in headers:
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def fetch(href):
    """GET with the service's retries (429/502/503/504, 3 more tries) -> (bytes, None) | (None, reason)."""
    for attempt in range(RETRIES + 1):
        try:
            status, data = http_call("GET", href)
        except (OSError, http.client.HTTPException) as e:
            return None, "%s: %s" % (type(e).__name__, e)
        if 200 <= status < 300:
            return data, None
        if status not in RETRY_STATUSES or attempt == RETRIES:
            return None, str(status)
        time.sleep(BACKOFF[attempt])
    return None, "unreachable"


def upload(output, data):
    """Send `data` to an output the way Adobe does for its storage -> None | failure reason."""
    storage = output.get("storage", "external")
    if storage == "azure":
        method, headers = "PUT", [("x-ms-blob-type", "BlockBlob")]
    elif storage == "dropbox":
        method, headers = "POST", [("Content-Type", "application/octet-stream")]
    else:
        method, headers = "PUT", []
    try:
        status, _ = http_call(method, output["href"], data, headers)
    except (OSError, http.client.HTTPException) as e:
        return "%s: %s" % (type(e).__name__, e)
    return None if 200 <= status < 300 else str(status)


class Job:
    def __init__(self, job_id, path, body, status_url, step, loopback_only=False):
        self.id, self.path, self.body, self.status_url, self.step = job_id, path, body, status_url, step
        self.loopback_only = loopback_only
        self.lock = threading.Lock()
        self.created = self.modified = now_iso()
        self.source, self.presets = input_hrefs(path, body)
        self.outputs = [{"input": self.source, "status": "pending",
                         "_links": {"self": {"href": o["href"], "storage": o.get("storage", "external")}}}
                        for o in body["outputs"]]

    def start(self):
        threading.Thread(target=self.run, name="job-" + self.id, daemon=True).start()

    def _set(self, i, status, errors=None):
        with self.lock:
            targets = range(len(self.outputs)) if i is None else [i]
            for j in targets:
                self.outputs[j]["status"] = status
                if errors:
                    self.outputs[j]["errors"] = errors
            self.modified = now_iso()

    def offline(self, href):
        return self.loopback_only and (urllib.parse.urlsplit(href).hostname or "") not in LOOPBACK_HOSTS

    def fetch(self, href):
        return (None, OFFLINE) if self.offline(href) else fetch(href)

    def run(self):
        time.sleep(self.step)
        self._set(None, "running")
        time.sleep(self.step)
        data, reason = self.fetch(self.source)
        name = "href"
        if data is not None:
            for k, href in enumerate(self.presets):
                _, reason = self.fetch(href)
                if reason is not None:
                    name = "presets[%d].href" % k
                    break
        if reason is not None:
            return self._set(None, "failed", {"type": "FileLinkInvalidError", "title": DOWNLOAD_ERROR,
                                              "code": "410", "details": [{"name": name, "reason": reason}]})
        for i, output in enumerate(self.body["outputs"]):
            reason = OFFLINE if self.offline(output["href"]) else upload(output, data)
            if reason is None:
                self._set(i, "succeeded")
            else:
                self._set(i, "failed", {"type": "AuthForbidden", "title": UPLOAD_ERROR, "code": "403",
                                        "details": [{"name": "href", "reason": reason}]})

    def status_body(self):
        with self.lock:
            return {"jobId": self.id, "created": self.created, "modified": self.modified,
                    "outputs": copy.deepcopy(self.outputs), "_links": {"self": {"href": self.status_url}}}
