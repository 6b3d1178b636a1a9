#!/usr/bin/env python3
"""S3 SigV4 presign throughput: presign batch mode vs a botocore loop vs the OpenSSL floor.

Driven by Benchmarks/run.sh, which compiles the floor program and calls
`bench.py run ...`. `bench.py botocore-loop ...` is the pinned child that times botocore.
Standard library + the installed boto3/botocore only.
"""
import argparse
import datetime
import hashlib
import hmac
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time

BUCKET = "bench-bucket"
REGION = "us-east-1"
AT_RFC3339 = "2026-01-01T00:00:00Z"
AMZ_DATE = "20260101T000000Z"
EXPIRES = 3600
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HOST = f"{BUCKET}.s3.{REGION}.amazonaws.com"
SEED = 20260101
CPU = os.environ.get("BENCH_CPU", "0")  # the one core everything timed runs on


# ----------------------------------------------------------------------------- keys

def generate_keys(n, seed=SEED):
    """n realistic object keys, deterministic for a seed. No newline/CR/TAB, no
    leading/trailing space (a line is a key)."""
    rng = random.Random(seed)
    exts = ["CR3", "NEF", "ARW", "DNG", "JPG", "jpg", "HEIC", "tif", "RAF", "xmp"]
    clients = ["Acme Corp", "Blue Sky Studio", "J Smith", "Nordic Light", "Old Town Bakery"]
    shoots = ["Wedding", "Portraits", "Product shoot", "Team day", "Event"]
    uni_dirs = ["Été 2023", "写真/東京", "фото/Москва", "Fotos/Mädchen", "São Paulo", "Ωmega",
                "🎉 party", "Kraków", "naïve café", "사진"]
    uni_names = ["café", "Bild", "IMG", "写真", "фото", "über", "niño", "🌅sunrise", "Åsa", "smörgås"]
    users = ["alice", "bob", "carol", "dave"]
    cams = ["EOS R5", "Z8", "A7IV", "X-T5"]
    keys = []
    for _ in range(n):
        r = rng.random()
        y = rng.randint(2015, 2025)
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        i = rng.randint(0, 999999)
        ext = rng.choice(exts)
        if r < 0.40:    # the common case
            k = f"photos/{y}/{m:02d}/IMG_{i:06d}.{ext}"
        elif r < 0.55:  # dated camera folders
            k = f"raw/{y}-{m:02d}-{d:02d}/{rng.choice(cams)}/DSC{i % 100000:05d}.{ext}"
        elif r < 0.70:  # spaces
            k = (f"clients/{rng.choice(clients)}/{rng.choice(shoots)} {m}/"
                 f"DSC {i % 10000:04d}.{ext}")
        elif r < 0.82:  # unicode (NFC; 2-, 3- and 4-byte UTF-8)
            k = f"albums/{rng.choice(uni_dirs)}/{rng.choice(uni_names)}_{i % 1000:03d}.{ext}"
        elif r < 0.90:  # '+'
            k = f"exports/{rng.choice([1080, 2048, 4096])}px+crop/IMG+{i % 10000:04d}.{ext}"
        elif r < 0.96:  # '~'
            k = f"home/~{rng.choice(users)}/backup~{d}/IMG_{i % 10000:04d}.{ext}~"
        else:           # other punctuation seen in real file names
            k = f"inbox/IMG_{i % 10000:04d} ({rng.randint(1, 9)}).{ext}"
        keys.append(k)
    return keys


def write_keys(path, keys):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k in keys:
            f.write(k)
            f.write("\n")


def read_keys(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return f.read().split("\n")[:-1]


# ----------------------------------------------------------------------------- SigV4 model
# A straightforward model of SigV4 query presigning for S3, per
# shared/specs/sigv4-and-gcs-v4.md sections 1 and 2 (GET, host signed, UNSIGNED-PAYLOAD).

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def uri_encode(s, keep_slash):
    out = []
    for b in s.encode("utf-8"):
        if b in _UNRESERVED or (keep_slash and b == 0x2F):
            out.append(chr(b))
        else:
            out.append("%%%02X" % b)
    return "".join(out)


SCOPE = f"{AMZ_DATE[:8]}/{REGION}/s3/aws4_request"
AUTH_PARAMS = [
    ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
    ("X-Amz-Credential", f"{ACCESS_KEY}/{SCOPE}"),
    ("X-Amz-Date", AMZ_DATE),
    ("X-Amz-Expires", str(EXPIRES)),
    ("X-Amz-SignedHeaders", "host"),
]
CANONICAL_QUERY = "&".join(
    f"{uri_encode(k, False)}={uri_encode(v, False)}" for k, v in sorted(AUTH_PARAMS))
STS_PREFIX = f"AWS4-HMAC-SHA256\n{AMZ_DATE}\n{SCOPE}\n"


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


SIGNING_KEY = _hmac(_hmac(_hmac(_hmac(("AWS4" + SECRET_KEY).encode(), AMZ_DATE[:8]), REGION), "s3"),
                    "aws4_request")


def canonical_request(key):
    path = "/" + uri_encode(key, True)
    return f"GET\n{path}\n{CANONICAL_QUERY}\nhost:{HOST}\n\nhost\nUNSIGNED-PAYLOAD"


def string_to_sign(creq):
    return STS_PREFIX + hashlib.sha256(creq.encode("utf-8")).hexdigest()


def model_url(key):
    creq = canonical_request(key)
    sig = hmac.new(SIGNING_KEY, string_to_sign(creq).encode(), hashlib.sha256).hexdigest()
    return f"https://{HOST}/{uri_encode(key, True)}?{CANONICAL_QUERY}&X-Amz-Signature={sig}"


# ----------------------------------------------------------------------------- botocore

def clean_env(scratch):
    """Environment for both signers: the example credentials and nothing else from AWS_*.
    The shared config/credentials files are empty regular files in the scratch dir, so
    neither signer reads the user's ~/.aws."""
    empty = os.path.join(scratch, "empty-aws-file")
    if not os.path.exists(empty):
        open(empty, "w").close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
               AWS_CONFIG_FILE=empty, AWS_SHARED_CREDENTIALS_FILE=empty,
               AWS_EC2_METADATA_DISABLED="true")
    return env


def freeze_botocore_clock():
    """botocore 1.43 signers read the clock through botocore.auth.get_current_datetime
    (imported from botocore.compat); patch that name, as shared/vectors/.../gen_botocore.py does."""
    import botocore.auth
    fixed = datetime.datetime.strptime(AT_RFC3339, "%Y-%m-%dT%H:%M:%SZ")
    botocore.auth.get_current_datetime = lambda remove_tzinfo=True: fixed


def make_client():
    import boto3
    from botocore.config import Config
    freeze_botocore_clock()
    # addressing_style=virtual + us_east_1_regional_endpoint=regional gives the regional
    # virtual host BUCKET.s3.us-east-1.amazonaws.com, which is what presign emits.
    cfg = Config(signature_version="s3v4",
                 s3={"addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"})
    return boto3.client("s3", region_name=REGION, config=cfg)


def cmd_botocore_loop(args):
    """Child process (run pinned): time generate_presigned_url for every key, write URLs."""
    keys = read_keys(args.keys)  # environment: set by the parent (clean_env)
    client = make_client()
    client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "warm-up"},
                                  ExpiresIn=EXPIRES)  # untimed: first-call lazy loading
    gen = client.generate_presigned_url
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for k in keys:
            f.write(gen("get_object", Params={"Bucket": BUCKET, "Key": k}, ExpiresIn=EXPIRES))
            f.write("\n")
    t1 = time.perf_counter()
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    json.dump({"n": len(keys), "seconds": t1 - t0,
               "cpu_seconds": (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)},
              sys.stdout)
    print()


# ----------------------------------------------------------------------------- comparison

def split_url(url):
    """(scheme, host, raw path, sorted raw query pairs). Nothing is percent-decoded, so
    equality means byte-identical apart from the order of query parameters."""
    scheme, rest = url.split("://", 1)
    hostpart, _, pathquery = rest.partition("/")
    path, _, query = ("/" + pathquery).partition("?")
    pairs = sorted(tuple(p.partition("=")[::2]) for p in query.split("&")) if query else []
    return scheme, hostpart, path, pairs


def describe_diff(a, b):
    sa, sb = split_url(a), split_url(b)
    parts = []
    for name, x, y in zip(("scheme", "host", "path", "query"), sa, sb):
        if x != y:
            if name == "query":
                dx, dy = dict(x), dict(y)
                for q in sorted(set(dx) | set(dy)):
                    if dx.get(q) != dy.get(q):
                        parts.append(f"query {q}: presign={dx.get(q)!r} botocore={dy.get(q)!r}")
            else:
                parts.append(f"{name}: presign={x!r} botocore={y!r}")
    return parts


# ----------------------------------------------------------------------------- driver

def machine_info(presign_bin):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:
            return "unavailable"
    import botocore
    info = {
        "cpu": cpu,
        "cpus_online": os.cpu_count(),
        "kernel": platform.release(),
        "openssl_cli": out(["openssl", "version"]),
        "python": platform.python_version(),
        "botocore": botocore.__version__,
    }
    if presign_bin and os.path.exists(presign_bin):
        info["presign_bin"] = presign_bin
        info["presign_version"] = out([presign_bin, "--version"]) or "n/a"
    return info


def run_pinned(cmd, stdout, env=None):
    """Run cmd pinned to one core; return (wall seconds from spawn to exit, user+sys, rc,
    stderr, stdout if captured)."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(["taskset", "-c", CPU] + cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    t1 = time.perf_counter()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return t1 - t0, cpu, p.returncode, p.stderr.decode("utf-8", "replace"), p.stdout


def fmt_rate(x):
    return "n/a" if x is None else f"{x:,.0f}"


def cmd_run(args):
    n, scratch = args.n, args.scratch
    os.makedirs(scratch, exist_ok=True)
    env = clean_env(scratch)
    problems = []
    warnings = []
    results = {"n": n, "seed": SEED, "bucket": BUCKET, "at": AT_RFC3339}

    # 1. keys and message lengths -----------------------------------------------------
    keys = generate_keys(n)
    keys_path = os.path.join(scratch, "keys.txt")
    write_keys(keys_path, keys)
    key_bytes = [len(k.encode("utf-8")) for k in keys]
    creq_lens = [len(canonical_request(k).encode("utf-8")) for k in keys]
    l1 = statistics.fmean(creq_lens)
    l2 = float(len((STS_PREFIX + "0" * 64).encode()))
    results["keys"] = {"file": keys_path, "avg_bytes": statistics.fmean(key_bytes),
                       "min_bytes": min(key_bytes), "max_bytes": max(key_bytes),
                       "non_ascii": sum(1 for k in keys if not k.isascii()),
                       "with_space": sum(1 for k in keys if " " in k),
                       "with_plus": sum(1 for k in keys if "+" in k),
                       "with_tilde": sum(1 for k in keys if "~" in k)}
    results["l1_avg_canonical_request"] = l1
    results["l2_string_to_sign"] = l2
    print(f"keys: {n} -> {keys_path} (avg {results['keys']['avg_bytes']:.1f} bytes); "
          f"L1 = {l1:.1f} (canonical request), L2 = {l2:.0f} (string to sign)", file=sys.stderr)

    # the model that gave L1 must agree with botocore (same signature => same canonical request)
    os.environ.update(env)
    client = make_client()
    import botocore.auth
    captured = {}
    orig_creq = botocore.auth.S3SigV4QueryAuth.canonical_request
    def spy(self, request):
        captured["creq"] = orig_creq(self, request)
        return captured["creq"]
    botocore.auth.S3SigV4QueryAuth.canonical_request = spy
    sample = sorted(set(range(min(n, 50))) | set(range(0, n, max(1, n // 200))))
    model_bad = []
    for i in sample:
        u = client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": keys[i]},
                                          ExpiresIn=EXPIRES)
        if captured.get("creq") != canonical_request(keys[i]) or split_url(u) != split_url(model_url(keys[i])):
            model_bad.append(keys[i])
    botocore.auth.S3SigV4QueryAuth.canonical_request = orig_creq
    results["model_vs_botocore"] = {"checked": len(sample), "mismatches": model_bad[:5]}
    if model_bad:
        problems.append(f"the benchmark's SigV4 model disagrees with botocore on {len(model_bad)} keys "
                        f"(e.g. {model_bad[0]!r}); L1 may be off")

    # 2. the floor ---------------------------------------------------------------------
    _, _, rc, err, out = run_pinned([args.floor_bin, str(n), str(round(l1)), str(round(l2)),
                                     str(args.floor_seconds)], stdout=subprocess.PIPE)
    if rc != 0:
        print(err, file=sys.stderr)
        sys.exit(f"openssl_floor failed (exit {rc})")
    floor = json.loads(out)
    results["floor"] = floor

    # 3. presign -----------------------------------------------------------------------
    presign = None
    presign_out = os.path.join(scratch, "presign.out")
    if args.presign_bin and os.path.exists(args.presign_bin):
        cmd = [args.presign_bin, "s3", f"s3://{BUCKET}/", "--keys-from", keys_path,
               "--region", REGION, "--at", AT_RFC3339, "--expires", "1h"]
        runs = []
        for r in range(args.runs):
            with open(presign_out, "w") as out:
                wall, cpu, rc, err, _ = run_pinned(cmd, stdout=out, env=env)
            if rc != 0:
                problems.append(f"presign exited {rc}: {err.strip()[:500]}")
                break
            runs.append({"wall": wall, "user_sys": cpu})
        if runs:
            med = sorted(runs, key=lambda x: x["wall"])[len(runs) // 2]
            presign = {"cmd": " ".join(["taskset", "-c", CPU] + cmd) + f" > {presign_out}",
                       "runs": runs, "wall": med["wall"], "user_sys": med["user_sys"],
                       "per_sec": n / med["wall"]}
            results["presign"] = presign
    else:
        problems.append(f"presign binary not found at {args.presign_bin!r}: build it with "
                        "`swift build -c release --product presign` or set PRESIGN_BIN")

    # 4. botocore ----------------------------------------------------------------------
    boto_out = os.path.join(scratch, "botocore.out")
    wall, cpu, rc, err, out = run_pinned([sys.executable, os.path.abspath(__file__), "botocore-loop",
                                          "--keys", keys_path, "--out", boto_out],
                                         stdout=subprocess.PIPE, env=env)
    if rc != 0:
        print(err, file=sys.stderr)
        sys.exit(f"botocore loop failed (exit {rc})")
    boto = json.loads(out)
    boto["per_sec"] = boto["n"] / boto["seconds"]
    boto["process_wall"] = wall
    results["botocore"] = boto

    # Pinned to one core, a timed part should get it all: wall ~= user+sys. If not, the
    # core was shared with other work and the wall-clock rates are understated.
    shared = [("botocore loop", boto["seconds"], boto["cpu_seconds"]),
              ("OpenSSL floor", floor["seconds"], floor["cpu_seconds"])]
    if presign:
        shared.append(("presign", presign["wall"], presign["user_sys"]))
    for name, w, c in shared:
        if w > 1.10 * c + 0.005:
            warnings.append(f"{name}: wall {w:.3f} s but only {c:.3f} s user+sys: core {CPU} "
                            "was shared with other work; rerun on an idle machine")

    # 5. correctness: every presign URL against botocore's, and the model as referee ----
    if presign:
        with open(presign_out, encoding="utf-8", newline="\n") as f:
            p_lines = f.read().split("\n")
        if p_lines and p_lines[-1] == "":
            p_lines.pop()
        with open(boto_out, encoding="utf-8", newline="\n") as f:
            b_lines = f.read().split("\n")[:-1]
        check = {"presign_lines": len(p_lines), "keys": n, "compared": min(len(p_lines), n),
                 "byte_identical": 0, "equal_modulo_query_order": 0, "mismatches": 0, "examples": []}
        if len(p_lines) != n:
            problems.append(f"presign printed {len(p_lines)} lines for {n} keys")
        for i in range(min(len(p_lines), n)):
            p, b = p_lines[i], b_lines[i]
            if p == b:
                check["byte_identical"] += 1
                check["equal_modulo_query_order"] += 1
            elif split_url(p) == split_url(b):
                check["equal_modulo_query_order"] += 1
            else:
                check["mismatches"] += 1
                if len(check["examples"]) < args.show:
                    m = model_url(keys[i])
                    referee = ("presign agrees with the SigV4 model" if split_url(p) == split_url(m) else
                               "botocore agrees with the SigV4 model" if split_url(b) == split_url(m) else
                               "neither agrees with the SigV4 model")
                    check["examples"].append({"line": i + 1, "key": keys[i], "presign": p,
                                              "botocore": b, "diff": describe_diff(p, b),
                                              "referee": referee})
        results["url_check"] = check
        if check["mismatches"]:
            problems.append(f"{check['mismatches']} of {check['compared']} presign URLs differ "
                            "from botocore's (see url_check.examples)")

    # 6. report ------------------------------------------------------------------------
    info = machine_info(args.presign_bin)
    info["openssl_lib"] = floor["openssl"]
    results["machine"] = info
    p_rate = presign["per_sec"] if presign else None
    b_rate = boto["per_sec"]
    f_rate = floor["per_sec"]
    r_pb = p_rate / b_rate if p_rate else None
    r_fp = f_rate / p_rate if p_rate else None
    results["ratios"] = {"presign_over_botocore": r_pb, "floor_over_presign": r_fp}
    results["warnings"], results["problems"] = warnings, problems
    os.makedirs(scratch, exist_ok=True)  # in case a clean-up removed it meanwhile
    with open(os.path.join(scratch, "results.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)

    def verdict(ok):
        return "" if ok is None else ("  meets target" if ok else "  BELOW TARGET")

    print()
    print(f"S3 SigV4 presign throughput, N = {n:,} keys, one core (taskset -c {CPU})")
    print(f"machine: {info['cpu']}, {info['cpus_online']} CPUs online, Linux {info['kernel']}")
    print(f"         {info['openssl_lib']} (floor), Python {info['python']}, "
          f"botocore {info['botocore']}")
    if presign:
        print(f"presign: {args.presign_bin}  ({info.get('presign_version', 'n/a')})")
    print(f"keys:    avg {results['keys']['avg_bytes']:.1f} B, L1 (canonical request) "
          f"{l1:.1f} B, L2 (string to sign) {l2:.0f} B")
    print()
    print(f"{'':34}{'presigns/s':>14}  {'time':>22}")
    if presign:
        runs_s = ", ".join(f"{r['wall']:.3f}" for r in presign["runs"])
        print(f"{'presign --keys-from (whole run)':34}{fmt_rate(p_rate):>14}  "
              f"{presign['wall']:>9.3f} s wall, {presign['user_sys']:.3f} s user+sys"
              f"   (median of {len(presign['runs'])}: {runs_s})")
    else:
        print(f"{'presign --keys-from (whole run)':34}{'n/a':>14}  not run")
    print(f"{'botocore generate_presigned_url':34}{fmt_rate(b_rate):>14}  "
          f"{boto['seconds']:>9.3f} s loop, {boto['cpu_seconds']:.3f} s user+sys")
    print(f"{'OpenSSL floor (SHA-256 + HMAC)':34}{fmt_rate(f_rate):>14}  "
          f"{floor['seconds']:>9.3f} s for {floor['iterations']:,}")
    print(f"{'  (same, HMAC re-keyed each time)':34}{fmt_rate(floor['rekey_per_sec']):>14}")
    print()
    if r_pb is not None:
        print(f"presign / botocore = {r_pb:8.1f}   (target >= 200){verdict(r_pb >= 200)}")
        print(f"floor / presign    = {r_fp:8.2f}   (target <= 3){verdict(r_fp <= 3)}")
    else:
        print("presign / botocore = n/a      (target >= 200)")
        print("floor / presign    = n/a      (target <= 3)")
    print(f"floor / botocore   = {f_rate / b_rate:8.1f}")
    if presign:
        c = results["url_check"]
        print()
        print(f"URLs: presign {c['presign_lines']} lines for {n} keys; "
              f"{c['equal_modulo_query_order']} equal to botocore modulo query order "
              f"({c['byte_identical']} byte-identical), {c['mismatches']} differ")
        for e in c["examples"]:
            print(f"  line {e['line']} key {e['key']!r}: {e['referee']}")
            for d in e["diff"]:
                print(f"    {d}")
    print(f"\nmodel check: SigV4 model == botocore canonical request and URL for "
          f"{len(sample) - len(model_bad)}/{len(sample)} sampled keys")
    print(f"details: {os.path.join(scratch, 'results.json')}")
    if warnings:
        print("\nWARNINGS:")
        for w in warnings:
            print(f"  - {w}")
    if problems:
        print("\nPROBLEMS:")
        for p in problems:
            print(f"  - {p}")
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="the whole benchmark (use run.sh)")
    r.add_argument("--n", type=int, default=200000)
    r.add_argument("--scratch", required=True)
    r.add_argument("--presign-bin", default="")
    r.add_argument("--floor-bin", required=True)
    r.add_argument("--runs", type=int, default=3, help="presign runs; the median is reported")
    r.add_argument("--floor-seconds", type=float, default=1.0)
    r.add_argument("--show", type=int, default=5, help="mismatching URLs to print")
    b = sub.add_parser("botocore-loop", help="internal: the timed botocore child")
    b.add_argument("--keys", required=True)
    b.add_argument("--out", required=True)
    k = sub.add_parser("keys", help="write the key file only")
    k.add_argument("--n", type=int, default=200000)
    k.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.cmd == "run":
        try:
            sys.exit(cmd_run(args))
        except FileNotFoundError as e:
            sys.exit(f"bench: {e}. Was {args.scratch} removed while the benchmark ran "
                     "(e.g. a clean of .ci-work)? Run it again.")
    elif args.cmd == "botocore-loop":
        cmd_botocore_loop(args)
    else:
        write_keys(args.out, generate_keys(args.n))


if __name__ == "__main__":
    main()
