# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_codecage_global_optspecs
    string join \n V/version v/verbose q/quiet config= profiles= runtime= h/help
end

function __fish_codecage_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_codecage_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_codecage_using_subcommand
    set -l cmd (__fish_codecage_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c codecage -n "__fish_codecage_needs_command" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_needs_command" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_needs_command" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_needs_command" -s V -l version -d 'Print the version (with -v: also the Docker engine and the API version negotiated)'
complete -c codecage -n "__fish_codecage_needs_command" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_needs_command" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "run" -d 'Run a program in a sandbox, as if it ran locally'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "test" -d 'Grade a program against test cases, each in a fresh sandbox, with judge verdicts'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "verify" -d 'Check a problem package as problem setters do: every example submission must get the verdict its folder promises'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "serve" -d 'Serve the runner over HTTP and WebSocket, with a web page'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "worker" -d 'Take batch runs from a broker (Redis) and run them in this machine\'s sandboxes'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "languages" -d 'List the languages codecage knows, with versions and images'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "images" -d 'Build, list or prune the language and dependency images'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "cache" -d 'Show or clear the compile cache (compiled programs kept so a second run skips the compiler)'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish)'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "doctor" -d 'Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes)'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "gc" -d 'Remove leftover codecage containers (from a crash or a killed codecage)'
complete -c codecage -n "__fish_codecage_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codecage -n "__fish_codecage_using_subcommand run" -s l -l lang -d 'Language (name or alias) instead of guessing from the file extension' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l main -d 'Entry file inside a directory or among several files' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -s t -l time-limit -d 'Wall-clock limit, e.g. 10s, 500ms [default: from the profile, else 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l cpu-time-limit -d 'CPU-time limit of all the program\'s processes together, e.g. 1s (off by default). Where the engine\'s cgroups cannot be read (a remote engine), only the wall-clock limit applies' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -s m -l memory -d 'Memory limit, e.g. 256MiB, 1g [default: from the profile, else 256MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l cpus -d 'CPU quota in cores, e.g. 0.5 [default: from the profile, else 0.5]' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l pids -d 'Maximum processes and threads [default: from the profile, else 64]' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l output-limit -d 'Maximum bytes of stdout+stderr before the program is killed [default: 64MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l idle-timeout -d 'End the run after this long without input or output (off by default)' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l deps -d 'Install dependencies from this manifest (requirements.txt, package.json, ...) into a cached image [default: such a file next to the program]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand run" -l deps-set -d 'Use a dependency set the language\'s profile declares (e.g. `--lang python --deps-set data`)' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l ca-cert -d 'Extra CA certificate (PEM) trusted while dependencies install, e.g. behind a TLS-intercepting proxy; never copied into the image programs run in [default: SSL_CERT_FILE when set]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand run" -l server -d 'Run through a `codecage serve` instance (http://HOST:PORT) instead of the local engine; CODECAGE_TOKEN is sent as its API token' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l json -d 'Write a JSON result (status, verdict, time, limits hit, output byte counts) to FILE (`-` for stderr)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand run" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand run" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand run" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand run" -l no-cache -d 'Compile even when the compile cache has this program compiled already'
complete -c codecage -n "__fish_codecage_using_subcommand run" -l typecheck -d 'Type-check before compiling where the language\'s profile can (TypeScript: tsc --strict; by default TypeScript\'s types are only stripped, so type errors are not compile errors)'
complete -c codecage -n "__fish_codecage_using_subcommand run" -l tty -d 'Run on a TTY even if stdin or stdout is not a terminal'
complete -c codecage -n "__fish_codecage_using_subcommand run" -l no-tty -d 'Never use a TTY: separate stdout and stderr pipes'
complete -c codecage -n "__fish_codecage_using_subcommand run" -l no-deps -d 'Ignore dependency manifests next to the program'
complete -c codecage -n "__fish_codecage_using_subcommand run" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand run" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand run" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l server -d 'Grade on a `codecage serve` instance (http://HOST:PORT; with `serve --broker`, on its workers) instead of the local engine: the cases go along, the report comes back. Comparisons and scoring groups; not with --checker, --interactor or --problem yet. CODECAGE_TOKEN is sent as the API token' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l cases -d 'Directory of NAME.in / NAME.out (or NAME.ans) pairs (a missing .in means empty stdin)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l suite -d 'Suite file (YAML) listing cases with stdin, args, expected stdout and exit code, limits, and scoring groups' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l problem -d 'An ICPC/Kattis problem package (legacy or 2023-07-draft): its data/sample and data/secret cases, its output validator or interactor, its limits and its scoring' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l compare -d 'How to compare output: exact, lines, tokens, float, float:TOLERANCE, or the Kattis default validator `kattis[:case_sensitive,space_change_sensitive,float_tolerance=E,...]` [default: the suite\'s, else the config file\'s, else lines]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l checker -d 'A checker program (any language codecage knows; compiled once) that judges each case\'s output instead of --compare: `checker INPUT OUTPUT ANSWER`, testlib exit codes (0 AC, 1 WA, 2 PE, 3 judge failure, 7 partial points); its stderr is the feedback. Other conventions with --checker-format. Not with --interactor, whose verdict is final' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l interactor -d 'An interactor for interactive problems: it talks with the program live, each one\'s stdout on the other\'s stdin; `interactor INPUT OUTPUT [ANSWER]`, exit codes as a checker\'s. A case is then an .in file alone (an .out/.ans beside it is the interactor\'s ANSWER)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l checker-format -d 'How --checker (and --interactor) speak: `testlib` [default] (partial credit `points P`, P a share 0 to 1); `kattis` (`validator INPUT ANSWER FEEDBACK_DIR < OUTPUT`, exit 42 accepts, 43 rejects, judgemessage.txt the feedback, score.txt the score); or, checkers only, DMOJ\'s bridged types: `coci` (testlib\'s codes, partial `partial A/B` on stderr), `peg` (`checker ANSWER OUTPUT INPUT`, exit 0 or 1, stdout lines A and B give A/B) and `default` (exit 0 AC, 1 WA); a DMOJ checker\'s stdout is the feedback' -r -f -a "testlib\t''
kattis\t''
coci\t''
peg\t''
default\t''"
complete -c codecage -n "__fish_codecage_using_subcommand test" -s j -l jobs -d 'Cases run at once [default: number of cores]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l json -d 'Write a JSON report here (`-` for stdout, instead of the table)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l junit -d 'Write a JUnit XML report here [default: the config file\'s report.junit]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l html -d 'Write an HTML report here: one self-contained page (no scripts, no network); for `test` every case\'s verdict, time and memory against its limits and a side-by-side diff of each wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the config file\'s report.html]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l markdown -d 'Write a Markdown summary here (a table, the first failure explained), for CI systems and chat [default: the config file\'s report.markdown]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -s l -l lang -d 'Language (name or alias) instead of guessing from the file extension' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l main -d 'Entry file inside a directory or among several files' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -s t -l time-limit -d 'CPU-time limit per case [default: 2s]. Where the engine\'s cgroups cannot be read (a remote engine), only the wall-clock backstop applies' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l wall-time-limit -d 'Wall-clock backstop per case, for a program that sleeps or blocks [default: 2 × the time limit + 1s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -s m -l memory -d 'Memory limit per case [default: 256MiB, or the language\'s own]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l cpus -d 'CPU quota in cores per case [default: 1]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l pids -d 'Maximum processes and threads per case' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l output-limit -d 'Output limit per case [default: 1MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand test" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand test" -l each -d 'Each FILE|DIR is a separate submission: one row each and one combined report'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l fail-fast -d 'Start no new case after the first failure'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l deps -d 'Install a dependency manifest found next to the submission (requirements.txt, package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a submission\'s manifest is never installed'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l no-cache -d 'Compile even when the compile cache has the submission compiled already'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l typecheck -d 'Type-check before compiling where the language\'s profile can (TypeScript: tsc --strict)'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l kattis -d '--checker-format kattis: --checker and --interactor follow the Kattis convention'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l container-per-case -d 'Run every case in a container of its own (and each checker or interactor run in another), as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh process in a box the worker keeps. For comparison, or for the paranoid'
complete -c codecage -n "__fish_codecage_using_subcommand test" -l github -d 'Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the config file\'s report.github is true]'
complete -c codecage -n "__fish_codecage_using_subcommand test" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand test" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand test" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand verify" -s j -l jobs -d 'Cases run at once [default: number of cores]' -r
complete -c codecage -n "__fish_codecage_using_subcommand verify" -s t -l time-limit -d 'CPU-time limit per case, instead of the package\'s (or the one derived from its accepted submissions)' -r
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l json -d 'Write a JSON report here (`-` for stdout, instead of the table)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l junit -d 'Write a JUnit XML report here [default: the config file\'s report.junit]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l html -d 'Write an HTML report here: one self-contained page (no scripts, no network); for `test` every case\'s verdict, time and memory against its limits and a side-by-side diff of each wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the config file\'s report.html]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l markdown -d 'Write a Markdown summary here (a table, the first failure explained), for CI systems and chat [default: the config file\'s report.markdown]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l container-per-case -d 'Run every case in a container of its own (and each checker or interactor run in another), as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh process in a box the worker keeps. For comparison, or for the paranoid'
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l github -d 'Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the config file\'s report.github is true]'
complete -c codecage -n "__fish_codecage_using_subcommand verify" -l deps -d 'Install a dependency manifest found next to each submission (requirements.txt, package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a submission\'s manifest is never installed'
complete -c codecage -n "__fish_codecage_using_subcommand verify" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand verify" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand verify" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l listen -d 'Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l token -d 'API token clients must send (`Authorization: Bearer TOKEN`)' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l max-concurrent -d 'Runs at once. [default: 10]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l queue -d 'Requests that may wait for a run slot; past that, 429. [default: 20]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l max-body -d 'Largest request body. [default: 1MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l max-time -d 'Most (and default) wall time of a batch run. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l max-cpu-time -d 'Most (and default) CPU time of a batch run, all its processes together; requests may ask for less. [default: none, only the wall-clock limit]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l max-memory -d 'Most memory of a run (languages whose profile needs more get their profile\'s). [default: 256MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l max-output -d 'Most output (stdout + stderr) of a run. [default: 1MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l session-time -d 'Wall time of an interactive session. [default: 2m]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l session-idle -d 'A session with no input or output for this long ends. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l session-connect -d 'A session whose WebSocket does not connect within this long is dropped. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l sessions-per-token -d 'Sessions (waiting or live) one client token may hold at once: every holder of the API token is one client, and without a token every client is. [default: 4]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l pool -d 'Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the pool off. [default: 2]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l pool-idle -d 'A warm sandbox unused for this long is removed. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l deps-set -d 'Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g. python:data). Clients\' own manifests are never installed' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l grace -d 'After SIGTERM, how long running executions may finish before they are killed. [default: 10s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l store -d 'The Judge0 API\'s submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l judge0-retention -d 'Finished Judge0 submissions are removed after this long. [default: 7d]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l judge0-store-max -d 'Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l judge0-queue -d 'Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l judge0-callback-allow -d 'A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable); without one, submissions with a callback_url are refused' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l judge0-admin-token -d 'Judge0\'s authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions need it as `X-Auth-User` (header or query); without one they are refused (403)' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l judge0-allow-origin -d 'An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST (repeatable; the variable takes them space-separated); `*` any, `none` no CORS. [default: none: only a page this server serves may call it]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l allow-host -d 'A name requests may address this server by (the Host header), besides IP addresses and localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the variable takes them space-separated). Checked on loopback, or wherever names are given: a web page whose name resolves to this server (DNS rebinding) is refused' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l broker -d 'Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand serve" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand serve" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand serve" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand serve" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l concurrency -d 'Jobs run at once [default: the number of cores]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l node -d 'This worker\'s name in the broker\'s list and its sessions\' id prefix (letters, digits, \'-\', \'_\') [default: the host name and a random part]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l advertise -d 'The URL API nodes reach this worker\'s --listen address at, for interactive sessions [default: http://LISTEN]. Without --listen the worker takes batch jobs only' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l listen -d 'Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l token -d 'API token clients must send (`Authorization: Bearer TOKEN`)' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l max-concurrent -d 'Runs at once. [default: 10]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l queue -d 'Requests that may wait for a run slot; past that, 429. [default: 20]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l max-body -d 'Largest request body. [default: 1MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l max-time -d 'Most (and default) wall time of a batch run. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l max-cpu-time -d 'Most (and default) CPU time of a batch run, all its processes together; requests may ask for less. [default: none, only the wall-clock limit]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l max-memory -d 'Most memory of a run (languages whose profile needs more get their profile\'s). [default: 256MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l max-output -d 'Most output (stdout + stderr) of a run. [default: 1MiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l session-time -d 'Wall time of an interactive session. [default: 2m]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l session-idle -d 'A session with no input or output for this long ends. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l session-connect -d 'A session whose WebSocket does not connect within this long is dropped. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l sessions-per-token -d 'Sessions (waiting or live) one client token may hold at once: every holder of the API token is one client, and without a token every client is. [default: 4]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l pool -d 'Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the pool off. [default: 2]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l pool-idle -d 'A warm sandbox unused for this long is removed. [default: 30s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l deps-set -d 'Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g. python:data). Clients\' own manifests are never installed' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l grace -d 'After SIGTERM, how long running executions may finish before they are killed. [default: 10s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l store -d 'The Judge0 API\'s submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l judge0-retention -d 'Finished Judge0 submissions are removed after this long. [default: 7d]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l judge0-store-max -d 'Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l judge0-queue -d 'Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l judge0-callback-allow -d 'A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable); without one, submissions with a callback_url are refused' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l judge0-admin-token -d 'Judge0\'s authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions need it as `X-Auth-User` (header or query); without one they are refused (403)' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l judge0-allow-origin -d 'An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST (repeatable; the variable takes them space-separated); `*` any, `none` no CORS. [default: none: only a page this server serves may call it]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l allow-host -d 'A name requests may address this server by (the Host header), besides IP addresses and localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the variable takes them space-separated). Checked on loopback, or wherever names are given: a web page whose name resolves to this server (DNS rebinding) is refused' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l broker -d 'Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand worker" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand worker" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand worker" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand worker" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand languages" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand languages" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand languages" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand languages" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand languages" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand languages" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -f -a "build" -d 'Build language images (all when none is named)'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -f -a "bootstrap" -d 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -f -a "list" -d 'List the language images and whether they are built, and the dependency images'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -f -a "prune" -d 'Remove dependency images: those built on an outdated language image, and those unused for a while'
complete -c codecage -n "__fish_codecage_using_subcommand images; and not __fish_seen_subcommand_from build bootstrap list prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from build" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from build" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from build" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from build" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from bootstrap" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from bootstrap" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from bootstrap" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from bootstrap" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from bootstrap" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from bootstrap" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from list" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from list" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -l unused-for -d 'Remove dependency images not used for this long. [default: 7d]' -r
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -l all -d 'Remove every dependency image (not the language images)'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build language images (all when none is named)'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from help" -f -a "bootstrap" -d 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the language images and whether they are built, and the dependency images'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove dependency images: those built on an outdated language image, and those unused for a while'
complete -c codecage -n "__fish_codecage_using_subcommand images; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -f -a "info" -d 'Where the cache is, how many entries it holds and how big it is (the default)'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -f -a "clear" -d 'Remove every entry'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and not __fish_seen_subcommand_from info clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from info" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from info" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from info" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from info" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from info" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from clear" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from clear" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from clear" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from clear" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from clear" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "info" -d 'Where the cache is, how many entries it holds and how big it is (the default)'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove every entry'
complete -c codecage -n "__fish_codecage_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codecage -n "__fish_codecage_using_subcommand completions" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand completions" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand completions" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand completions" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand completions" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand completions" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand man" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand man" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand man" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand man" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand man" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand man" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand doctor" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand doctor" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand doctor" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand doctor" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand doctor" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand gc" -l config -d 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand gc" -l profiles -d 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)' -r -F
complete -c codecage -n "__fish_codecage_using_subcommand gc" -l runtime -d 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile\'s, else the engine\'s]' -r
complete -c codecage -n "__fish_codecage_using_subcommand gc" -l all -d 'Also remove containers that are still running'
complete -c codecage -n "__fish_codecage_using_subcommand gc" -s v -l verbose -d 'Show what the engine is doing (image, container, timings) on stderr'
complete -c codecage -n "__fish_codecage_using_subcommand gc" -s q -l quiet -d 'Silence codecage\'s own messages (limit notices, build notes); errors still print'
complete -c codecage -n "__fish_codecage_using_subcommand gc" -s h -l help -d 'Print help'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "run" -d 'Run a program in a sandbox, as if it ran locally'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "test" -d 'Grade a program against test cases, each in a fresh sandbox, with judge verdicts'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "verify" -d 'Check a problem package as problem setters do: every example submission must get the verdict its folder promises'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "serve" -d 'Serve the runner over HTTP and WebSocket, with a web page'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "worker" -d 'Take batch runs from a broker (Redis) and run them in this machine\'s sandboxes'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "languages" -d 'List the languages codecage knows, with versions and images'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "images" -d 'Build, list or prune the language and dependency images'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "cache" -d 'Show or clear the compile cache (compiled programs kept so a second run skips the compiler)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, powershell, elvish)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "man" -d 'Print the man page (roff)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "doctor" -d 'Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "gc" -d 'Remove leftover codecage containers (from a crash or a killed codecage)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and not __fish_seen_subcommand_from run test verify serve worker languages images cache completions man doctor gc help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and __fish_seen_subcommand_from images" -f -a "build" -d 'Build language images (all when none is named)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and __fish_seen_subcommand_from images" -f -a "bootstrap" -d 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same'
complete -c codecage -n "__fish_codecage_using_subcommand help; and __fish_seen_subcommand_from images" -f -a "list" -d 'List the language images and whether they are built, and the dependency images'
complete -c codecage -n "__fish_codecage_using_subcommand help; and __fish_seen_subcommand_from images" -f -a "prune" -d 'Remove dependency images: those built on an outdated language image, and those unused for a while'
complete -c codecage -n "__fish_codecage_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "info" -d 'Where the cache is, how many entries it holds and how big it is (the default)'
complete -c codecage -n "__fish_codecage_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Remove every entry'
