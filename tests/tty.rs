//! `codecage run` on a terminal, driven through tmux: prompts, echo, window size, Ctrl-C, curses,
//! and the terminal restored on every exit path.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::harness::{assert_no_containers, Test, BIN};

pub struct Tmux {
    name: String,
    dir: PathBuf,
    tag: String,
    _test: Test,
}

impl Tmux {
    /// Start `codecage ARGS` in a detached tmux pane of the given size, recording `stty -g` before
    /// and after, and the exit status.
    pub fn start(test: Test, args: &str, cols: u16, rows: u16) -> Tmux {
        let dir = test.path().to_path_buf();
        let tag = test.tag().to_string();
        let name = format!("cc-{tag}");
        let script = format!(
            "cd '{dir}' && stty -g > before.txt; CODECAGE_TEST_TAG={tag} XDG_CONFIG_HOME='{dir}/.config' '{BIN}' {args}; echo $? > status.txt; stty -g > after.txt; sleep 600",
            dir = dir.display()
        );
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                &cols.to_string(),
                "-y",
                &rows.to_string(),
                &script,
            ])
            .status()
            .expect("tmux is needed for the terminal tests (apt-get install tmux)");
        assert!(ok.success(), "tmux new-session failed");
        Tmux {
            name,
            dir,
            tag,
            _test: test,
        }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen shows `text` (capture-pane drops trailing spaces: do not end with one).
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{text:?} never appeared; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .unwrap();
        assert!(ok.success());
    }

    pub fn status(&self) -> i32 {
        let path = self.dir.join("status.txt");
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if text.ends_with('\n') {
                    let code = text.trim().parse().unwrap();
                    // after.txt is written right after status.txt
                    std::thread::sleep(Duration::from_millis(200));
                    return code;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "codecage never exited; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn assert_terminal_restored(&self) {
        let before = std::fs::read_to_string(self.dir.join("before.txt")).unwrap();
        let after = std::fs::read_to_string(self.dir.join("after.txt")).unwrap();
        assert_eq!(before, after, "terminal settings differ after the run");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
        if !std::thread::panicking() {
            assert_no_containers(&self.tag);
        }
    }
}

#[test]
fn prompts_appear_before_input_and_answers_are_echoed_once() {
    let test = Test::new().file(
        "greet.py",
        "name = input('name? ')\nage = input('age? ')\nprint(f'hello {name}, {age}')\n",
    );
    let t = Tmux::start(test, "run greet.py", 100, 30);
    t.wait_for("name?");
    assert!(
        !t.screen().contains("age?"),
        "second prompt before the first answer"
    );
    t.keys(&["Ada", "Enter"]);
    t.wait_for("age?");
    t.keys(&["36", "Enter"]);
    assert_eq!(t.status(), 0);
    let screen = t.wait_for("hello Ada, 36");
    assert_eq!(
        screen.matches("Ada").count(),
        2,
        "answer echoed more than once:\n{screen}"
    );
    assert!(screen.contains("name? Ada\n"), "{screen}");
    t.assert_terminal_restored();
}

#[test]
fn the_program_sees_the_window_size_and_its_changes() {
    let test = Test::new().file(
        "size.py",
        "import os\ns = os.get_terminal_size()\nprint('size', s.columns, s.lines)\ninput()\ns = os.get_terminal_size()\nprint('size', s.columns, s.lines)\n",
    );
    let t = Tmux::start(test, "run size.py", 100, 30);
    t.wait_for("size 100 30");
    let ok = Command::new("tmux")
        .args(["resize-window", "-t", &t.name, "-x", "120", "-y", "40"])
        .status()
        .unwrap();
    assert!(ok.success());
    std::thread::sleep(Duration::from_millis(500));
    t.keys(&["Enter"]);
    t.wait_for("size 120 40");
    assert_eq!(t.status(), 0);
    t.assert_terminal_restored();
}

#[test]
fn ctrl_c_goes_to_the_program() {
    let test = Test::new().file(
        "intr.py",
        "import time\ntry:\n    print('waiting', flush=True)\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    print('caught ctrl-c')\n",
    );
    let t = Tmux::start(test, "run intr.py", 80, 24);
    t.wait_for("waiting");
    t.keys(&["C-c"]);
    t.wait_for("caught ctrl-c");
    assert_eq!(t.status(), 0);
    t.assert_terminal_restored();
}

#[test]
fn terminal_restored_after_a_time_limit_kill() {
    let test = Test::new().file(
        "spin.py",
        "print('spinning', flush=True)\nwhile True:\n    pass\n",
    );
    let t = Tmux::start(test, "run -t 1s spin.py", 80, 24);
    assert_eq!(t.status(), 124);
    t.wait_for("codecage: time limit exceeded (1s)");
    t.assert_terminal_restored();
}

#[test]
fn terminal_restored_after_sigterm_to_codecage() {
    let test = Test::new().file(
        "sleeper.py",
        "import time\nprint('asleep', flush=True)\ntime.sleep(300)\n",
    );
    let marker = format!("sleeper-{}.py", std::process::id());
    std::fs::rename(test.path().join("sleeper.py"), test.path().join(&marker)).unwrap();
    let t = Tmux::start(test, &format!("run {marker}"), 80, 24);
    t.wait_for("asleep");
    let ok = Command::new("pkill")
        .args(["-TERM", "-f", &format!("codecage run {marker}")])
        .status()
        .unwrap();
    assert!(ok.success(), "codecage process not found");
    assert_eq!(t.status(), 143);
    t.assert_terminal_restored();
}

#[test]
fn a_curses_program_draws_and_exits_cleanly() {
    let test = Test::new().file(
        "ui.py",
        "import curses\ndef main(s):\n    s.clear()\n    s.addstr(3, 4, 'CURSES OK', curses.A_BOLD)\n    s.refresh()\n    s.getch()\ncurses.wrapper(main)\nprint('after curses')\n",
    );
    let t = Tmux::start(test, "run ui.py", 80, 24);
    let screen = t.wait_for("CURSES OK");
    assert!(
        screen
            .lines()
            .nth(3)
            .unwrap_or("")
            .starts_with("    CURSES OK"),
        "{screen}"
    );
    t.keys(&["q"]);
    assert_eq!(t.status(), 0);
    t.wait_for("after curses");
    t.assert_terminal_restored();
}
