//! Merges attach frames that are already waiting into one chunk per stream. The engine frames
//! output in pieces of at most 32 KiB, so a program streaming 100 MiB would cost thousands of
//! writes to our stdout; merging only what is ready adds no latency (a lone keystroke echo still
//! goes out alone) and cuts codecage's CPU per byte.

use std::pin::Pin;
use std::task::{Context, Poll};

use bollard::container::LogOutput;
use bytes::BytesMut;
use futures_util::Stream;

/// Most bytes merged into one chunk (what codecage holds of a stream at a time).
pub const MAX_MERGED: usize = 256 << 10;

pub struct Coalesce<S: Stream> {
    inner: S,
    /// An item read while merging that belongs to the other stream (or ends it): next out.
    held: Option<S::Item>,
    /// The inner stream ended while merging: never poll it again.
    done: bool,
}

impl<S: Stream> Coalesce<S> {
    pub fn new(inner: S) -> Self {
        Coalesce {
            inner,
            held: None,
            done: false,
        }
    }
}

/// Which stream a frame belongs to, for frames that can merge.
fn kind(item: &LogOutput) -> Option<u8> {
    match item {
        LogOutput::StdOut { .. } => Some(1),
        LogOutput::StdErr { .. } => Some(2),
        LogOutput::Console { .. } => Some(3),
        LogOutput::StdIn { .. } => None,
    }
}

fn payload(item: &LogOutput) -> &[u8] {
    match item {
        LogOutput::StdOut { message }
        | LogOutput::StdErr { message }
        | LogOutput::Console { message }
        | LogOutput::StdIn { message } => message,
    }
}

fn rebuild(kind: u8, message: bytes::Bytes) -> LogOutput {
    match kind {
        1 => LogOutput::StdOut { message },
        2 => LogOutput::StdErr { message },
        _ => LogOutput::Console { message },
    }
}

impl<S, E> Stream for Coalesce<S>
where
    S: Stream<Item = Result<LogOutput, E>> + Unpin,
    E: Unpin,
{
    type Item = Result<LogOutput, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let first = match this.held.take() {
            Some(item) => item,
            None if this.done => return Poll::Ready(None),
            None => match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Ready(Some(item)) => item,
                other => return other,
            },
        };
        let first = match first {
            Ok(item) => item,
            Err(e) => return Poll::Ready(Some(Err(e))),
        };
        let Some(k) = kind(&first) else {
            return Poll::Ready(Some(Ok(first)));
        };
        let mut merged: Option<BytesMut> = None;
        loop {
            let len = merged.as_ref().map_or(payload(&first).len(), BytesMut::len);
            if len >= MAX_MERGED {
                break;
            }
            match Pin::new(&mut this.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(next))) if kind(&next) == Some(k) => {
                    merged
                        .get_or_insert_with(|| BytesMut::from(payload(&first)))
                        .extend_from_slice(payload(&next));
                }
                // Another stream, an error or the end: deliver what we have, then that.
                Poll::Ready(Some(other)) => {
                    this.held = Some(other);
                    break;
                }
                Poll::Ready(None) => {
                    this.done = true;
                    break;
                }
                Poll::Pending => break,
            }
        }
        Poll::Ready(Some(Ok(match merged {
            Some(bytes) => rebuild(k, bytes.freeze()),
            None => first,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn out(s: &str) -> Result<LogOutput, ()> {
        Ok(LogOutput::StdOut {
            message: bytes::Bytes::copy_from_slice(s.as_bytes()),
        })
    }
    fn err(s: &str) -> Result<LogOutput, ()> {
        Ok(LogOutput::StdErr {
            message: bytes::Bytes::copy_from_slice(s.as_bytes()),
        })
    }

    fn render(items: Vec<Result<LogOutput, ()>>) -> Vec<String> {
        items
            .into_iter()
            .map(|i| match i {
                Ok(LogOutput::StdOut { message }) => {
                    format!("o:{}", String::from_utf8_lossy(&message))
                }
                Ok(LogOutput::StdErr { message }) => {
                    format!("e:{}", String::from_utf8_lossy(&message))
                }
                Ok(_) => "other".into(),
                Err(()) => "error".into(),
            })
            .collect()
    }

    #[tokio::test]
    async fn ready_frames_merge_per_stream_and_keep_their_order() {
        let items = vec![
            out("a"),
            out("b"),
            err("x"),
            err("y"),
            out("c"),
            Err(()),
            out("d"),
        ];
        let merged: Vec<_> = Coalesce::new(futures_util::stream::iter(items))
            .collect()
            .await;
        assert_eq!(render(merged), ["o:ab", "e:xy", "o:c", "error", "o:d"]);
    }

    #[tokio::test]
    async fn nothing_waits_for_more_frames() {
        // A frame, then a stream that is not ready: the frame comes out alone, at once.
        let inner =
            futures_util::stream::iter(vec![out("key")]).chain(futures_util::stream::pending());
        let mut merged = Coalesce::new(Box::pin(inner));
        let first = tokio::time::timeout(std::time::Duration::from_secs(5), merged.next())
            .await
            .expect("the first frame waited for more");
        assert_eq!(render(vec![first.unwrap()]), ["o:key"]);
    }

    #[tokio::test]
    async fn merging_stops_at_the_cap() {
        let chunk = "z".repeat(MAX_MERGED / 2);
        let items: Vec<_> = (0..3).map(|_| out(&chunk)).collect();
        let merged: Vec<_> = Coalesce::new(futures_util::stream::iter(items))
            .collect()
            .await;
        let sizes: Vec<usize> = render(merged).iter().map(|s| s.len() - 2).collect();
        assert_eq!(sizes, [MAX_MERGED, MAX_MERGED / 2]);
    }
}
