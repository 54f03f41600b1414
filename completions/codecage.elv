
use builtin;
use str;

set edit:completion:arg-completer[codecage] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'codecage'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'codecage'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -V 'Print the version (with -v: also the Docker engine and the API version negotiated)'
            cand --version 'Print the version (with -v: also the Docker engine and the API version negotiated)'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand run 'Run a program in a sandbox, as if it ran locally'
            cand test 'Grade a program against test cases, each in a fresh sandbox, with judge verdicts'
            cand verify 'Check a problem package as problem setters do: every example submission must get the verdict its folder promises'
            cand serve 'Serve the runner over HTTP and WebSocket, with a web page'
            cand worker 'Take batch runs from a broker (Redis) and run them in this machine''s sandboxes'
            cand languages 'List the languages codecage knows, with versions and images'
            cand images 'Build, list or prune the language and dependency images'
            cand cache 'Show or clear the compile cache (compiled programs kept so a second run skips the compiler)'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand doctor 'Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes)'
            cand gc 'Remove leftover codecage containers (from a crash or a killed codecage)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codecage;run'= {
            cand -l 'Language (name or alias) instead of guessing from the file extension'
            cand --lang 'Language (name or alias) instead of guessing from the file extension'
            cand --main 'Entry file inside a directory or among several files'
            cand -t 'Wall-clock limit, e.g. 10s, 500ms [default: from the profile, else 30s]'
            cand --time-limit 'Wall-clock limit, e.g. 10s, 500ms [default: from the profile, else 30s]'
            cand --cpu-time-limit 'CPU-time limit of all the program''s processes together, e.g. 1s (off by default). Where the engine''s cgroups cannot be read (a remote engine), only the wall-clock limit applies'
            cand -m 'Memory limit, e.g. 256MiB, 1g [default: from the profile, else 256MiB]'
            cand --memory 'Memory limit, e.g. 256MiB, 1g [default: from the profile, else 256MiB]'
            cand --cpus 'CPU quota in cores, e.g. 0.5 [default: from the profile, else 0.5]'
            cand --pids 'Maximum processes and threads [default: from the profile, else 64]'
            cand --output-limit 'Maximum bytes of stdout+stderr before the program is killed [default: 64MiB]'
            cand --idle-timeout 'End the run after this long without input or output (off by default)'
            cand --deps 'Install dependencies from this manifest (requirements.txt, package.json, ...) into a cached image [default: such a file next to the program]'
            cand --deps-set 'Use a dependency set the language''s profile declares (e.g. `--lang python --deps-set data`)'
            cand --ca-cert 'Extra CA certificate (PEM) trusted while dependencies install, e.g. behind a TLS-intercepting proxy; never copied into the image programs run in [default: SSL_CERT_FILE when set]'
            cand --server 'Run through a `codecage serve` instance (http://HOST:PORT) instead of the local engine; CODECAGE_TOKEN is sent as its API token'
            cand --json 'Write a JSON result (status, verdict, time, limits hit, output byte counts) to FILE (`-` for stderr)'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand --no-cache 'Compile even when the compile cache has this program compiled already'
            cand --typecheck 'Type-check before compiling where the language''s profile can (TypeScript: tsc --strict; by default TypeScript''s types are only stripped, so type errors are not compile errors)'
            cand --tty 'Run on a TTY even if stdin or stdout is not a terminal'
            cand --no-tty 'Never use a TTY: separate stdout and stderr pipes'
            cand --no-deps 'Ignore dependency manifests next to the program'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;test'= {
            cand --server 'Grade on a `codecage serve` instance (http://HOST:PORT; with `serve --broker`, on its workers) instead of the local engine: the cases go along, the report comes back. Comparisons and scoring groups; not with --checker, --interactor or --problem yet. CODECAGE_TOKEN is sent as the API token'
            cand --cases 'Directory of NAME.in / NAME.out (or NAME.ans) pairs (a missing .in means empty stdin)'
            cand --suite 'Suite file (YAML) listing cases with stdin, args, expected stdout and exit code, limits, and scoring groups'
            cand --problem 'An ICPC/Kattis problem package (legacy or 2023-07-draft): its data/sample and data/secret cases, its output validator or interactor, its limits and its scoring'
            cand --compare 'How to compare output: exact, lines, tokens, float, float:TOLERANCE, or the Kattis default validator `kattis[:case_sensitive,space_change_sensitive,float_tolerance=E,...]` [default: the suite''s, else the config file''s, else lines]'
            cand --checker 'A checker program (any language codecage knows; compiled once) that judges each case''s output instead of --compare: `checker INPUT OUTPUT ANSWER`, testlib exit codes (0 AC, 1 WA, 2 PE, 3 judge failure, 7 partial points); its stderr is the feedback. Other conventions with --checker-format. Not with --interactor, whose verdict is final'
            cand --interactor 'An interactor for interactive problems: it talks with the program live, each one''s stdout on the other''s stdin; `interactor INPUT OUTPUT [ANSWER]`, exit codes as a checker''s. A case is then an .in file alone (an .out/.ans beside it is the interactor''s ANSWER)'
            cand --checker-format 'How --checker (and --interactor) speak: `testlib` [default] (partial credit `points P`, P a share 0 to 1); `kattis` (`validator INPUT ANSWER FEEDBACK_DIR < OUTPUT`, exit 42 accepts, 43 rejects, judgemessage.txt the feedback, score.txt the score); or, checkers only, DMOJ''s bridged types: `coci` (testlib''s codes, partial `partial A/B` on stderr), `peg` (`checker ANSWER OUTPUT INPUT`, exit 0 or 1, stdout lines A and B give A/B) and `default` (exit 0 AC, 1 WA); a DMOJ checker''s stdout is the feedback'
            cand -j 'Cases run at once [default: number of cores]'
            cand --jobs 'Cases run at once [default: number of cores]'
            cand --json 'Write a JSON report here (`-` for stdout, instead of the table)'
            cand --junit 'Write a JUnit XML report here [default: the config file''s report.junit]'
            cand --html 'Write an HTML report here: one self-contained page (no scripts, no network); for `test` every case''s verdict, time and memory against its limits and a side-by-side diff of each wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the config file''s report.html]'
            cand --markdown 'Write a Markdown summary here (a table, the first failure explained), for CI systems and chat [default: the config file''s report.markdown]'
            cand -l 'Language (name or alias) instead of guessing from the file extension'
            cand --lang 'Language (name or alias) instead of guessing from the file extension'
            cand --main 'Entry file inside a directory or among several files'
            cand -t 'CPU-time limit per case [default: 2s]. Where the engine''s cgroups cannot be read (a remote engine), only the wall-clock backstop applies'
            cand --time-limit 'CPU-time limit per case [default: 2s]. Where the engine''s cgroups cannot be read (a remote engine), only the wall-clock backstop applies'
            cand --wall-time-limit 'Wall-clock backstop per case, for a program that sleeps or blocks [default: 2 × the time limit + 1s]'
            cand -m 'Memory limit per case [default: 256MiB, or the language''s own]'
            cand --memory 'Memory limit per case [default: 256MiB, or the language''s own]'
            cand --cpus 'CPU quota in cores per case [default: 1]'
            cand --pids 'Maximum processes and threads per case'
            cand --output-limit 'Output limit per case [default: 1MiB]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand --each 'Each FILE|DIR is a separate submission: one row each and one combined report'
            cand --fail-fast 'Start no new case after the first failure'
            cand --deps 'Install a dependency manifest found next to the submission (requirements.txt, package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a submission''s manifest is never installed'
            cand --no-cache 'Compile even when the compile cache has the submission compiled already'
            cand --typecheck 'Type-check before compiling where the language''s profile can (TypeScript: tsc --strict)'
            cand --kattis '--checker-format kattis: --checker and --interactor follow the Kattis convention'
            cand --container-per-case 'Run every case in a container of its own (and each checker or interactor run in another), as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh process in a box the worker keeps. For comparison, or for the paranoid'
            cand --github 'Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the config file''s report.github is true]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;verify'= {
            cand -j 'Cases run at once [default: number of cores]'
            cand --jobs 'Cases run at once [default: number of cores]'
            cand -t 'CPU-time limit per case, instead of the package''s (or the one derived from its accepted submissions)'
            cand --time-limit 'CPU-time limit per case, instead of the package''s (or the one derived from its accepted submissions)'
            cand --json 'Write a JSON report here (`-` for stdout, instead of the table)'
            cand --junit 'Write a JUnit XML report here [default: the config file''s report.junit]'
            cand --html 'Write an HTML report here: one self-contained page (no scripts, no network); for `test` every case''s verdict, time and memory against its limits and a side-by-side diff of each wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the config file''s report.html]'
            cand --markdown 'Write a Markdown summary here (a table, the first failure explained), for CI systems and chat [default: the config file''s report.markdown]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand --container-per-case 'Run every case in a container of its own (and each checker or interactor run in another), as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh process in a box the worker keeps. For comparison, or for the paranoid'
            cand --github 'Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the config file''s report.github is true]'
            cand --deps 'Install a dependency manifest found next to each submission (requirements.txt, package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a submission''s manifest is never installed'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;serve'= {
            cand --listen 'Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]'
            cand --token 'API token clients must send (`Authorization: Bearer TOKEN`)'
            cand --max-concurrent 'Runs at once. [default: 10]'
            cand --queue 'Requests that may wait for a run slot; past that, 429. [default: 20]'
            cand --max-body 'Largest request body. [default: 1MiB]'
            cand --max-time 'Most (and default) wall time of a batch run. [default: 30s]'
            cand --max-cpu-time 'Most (and default) CPU time of a batch run, all its processes together; requests may ask for less. [default: none, only the wall-clock limit]'
            cand --max-memory 'Most memory of a run (languages whose profile needs more get their profile''s). [default: 256MiB]'
            cand --max-output 'Most output (stdout + stderr) of a run. [default: 1MiB]'
            cand --session-time 'Wall time of an interactive session. [default: 2m]'
            cand --session-idle 'A session with no input or output for this long ends. [default: 30s]'
            cand --session-connect 'A session whose WebSocket does not connect within this long is dropped. [default: 30s]'
            cand --sessions-per-token 'Sessions (waiting or live) one client token may hold at once: every holder of the API token is one client, and without a token every client is. [default: 4]'
            cand --pool 'Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the pool off. [default: 2]'
            cand --pool-idle 'A warm sandbox unused for this long is removed. [default: 30s]'
            cand --deps-set 'Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g. python:data). Clients'' own manifests are never installed'
            cand --grace 'After SIGTERM, how long running executions may finish before they are killed. [default: 10s]'
            cand --store 'The Judge0 API''s submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]'
            cand --judge0-retention 'Finished Judge0 submissions are removed after this long. [default: 7d]'
            cand --judge0-store-max 'Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]'
            cand --judge0-queue 'Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]'
            cand --judge0-callback-allow 'A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable); without one, submissions with a callback_url are refused'
            cand --judge0-admin-token 'Judge0''s authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions need it as `X-Auth-User` (header or query); without one they are refused (403)'
            cand --judge0-allow-origin 'An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST (repeatable; the variable takes them space-separated); `*` any, `none` no CORS. [default: none: only a page this server serves may call it]'
            cand --allow-host 'A name requests may address this server by (the Host header), besides IP addresses and localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the variable takes them space-separated). Checked on loopback, or wherever names are given: a web page whose name resolves to this server (DNS rebinding) is refused'
            cand --broker 'Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;worker'= {
            cand --concurrency 'Jobs run at once [default: the number of cores]'
            cand --node 'This worker''s name in the broker''s list and its sessions'' id prefix (letters, digits, ''-'', ''_'') [default: the host name and a random part]'
            cand --advertise 'The URL API nodes reach this worker''s --listen address at, for interactive sessions [default: http://LISTEN]. Without --listen the worker takes batch jobs only'
            cand --listen 'Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]'
            cand --token 'API token clients must send (`Authorization: Bearer TOKEN`)'
            cand --max-concurrent 'Runs at once. [default: 10]'
            cand --queue 'Requests that may wait for a run slot; past that, 429. [default: 20]'
            cand --max-body 'Largest request body. [default: 1MiB]'
            cand --max-time 'Most (and default) wall time of a batch run. [default: 30s]'
            cand --max-cpu-time 'Most (and default) CPU time of a batch run, all its processes together; requests may ask for less. [default: none, only the wall-clock limit]'
            cand --max-memory 'Most memory of a run (languages whose profile needs more get their profile''s). [default: 256MiB]'
            cand --max-output 'Most output (stdout + stderr) of a run. [default: 1MiB]'
            cand --session-time 'Wall time of an interactive session. [default: 2m]'
            cand --session-idle 'A session with no input or output for this long ends. [default: 30s]'
            cand --session-connect 'A session whose WebSocket does not connect within this long is dropped. [default: 30s]'
            cand --sessions-per-token 'Sessions (waiting or live) one client token may hold at once: every holder of the API token is one client, and without a token every client is. [default: 4]'
            cand --pool 'Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the pool off. [default: 2]'
            cand --pool-idle 'A warm sandbox unused for this long is removed. [default: 30s]'
            cand --deps-set 'Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g. python:data). Clients'' own manifests are never installed'
            cand --grace 'After SIGTERM, how long running executions may finish before they are killed. [default: 10s]'
            cand --store 'The Judge0 API''s submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]'
            cand --judge0-retention 'Finished Judge0 submissions are removed after this long. [default: 7d]'
            cand --judge0-store-max 'Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]'
            cand --judge0-queue 'Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]'
            cand --judge0-callback-allow 'A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable); without one, submissions with a callback_url are refused'
            cand --judge0-admin-token 'Judge0''s authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions need it as `X-Auth-User` (header or query); without one they are refused (403)'
            cand --judge0-allow-origin 'An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST (repeatable; the variable takes them space-separated); `*` any, `none` no CORS. [default: none: only a page this server serves may call it]'
            cand --allow-host 'A name requests may address this server by (the Host header), besides IP addresses and localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the variable takes them space-separated). Checked on loopback, or wherever names are given: a web page whose name resolves to this server (DNS rebinding) is refused'
            cand --broker 'Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;languages'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;images'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
            cand build 'Build language images (all when none is named)'
            cand bootstrap 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same'
            cand list 'List the language images and whether they are built, and the dependency images'
            cand prune 'Remove dependency images: those built on an outdated language image, and those unused for a while'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codecage;images;build'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;images;bootstrap'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;images;list'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;images;prune'= {
            cand --unused-for 'Remove dependency images not used for this long. [default: 7d]'
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand --all 'Remove every dependency image (not the language images)'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;images;help'= {
            cand build 'Build language images (all when none is named)'
            cand bootstrap 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same'
            cand list 'List the language images and whether they are built, and the dependency images'
            cand prune 'Remove dependency images: those built on an outdated language image, and those unused for a while'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codecage;images;help;build'= {
        }
        &'codecage;images;help;bootstrap'= {
        }
        &'codecage;images;help;list'= {
        }
        &'codecage;images;help;prune'= {
        }
        &'codecage;images;help;help'= {
        }
        &'codecage;cache'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
            cand info 'Where the cache is, how many entries it holds and how big it is (the default)'
            cand clear 'Remove every entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codecage;cache;info'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;cache;clear'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;cache;help'= {
            cand info 'Where the cache is, how many entries it holds and how big it is (the default)'
            cand clear 'Remove every entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codecage;cache;help;info'= {
        }
        &'codecage;cache;help;clear'= {
        }
        &'codecage;cache;help;help'= {
        }
        &'codecage;completions'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;man'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;doctor'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;gc'= {
            cand --config 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]'
            cand --profiles 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)'
            cand --runtime 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]'
            cand --all 'Also remove containers that are still running'
            cand -v 'Show what the engine is doing (image, container, timings) on stderr'
            cand --verbose 'Show what the engine is doing (image, container, timings) on stderr'
            cand -q 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand --quiet 'Silence codecage''s own messages (limit notices, build notes); errors still print'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'codecage;help'= {
            cand run 'Run a program in a sandbox, as if it ran locally'
            cand test 'Grade a program against test cases, each in a fresh sandbox, with judge verdicts'
            cand verify 'Check a problem package as problem setters do: every example submission must get the verdict its folder promises'
            cand serve 'Serve the runner over HTTP and WebSocket, with a web page'
            cand worker 'Take batch runs from a broker (Redis) and run them in this machine''s sandboxes'
            cand languages 'List the languages codecage knows, with versions and images'
            cand images 'Build, list or prune the language and dependency images'
            cand cache 'Show or clear the compile cache (compiled programs kept so a second run skips the compiler)'
            cand completions 'Print shell completions (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff)'
            cand doctor 'Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes)'
            cand gc 'Remove leftover codecage containers (from a crash or a killed codecage)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'codecage;help;run'= {
        }
        &'codecage;help;test'= {
        }
        &'codecage;help;verify'= {
        }
        &'codecage;help;serve'= {
        }
        &'codecage;help;worker'= {
        }
        &'codecage;help;languages'= {
        }
        &'codecage;help;images'= {
            cand build 'Build language images (all when none is named)'
            cand bootstrap 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same'
            cand list 'List the language images and whether they are built, and the dependency images'
            cand prune 'Remove dependency images: those built on an outdated language image, and those unused for a while'
        }
        &'codecage;help;images;build'= {
        }
        &'codecage;help;images;bootstrap'= {
        }
        &'codecage;help;images;list'= {
        }
        &'codecage;help;images;prune'= {
        }
        &'codecage;help;cache'= {
            cand info 'Where the cache is, how many entries it holds and how big it is (the default)'
            cand clear 'Remove every entry'
        }
        &'codecage;help;cache;info'= {
        }
        &'codecage;help;cache;clear'= {
        }
        &'codecage;help;completions'= {
        }
        &'codecage;help;man'= {
        }
        &'codecage;help;doctor'= {
        }
        &'codecage;help;gc'= {
        }
        &'codecage;help;help'= {
        }
    ]
    $completions[$command]
}
