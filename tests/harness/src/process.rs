//! Child processes for the suites: finding a tool (or failing in CI), starting a server that
//! reports the port it bound, and waiting with a deadline.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether missing tools must fail the run (CI) rather than skip with a note.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Resolves `program` on PATH, or explains in one line what to install. In CI a missing tool is
/// a failure, never a silent skip.
pub fn require(program: &str, package: &str) -> Option<String> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    });
    match found {
        Some(p) => Some(p.display().to_string()),
        None if in_ci() => {
            panic!("{program} is not installed; CI must install it (apt-get install -y {package})")
        }
        None => {
            // Written to the real stderr, not through `eprintln!`, so libtest's capture does not
            // swallow it: a skipped suite must be visible in a passing run.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: {program} is not installed; `apt-get install -y {package}` then rerun `cargo test --workspace` (or `.ci/run`, which installs everything)"
            );
            None
        }
    }
}

/// Spawns `cmd` with its stdout captured and waits (up to `timeout`) for a line that contains
/// `marker`; returns the child and the rest of that line after the marker. The rest of stdout is
/// drained on a thread so the child never blocks on a full pipe.
///
/// This is how every server the suites start tells its port: it binds port 0 itself and prints
/// the port it got, so no two tests can be handed the same port (a port picked here and bound
/// later by the child could be taken in between by another test's server).
pub fn spawn_reporting(cmd: &mut Command, marker: &str, timeout: Duration) -> (Child, String) {
    use std::io::BufRead as _;
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap_or_else(|e| {
        panic!("cannot start {:?}: {e}", cmd.get_program());
    });
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = std::sync::mpsc::channel();
    let marker = marker.to_owned();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find(&marker)
                && let Some(tx) = tx.take()
            {
                let _ = tx.send(line[at + marker.len()..].trim().to_owned());
            }
        }
    });
    let deadline = Instant::now() + timeout;
    loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(rest) => return (child, rest),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                let status = wait_timeout(&mut child, Duration::from_secs(5));
                panic!(
                    "{:?} exited ({status:?}) before reporting its address",
                    cmd.get_program()
                );
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "{:?} did not report its address within {timeout:?}",
                    cmd.get_program()
                );
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}

/// Waits for `child` to exit, at most `timeout`; then kills it and fails the test, so a hung
/// child can never hang the suite.
pub fn wait_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "child process {} did not exit within {timeout:?}",
                child.id()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
