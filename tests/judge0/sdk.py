"""The official Judge0 Python SDK (judge0==0.0.8) against `codecage serve`'s Judge0 API.

Run by tests/judge0.rs as `python sdk.py BASE_URL` inside a virtualenv with the SDK; every check
asserts a real value, and the script prints "ok" at the end.
"""
import base64
import sys

import judge0
from judge0 import Client, Status, Submission

base = sys.argv[1]
client = Client(base)  # calls /languages and /config_info, as the SDK's constructor does

assert client.version == "1.13.1", client.version
assert client.config.max_submission_batch_size == 20
assert client.config.enable_network is False
ids = {lang.id for lang in client.languages}
for wanted in (46, 48, 49, 50, 52, 53, 54, 60, 62, 63, 64, 68, 71, 72, 73, 74, 85):
    assert wanted in ids, (wanted, ids)
# The SDK's aliases resolve by the /about version (judge0.CPP is 52 in 1.13.1) and must be listed.
for alias in (judge0.PYTHON, judge0.CPP, judge0.CPP_GCC, judge0.C, judge0.JAVA):
    assert client.is_language_supported(alias), alias
assert client.get_language(52).name == "C++ (G++ 14, in place of GCC 7.4.0)"
assert client.get_language(71).name == "Python (3.13)"
statuses = client.get_statuses()
assert [s["id"] for s in statuses] == list(range(1, 15))
assert statuses[3]["description"] == "Wrong Answer"

# Python, C++ and Java.
py = judge0.run(client=client, source_code="print(input()[::-1])", stdin="abc", language=judge0.PYTHON)
assert py.status == Status.ACCEPTED, py.status
assert py.stdout == "cba\n", py.stdout
assert float(py.time) > 0 and py.memory > 0 and py.token is not None
assert py.created_at is not None and py.finished_at >= py.created_at

cpp_source = '#include <iostream>\nint main(){long a,b;std::cin>>a>>b;std::cout<<a*b<<"\\n";}\n'
cpp = judge0.run(client=client, source_code=cpp_source, stdin="6 7", language=judge0.CPP)
assert cpp.status == Status.ACCEPTED, (cpp.status, cpp.compile_output)
assert cpp.stdout == "42\n", cpp.stdout

java_source = 'public class Main { public static void main(String[] a) { System.out.println("hi from java"); } }\n'
java = judge0.run(client=client, source_code=java_source, language=judge0.JAVA)
assert java.status == Status.ACCEPTED, (java.status, java.compile_output, java.stderr)
assert java.stdout == "hi from java\n", java.stdout

# Wrong answer against expected_output (trailing whitespace ignored, a real difference is not).
ok = judge0.run(client=client, source_code="print('1 2  ')\nprint()", expected_output="1 2", language=judge0.PYTHON)
assert ok.status == Status.ACCEPTED, ok.status
wa = judge0.run(client=client, source_code="print(41)", expected_output="42", language=judge0.PYTHON)
assert wa.status == Status.WRONG_ANSWER, wa.status
assert wa.stdout == "41\n"

# A compile error, a time limit, a runtime error with its exit code.
ce = judge0.run(client=client, source_code="int main( { return 0; }", language=judge0.CPP)
assert ce.status == Status.COMPILATION_ERROR, ce.status
assert "error" in ce.compile_output, ce.compile_output
tle = judge0.run(client=client, source_code="while True: pass", language=judge0.PYTHON, cpu_time_limit=1, cpu_extra_time=0.5)
assert tle.status == Status.TIME_LIMIT_EXCEEDED, tle.status
re = judge0.run(client=client, source_code="import sys\nprint('bye', file=sys.stderr)\nsys.exit(3)", language=judge0.PYTHON)
assert re.status == Status.RUNTIME_ERROR_NZEC, re.status
assert re.exit_code == 3, re.exit_code
assert re.stderr == "bye\n", re.stderr
segv = judge0.run(client=client, source_code="int main(){ volatile int *p = 0; *p = 1; return 0; }", language=judge0.C)
assert segv.status == Status.RUNTIME_ERROR_SIGSEGV, segv.status
assert segv.exit_signal == 11, segv.exit_signal

# Binary output comes back intact through base64.
binary = judge0.run(client=client, source_code="import sys\nsys.stdout.buffer.write(bytes([0xff, 0xfe, 0x00, 0x41]))", language=judge0.PYTHON)
assert binary.status == Status.ACCEPTED, binary.status
assert binary.stdout == bytes([0xff, 0xfe, 0x00, 0x41]).decode(errors="backslashreplace"), repr(binary.stdout)

# Unicode both ways (the SDK base64-encodes source and stdin, and decodes stdout).
uni = judge0.run(client=client, source_code="print(input() + ' ✓ ünï')", stdin="日本", language=judge0.PYTHON)
assert uni.stdout == "日本 ✓ ünï\n", uni.stdout

# A batch of 20, created in one request and polled as a batch.
batch = [Submission(source_code=f"print({i} * {i})", language=judge0.PYTHON) for i in range(20)]
done = judge0.run(client=client, submissions=batch)
assert len(done) == 20
for i, sub in enumerate(done):
    assert sub.status == Status.ACCEPTED, (i, sub.status)
    assert sub.stdout == f"{i * i}\n", (i, sub.stdout)

# Asynchronous: create, then wait.
sub = judge0.async_run(client=client, source_code="print('later')", language=judge0.PYTHON)
assert sub.token is not None
sub = judge0.wait(client=client, submissions=sub)
assert sub.status == Status.ACCEPTED and sub.stdout == "later\n"

print("ok")
