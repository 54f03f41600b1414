//! Human sizes and durations for flags and profiles ("256MiB", "1.5s", "500ms").

use std::time::Duration;

use anyhow::{bail, Result};

/// Parse a byte size: a plain number is bytes; suffixes k/K/KiB, m/M/MiB, g/G/GiB are powers of 1024
/// (KB/MB/GB are powers of 1000, as written).
pub fn parse_size(text: &str) -> Result<u64> {
    let (number, unit) = number_and_unit(text, "size", "256MiB")?;
    let factor: f64 = match unit {
        "" | "b" | "B" => 1.0,
        "k" | "K" | "KiB" | "kiB" => 1024.0,
        "m" | "M" | "MiB" => 1024.0 * 1024.0,
        "g" | "G" | "GiB" => 1024.0 * 1024.0 * 1024.0,
        "KB" | "kB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        other => bail!("invalid size {text:?}: unknown unit {other:?} (use KiB, MiB or GiB)"),
    };
    let bytes = number * factor;
    if !bytes.is_finite() || !(1.0..=1e15).contains(&bytes) {
        bail!("invalid size {text:?}: out of range");
    }
    Ok(bytes as u64)
}

/// Parse a duration: a plain number is seconds; suffixes ms, s, m, h.
pub fn parse_duration(text: &str) -> Result<Duration> {
    let (number, unit) = number_and_unit(text, "duration", "10s")?;
    let seconds = match unit {
        "" | "s" | "sec" => number,
        "ms" => number / 1000.0,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        other => bail!("invalid duration {text:?}: unknown unit {other:?} (use ms, s, m or h)"),
    };
    if !seconds.is_finite() || seconds <= 0.0 || seconds > 86_400.0 {
        bail!("invalid duration {text:?}: must be more than 0 and at most 24h");
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// An age like `7d`, `12h`, `30m` or `0s` (zero allowed, no upper bound below a century).
pub fn parse_age(text: &str) -> Result<Duration> {
    let (number, unit) = number_and_unit(text, "age", "7d")?;
    let seconds = match unit {
        "" | "s" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        "d" => number * 86_400.0,
        "w" => number * 7.0 * 86_400.0,
        other => bail!("invalid age {text:?}: unknown unit {other:?} (use s, m, h, d or w)"),
    };
    if !seconds.is_finite() || seconds > 100.0 * 365.0 * 86_400.0 {
        bail!("invalid age {text:?}: too large");
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Split "1.5 MiB" into (1.5, "MiB").
fn number_and_unit<'a>(text: &'a str, kind: &str, example: &str) -> Result<(f64, &'a str)> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    match number.parse() {
        Ok(n) => Ok((n, unit.trim())),
        Err(_) => {
            bail!("invalid {kind} {text:?}: expected a number with an optional unit like {example}")
        }
    }
}

/// Format bytes the way the limits are usually written.
pub fn format_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// Format a size for people, rounded: "245.3 MiB", "1.2 GiB", "512 KiB".
pub fn format_size_approx(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GiB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.0} KiB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it): engine timestamps are in these.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Format a duration compactly: "2s", "1.5s", "250ms".
pub fn format_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1}s", d.as_secs_f64())
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("256MiB").unwrap(), 256 << 20);
        assert_eq!(parse_size("1g").unwrap(), 1 << 30);
        assert_eq!(parse_size("64k").unwrap(), 64 << 10);
        assert_eq!(parse_size("1000").unwrap(), 1000);
        assert_eq!(parse_size("1.5M").unwrap(), 3 << 19);
        assert_eq!(parse_size("2MB").unwrap(), 2_000_000);
        assert!(parse_size("abc").is_err());
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("-1").is_err());
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("3 weeks").is_err());
    }

    #[test]
    fn formatting() {
        assert_eq!(format_size(256 << 20), "256 MiB");
        assert_eq!(format_size(1000), "1000 bytes");
        assert_eq!(format_duration(Duration::from_secs(30)), "30s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1.5s");
        assert_eq!(format_duration(Duration::from_millis(200)), "200ms");
    }
}
