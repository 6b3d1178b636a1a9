"""The timed parts, each pinned to one core: the OpenSSL floor, presign and the botocore
loop, plus the check that the core was not shared while they ran."""
import json
import os
import resource
import subprocess
import sys
import time

from bench_keys import ACCESS_KEY, AT_RFC3339, BUCKET, REGION, SECRET_KEY

CPU = os.environ.get("BENCH_CPU", "0")  # the one core everything timed runs on


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


def measure_floor(floor_bin, n, l1, l2, seconds):
    """openssl_floor's JSON result for messages of L1 and L2 bytes. Exits if it fails."""
    _, _, rc, err, out = run_pinned([floor_bin, str(n), str(round(l1)), str(round(l2)),
                                     str(seconds)], stdout=subprocess.PIPE)
    if rc != 0:
        print(err, file=sys.stderr)
        sys.exit(f"openssl_floor failed (exit {rc})")
    return json.loads(out)


def presign_command(presign_bin, keys_path):
    return [presign_bin, "s3", f"s3://{BUCKET}/", "--keys-from", keys_path,
            "--region", REGION, "--at", AT_RFC3339, "--expires", "1h"]


def measure_presign(presign_bin, keys_path, presign_out, runs, n, env):
    """Run presign --keys-from `runs` times, URLs to presign_out. Returns (the presign
    record with the median run, or None if no run succeeded; a problem or None).
    A failing run stops the series."""
    if not (presign_bin and os.path.exists(presign_bin)):
        return None, (f"presign binary not found at {presign_bin!r}: build it with "
                      "`swift build -c release --product presign` or set PRESIGN_BIN")
    cmd = presign_command(presign_bin, keys_path)
    done, problem = [], None
    for _ in range(runs):
        with open(presign_out, "w") as out:
            wall, cpu, rc, err, _ = run_pinned(cmd, stdout=out, env=env)
        if rc != 0:
            problem = f"presign exited {rc}: {err.strip()[:500]}"
            break
        done.append({"wall": wall, "user_sys": cpu})
    if not done:
        return None, problem
    med = sorted(done, key=lambda x: x["wall"])[len(done) // 2]
    return {"cmd": " ".join(["taskset", "-c", CPU] + cmd) + f" > {presign_out}",
            "runs": done, "wall": med["wall"], "user_sys": med["user_sys"],
            "per_sec": n / med["wall"]}, problem


def measure_botocore(bench_py, keys_path, boto_out, env):
    """Run `bench_py botocore-loop` pinned, URLs to boto_out; its JSON result plus the
    rate and the child's whole wall time. Exits if it fails."""
    wall, cpu, rc, err, out = run_pinned([sys.executable, bench_py, "botocore-loop",
                                          "--keys", keys_path, "--out", boto_out],
                                         stdout=subprocess.PIPE, env=env)
    if rc != 0:
        print(err, file=sys.stderr)
        sys.exit(f"botocore loop failed (exit {rc})")
    boto = json.loads(out)
    boto["per_sec"] = boto["n"] / boto["seconds"]
    boto["process_wall"] = wall
    return boto


def shared_core_warnings(boto, floor, presign):
    """Pinned to one core, a timed part should get it all: wall ~= user+sys. If not, the
    core was shared with other work and the wall-clock rates are understated."""
    timed = [("botocore loop", boto["seconds"], boto["cpu_seconds"]),
             ("OpenSSL floor", floor["seconds"], floor["cpu_seconds"])]
    if presign:
        timed.append(("presign", presign["wall"], presign["user_sys"]))
    return [f"{name}: wall {w:.3f} s but only {c:.3f} s user+sys: core {CPU} "
            "was shared with other work; rerun on an idle machine"
            for name, w, c in timed if w > 1.10 * c + 0.005]
