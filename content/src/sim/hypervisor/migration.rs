//! The arithmetic of moving a VM: live migration by iterative pre-copy (QEMU's default), and
//! offline migration (shut down, copy, start) for comparison.
//!
//! Pre-copy sends all of the guest's memory while the guest runs, then, round after round, the
//! pages the guest wrote in the meantime. A round takes `sent / bandwidth` seconds, during which
//! the guest dirties `dirty_rate × time` (at most all of its memory). When what is left can be
//! sent within the allowed downtime, the guest is paused and the rest copied (stop-and-copy).
//! If the guest dirties memory about as fast as the link carries it, the rounds do not shrink:
//! the migration does not converge. The model ignores page granularity, compression and the
//! CPU state (a few KiB).

/// QEMU's default limit for the final pause (`downtime-limit`, milliseconds).
pub const DEFAULT_DOWNTIME_MS: f64 = 300.0;

/// After this many rounds GuestLab calls a migration non-converging.
pub const MAX_ROUNDS: usize = 30;

/// The situation of one migration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// The guest's memory (MiB).
    pub memory_mib: f64,
    /// What the migration link carries (MiB/s).
    pub bandwidth_mib_s: f64,
    /// How fast the guest writes to its memory (MiB/s).
    pub dirty_mib_s: f64,
    /// The longest acceptable pause (ms).
    pub max_downtime_ms: f64,
    /// Disk data to copy first when the storage is not shared (MiB; 0 with shared storage).
    pub storage_mib: f64,
}

impl Default for Params {
    /// A 2 GiB guest on a 10 Gbit/s link (about 1 GiB/s), writing 100 MiB/s, shared storage.
    fn default() -> Self {
        Self {
            memory_mib: 2048.0,
            bandwidth_mib_s: 1024.0,
            dirty_mib_s: 100.0,
            max_downtime_ms: DEFAULT_DOWNTIME_MS,
            storage_mib: 0.0,
        }
    }
}

/// One pre-copy round, sent while the guest runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Round {
    /// MiB sent in this round.
    pub sent_mib: f64,
    pub seconds: f64,
    /// MiB the guest wrote meanwhile (to send in the next round).
    pub dirtied_mib: f64,
}

/// What a live migration does.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    /// The storage copy before the memory rounds (MiB; 0 with shared storage).
    pub storage_mib: f64,
    pub storage_seconds: f64,
    pub rounds: Vec<Round>,
    /// MiB copied while the guest is paused.
    pub stop_and_copy_mib: f64,
    /// The pause (ms).
    pub downtime_ms: f64,
    /// Everything sent (MiB), storage included.
    pub total_mib: f64,
    /// From start to resume on the target (s).
    pub total_seconds: f64,
    /// Whether the rounds shrank below the downtime limit (otherwise GuestLab stopped after
    /// [`MAX_ROUNDS`] and the pause is as long as the last round).
    pub converged: bool,
}

/// Simulates a live migration by pre-copy.
pub fn live(p: &Params) -> Live {
    let bandwidth = p.bandwidth_mib_s.max(f64::MIN_POSITIVE);
    let storage_seconds = p.storage_mib / bandwidth;
    let mut rounds = Vec::new();
    let mut to_send = p.memory_mib;
    let mut converged = false;
    while rounds.len() < MAX_ROUNDS {
        let seconds = to_send / bandwidth;
        let dirtied = (p.dirty_mib_s * seconds).min(p.memory_mib);
        rounds.push(Round { sent_mib: to_send, seconds, dirtied_mib: dirtied });
        to_send = dirtied;
        if to_send / bandwidth * 1000.0 <= p.max_downtime_ms {
            converged = true;
            break;
        }
    }
    let downtime_ms = to_send / bandwidth * 1000.0;
    let memory_total: f64 = rounds.iter().map(|r| r.sent_mib).sum::<f64>() + to_send;
    let seconds: f64 = rounds.iter().map(|r| r.seconds).sum();
    Live {
        storage_mib: p.storage_mib,
        storage_seconds,
        rounds,
        stop_and_copy_mib: to_send,
        downtime_ms,
        total_mib: p.storage_mib + memory_total,
        total_seconds: storage_seconds + seconds + downtime_ms / 1000.0,
        converged,
    }
}

/// The fixed costs of an offline migration (s): a clean shutdown and a boot.
pub const SHUTDOWN_SECONDS: f64 = 15.0;
pub const BOOT_SECONDS: f64 = 25.0;

/// What an offline migration costs: the guest is down from the shutdown until it has booted
/// on the target; without shared storage the disk is copied in between.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offline {
    pub copy_seconds: f64,
    pub downtime_seconds: f64,
}

pub fn offline(p: &Params) -> Offline {
    let copy_seconds = p.storage_mib / p.bandwidth_mib_s.max(f64::MIN_POSITIVE);
    Offline { copy_seconds, downtime_seconds: SHUTDOWN_SECONDS + copy_seconds + BOOT_SECONDS }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(dirty: f64) -> Params {
        Params { memory_mib: 2048.0, bandwidth_mib_s: 1024.0, dirty_mib_s: dirty, ..Params::default() }
    }

    #[test]
    fn rounds_shrink_until_the_rest_fits_the_pause() {
        let m = live(&params(256.0));
        assert_eq!(
            m.rounds,
            [
                Round { sent_mib: 2048.0, seconds: 2.0, dirtied_mib: 512.0 },
                Round { sent_mib: 512.0, seconds: 0.5, dirtied_mib: 128.0 },
            ]
        );
        assert!(m.converged);
        assert_eq!(m.stop_and_copy_mib, 128.0);
        assert_eq!(m.downtime_ms, 125.0);
        assert_eq!(m.total_mib, 2688.0);
        assert_eq!(m.total_seconds, 2.625);
    }

    #[test]
    fn a_quiet_guest_needs_one_round_and_almost_no_pause() {
        let m = live(&params(0.0));
        assert_eq!(m.rounds.len(), 1);
        assert_eq!((m.stop_and_copy_mib, m.downtime_ms, m.total_mib), (0.0, 0.0, 2048.0));
    }

    #[test]
    fn a_busier_guest_needs_more_rounds_and_pauses_longer() {
        let m = live(&params(512.0));
        // 2048 → 1024 → 512 → 256 (250 ms ≤ 300 ms).
        assert_eq!(m.rounds.iter().map(|r| r.sent_mib).collect::<Vec<_>>(), [2048.0, 1024.0, 512.0]);
        assert_eq!(m.downtime_ms, 250.0);
        assert_eq!(m.total_mib, 3840.0);
        let slower = live(&Params { max_downtime_ms: 100.0, ..params(512.0) });
        assert_eq!(slower.rounds.len(), 5);
        assert_eq!(slower.downtime_ms, 62.5);
    }

    #[test]
    fn dirtying_as_fast_as_the_link_never_converges() {
        let m = live(&params(1024.0));
        assert!(!m.converged);
        assert_eq!(m.rounds.len(), MAX_ROUNDS);
        assert_eq!(m.downtime_ms, 2000.0);
        assert_eq!(m.total_mib, 2048.0 * 31.0);
    }

    #[test]
    fn storage_without_sharing_is_copied_first() {
        let p = Params { storage_mib: 10240.0, ..params(256.0) };
        let m = live(&p);
        assert_eq!((m.storage_seconds, m.total_mib, m.downtime_ms), (10.0, 12928.0, 125.0));
        assert_eq!(m.total_seconds, 12.625);
        let o = offline(&p);
        assert_eq!(o, Offline { copy_seconds: 10.0, downtime_seconds: 50.0 });
        assert_eq!(offline(&params(256.0)).downtime_seconds, 40.0);
    }
}
