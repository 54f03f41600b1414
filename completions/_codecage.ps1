
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'codecage' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'codecage'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'codecage' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print the version (with -v: also the Docker engine and the API version negotiated)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print the version (with -v: also the Docker engine and the API version negotiated)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a program in a sandbox, as if it ran locally')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Grade a program against test cases, each in a fresh sandbox, with judge verdicts')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a problem package as problem setters do: every example submission must get the verdict its folder promises')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the runner over HTTP and WebSocket, with a web page')
            [CompletionResult]::new('worker', 'worker', [CompletionResultType]::ParameterValue, 'Take batch runs from a broker (Redis) and run them in this machine''s sandboxes')
            [CompletionResult]::new('languages', 'languages', [CompletionResultType]::ParameterValue, 'List the languages codecage knows, with versions and images')
            [CompletionResult]::new('images', 'images', [CompletionResultType]::ParameterValue, 'Build, list or prune the language and dependency images')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or clear the compile cache (compiled programs kept so a second run skips the compiler)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes)')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove leftover codecage containers (from a crash or a killed codecage)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codecage;run' {
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Language (name or alias) instead of guessing from the file extension')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language (name or alias) instead of guessing from the file extension')
            [CompletionResult]::new('--main', '--main', [CompletionResultType]::ParameterName, 'Entry file inside a directory or among several files')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Wall-clock limit, e.g. 10s, 500ms [default: from the profile, else 30s]')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Wall-clock limit, e.g. 10s, 500ms [default: from the profile, else 30s]')
            [CompletionResult]::new('--cpu-time-limit', '--cpu-time-limit', [CompletionResultType]::ParameterName, 'CPU-time limit of all the program''s processes together, e.g. 1s (off by default). Where the engine''s cgroups cannot be read (a remote engine), only the wall-clock limit applies')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Memory limit, e.g. 256MiB, 1g [default: from the profile, else 256MiB]')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory limit, e.g. 256MiB, 1g [default: from the profile, else 256MiB]')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'CPU quota in cores, e.g. 0.5 [default: from the profile, else 0.5]')
            [CompletionResult]::new('--pids', '--pids', [CompletionResultType]::ParameterName, 'Maximum processes and threads [default: from the profile, else 64]')
            [CompletionResult]::new('--output-limit', '--output-limit', [CompletionResultType]::ParameterName, 'Maximum bytes of stdout+stderr before the program is killed [default: 64MiB]')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'End the run after this long without input or output (off by default)')
            [CompletionResult]::new('--deps', '--deps', [CompletionResultType]::ParameterName, 'Install dependencies from this manifest (requirements.txt, package.json, ...) into a cached image [default: such a file next to the program]')
            [CompletionResult]::new('--deps-set', '--deps-set', [CompletionResultType]::ParameterName, 'Use a dependency set the language''s profile declares (e.g. `--lang python --deps-set data`)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Extra CA certificate (PEM) trusted while dependencies install, e.g. behind a TLS-intercepting proxy; never copied into the image programs run in [default: SSL_CERT_FILE when set]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Run through a `codecage serve` instance (http://HOST:PORT) instead of the local engine; CODECAGE_TOKEN is sent as its API token')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON result (status, verdict, time, limits hit, output byte counts) to FILE (`-` for stderr)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Compile even when the compile cache has this program compiled already')
            [CompletionResult]::new('--typecheck', '--typecheck', [CompletionResultType]::ParameterName, 'Type-check before compiling where the language''s profile can (TypeScript: tsc --strict; by default TypeScript''s types are only stripped, so type errors are not compile errors)')
            [CompletionResult]::new('--tty', '--tty', [CompletionResultType]::ParameterName, 'Run on a TTY even if stdin or stdout is not a terminal')
            [CompletionResult]::new('--no-tty', '--no-tty', [CompletionResultType]::ParameterName, 'Never use a TTY: separate stdout and stderr pipes')
            [CompletionResult]::new('--no-deps', '--no-deps', [CompletionResultType]::ParameterName, 'Ignore dependency manifests next to the program')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;test' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Grade on a `codecage serve` instance (http://HOST:PORT; with `serve --broker`, on its workers) instead of the local engine: the cases go along, the report comes back. Comparisons and scoring groups; not with --checker, --interactor or --problem yet. CODECAGE_TOKEN is sent as the API token')
            [CompletionResult]::new('--cases', '--cases', [CompletionResultType]::ParameterName, 'Directory of NAME.in / NAME.out (or NAME.ans) pairs (a missing .in means empty stdin)')
            [CompletionResult]::new('--suite', '--suite', [CompletionResultType]::ParameterName, 'Suite file (YAML) listing cases with stdin, args, expected stdout and exit code, limits, and scoring groups')
            [CompletionResult]::new('--problem', '--problem', [CompletionResultType]::ParameterName, 'An ICPC/Kattis problem package (legacy or 2023-07-draft): its data/sample and data/secret cases, its output validator or interactor, its limits and its scoring')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'How to compare output: exact, lines, tokens, float, float:TOLERANCE, or the Kattis default validator `kattis[:case_sensitive,space_change_sensitive,float_tolerance=E,...]` [default: the suite''s, else the config file''s, else lines]')
            [CompletionResult]::new('--checker', '--checker', [CompletionResultType]::ParameterName, 'A checker program (any language codecage knows; compiled once) that judges each case''s output instead of --compare: `checker INPUT OUTPUT ANSWER`, testlib exit codes (0 AC, 1 WA, 2 PE, 3 judge failure, 7 partial points); its stderr is the feedback. Other conventions with --checker-format. Not with --interactor, whose verdict is final')
            [CompletionResult]::new('--interactor', '--interactor', [CompletionResultType]::ParameterName, 'An interactor for interactive problems: it talks with the program live, each one''s stdout on the other''s stdin; `interactor INPUT OUTPUT [ANSWER]`, exit codes as a checker''s. A case is then an .in file alone (an .out/.ans beside it is the interactor''s ANSWER)')
            [CompletionResult]::new('--checker-format', '--checker-format', [CompletionResultType]::ParameterName, 'How --checker (and --interactor) speak: `testlib` [default] (partial credit `points P`, P a share 0 to 1); `kattis` (`validator INPUT ANSWER FEEDBACK_DIR < OUTPUT`, exit 42 accepts, 43 rejects, judgemessage.txt the feedback, score.txt the score); or, checkers only, DMOJ''s bridged types: `coci` (testlib''s codes, partial `partial A/B` on stderr), `peg` (`checker ANSWER OUTPUT INPUT`, exit 0 or 1, stdout lines A and B give A/B) and `default` (exit 0 AC, 1 WA); a DMOJ checker''s stdout is the feedback')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Cases run at once [default: number of cores]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Cases run at once [default: number of cores]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON report here (`-` for stdout, instead of the table)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report here [default: the config file''s report.junit]')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write an HTML report here: one self-contained page (no scripts, no network); for `test` every case''s verdict, time and memory against its limits and a side-by-side diff of each wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the config file''s report.html]')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Write a Markdown summary here (a table, the first failure explained), for CI systems and chat [default: the config file''s report.markdown]')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Language (name or alias) instead of guessing from the file extension')
            [CompletionResult]::new('--lang', '--lang', [CompletionResultType]::ParameterName, 'Language (name or alias) instead of guessing from the file extension')
            [CompletionResult]::new('--main', '--main', [CompletionResultType]::ParameterName, 'Entry file inside a directory or among several files')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'CPU-time limit per case [default: 2s]. Where the engine''s cgroups cannot be read (a remote engine), only the wall-clock backstop applies')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'CPU-time limit per case [default: 2s]. Where the engine''s cgroups cannot be read (a remote engine), only the wall-clock backstop applies')
            [CompletionResult]::new('--wall-time-limit', '--wall-time-limit', [CompletionResultType]::ParameterName, 'Wall-clock backstop per case, for a program that sleeps or blocks [default: 2 × the time limit + 1s]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Memory limit per case [default: 256MiB, or the language''s own]')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory limit per case [default: 256MiB, or the language''s own]')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'CPU quota in cores per case [default: 1]')
            [CompletionResult]::new('--pids', '--pids', [CompletionResultType]::ParameterName, 'Maximum processes and threads per case')
            [CompletionResult]::new('--output-limit', '--output-limit', [CompletionResultType]::ParameterName, 'Output limit per case [default: 1MiB]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('--each', '--each', [CompletionResultType]::ParameterName, 'Each FILE|DIR is a separate submission: one row each and one combined report')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Start no new case after the first failure')
            [CompletionResult]::new('--deps', '--deps', [CompletionResultType]::ParameterName, 'Install a dependency manifest found next to the submission (requirements.txt, package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a submission''s manifest is never installed')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Compile even when the compile cache has the submission compiled already')
            [CompletionResult]::new('--typecheck', '--typecheck', [CompletionResultType]::ParameterName, 'Type-check before compiling where the language''s profile can (TypeScript: tsc --strict)')
            [CompletionResult]::new('--kattis', '--kattis', [CompletionResultType]::ParameterName, '--checker-format kattis: --checker and --interactor follow the Kattis convention')
            [CompletionResult]::new('--container-per-case', '--container-per-case', [CompletionResultType]::ParameterName, 'Run every case in a container of its own (and each checker or interactor run in another), as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh process in a box the worker keeps. For comparison, or for the paranoid')
            [CompletionResult]::new('--github', '--github', [CompletionResultType]::ParameterName, 'Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the config file''s report.github is true]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;verify' {
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Cases run at once [default: number of cores]')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Cases run at once [default: number of cores]')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'CPU-time limit per case, instead of the package''s (or the one derived from its accepted submissions)')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'CPU-time limit per case, instead of the package''s (or the one derived from its accepted submissions)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write a JSON report here (`-` for stdout, instead of the table)')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report here [default: the config file''s report.junit]')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write an HTML report here: one self-contained page (no scripts, no network); for `test` every case''s verdict, time and memory against its limits and a side-by-side diff of each wrong answer, for `verify` a matrix of submissions x cases, failures first [default: the config file''s report.html]')
            [CompletionResult]::new('--markdown', '--markdown', [CompletionResultType]::ParameterName, 'Write a Markdown summary here (a table, the first failure explained), for CI systems and chat [default: the config file''s report.markdown]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('--container-per-case', '--container-per-case', [CompletionResultType]::ParameterName, 'Run every case in a container of its own (and each checker or interactor run in another), as codecage did before judge boxes: ~170 ms of engine work per run instead of a fresh process in a box the worker keeps. For comparison, or for the paranoid')
            [CompletionResult]::new('--github', '--github', [CompletionResultType]::ParameterName, 'Speak GitHub Actions: append the Markdown summary to $GITHUB_STEP_SUMMARY and print `::error` annotations for the failures [default: on when GITHUB_ACTIONS=true or the config file''s report.github is true]')
            [CompletionResult]::new('--deps', '--deps', [CompletionResultType]::ParameterName, 'Install a dependency manifest found next to each submission (requirements.txt, package.json, Cargo.toml, Gemfile) into a cached image, with network while it builds. Without it a submission''s manifest is never installed')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token clients must send (`Authorization: Bearer TOKEN`)')
            [CompletionResult]::new('--max-concurrent', '--max-concurrent', [CompletionResultType]::ParameterName, 'Runs at once. [default: 10]')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Requests that may wait for a run slot; past that, 429. [default: 20]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest request body. [default: 1MiB]')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Most (and default) wall time of a batch run. [default: 30s]')
            [CompletionResult]::new('--max-cpu-time', '--max-cpu-time', [CompletionResultType]::ParameterName, 'Most (and default) CPU time of a batch run, all its processes together; requests may ask for less. [default: none, only the wall-clock limit]')
            [CompletionResult]::new('--max-memory', '--max-memory', [CompletionResultType]::ParameterName, 'Most memory of a run (languages whose profile needs more get their profile''s). [default: 256MiB]')
            [CompletionResult]::new('--max-output', '--max-output', [CompletionResultType]::ParameterName, 'Most output (stdout + stderr) of a run. [default: 1MiB]')
            [CompletionResult]::new('--session-time', '--session-time', [CompletionResultType]::ParameterName, 'Wall time of an interactive session. [default: 2m]')
            [CompletionResult]::new('--session-idle', '--session-idle', [CompletionResultType]::ParameterName, 'A session with no input or output for this long ends. [default: 30s]')
            [CompletionResult]::new('--session-connect', '--session-connect', [CompletionResultType]::ParameterName, 'A session whose WebSocket does not connect within this long is dropped. [default: 30s]')
            [CompletionResult]::new('--sessions-per-token', '--sessions-per-token', [CompletionResultType]::ParameterName, 'Sessions (waiting or live) one client token may hold at once: every holder of the API token is one client, and without a token every client is. [default: 4]')
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the pool off. [default: 2]')
            [CompletionResult]::new('--pool-idle', '--pool-idle', [CompletionResultType]::ParameterName, 'A warm sandbox unused for this long is removed. [default: 30s]')
            [CompletionResult]::new('--deps-set', '--deps-set', [CompletionResultType]::ParameterName, 'Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g. python:data). Clients'' own manifests are never installed')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'After SIGTERM, how long running executions may finish before they are killed. [default: 10s]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The Judge0 API''s submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]')
            [CompletionResult]::new('--judge0-retention', '--judge0-retention', [CompletionResultType]::ParameterName, 'Finished Judge0 submissions are removed after this long. [default: 7d]')
            [CompletionResult]::new('--judge0-store-max', '--judge0-store-max', [CompletionResultType]::ParameterName, 'Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]')
            [CompletionResult]::new('--judge0-queue', '--judge0-queue', [CompletionResultType]::ParameterName, 'Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]')
            [CompletionResult]::new('--judge0-callback-allow', '--judge0-callback-allow', [CompletionResultType]::ParameterName, 'A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable); without one, submissions with a callback_url are refused')
            [CompletionResult]::new('--judge0-admin-token', '--judge0-admin-token', [CompletionResultType]::ParameterName, 'Judge0''s authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions need it as `X-Auth-User` (header or query); without one they are refused (403)')
            [CompletionResult]::new('--judge0-allow-origin', '--judge0-allow-origin', [CompletionResultType]::ParameterName, 'An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST (repeatable; the variable takes them space-separated); `*` any, `none` no CORS. [default: none: only a page this server serves may call it]')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'A name requests may address this server by (the Host header), besides IP addresses and localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the variable takes them space-separated). Checked on loopback, or wherever names are given: a web page whose name resolves to this server (DNS rebinding) is refused')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;worker' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Jobs run at once [default: the number of cores]')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'This worker''s name in the broker''s list and its sessions'' id prefix (letters, digits, ''-'', ''_'') [default: the host name and a random part]')
            [CompletionResult]::new('--advertise', '--advertise', [CompletionResultType]::ParameterName, 'The URL API nodes reach this worker''s --listen address at, for interactive sessions [default: http://LISTEN]. Without --listen the worker takes batch jobs only')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on; port 0 picks a free one. Anything but loopback needs a token. [default: 127.0.0.1:8080]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token clients must send (`Authorization: Bearer TOKEN`)')
            [CompletionResult]::new('--max-concurrent', '--max-concurrent', [CompletionResultType]::ParameterName, 'Runs at once. [default: 10]')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Requests that may wait for a run slot; past that, 429. [default: 20]')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest request body. [default: 1MiB]')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Most (and default) wall time of a batch run. [default: 30s]')
            [CompletionResult]::new('--max-cpu-time', '--max-cpu-time', [CompletionResultType]::ParameterName, 'Most (and default) CPU time of a batch run, all its processes together; requests may ask for less. [default: none, only the wall-clock limit]')
            [CompletionResult]::new('--max-memory', '--max-memory', [CompletionResultType]::ParameterName, 'Most memory of a run (languages whose profile needs more get their profile''s). [default: 256MiB]')
            [CompletionResult]::new('--max-output', '--max-output', [CompletionResultType]::ParameterName, 'Most output (stdout + stderr) of a run. [default: 1MiB]')
            [CompletionResult]::new('--session-time', '--session-time', [CompletionResultType]::ParameterName, 'Wall time of an interactive session. [default: 2m]')
            [CompletionResult]::new('--session-idle', '--session-idle', [CompletionResultType]::ParameterName, 'A session with no input or output for this long ends. [default: 30s]')
            [CompletionResult]::new('--session-connect', '--session-connect', [CompletionResultType]::ParameterName, 'A session whose WebSocket does not connect within this long is dropped. [default: 30s]')
            [CompletionResult]::new('--sessions-per-token', '--sessions-per-token', [CompletionResultType]::ParameterName, 'Sessions (waiting or live) one client token may hold at once: every holder of the API token is one client, and without a token every client is. [default: 4]')
            [CompletionResult]::new('--pool', '--pool', [CompletionResultType]::ParameterName, 'Warm sandboxes kept ready per language (and limits), started ahead of requests; 0 turns the pool off. [default: 2]')
            [CompletionResult]::new('--pool-idle', '--pool-idle', [CompletionResultType]::ParameterName, 'A warm sandbox unused for this long is removed. [default: 30s]')
            [CompletionResult]::new('--deps-set', '--deps-set', [CompletionResultType]::ParameterName, 'Let clients use a dependency set a profile declares, as LANG:SET (repeatable; e.g. python:data). Clients'' own manifests are never installed')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'After SIGTERM, how long running executions may finish before they are killed. [default: 10s]')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'The Judge0 API''s submission store (one file). [default: $XDG_DATA_HOME/codecage/judge0.redb]')
            [CompletionResult]::new('--judge0-retention', '--judge0-retention', [CompletionResultType]::ParameterName, 'Finished Judge0 submissions are removed after this long. [default: 7d]')
            [CompletionResult]::new('--judge0-store-max', '--judge0-store-max', [CompletionResultType]::ParameterName, 'Past this size of stored Judge0 submissions, the oldest finished ones are removed. [default: 1GiB]')
            [CompletionResult]::new('--judge0-queue', '--judge0-queue', [CompletionResultType]::ParameterName, 'Judge0 submissions queued or running at most; past that, 503 "queue is full". [default: 1000]')
            [CompletionResult]::new('--judge0-callback-allow', '--judge0-callback-allow', [CompletionResultType]::ParameterName, 'A host Judge0 callbacks (callback_url) may go to, as HOST or HOST:PORT (repeatable); without one, submissions with a callback_url are refused')
            [CompletionResult]::new('--judge0-admin-token', '--judge0-admin-token', [CompletionResultType]::ParameterName, 'Judge0''s authorization token (its AUTHZ_TOKEN): listing and deleting Judge0 submissions need it as `X-Auth-User` (header or query); without one they are refused (403)')
            [CompletionResult]::new('--judge0-allow-origin', '--judge0-allow-origin', [CompletionResultType]::ParameterName, 'An origin browsers may call the Judge0 API from (CORS), as https://HOST[:PORT] or HOST (repeatable; the variable takes them space-separated); `*` any, `none` no CORS. [default: none: only a page this server serves may call it]')
            [CompletionResult]::new('--allow-host', '--allow-host', [CompletionResultType]::ParameterName, 'A name requests may address this server by (the Host header), besides IP addresses and localhost; `.example.org` also allows its subdomains, `*` any name (repeatable; the variable takes them space-separated). Checked on loopback, or wherever names are given: a web page whose name resolves to this server (DNS rebinding) is refused')
            [CompletionResult]::new('--broker', '--broker', [CompletionResultType]::ParameterName, 'Scale-out: queue batch runs (/execute, Piston, Judge0) on this broker for `codecage worker`s instead of running them here, e.g. redis://10.0.0.5:6379/0')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;languages' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;images' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build language images (all when none is named)')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the language images and whether they are built, and the dependency images')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove dependency images: those built on an outdated language image, and those unused for a while')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codecage;images;build' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;images;bootstrap' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;images;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;images;prune' {
            [CompletionResult]::new('--unused-for', '--unused-for', [CompletionResultType]::ParameterName, 'Remove dependency images not used for this long. [default: 7d]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Remove every dependency image (not the language images)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;images;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build language images (all when none is named)')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the language images and whether they are built, and the dependency images')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove dependency images: those built on an outdated language image, and those unused for a while')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codecage;images;help;build' {
            break
        }
        'codecage;images;help;bootstrap' {
            break
        }
        'codecage;images;help;list' {
            break
        }
        'codecage;images;help;prune' {
            break
        }
        'codecage;images;help;help' {
            break
        }
        'codecage;cache' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Where the cache is, how many entries it holds and how big it is (the default)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codecage;cache;info' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;cache;clear' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;cache;help' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Where the cache is, how many entries it holds and how big it is (the default)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codecage;cache;help;info' {
            break
        }
        'codecage;cache;help;clear' {
            break
        }
        'codecage;cache;help;help' {
            break
        }
        'codecage;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;doctor' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;gc' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: $XDG_CONFIG_HOME/codecage/config.yaml]')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Extra directory of language profiles (repeatable; also CODECAGE_PROFILES, colon-separated)')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'OCI runtime of every sandbox, as the engine registered it (e.g. runsc for gVisor) [default: the profile''s, else the engine''s]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also remove containers that are still running')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show what the engine is doing (image, container, timings) on stderr')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Silence codecage''s own messages (limit notices, build notes); errors still print')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'codecage;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a program in a sandbox, as if it ran locally')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Grade a program against test cases, each in a fresh sandbox, with judge verdicts')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a problem package as problem setters do: every example submission must get the verdict its folder promises')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the runner over HTTP and WebSocket, with a web page')
            [CompletionResult]::new('worker', 'worker', [CompletionResultType]::ParameterValue, 'Take batch runs from a broker (Redis) and run them in this machine''s sandboxes')
            [CompletionResult]::new('languages', 'languages', [CompletionResultType]::ParameterValue, 'List the languages codecage knows, with versions and images')
            [CompletionResult]::new('images', 'images', [CompletionResultType]::ParameterValue, 'Build, list or prune the language and dependency images')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Show or clear the compile cache (compiled programs kept so a second run skips the compiler)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the engine, images, disk and that limits are really enforced (pass/warn/fail + fixes)')
            [CompletionResult]::new('gc', 'gc', [CompletionResultType]::ParameterValue, 'Remove leftover codecage containers (from a crash or a killed codecage)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'codecage;help;run' {
            break
        }
        'codecage;help;test' {
            break
        }
        'codecage;help;verify' {
            break
        }
        'codecage;help;serve' {
            break
        }
        'codecage;help;worker' {
            break
        }
        'codecage;help;languages' {
            break
        }
        'codecage;help;images' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build language images (all when none is named)')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Create the base image (debian:trixie-slim) without a registry: debootstrap a minimal Debian from its mirror and import it into the engine. Needs root and debootstrap (installed with apt when missing); where Docker Hub is reachable, `docker pull` does the same')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the language images and whether they are built, and the dependency images')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove dependency images: those built on an outdated language image, and those unused for a while')
            break
        }
        'codecage;help;images;build' {
            break
        }
        'codecage;help;images;bootstrap' {
            break
        }
        'codecage;help;images;list' {
            break
        }
        'codecage;help;images;prune' {
            break
        }
        'codecage;help;cache' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Where the cache is, how many entries it holds and how big it is (the default)')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove every entry')
            break
        }
        'codecage;help;cache;info' {
            break
        }
        'codecage;help;cache;clear' {
            break
        }
        'codecage;help;completions' {
            break
        }
        'codecage;help;man' {
            break
        }
        'codecage;help;doctor' {
            break
        }
        'codecage;help;gc' {
            break
        }
        'codecage;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
