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
    /// the stored bytes are at most `max_bytes`. Returns how many were removed.
    pub fn sweep(&self, retention: Duration, max_bytes: u64) -> Result<usize, StoreError> {
        let cutoff = now_micros().saturating_sub(retention.as_micros() as u64);
        let mut finished: Vec<(u64, String, u64, u64)> = Vec::new();
        let mut total = 0u64;
        {
            let txn = self.db.begin_read().map_err(fail)?;
            let table = txn.open_table(SUBMISSIONS).map_err(fail)?;
            for item in table.iter().map_err(fail)? {
                let (k, v) = item.map_err(fail)?;
                let size = v.value().len() as u64;
                total += size;
                match serde_json::from_slice::<Record>(v.value()) {
                    Ok(r) if !r.is_pending() => {
                        let at = r.finished_at.unwrap_or(r.created_at);
                        finished.push((k.value(), r.token, size, at));
                    }
                    Ok(_) => {}
                    Err(_) => finished.push((k.value(), String::new(), size, 0)),
                }
            }
        }
        let mut doomed = Vec::new();
        for (seq, token, size, at) in finished {
            if at < cutoff || total > max_bytes {
                total -= size;
                doomed.push((seq, token));
            }
        }
        if doomed.is_empty() {
            return Ok(0);
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
        Ok(doomed.len())
    }
}
