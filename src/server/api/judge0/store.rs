//! The embedded on-disk store of Judge0 submissions (redb: one file, transactions, no server),
//! so a restart of `serve` loses nothing: finished submissions stay readable and queued ones run
//! after it. Submissions are kept by sequence number (their order) with a token index; finished
//! ones older than the retention period, or the oldest past the size cap, are removed.

use std::path::Path;
use std::time::Duration;

use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

use super::submission::{now_micros, Record};

/// seq -> the record's JSON.
const SUBMISSIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("submissions");
/// token -> seq.
const TOKENS: TableDefinition<&str, u64> = TableDefinition::new("tokens");

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(String);

impl StoreError {
    pub fn new(message: String) -> StoreError {
        StoreError(message)
    }
}

fn fail(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

pub struct Store {
    db: Database,
}

impl Store {
    /// Open (or create) the store at `path`, creating its directory.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
        }
        let db = Database::create(path)
            .map_err(|e| fail(format!("cannot open {}: {e}", path.display())))?;
        let txn = db.begin_write().map_err(fail)?;
        txn.open_table(SUBMISSIONS).map_err(fail)?;
        txn.open_table(TOKENS).map_err(fail)?;
        txn.commit().map_err(fail)?;
        Ok(Store { db })
    }

    /// The next sequence number (one past the last stored).
    pub fn next_seq(&self) -> Result<u64, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
        let next = table
            .last()
            .map_err(fail)?
            .map_or(1, |(k, _)| k.value() + 1);
        Ok(next)
    }

    /// Insert or replace records (one transaction: a batch is stored whole or not at all).
    pub fn put(&self, records: &[&Record]) -> Result<(), StoreError> {
        let txn = self.db.begin_write().map_err(fail)?;
        {
            let mut table = txn.open_table(SUBMISSIONS).map_err(fail)?;
            let mut tokens = txn.open_table(TOKENS).map_err(fail)?;
            for record in records {
                let json = serde_json::to_vec(record).map_err(fail)?;
                table.insert(record.seq, json.as_slice()).map_err(fail)?;
                tokens
                    .insert(record.token.as_str(), record.seq)
                    .map_err(fail)?;
            }
        }
        txn.commit().map_err(fail)
    }

    pub fn get(&self, token: &str) -> Result<Option<Record>, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let tokens = txn.open_table(TOKENS).map_err(fail)?;
        let Some(seq) = tokens.get(token).map_err(fail)?.map(|v| v.value()) else {
            return Ok(None);
        };
        let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
        let value = table.get(seq).map_err(fail)?;
        value
            .map(|v| serde_json::from_slice(v.value()).map_err(fail))
            .transpose()
    }

    pub fn delete(&self, record: &Record) -> Result<(), StoreError> {
        let txn = self.db.begin_write().map_err(fail)?;
        {
            txn.open_table(SUBMISSIONS)
                .map_err(fail)?
                .remove(record.seq)
                .map_err(fail)?;
            txn.open_table(TOKENS)
                .map_err(fail)?
                .remove(record.token.as_str())
                .map_err(fail)?;
        }
        txn.commit().map_err(fail)
    }

    /// How many submissions are stored.
    pub fn count(&self) -> Result<u64, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        txn.open_table(SUBMISSIONS)
            .map_err(fail)?
            .len()
            .map_err(fail)
    }

    /// Newest first: `per_page` records after skipping `skip`.
    pub fn page(&self, skip: usize, per_page: usize) -> Result<Vec<Record>, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
        let mut out = Vec::new();
        for item in table.iter().map_err(fail)?.rev().skip(skip).take(per_page) {
            let (_, v) = item.map_err(fail)?;
            out.push(serde_json::from_slice(v.value()).map_err(fail)?);
        }
        Ok(out)
    }

    /// Submissions not yet judged, in queue order (to queue again after a restart).
    pub fn pending(&self) -> Result<Vec<Record>, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
        let mut out = Vec::new();
        for item in table.iter().map_err(fail)? {
            let (_, v) = item.map_err(fail)?;
            // A record that no longer parses is left for the sweep rather than stopping startup.
            if let Ok(record) = serde_json::from_slice::<Record>(v.value()) {
                if record.is_pending() {
                    out.push(record);
                }
            }
        }
        Ok(out)
    }

    /// Remove finished submissions older than `retention`, then the oldest finished ones until
    /// the stored bytes are at most `max_bytes`. Returns how many were removed. Works through the
    /// store in slices, so its memory does not grow with the store.
    pub fn sweep(&self, retention: Duration, max_bytes: u64) -> Result<usize, StoreError> {
        const SLICE: usize = 1000;
        let cutoff = now_micros().saturating_sub(retention.as_micros() as u64);
        let mut total = self.bytes()?;
        let mut removed = 0;
        let mut from = 0u64;
        loop {
            let mut doomed: Vec<(u64, String)> = Vec::new();
            let mut last = None;
            {
                let txn = self.db.begin_read().map_err(fail)?;
                let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
                for item in table.range(from..).map_err(fail)? {
                    let (k, v) = item.map_err(fail)?;
                    last = Some(k.value());
                    let size = v.value().len() as u64;
                    let (finished, token) = match serde_json::from_slice::<Record>(v.value()) {
                        Ok(r) if r.is_pending() => continue,
                        Ok(r) => (r.finished_at.unwrap_or(r.created_at), r.token),
                        // Unreadable: nothing could ever show it.
                        Err(_) => (0, String::new()),
                    };
                    if finished < cutoff || total > max_bytes {
                        total -= size;
                        doomed.push((k.value(), token));
                        if doomed.len() == SLICE {
                            break;
                        }
                    }
                }
            }
            if doomed.is_empty() {
                return Ok(removed);
            }
            let txn = self.db.begin_write().map_err(fail)?;
            {
                let mut table = txn.open_table(SUBMISSIONS).map_err(fail)?;
                let mut tokens = txn.open_table(TOKENS).map_err(fail)?;
                for (seq, token) in &doomed {
                    table.remove(*seq).map_err(fail)?;
                    tokens.remove(token.as_str()).map_err(fail)?;
                }
            }
            txn.commit().map_err(fail)?;
            removed += doomed.len();
            match last {
                Some(seq) => from = seq + 1,
                None => return Ok(removed),
            }
        }
    }

    /// The stored records' bytes.
    fn bytes(&self) -> Result<u64, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
        let mut total = 0;
        for item in table.iter().map_err(fail)? {
            total += item.map_err(fail)?.1.value().len() as u64;
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::api::judge0::statuses::Status;

    fn record(seq: u64, status: Status, finished_at: Option<u64>) -> Record {
        let json = serde_json::json!({
            "seq": seq, "token": format!("t{seq}"), "language_id": 71, "source_code": "",
            "stdin": null, "expected_output": null, "compiler_options": null,
            "command_line_arguments": null, "cpu_time_limit": 5.0, "cpu_extra_time": 1.0,
            "wall_time_limit": 10.0, "memory_limit": 128000, "stack_limit": 64000,
            "max_processes_and_or_threads": 60,
            "enable_per_process_and_thread_time_limit": false,
            "enable_per_process_and_thread_memory_limit": false, "max_file_size": 1024,
            "redirect_stderr_to_stdout": false, "enable_network": false, "number_of_runs": 1,
            "callback_url": null, "additional_files": null, "status": status.id(),
            "stdout": "/w==", "stderr": null, "compile_output": null, "message": null,
            "time": null, "wall_time": null, "memory": null, "exit_code": null,
            "exit_signal": null, "created_at": 1, "started_at": null,
            "finished_at": finished_at,
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn records_survive_reopening_and_pending_ones_come_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/store.redb");
        {
            let store = Store::open(&path).unwrap();
            let now = now_micros();
            let (a, b, c) = (
                record(1, Status::Accepted, Some(now)),
                record(2, Status::InQueue, None),
                record(3, Status::Processing, None),
            );
            store.put(&[&a, &b, &c]).unwrap();
            assert!(Store::open(&path).is_err(), "one server per store");
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.next_seq().unwrap(), 4);
        assert_eq!(store.get("t1").unwrap().unwrap().stdout, Some(vec![0xff]));
        let pending: Vec<u64> = store.pending().unwrap().iter().map(|r| r.seq).collect();
        assert_eq!(pending, [2, 3]);
        let page: Vec<u64> = store.page(1, 5).unwrap().iter().map(|r| r.seq).collect();
        assert_eq!(page, [2, 1], "newest first, after skipping one");
        assert_eq!(store.count().unwrap(), 3);
    }

    #[test]
    fn the_sweep_removes_old_or_oversized_finished_records_never_pending_ones() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let now = now_micros();
        let old = record(1, Status::Accepted, Some(1));
        let fresh = record(2, Status::WrongAnswer, Some(now));
        let queued = record(3, Status::InQueue, None);
        store.put(&[&old, &fresh, &queued]).unwrap();
        assert_eq!(store.sweep(Duration::from_secs(3600), u64::MAX).unwrap(), 1);
        assert!(store.get("t1").unwrap().is_none());
        assert!(store.get("t2").unwrap().is_some());
        // A cap of nothing removes every finished record, and still keeps the queued one.
        assert_eq!(store.sweep(Duration::from_secs(3600), 0).unwrap(), 1);
        assert!(store.get("t2").unwrap().is_none());
        assert!(store.get("t3").unwrap().is_some());
    }
}
