//! `mirror --limit-rate`: one token bucket shared by every blob body read from a
//! source in a run, so all concurrent transfers together stay under the rate.
//!
//! The limit sits on the source side, where the bytes enter aseecr: a chunk read
//! from the source is handed on in pieces of at most [`RateLimit::piece`] bytes,
//! each after the bucket allows it, and the next read happens only when the
//! previous chunk is all handed on. What is written to the destination is what
//! was read, so the upload is bounded too. Manifests and other small requests
//! are not counted. Pieces are small (a sixteenth of a second at the rate), so
//! concurrent transfers take turns fairly and none goes quiet for long, which
//! keeps each above the low-speed rule of the idle timeout (see [`MIN_RATE`]).

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::time::Instant;

use crate::error::Error;

/// The lowest accepted rate, 16 KiB/s: with the most transfers at once
/// (`-j 64`), each still gets 256 bytes a second, 5 KiB per 20-second idle
/// window, five times the 1 KiB the low-speed rule asks of a body.
pub const MIN_RATE: u64 = 16 * 1024;
/// Pieces per second at the rate: a piece is `rate / 16`, within
/// [`MIN_PIECE`]..=[`MAX_PIECE`].
const PIECES_PER_SECOND: u64 = 16;
const MIN_PIECE: u64 = 1024;
const MAX_PIECE: u64 = 256 * 1024;

const HELP: &str = "give bytes per second, e.g. `--limit-rate 20M` or `--limit-rate 500K`; K, M and G are 1024-based (20M = 20 MiB/s), as in curl and wget";

/// A shared limit on the bytes per second read from sources. Clones share one bucket.
#[derive(Clone)]
pub struct RateLimit {
    bucket: Arc<Mutex<Bucket>>,
    piece: usize,
}

impl std::fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RateLimit({} B/s)", self.bytes_per_second())
    }
}

impl RateLimit {
    /// A limit of `bytes_per_second` (at least 1), with a burst of one piece.
    pub fn new(bytes_per_second: u64) -> RateLimit {
        let rate = bytes_per_second.max(1);
        let piece = (rate / PIECES_PER_SECOND).clamp(MIN_PIECE, MAX_PIECE);
        RateLimit {
            bucket: Arc::new(Mutex::new(Bucket::new(rate, piece))),
            piece: piece as usize,
        }
    }

    /// Parse `--limit-rate`: bytes per second, with an optional 1024-based
    /// suffix `K`, `M` or `G` (any case, `KiB`/`MiB`/`GiB` too) and decimals
    /// (`1.5M`); at least [`MIN_RATE`]. `KB`/`MB`/`GB` are refused rather than
    /// guessed at, since elsewhere they mean powers of 1000.
    pub fn parse(text: &str) -> Result<u64, Error> {
        let trimmed = text.trim();
        let split = trimmed
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(trimmed.len());
        let (number, suffix) = trimmed.split_at(split);
        let invalid =
            |why: &str| Error::usage(format!("invalid --limit-rate `{text}`: {why}")).help(HELP);
        let multiplier: u64 = match suffix.to_ascii_lowercase().as_str() {
            "" => 1,
            "k" | "ki" | "kib" => 1 << 10,
            "m" | "mi" | "mib" => 1 << 20,
            "g" | "gi" | "gib" => 1 << 30,
            "kb" | "mb" | "gb" => {
                return Err(invalid(
                    "KB, MB and GB are ambiguous (1000 or 1024?); write K, M or G, which are 1024-based",
                ));
            }
            _ => return Err(invalid("expected a number of bytes per second")),
        };
        let value: f64 = match number.parse() {
            Ok(value) if number.bytes().any(|b| b.is_ascii_digit()) => value,
            _ => return Err(invalid("expected a number of bytes per second")),
        };
        let bytes = value * multiplier as f64;
        // 1 TiB/s: far beyond any link, and exact in f64.
        if !bytes.is_finite() || bytes > (1u64 << 40) as f64 {
            return Err(invalid("more than 1T bytes per second"));
        }
        let bytes = bytes as u64;
        if bytes < MIN_RATE {
            return Err(Error::usage(format!(
                "--limit-rate `{text}` is below the lowest rate aseecr accepts, 16K (16 KiB/s)"
            ))
            .help("a slower transfer would fall below the idle timeout's low-speed rule; use --limit-rate 16K or more"));
        }
        Ok(bytes)
    }

    pub fn bytes_per_second(&self) -> u64 {
        self.bucket.lock().unwrap_or_else(|p| p.into_inner()).rate
    }

    /// The most handed on at once.
    pub fn piece(&self) -> usize {
        self.piece
    }

    /// Wait until `bytes` more may pass.
    async fn take(&self, bytes: usize) {
        let now = Instant::now();
        let wait = self
            .bucket
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .reserve(now, bytes as u64);
        if !wait.is_zero() {
            tokio::time::sleep_until(now + wait).await;
        }
    }
}

/// `stream` (a source's blob body) limited by `limit`; unchanged without one.
pub fn limit<S, E>(
    limit: Option<&RateLimit>,
    stream: S,
) -> Pin<Box<dyn Stream<Item = Result<Bytes, E>> + Send>>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Send + 'static,
{
    let Some(limit) = limit else {
        return Box::pin(stream);
    };
    let state = Limited {
        inner: Box::pin(stream),
        rest: Bytes::new(),
        limit: limit.clone(),
    };
    Box::pin(futures_util::stream::unfold(state, Limited::next))
}

struct Limited<E> {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, E>> + Send>>,
    /// What is left of the last chunk read.
    rest: Bytes,
    limit: RateLimit,
}

impl<E> Limited<E> {
    async fn next(mut self) -> Option<(Result<Bytes, E>, Limited<E>)> {
        if self.rest.is_empty() {
            match self.inner.next().await? {
                Ok(chunk) => self.rest = chunk,
                Err(err) => return Some((Err(err), self)),
            }
        }
        let piece = self.rest.split_to(self.rest.len().min(self.limit.piece()));
        self.limit.take(piece.len()).await;
        Some((Ok(piece), self))
    }
}

/// The bucket's arithmetic (GCRA, the virtual-scheduling form of a token
/// bucket): bytes passed by time `t` never exceed `rate * (t - t0) + burst`.
#[derive(Debug)]
struct Bucket {
    /// Bytes per second.
    rate: u64,
    /// What may pass at once after a pause.
    burst: Duration,
    /// When everything reserved so far has been paid for at the rate.
    paid_until: Option<Instant>,
}

impl Bucket {
    fn new(rate: u64, burst_bytes: u64) -> Bucket {
        Bucket {
            rate,
            burst: duration_of(burst_bytes, rate),
            paid_until: None,
        }
    }

    /// Reserve `bytes` at `now`; how long to wait before they may pass.
    /// Reservations queue: each waits for those made before it.
    fn reserve(&mut self, now: Instant, bytes: u64) -> Duration {
        let start = self.paid_until.map_or(now, |paid| paid.max(now));
        let paid = start + duration_of(bytes, self.rate);
        self.paid_until = Some(paid);
        paid.saturating_duration_since(now + self.burst)
    }
}

/// The time `bytes` take at `rate` bytes per second.
fn duration_of(bytes: u64, rate: u64) -> Duration {
    let nanos = u128::from(bytes) * 1_000_000_000 / u128::from(rate.max(1));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_as_1024_based_bytes_per_second() {
        let ok = |text: &str| RateLimit::parse(text).unwrap();
        assert_eq!(ok("20M"), 20 * 1024 * 1024);
        assert_eq!(ok("500K"), 500 * 1024);
        assert_eq!(ok("500k"), 500 * 1024);
        assert_eq!(ok("1.5M"), 1024 * 1024 * 3 / 2);
        assert_eq!(ok("2G"), 2 << 30);
        assert_eq!(ok("5MiB"), 5 << 20);
        assert_eq!(ok(" 100000 "), 100_000);
        assert_eq!(ok("16K"), MIN_RATE);
        for bad in [
            "", "M", "20X", "20 M", "-5M", "1.2.3M", "20MB", "20kb", "20M/s", "nan", "inf", "1e6",
            "2000G",
        ] {
            let err = RateLimit::parse(bad).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Usage, "{bad}");
            assert!(!err.help.is_empty(), "{bad}: no help line");
        }
        // Which rule refused it: the whole message, as users read it.
        assert_eq!(
            RateLimit::parse("15K").unwrap_err().message,
            "--limit-rate `15K` is below the lowest rate aseecr accepts, 16K (16 KiB/s)"
        );
        assert_eq!(
            RateLimit::parse("20MB").unwrap_err().message,
            "invalid --limit-rate `20MB`: KB, MB and GB are ambiguous (1000 or 1024?); write K, M or G, which are 1024-based"
        );
    }

    #[test]
    fn pieces_are_a_sixteenth_of_a_second_within_bounds() {
        assert_eq!(RateLimit::new(16 * 1024).piece(), 1024);
        assert_eq!(RateLimit::new(1 << 20).piece(), 64 * 1024);
        assert_eq!(RateLimit::new(5 << 20).piece(), 256 * 1024);
        assert_eq!(RateLimit::new(1).piece(), 1024);
    }

    #[test]
    fn the_bucket_allows_a_burst_then_the_rate() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        // 1000 B/s, a burst of 100 bytes.
        let mut bucket = Bucket::new(1000, 100);
        assert_eq!(bucket.reserve(t0, 100), Duration::ZERO);
        assert_eq!(bucket.reserve(t0, 100), ms(100));
        // Reservations queue behind each other: 200 reserved, 1000 more.
        assert_eq!(bucket.reserve(t0, 1000), ms(1100));
        // At the time that was paid for, the next 100 wait only for themselves.
        assert_eq!(bucket.reserve(t0 + ms(1200), 100), ms(0));
        assert_eq!(bucket.reserve(t0 + ms(1200), 50), ms(50));
        // A long pause saves up no more than the burst.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(bucket.reserve(later, 100), Duration::ZERO);
        assert_eq!(bucket.reserve(later, 100), ms(100));
    }

    #[test]
    fn the_bucket_holds_the_rate_over_a_long_run() {
        // 5 MiB/s in 256 KiB pieces: 50 MiB are allowed after 10 s less the burst.
        let rate = 5 << 20;
        let piece = 256 * 1024;
        let mut bucket = Bucket::new(rate, piece);
        let t0 = Instant::now();
        let mut last = Duration::ZERO;
        for _ in 0..(50 << 20) / piece {
            last = bucket.reserve(t0, piece);
        }
        let expected = Duration::from_secs(10) - duration_of(piece, rate);
        assert_eq!(last, expected);
        assert_eq!(duration_of(3, 2), Duration::from_millis(1500));
    }

    #[tokio::test]
    async fn streams_pass_every_byte_in_pieces() {
        let chunks: Vec<Result<Bytes, ()>> = vec![
            Ok(Bytes::from(vec![1u8; 3000])),
            Ok(Bytes::new()),
            Ok(Bytes::from(vec![2u8; 10])),
        ];
        // Fast enough not to wait: 1 GiB/s, pieces of 256 KiB, so make them 1 KiB.
        let mut limit = RateLimit::new(1 << 30);
        limit.piece = 1024;
        let out: Vec<Result<Bytes, ()>> =
            limit_stream(&limit, futures_util::stream::iter(chunks)).await;
        let sizes: Vec<usize> = out.iter().map(|c| c.as_ref().unwrap().len()).collect();
        // An empty chunk passes as it came.
        assert_eq!(sizes, vec![1024, 1024, 952, 0, 10]);
        let errors: Vec<Result<Bytes, &str>> = limit_stream(
            &limit,
            futures_util::stream::iter(vec![Ok(Bytes::from_static(b"ab")), Err("broken")]),
        )
        .await;
        assert_eq!(errors, vec![Ok(Bytes::from_static(b"ab")), Err("broken")]);
        // Without a limit the stream is unchanged.
        let same: Vec<Result<Bytes, ()>> =
            limit_none(futures_util::stream::iter(vec![Ok(Bytes::from(vec![
                0u8;
                5000
            ]))]))
            .await;
        assert_eq!(same[0].as_ref().unwrap().len(), 5000);
    }

    async fn limit_stream<E: Send + 'static>(
        rate: &RateLimit,
        stream: impl Stream<Item = Result<Bytes, E>> + Send + 'static,
    ) -> Vec<Result<Bytes, E>> {
        limit(Some(rate), stream).collect().await
    }

    async fn limit_none<E: Send + 'static>(
        stream: impl Stream<Item = Result<Bytes, E>> + Send + 'static,
    ) -> Vec<Result<Bytes, E>> {
        limit(None, stream).collect().await
    }
}
