//! `mirror --to A --to B --to C`: every source to every destination, each blob
//! read from the source once (counted by the test proxy in front of it), each
//! destination with its own stored login and certificate; a destination that
//! stops in the middle fails its own images only, and a rerun completes it.

use std::collections::HashMap;
use std::time::Duration;

use crate::util::image::skopeo_pull_digest;
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::registry::{Options, USER};
use crate::util::tmpfs::Tmpfs;
use crate::util::{Home, TestImage, TestRegistry};

/// An edge registry whose password is its own.
fn edge(password: &'static str) -> TestRegistry {
    TestRegistry::start(Options {
        password,
        ..Options::default()
    })
}

/// `aseecr login` to `registry` with its password and CA, which aseecr keeps.
fn login(home: &Home, registry: &TestRegistry) {
    home.aseecr()
        .args([
            "login",
            &registry.addr,
            "-u",
            USER,
            "--password-stdin",
            "--ca-cert",
        ])
        .arg(registry.ca_file())
        .stdin(format!("{}\n", registry.options.password))
        .ok();
}

/// Blob GETs the proxy passed on, by digest.
fn blob_reads(proxy: &Proxy) -> HashMap<String, usize> {
    let mut reads = HashMap::new();
    for line in proxy.stats.paths.lock().unwrap().iter() {
        if let Some(path) = line.strip_prefix("GET ")
            && let Some((_, digest)) = path.split_once("/blobs/")
            && !digest.starts_with("uploads")
        {
            *reads.entry(digest.to_owned()).or_default() += 1;
        }
    }
    reads
}

#[test]
fn three_destinations_get_one_read_of_each_blob_and_a_stopped_one_is_finished_by_the_rerun() {
    let src = TestRegistry::plain();
    let home = Home::new();
    let one = TestImage::single(701, &[3 << 20, 200_000]);
    one.push(&src, "app:1", false);
    let two = TestImage::single(702, &[24 << 20, 100_000]);
    two.push(&src, "app:2", false);
    let mut destinations = [edge("pw-a-1"), edge("pw-b-22"), edge("pw-c-333")];
    for destination in &destinations {
        login(&home, destination);
    }
    let proxy = Proxy::start(&src.addr, Behaviour::default());
    let mirror = |image: &str, destinations: &[TestRegistry]| {
        let mut command = home
            .aseecr()
            .args(["mirror", "--src-plain-http"])
            .arg(format!("{}/{image}", proxy.addr));
        for destination in destinations {
            command = command.args(["--to", &format!("{}/edge", destination.addr)]);
        }
        command
    };

    let out = mirror("app:1", &destinations).ok();
    for destination in &destinations {
        assert_eq!(
            skopeo_pull_digest(destination, "edge/app:1").as_deref(),
            Some(one.digest().as_str()),
            "{}",
            out.stderr
        );
    }
    let reads = blob_reads(&proxy);
    assert_eq!(reads.len(), 3, "{reads:?}");
    assert!(reads.values().all(|&n| n == 1), "{reads:?}");
    for destination in &destinations {
        assert!(
            out.stdout
                .contains(&format!("{}/edge/app:1@", destination.addr)),
            "{}",
            out.stdout
        );
    }

    // The second destination stops while the 24 MiB layer is on its way (4 MiB/s).
    proxy.stats.paths.lock().unwrap().clear();
    let child = mirror("app:2", &destinations)
        .args(["--limit-rate", "4M", "--format", "json"])
        .spawn();
    std::thread::sleep(Duration::from_secs(2));
    destinations[1].stop();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{report}");
    for (item, destination) in items.iter().zip(&destinations) {
        assert!(
            item["destination"]
                .as_str()
                .unwrap()
                .starts_with(&destination.addr),
            "{item}"
        );
    }
    assert_eq!(items[0]["status"], "copied", "{report}");
    assert_eq!(items[2]["status"], "copied", "{report}");
    assert!(items[1]["error"].is_object(), "{report}");
    assert_eq!(
        skopeo_pull_digest(&destinations[0], "edge/app:2").as_deref(),
        Some(two.digest().as_str())
    );
    assert_eq!(
        skopeo_pull_digest(&destinations[2], "edge/app:2").as_deref(),
        Some(two.digest().as_str())
    );
    let reads = blob_reads(&proxy);
    assert!(reads.values().all(|&n| n == 1), "{reads:?}");

    // Back up: the rerun copies to it alone; the others are up to date.
    destinations[1].restart();
    let out = mirror("app:2", &destinations).ok();
    assert_eq!(
        skopeo_pull_digest(&destinations[1], "edge/app:2").as_deref(),
        Some(two.digest().as_str()),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.stdout.matches("up to date").count(),
        2,
        "{}",
        out.stdout
    );
}

#[test]
fn several_destinations_take_registries_and_sources_only() {
    let home = Home::new();
    let out = home
        .aseecr()
        .args([
            "mirror",
            "a.example/x:1",
            "--to",
            "b.example",
            "--to",
            "oci:./dir",
        ])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: `oci:./dir` is a layout: several destinations must be registries\nhelp: write a layout or archive in a run of its own\n"
    );
    let list = home.path().join("images.txt");
    std::fs::write(&list, "a.example/x:1 c.example/y:1\n").unwrap();
    let out = home
        .aseecr()
        .args(["mirror", "-f"])
        .arg(&list)
        .args(["--to", "b.example", "--to", "d.example"])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "error: `c.example/y:1` names its own destination, but the run copies to 2 registries\nhelp: with several --to, list sources only (`SRC` lines)\n"
    );
    let destinations = home.path().join("devices.txt");
    std::fs::write(&destinations, "# the plant\n\n").unwrap();
    let out = home
        .aseecr()
        .args(["mirror", "a.example/x:1", "--to-file"])
        .arg(&destinations)
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.starts_with("error: `"), "{}", out.stderr);
    assert!(
        out.stderr
            .ends_with("` names no destination\nhelp: list one REGISTRY[/PREFIX] per line\n"),
        "{}",
        out.stderr
    );
}

/// `--limit-rate` with several destinations caps the one read from the source
/// (the link they share): the source never sends faster than the rate, and the
/// destinations, following the spooled file, finish with it.
#[test]
fn limit_rate_caps_the_one_source_read_whatever_the_number_of_destinations() {
    let src = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(711, &[32 << 20, 32 << 20]);
    image.push(&src, "app:1", false);
    let destinations = [edge("pw-r-1"), edge("pw-r-22")];
    for destination in &destinations {
        login(&home, destination);
    }
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            stream_blobs: true,
            ..Behaviour::default()
        },
    );
    let mut command = home
        .aseecr()
        .args(["mirror", "--src-plain-http", "--limit-rate", "8M"])
        .arg(format!("{}/app:1", proxy.addr));
    for destination in &destinations {
        command = command.args(["--to", &format!("{}/edge", destination.addr)]);
    }
    let started = std::time::Instant::now();
    let mut child = command.spawn();
    // At 8 MiB/s the source has sent at most 8 MiB per second so far, plus
    // what the two connections' socket buffers take ahead of aseecr's reads
    // (the proxy counts what it hands to the socket: some MiB each on
    // loopback). Read at full speed, all 64 MiB go in the first second.
    let mut samples = Vec::new();
    while child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(250));
        let sent = proxy
            .stats
            .blob_bytes
            .load(std::sync::atomic::Ordering::SeqCst) as f64;
        let seconds = started.elapsed().as_secs_f64();
        samples.push((seconds, sent / (1 << 20) as f64));
        assert!(
            sent <= (8.0 * seconds + 21.0) * (1 << 20) as f64,
            "the source sent {:.1} MiB in {seconds:.2} s: {samples:?}",
            sent / (1 << 20) as f64
        );
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("MiB sent by the source over time: {samples:?}");
    // 64 MiB at 8 MiB/s: eight seconds at least, whatever the destinations.
    let seconds = started.elapsed().as_secs_f64();
    assert!(seconds >= 7.6, "{seconds:.2} s: {samples:?}");
    for destination in &destinations {
        assert_eq!(
            skopeo_pull_digest(destination, "edge/app:1").as_deref(),
            Some(image.digest().as_str())
        );
    }
    let reads = blob_reads(&proxy);
    assert!(reads.values().all(|&n| n == 1), "{reads:?}");
}

/// One destination refuses its stored password, another runs out of disk in
/// the middle of a layer: each fails its own image with its own error, the
/// third gets the image, the source is read once; fixed, the rerun completes
/// both and leaves the third alone.
#[test]
fn a_wrong_password_and_a_full_disk_fail_their_destinations_alone() {
    let src = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(721, &[4 << 20, 100_000]);
    image.push(&src, "app:1", false);
    let (ok, mut wrong, full) = (edge("pw-ok-1"), edge("pw-wrong-22"), edge("pw-full-333"));
    for destination in [&ok, &wrong, &full] {
        login(&home, destination);
    }
    // The password changed on the registry after the login was stored.
    let htpasswd = wrong.dir().join("htpasswd");
    let stored = std::fs::read(&htpasswd).unwrap();
    wrong.stop();
    let hash = bcrypt::hash("changed-since", 4).unwrap();
    std::fs::write(&htpasswd, format!("{USER}:{hash}\n")).unwrap();
    wrong.restart();
    // 1 MiB of disk for a 4 MiB layer.
    let disk = Tmpfs::mount_over(&full.storage(), "1m");

    let proxy = Proxy::start(&src.addr, Behaviour::default());
    let targets: Vec<String> = [&ok, &wrong, &full]
        .iter()
        .map(|d| format!("{}/edge", d.addr))
        .collect();
    let mirror = || {
        let mut command = home
            .aseecr()
            .args(["mirror", "--src-plain-http", "--format", "json"])
            .arg(format!("{}/app:1", proxy.addr));
        for target in &targets {
            command = command.args(["--to", target]);
        }
        command
    };
    let out = mirror().run().code(1);
    let report = out.json();
    let items = report["items"].as_array().unwrap();
    assert_eq!(items[0]["status"], "copied", "{report}");
    assert_eq!(items[1]["status"], "failed", "{report}");
    assert_eq!(items[1]["error"]["kind"], "auth-rejected", "{report}");
    assert_eq!(items[2]["status"], "failed", "{report}");
    assert!(
        items[2]["error"]["help"][0]
            .as_str()
            .unwrap()
            .contains("free disk space"),
        "{report}"
    );
    assert_eq!(
        skopeo_pull_digest(&ok, "edge/app:1").as_deref(),
        Some(image.digest().as_str())
    );
    let reads = blob_reads(&proxy);
    assert!(reads.values().all(|&n| n == 1), "{reads:?}");

    // Room made, the old password back: the rerun completes both.
    disk.grow("64m");
    wrong.stop();
    std::fs::write(&htpasswd, stored).unwrap();
    wrong.restart();
    let out = mirror().ok();
    let report = out.json();
    let statuses: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["up-to-date", "copied", "copied"], "{report}");
    for destination in [&wrong, &full] {
        assert_eq!(
            skopeo_pull_digest(destination, "edge/app:1").as_deref(),
            Some(image.digest().as_str())
        );
    }
}

/// The entries of a folder, by name.
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A fan-out's mirror command from `source` to every destination, with TMPDIR.
fn fan_out(
    home: &Home,
    source: &str,
    destinations: &[TestRegistry],
    tmp: &std::path::Path,
) -> crate::util::Aseecr {
    let mut command = home
        .aseecr()
        .args(["mirror", "--src-plain-http"])
        .arg(source)
        .env("TMPDIR", tmp);
    for destination in destinations {
        command = command.args(["--to", &format!("{}/edge", destination.addr)]);
    }
    command
}

/// 32 MiB of layers through a 20 MiB TMPDIR to two destinations: each spooled
/// blob is removed once both have it, so the spool holds the blobs in flight
/// and the run succeeds (it kept every blob to the end, and failed blaming the
/// source); nothing is left in TMPDIR.
#[test]
fn a_fan_out_frees_each_spooled_blob_once_every_destination_has_it() {
    let src = TestRegistry::plain();
    let home = Home::new();
    let image = TestImage::single(731, &[4 << 20; 8]);
    image.push(&src, "app:1", false);
    let destinations = [edge("pw-s-1"), edge("pw-s-22")];
    for destination in &destinations {
        login(&home, destination);
    }
    let tmp = Tmpfs::mount("20m");
    let out = fan_out(
        &home,
        &format!("{}/app:1", src.addr),
        &destinations,
        tmp.path(),
    )
    .args(["--jobs", "1"])
    .ok();
    for destination in &destinations {
        assert_eq!(
            skopeo_pull_digest(destination, "edge/app:1").as_deref(),
            Some(image.digest().as_str()),
            "{}",
            out.stderr
        );
    }
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
}

/// A blob larger than TMPDIR: the fan-out fails naming TMPDIR, with what to
/// do, not blaming the source; nothing is left there.
#[test]
fn a_full_tmpdir_is_named_in_the_error_of_a_fan_out() {
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(732, &[16 << 20, 1000]).push(&src, "app:1", false);
    let destinations = [edge("pw-t-1"), edge("pw-t-22")];
    for destination in &destinations {
        login(&home, destination);
    }
    let tmp = Tmpfs::mount("8m");
    let out = fan_out(
        &home,
        &format!("{}/app:1", src.addr),
        &destinations,
        tmp.path(),
    )
    .args(["--format", "json"])
    .run()
    .code(1);
    let report = out.json();
    for item in report["items"].as_array().unwrap() {
        assert_eq!(item["status"], "failed", "{report}");
        let message = item["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("to the spool in `{}", tmp.path().display()))
                && message.contains("No space left on device")
                && !message.contains("stopped sending"),
            "{report}"
        );
        assert_eq!(item["error"]["kind"], "failed", "{report}");
        assert_eq!(
            item["error"]["help"][0],
            "free space in TMPDIR or set TMPDIR to a larger folder (TEMP on Windows): there the blobs wait for every destination",
            "{report}"
        );
    }
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
}

/// While a fan-out runs, its spool is private (0700, files 0600); killed, it
/// leaves the spool behind, and the next fan-out removes it (it is old and
/// no run holds its lock) but not the spool of a run still going.
#[cfg(unix)]
#[test]
fn a_killed_fan_outs_spool_is_private_and_removed_by_the_next_one() {
    use std::os::unix::fs::PermissionsExt;
    use std::sync::atomic::Ordering;
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(733, &[300_000, 200_000]).push(&src, "app:1", false);
    let layers = crate::util::image::layer_digests(&src, "app:1");
    let destinations = [edge("pw-k-1"), edge("pw-k-22")];
    for destination in &destinations {
        login(&home, destination);
    }
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            stall_blob: Some(layers[1].clone()),
            ..Behaviour::default()
        },
    );
    let tmp = tempfile::tempdir().unwrap();
    let stalled = |command: crate::util::Aseecr| {
        let child = command.spawn();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !proxy.stats.stalled.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(proxy.stats.stalled.load(Ordering::SeqCst));
        std::thread::sleep(Duration::from_millis(500));
        child
    };
    let mut child = stalled(fan_out(
        &home,
        &format!("{}/app:1", proxy.addr),
        &destinations,
        tmp.path(),
    ));
    let spools = entries(tmp.path());
    assert_eq!(spools.len(), 1, "{spools:?}");
    assert!(spools[0].starts_with("aseecr-spool-"), "{spools:?}");
    let spool = tmp.path().join(&spools[0]);
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let mut files = 0;
    for dir in [spool.clone(), spool.join("0")] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                assert_eq!(mode(&path), 0o600, "{}", path.display());
                files += 1;
            }
        }
    }
    // The lock, and the first layer (read whole by both, it may be gone).
    assert!(files >= 1, "{:?}", entries(&spool));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(spool.is_dir());

    // A run still going (stalled too) keeps its spool, however old.
    proxy.stats.stalled.store(false, Ordering::SeqCst);
    let mut live = stalled(fan_out(
        &home,
        &format!("{}/app:1", proxy.addr),
        &destinations,
        tmp.path(),
    ));
    let live_spool: Vec<String> = entries(tmp.path())
        .into_iter()
        .filter(|n| *n != spools[0])
        .collect();
    assert_eq!(live_spool.len(), 1);
    let live_spool = tmp.path().join(&live_spool[0]);
    for dir in [&spool, &live_spool] {
        let touched = std::process::Command::new("touch")
            .args(["-d", "2 hours ago"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(touched.success());
    }
    // The next fan-out, from the registry itself: it succeeds, removes the
    // killed run's spool and its own, and leaves the live run's.
    fan_out(
        &home,
        &format!("{}/app:1", src.addr),
        &destinations,
        tmp.path(),
    )
    .ok();
    assert_eq!(
        entries(tmp.path()),
        [live_spool
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()]
    );
    live.kill().unwrap();
    live.wait().unwrap();
}

/// Both destinations fail (neither certificate is trusted): on a pipe, each
/// error is printed above the summary that points at them.
#[test]
fn when_every_destination_fails_each_error_is_printed_above_the_summary() {
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(734, &[1000]).push(&src, "app:1", false);
    let destinations = [edge("pw-f-1"), edge("pw-f-22")];
    let out = fan_out(
        &home,
        &format!("{}/app:1", src.addr),
        &destinations,
        home.path(),
    )
    .run();
    assert_ne!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some("nothing mirrored: 2 of 2 failed (errors above)"),
        "{}",
        out.stderr
    );
    for destination in &destinations {
        let error = lines
            .iter()
            .position(|l| l.starts_with(&format!("error: `{}`: ", destination.addr)));
        assert!(error.is_some(), "{}", out.stderr);
        assert!(
            lines[error.unwrap() + 1].starts_with("help: "),
            "{}",
            out.stderr
        );
    }
}

/// The same on a terminal, among the destinations' progress lines.
#[test]
fn when_every_destination_fails_each_error_is_shown_above_the_summary_on_a_terminal() {
    let src = TestRegistry::plain();
    let home = Home::new();
    TestImage::single(735, &[1000]).push(&src, "app:1", false);
    let destinations = [edge("pw-g-1"), edge("pw-g-22")];
    let out = fan_out(
        &home,
        &format!("{}/app:1", src.addr),
        &destinations,
        home.path(),
    )
    .run_on_terminal();
    let summary = out
        .stdout
        .find("nothing mirrored: 2 of 2 failed (errors above)")
        .unwrap_or_else(|| panic!("{:?}", out.stdout));
    for destination in &destinations {
        let error = out
            .stdout
            .find(&format!("error: `{}`: ", destination.addr))
            .unwrap_or_else(|| panic!("{:?}", out.stdout));
        assert!(error < summary, "{:?}", out.stdout);
    }
}
