#!/usr/bin/env python3
"""Host-side check of the test problem packages (no Docker, no cargo).

Builds every C++/Java program with the host's g++ and javac, runs every submission on every test
case (interactive ones wired to the interactor through pipes), and checks each verdict against
its submission directory's expectation. Usage: check.py [PACKAGE_DIR...] (default: all three).
Exit status 0 if every submission behaves as its directory says.

Only a host sanity check, not a judge: limits are rough (CPU and wall-clock time limits via
rlimit and a timer; memory via RLIMIT_AS for C++ only, since the JVM reserves far more address
space than it uses), and the problem.yaml / testdata.yaml reading is just enough for these
packages. Standard library only.
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CPU_LIMIT = 1  # seconds of CPU time before SIGXCPU (TLE)
WALL_LIMIT = 3.0  # seconds of wall-clock time before SIGKILL (TLE)
HERE = Path(__file__).resolve().parent


def build(src: Path, out: Path) -> list:
    """Compiles src into out and returns the command that runs it. A folder submission runs from
    its main file (main.py, Main.java), as codecage's main-file rule does."""
    if src.is_dir():
        if (src / "main.py").is_file():
            return [sys.executable, str(src / "main.py")]
        if (src / "Main.java").is_file():
            classes = out / ("java-" + src.name)
            classes.mkdir()
            sources = [str(p) for p in sorted(src.glob("*.java"))]
            subprocess.run(["javac", "-d", str(classes), *sources], check=True)
            return ["java", "-Xss64m", "-cp", str(classes), "Main"]
        raise SystemExit(f"no main file in folder: {src}")
    if src.suffix == ".cpp":
        exe = out / src.stem
        subprocess.run(["g++", "-O2", "-std=c++17", "-o", str(exe), str(src)], check=True)
        return [str(exe)]
    if src.suffix == ".py":
        return [sys.executable, str(src)]
    if src.suffix == ".java":
        classes = out / ("java-" + src.stem)
        classes.mkdir()
        subprocess.run(["javac", "-d", str(classes), str(src)], check=True)
        return ["java", "-Xss64m", "-cp", str(classes), src.stem]
    raise SystemExit(f"unknown language: {src}")


def limiter(memory_mib):
    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT + 1))
        if memory_mib:
            size = memory_mib << 20
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply


def reap(proc, deadline):
    """Waits for proc until deadline (then kills it); returns (status, cpu seconds, killed)."""
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = status
            return status, usage.ru_utime + usage.ru_stime, killed
        if time.monotonic() > deadline and not killed:
            proc.kill()
            killed = True
        time.sleep(0.002)


def process_verdict(status, killed):
    if killed or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU):
        return "TLE"
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return "RTE"
    return None


def judge_message(feedback: Path) -> str:
    path = feedback / "judgemessage.txt"
    lines = path.read_text().strip().splitlines() if path.exists() else []
    return lines[0] if lines else "(no judgemessage.txt)"


def validator_verdict(code, feedback):
    if code == 42:
        return "AC", ""
    if code == 43:
        return "WA", judge_message(feedback)
    raise SystemExit(f"validator judge error: exit {code}")


def run_case(problem, run, case: Path, tmp: Path):
    feedback = Path(tempfile.mkdtemp(dir=tmp))
    ans = case.with_suffix(".ans")
    memory = problem["memory"] if run[0] != "java" else None
    start = time.monotonic()
    if problem["interactive"]:
        val = subprocess.Popen(problem["validator"] + [str(case), str(ans), f"{feedback}/"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        sub = subprocess.Popen(run, stdin=val.stdout, stdout=val.stdin, stderr=subprocess.DEVNULL,
                               preexec_fn=limiter(memory))
        val.stdin.close()
        val.stdout.close()
        # Reap both, noting who ends first; the submission is killed at the wall-clock limit.
        ends, killed = {}, False
        while len(ends) < 2:
            now = time.monotonic()
            # The interactor is polled first, and its end counts as first only if the
            # submission is still running 5 ms later: a submission's death is what usually
            # ends the interactor, and the two can be seen gone together.
            if "val" not in ends and val.poll() is not None:
                ends["val"] = (now + 0.001, val.returncode)
                if "sub" not in ends:
                    time.sleep(0.005)
            if "sub" not in ends:
                pid, status, usage = os.wait4(sub.pid, os.WNOHANG)
                if pid:
                    sub.returncode = status
                    ends["sub"] = (now, status, usage.ru_utime + usage.ru_stime)
            if "sub" not in ends and time.monotonic() > start + WALL_LIMIT and not killed:
                sub.kill()
                killed = True
            if "val" not in ends and time.monotonic() > start + WALL_LIMIT + 10:
                raise SystemExit("interactor hangs")
            time.sleep(0.002)
        _, status, cpu = ends["sub"]
        val_code = ends["val"][1]
        # Kattis rule: a validator that exits first with WA decides; otherwise the
        # submission's TLE/RTE comes first, then the validator's verdict.
        if val_code == 43 and ends["val"][0] < ends["sub"][0]:
            verdict, msg = "WA", judge_message(feedback)
        else:
            verdict, msg = process_verdict(status, killed), ""
            if verdict is None:
                verdict, msg = validator_verdict(val_code, feedback)
        return verdict, cpu, msg
    out = tmp / "out"
    with open(case) as stdin, open(out, "w") as stdout:
        sub = subprocess.Popen(run, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL,
                               preexec_fn=limiter(memory))
        status, cpu, killed = reap(sub, start + WALL_LIMIT)
    verdict = process_verdict(status, killed)
    if verdict:
        return verdict, cpu, ""
    if problem["validator"]:
        with open(out) as stdin:
            code = subprocess.run(problem["validator"] + [str(case), str(ans), f"{feedback}/"],
                                  stdin=stdin).returncode
        verdict, msg = validator_verdict(code, feedback)
        return verdict, cpu, msg
    # Default output validator, default mode: whitespace-separated tokens, case-insensitive.
    got, want = out.read_text().split(), ans.read_text().split()
    same = len(got) == len(want) and all(a.lower() == b.lower() for a, b in zip(got, want))
    return ("AC" if same else "WA"), cpu, ("" if same else f"got {got[:3]} want {want[:3]}")


def load(pkg: Path, tmp: Path):
    meta = (pkg / "problem.yaml").read_text()
    legacy = re.search(r"^problem_format_version:", meta, re.M) is None
    problem = {
        "interactive": re.search(r"^(type:.*interactive|validation:.*interactive)", meta, re.M) is not None,
        "scoring": re.search(r"^type:.*scoring", meta, re.M) is not None,
        "memory": int(m.group(1)) if (m := re.search(r"^\s+memory:\s*(\d+)", meta, re.M)) else None,
        "validator": None,
    }
    sources = sorted((pkg / "output_validators").glob("*/*.cpp")) if legacy else sorted(
        (pkg / "output_validator").glob("*.cpp"))
    if sources:
        problem["validator"] = build(sources[0], tmp)
    cases = sorted(p for p in (pkg / "data").rglob("*.in"))
    return problem, cases


def group_score(pkg: Path, verdicts: dict):
    """Score with 2023-07-draft testdata.yaml: secret = sum of subgroups, each min/pass-fail."""
    total = 0
    for group in sorted((pkg / "data" / "secret").iterdir()):
        if not group.is_dir():
            continue
        text = (group / "testdata.yaml").read_text()
        score = int(re.search(r"score:\s*(\d+)", text).group(1))
        ok = all(v == "AC" for c, v in verdicts.items() if c.parent == group)
        total += score if ok else 0
    return total


EXPECT = {
    "accepted": ({"AC"}, None),
    "wrong_answer": ({"AC", "WA"}, "WA"),
    "time_limit_exceeded": ({"AC", "TLE"}, "TLE"),
    "run_time_error": ({"AC", "RTE"}, "RTE"),
    "partially_accepted": ({"AC", "WA"}, "WA"),
}


def check_package(pkg: Path) -> bool:
    ok = True
    tmp = Path(tempfile.mkdtemp(prefix="check-"))
    try:
        problem, cases = load(pkg, tmp)
        for category in EXPECT:
            for src in sorted((pkg / "submissions" / category).glob("*")):
                run = build(src, tmp)
                verdicts, details = {}, []
                for case in cases:
                    verdict, cpu, msg = run_case(problem, run, case, tmp)
                    verdicts[case] = verdict
                    name = case.relative_to(pkg / "data").with_suffix("")
                    details.append(f"{name}={verdict}({cpu * 1000:.0f}ms)" + (f" [{msg}]" if msg else ""))
                permitted, required = EXPECT[category]
                got = set(verdicts.values())
                good = got <= permitted and (required is None or required in got)
                score = ""
                if problem["scoring"]:
                    s = group_score(pkg, verdicts)
                    score = f" score={s}"
                    want = {"accepted": 100, "partially_accepted": 30}.get(category, 0)
                    good = good and s == want
                ok &= good
                print(f"{'ok ' if good else 'BAD'} {pkg.name}/{category}/{src.name}{score}")
                for d in details:
                    print(f"      {d}")
    finally:
        shutil.rmtree(tmp)
    return ok


def main() -> int:
    pkgs = [Path(a) for a in sys.argv[1:]] or [HERE.parent / n for n in ("sumtol", "guess", "subtasks")]
    results = [check_package(p.resolve()) for p in pkgs]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
