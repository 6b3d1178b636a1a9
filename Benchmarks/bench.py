#!/usr/bin/env python3
"""S3 SigV4 presign throughput: presign batch mode vs a botocore loop vs the OpenSSL floor.

Driven by Benchmarks/run.sh, which compiles the floor program and calls
`bench.py run ...`. `bench.py botocore-loop ...` is the pinned child that times botocore.
Standard library + the installed boto3/botocore only.
"""
# The CLI, the run's sequence and the report. The rest, beside this file:
#   bench_keys.py      fixed parameters, the object keys, the independent SigV4 model
#   bench_botocore.py  frozen-clock botocore client, the timed loop, the model check
#   bench_measure.py   the pinned timed runs (floor, presign, botocore), core-sharing check
#   bench_urls.py      presign URLs against botocore's, the model as referee
import argparse
import json
import os
import platform
import subprocess
import sys

_write_bytecode = sys.dont_write_bytecode
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree for the modules below
from bench_botocore import botocore_loop, check_model_against_botocore  # noqa: E402
from bench_keys import (AT_RFC3339, BUCKET, SEED, generate_keys, key_stats,  # noqa: E402
                        message_lengths, write_keys)
from bench_measure import (CPU, clean_env, measure_botocore, measure_floor,  # noqa: E402
                           measure_presign, shared_core_warnings)
from bench_urls import compare_urls, url_problems  # noqa: E402
sys.dont_write_bytecode = _write_bytecode


# ----------------------------------------------------------------------------- the run

def prepare_keys(n, scratch):
    """Write the N keys to scratch/keys.txt; return (keys, path, L1, L2)."""
    keys = generate_keys(n)
    keys_path = os.path.join(scratch, "keys.txt")
    write_keys(keys_path, keys)
    l1, l2 = message_lengths(keys)
    return keys, keys_path, l1, l2


def check_model(keys, results, problems):
    """Check the SigV4 model against botocore; record it. Returns how many sampled keys agreed."""
    checked, model_bad = check_model_against_botocore(keys)
    results["model_vs_botocore"] = {"checked": checked, "mismatches": model_bad[:5]}
    if model_bad:
        problems.append(f"the benchmark's SigV4 model disagrees with botocore on {len(model_bad)} keys "
                        f"(e.g. {model_bad[0]!r}); L1 may be off")
    return checked - len(model_bad)


def cmd_run(args):
    n, scratch = args.n, args.scratch
    os.makedirs(scratch, exist_ok=True)
    env = clean_env(scratch)
    problems = []
    results = {"n": n, "seed": SEED, "bucket": BUCKET, "at": AT_RFC3339}

    # 1. keys and message lengths, and the model that gave them checked against botocore
    keys, keys_path, l1, l2 = prepare_keys(n, scratch)
    results["keys"] = key_stats(keys_path, keys)
    results["l1_avg_canonical_request"] = l1
    results["l2_string_to_sign"] = l2
    print(f"keys: {n} -> {keys_path} (avg {results['keys']['avg_bytes']:.1f} bytes); "
          f"L1 = {l1:.1f} (canonical request), L2 = {l2:.0f} (string to sign)", file=sys.stderr)
    os.environ.update(env)  # from here on this process has the signers' environment too
    model_agreed = check_model(keys, results, problems)

    # 2.-4. the timed parts, one core each
    floor = results["floor"] = measure_floor(args.floor_bin, n, l1, l2, args.floor_seconds)
    presign_out = os.path.join(scratch, "presign.out")
    presign, problem = measure_presign(args.presign_bin, keys_path, presign_out, args.runs, n, env)
    if presign:
        results["presign"] = presign
    if problem:
        problems.append(problem)
    boto_out = os.path.join(scratch, "botocore.out")
    boto = results["botocore"] = measure_botocore(os.path.abspath(__file__), keys_path, boto_out,
                                                  env)
    warnings = shared_core_warnings(boto, floor, presign)

    # 5. correctness: every presign URL against botocore's, and the model as referee
    if presign:
        results["url_check"] = compare_urls(presign_out, boto_out, keys, args.show)
        problems.extend(url_problems(results["url_check"]))

    # 6. report
    results["machine"] = machine_info(args.presign_bin, floor)
    results["ratios"] = ratios(presign, boto, floor)
    results["warnings"], results["problems"] = warnings, problems
    write_results(scratch, results)
    print_report(results, args.presign_bin, model_agreed,
                 os.path.join(scratch, "results.json"))
    return 1 if problems else 0


# ----------------------------------------------------------------------------- results

def machine_info(presign_bin, floor):
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
    info["openssl_lib"] = floor["openssl"]
    return info


def ratios(presign, boto, floor):
    p_rate = presign["per_sec"] if presign else None
    return {"presign_over_botocore": p_rate / boto["per_sec"] if p_rate else None,
            "floor_over_presign": floor["per_sec"] / p_rate if p_rate else None}


def write_results(scratch, results):
    os.makedirs(scratch, exist_ok=True)  # in case a clean-up removed it meanwhile
    with open(os.path.join(scratch, "results.json"), "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)


# ----------------------------------------------------------------------------- report

def fmt_rate(x):
    return "n/a" if x is None else f"{x:,.0f}"


def verdict(ok):
    return "" if ok is None else ("  meets target" if ok else "  BELOW TARGET")


def print_header(results, presign_bin):
    info, n = results["machine"], results["n"]
    print()
    print(f"S3 SigV4 presign throughput, N = {n:,} keys, one core (taskset -c {CPU})")
    print(f"machine: {info['cpu']}, {info['cpus_online']} CPUs online, Linux {info['kernel']}")
    print(f"         {info['openssl_lib']} (floor), Python {info['python']}, "
          f"botocore {info['botocore']}")
    if "presign" in results:
        print(f"presign: {presign_bin}  ({info.get('presign_version', 'n/a')})")
    print(f"keys:    avg {results['keys']['avg_bytes']:.1f} B, L1 (canonical request) "
          f"{results['l1_avg_canonical_request']:.1f} B, L2 (string to sign) "
          f"{results['l2_string_to_sign']:.0f} B")


def print_table(results):
    presign, boto, floor = results.get("presign"), results["botocore"], results["floor"]
    print()
    print(f"{'':34}{'presigns/s':>14}  {'time':>22}")
    if presign:
        runs_s = ", ".join(f"{r['wall']:.3f}" for r in presign["runs"])
        print(f"{'presign --keys-from (whole run)':34}{fmt_rate(presign['per_sec']):>14}  "
              f"{presign['wall']:>9.3f} s wall, {presign['user_sys']:.3f} s user+sys"
              f"   (median of {len(presign['runs'])}: {runs_s})")
    else:
        print(f"{'presign --keys-from (whole run)':34}{'n/a':>14}  not run")
    print(f"{'botocore generate_presigned_url':34}{fmt_rate(boto['per_sec']):>14}  "
          f"{boto['seconds']:>9.3f} s loop, {boto['cpu_seconds']:.3f} s user+sys")
    print(f"{'OpenSSL floor (SHA-256 + HMAC)':34}{fmt_rate(floor['per_sec']):>14}  "
          f"{floor['seconds']:>9.3f} s for {floor['iterations']:,}")
    print(f"{'  (same, HMAC re-keyed each time)':34}{fmt_rate(floor['rekey_per_sec']):>14}")


def print_ratios(results):
    r_pb = results["ratios"]["presign_over_botocore"]
    r_fp = results["ratios"]["floor_over_presign"]
    print()
    if r_pb is not None:
        print(f"presign / botocore = {r_pb:8.1f}   (target >= 200){verdict(r_pb >= 200)}")
        print(f"floor / presign    = {r_fp:8.2f}   (target <= 3){verdict(r_fp <= 3)}")
    else:
        print("presign / botocore = n/a      (target >= 200)")
        print("floor / presign    = n/a      (target <= 3)")
    f_over_b = results["floor"]["per_sec"] / results["botocore"]["per_sec"]
    print(f"floor / botocore   = {f_over_b:8.1f}")


def print_url_check(results):
    c = results["url_check"]
    print()
    print(f"URLs: presign {c['presign_lines']} lines for {results['n']} keys; "
          f"{c['equal_modulo_query_order']} equal to botocore modulo query order "
          f"({c['byte_identical']} byte-identical), {c['mismatches']} differ")
    for e in c["examples"]:
        print(f"  line {e['line']} key {e['key']!r}: {e['referee']}")
        for d in e["diff"]:
            print(f"    {d}")


def print_list(title, items):
    if items:
        print(f"\n{title}:")
        for item in items:
            print(f"  - {item}")


def print_report(results, presign_bin, model_agreed, results_path):
    print_header(results, presign_bin)
    print_table(results)
    print_ratios(results)
    if "presign" in results:
        print_url_check(results)
    print(f"\nmodel check: SigV4 model == botocore canonical request and URL for "
          f"{model_agreed}/{results['model_vs_botocore']['checked']} sampled keys")
    print(f"details: {results_path}")
    print_list("WARNINGS", results["warnings"])
    print_list("PROBLEMS", results["problems"])


# ----------------------------------------------------------------------------- CLI

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
        botocore_loop(args.keys, args.out)
    else:
        write_keys(args.out, generate_keys(args.n))


if __name__ == "__main__":
    main()
