//! Resources: processes, threads, memory, disk, inodes and time are bounded; daemons and zombies
//! die with the run.

use std::time::Duration;

use super::{attack, python};
use crate::harness::Test;

#[test]
pub fn shell_fork_bomb_is_contained() {
    // The classic bomb: forks fail at the pids limit, the main shell goes on and exits 0. The
    // bomb starts in one subshell, so the main shell's only fork happens before the limit bites.
    let test = Test::new()
        .file(
            "bomb.sh",
            "(f(){ f|f& }; f) &\nSECONDS=0; while (( SECONDS < 2 )); do :; done\necho survived\n",
        )
        .args(["run", "--time-limit", "20s", "bomb.sh"]);
    let out = attack(test, 0, Duration::from_secs(40));
    assert_eq!(out.stdout_str(), "survived\n");
}

#[test]
fn recursive_python_fork_bomb_ends_at_the_time_limit() {
    // Every process forks forever and ignores the failures: only the deadline ends it.
    let test = Test::new()
        .file(
            "bomb.py",
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
        )
        .args(["run", "--time-limit", "3s", "bomb.py"]);
    let out = attack(test, 124, Duration::from_secs(15));
    assert_eq!(out.stderr, "codecage: time limit exceeded (3s)\n");
}

#[test]
pub fn zombies_and_forks_are_bounded_by_the_pids_limit() {
    let out = python(
        "import os\nn = 0\ntry:\n    for _ in range(1000):\n        if os.fork() == 0:\n            os._exit(0)\n        n += 1\nexcept OSError:\n    print('capped', n < 1000)\n",
    );
    assert_eq!(out, "capped True\n");
}

#[test]
fn unreaped_zombies_stay_inside_and_go_with_the_run() {
    let out = python(
        "import os, time\nfor _ in range(20):\n    if os.fork() == 0:\n        os._exit(0)\ntime.sleep(0.5)\n\
         states = [open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[0] for p in os.listdir('/proc') if p.isdigit()]\n\
         print('zombies', states.count('Z'))\n",
    );
    assert_eq!(out, "zombies 20\n");
}

#[test]
fn inode_exhaustion_is_contained() {
    let out = python(
        "import errno\nn = 0\ntry:\n    while n < 100000:\n        open(f'/work/f{n}', 'w').close()\n        n += 1\nexcept OSError as e:\n    print('stopped', errno.errorcode[e.errno], n < 100000)\n",
    );
    assert_eq!(out, "stopped ENOSPC True\n");
}

#[test]
fn shared_memory_cannot_be_filled() {
    // No /dev/shm at all (IpcMode none): neither files nor POSIX shared memory.
    let out = python(
        "import errno\nfrom multiprocessing import shared_memory\n\
         try:\n    open('/dev/shm/fill', 'wb').write(b'x' * (256 << 20))\n    print('shm WRITTEN')\nexcept OSError as e:\n    print('shm', errno.errorcode[e.errno])\n\
         try:\n    shared_memory.SharedMemory(create=True, size=256 << 20)\n    print('shared_memory CREATED')\nexcept OSError as e:\n    print('shared_memory', errno.errorcode[e.errno])\n",
    );
    assert_eq!(out, "shm ENOENT\nshared_memory ENOENT\n");
}

#[test]
pub fn sleeping_forever_ends_at_the_time_limit() {
    let test = Test::new()
        .file("forever.sh", "echo sleeping\nsleep infinity\n")
        .args(["run", "--time-limit", "1s", "forever.sh"]);
    let out = attack(test, 124, Duration::from_secs(12));
    assert_eq!(out.stdout_str(), "sleeping\n");
    assert_eq!(out.stderr, "codecage: time limit exceeded (1s)\n");
}

#[test]
fn a_double_forked_daemon_does_not_outlive_the_program() {
    // The grandchild holds stdout open and writes forever; the run still ends when main exits.
    let test = Test::new()
        .file(
            "daemon.py",
            "import os, sys, time\n\
             if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        while True:\n            print('daemon', flush=True)\n            time.sleep(0.2)\n    os._exit(0)\n\
             time.sleep(1)\nprint('main done', flush=True)\n",
        )
        .args(["run", "--time-limit", "20s", "daemon.py"]);
    let out = attack(test, 0, Duration::from_secs(15));
    let text = out.stdout_str();
    assert!(text.starts_with("daemon\n"), "{text}");
    assert!(text.contains("main done\n"), "{text}");
}
