//! A far source: without `--jobs`, the blobs copied at once follow the round
//! trip (bench/wan.sh measures what that is worth; no timings are asserted here).

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::util::image::skopeo_digest;
use crate::util::proxy::{Behaviour, Proxy};
use crate::util::{Home, TestImage, TestRegistry};

#[test]
fn a_far_source_gets_more_blobs_at_once_unless_jobs_is_given() {
    let src = TestRegistry::plain();
    let dst = TestRegistry::plain();
    let home = Home::new();
    let sizes = [4096; 48];
    let image = TestImage::single(2501, &sizes);
    image.push(&src, "far:1", false);
    // 100 ms before every answer: a source across an ocean.
    let proxy = Proxy::start(
        &src.addr,
        Behaviour {
            latency: Some(Duration::from_millis(100)),
            ..Behaviour::default()
        },
    );
    let mirror = |to: &str| {
        home.aseecr()
            .args(["mirror", "--src-plain-http", "--dst-plain-http"])
            .arg(format!("{}/far:1", proxy.addr))
            .arg(format!("{}/{to}:1", dst.addr))
    };

    mirror("auto").ok();
    assert_eq!(skopeo_digest(&dst, "auto:1"), image.digest());
    let most = proxy.stats.max_in_flight.load(Ordering::SeqCst);
    // The default, 8, for a near source; 8 more per 25 ms of round trip.
    assert!(
        most >= 16,
        "at most {most} requests at once at the far source"
    );

    // `--jobs` given is what the user asked for, however far the source.
    proxy.stats.max_in_flight.store(0, Ordering::SeqCst);
    mirror("given").args(["-j", "4"]).ok();
    assert_eq!(skopeo_digest(&dst, "given:1"), image.digest());
    let most = proxy.stats.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=4).contains(&most), "{most} requests at once with -j 4");
}
