#!/usr/bin/env python3
"""Latency of HTTP GETs against the app on loopback, one keep-alive connection per worker.

Usage: latency.py BASE_URL TOKEN URLS_FILE [--concurrency N] [--requests N] [--warmup N] [--name NAME] [--json OUT]
URLS_FILE has one path per line (e.g. /api/v1/customers?limit=50); lines are used round-robin, so realistic
parameters drawn from the data vary per request. A "step" line `a | b | c` requests a, b and c in turn and times
the three together (a page that makes several calls). Prints one line: name, requests, errors, p50/p95/p99 (ms),
requests/s; with --json appends the figures as one JSON object per line.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("urls")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--name", default="")
    parser.add_argument("--json")
    args = parser.parse_args()

    with open(args.urls, encoding="utf-8") as f:
        steps = [[p.strip() for p in line.split("|")] for line in f if line.strip()]
    base = urllib.parse.urlparse(args.base)
    headers = {"Authorization": "Bearer " + args.token, "Accept": "application/json"}
    lock = threading.Lock()
    latencies, errors = [], [0]
    counter = [0]

    def next_index():
        with lock:
            counter[0] += 1
            return counter[0] - 1

    def worker(total, record):
        conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        while True:
            i = next_index()
            if i >= total:
                break
            step = steps[i % len(steps)]
            started = time.perf_counter()
            ok = True
            for path in step:
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = ok and response.status < 400
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            if record:
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors[0] += 1
        conn.close()

    def run(total, record):
        counter[0] = 0
        threads = [threading.Thread(target=worker, args=(total, record)) for _ in range(args.concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.perf_counter() - started

    run(args.warmup, False)
    wall = run(args.requests, True)
    values = sorted(latencies)
    result = {
        "name": args.name,
        "concurrency": args.concurrency,
        "requests": len(values),
        "errors": errors[0],
        "p50_ms": round(percentile(values, 50), 1),
        "p95_ms": round(percentile(values, 95), 1),
        "p99_ms": round(percentile(values, 99), 1),
        "rps": round(len(values) / wall, 1),
    }
    print(f"{args.name:<40} c={args.concurrency:<3} n={result['requests']:<5} errors={result['errors']:<3} "
          f"p50={result['p50_ms']:>7} ms  p95={result['p95_ms']:>7} ms  p99={result['p99_ms']:>7} ms  {result['rps']:>7} req/s")
    if args.json:
        with open(args.json, "a", encoding="utf-8") as out:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
