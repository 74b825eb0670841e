// Store's claims (results/store.hpp): claim(), renewLeases(), setProgress().
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <signal.h>

#include <cerrno>
#include <chrono>

#include "results/store.hpp"
#include "results/store_impl.hpp"
#include "results/stored_json.hpp"

namespace actsweep::results {
namespace {

double unixNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Whether process `pid` exists on this host. kill(pid, 0) sends nothing; it
// fails with ESRCH only when there is no such process (EPERM: it exists but
// belongs to another user). pid <= 0 would address process groups, so it is
// treated as gone.
bool processAlive(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH;
}

}  // namespace

void StoreImpl::prepareClaims() {
  // claim()'s candidates: one arm per status, each an ordered range of
  // runs_claim(status, estimated_cost DESC, run_id); SQLite merges the arms
  // (no sort), and claim() stops after maxCount rows: a claim costs what it
  // takes, not what the sweep holds. The unary + keeps the key test a
  // filter, so that the planner does not drive the loop from the key table
  // (and sort).
  const auto arm = [](const char* condition) {
    return std::string(
               "SELECT r.run_id AS run_id, r.run_key AS run_key, r.config_json AS config_json, "
               "r.attempts AS attempts, r.estimated_cost AS cost, r.status AS status, r.pid AS pid, "
               "r.lease_until AS lease_until FROM runs r WHERE ") +
           condition + " AND +r.run_key IN temp.claimable_keys";
  };
  claimSelect_.emplace(db_, arm("r.status = 'pending'") + " UNION ALL " + arm("r.status = 'interrupted'") +
                                " UNION ALL " + arm(":retry_failed AND r.status = 'failed'") + " UNION ALL " +
                                arm("r.status = 'running' AND (r.lease_until IS NULL OR r.lease_until < :now "
                                    "OR r.host = :host)") +
                                " ORDER BY cost DESC, run_id");
  claimUpdate_.emplace(
      db_,
      "UPDATE runs SET status = 'running', host = :host, pid = :pid, lease_until = :lease_until, "
      "attempts = attempts + 1, started_at = :started_at, error = NULL, progress_epoch = NULL, "
      "finished_at = NULL WHERE run_id = :run_id");
  updateProgress_.emplace(db_, "UPDATE runs SET progress_epoch = :epoch WHERE run_id = :run_id");
  renewLeases_.emplace(
      db_,
      "UPDATE runs SET lease_until = :lease_until WHERE status = 'running' AND host = :host AND pid = :pid");
}

std::vector<ClaimedRun> Store::claim(int maxCount, const Owner& owner, bool retryFailed) {
  if (maxCount <= 0) return {};
  return impl_->guarded("cannot claim runs", [&] {
    auto& db = impl_->db_;
    // BEGIN IMMEDIATE: the write lock is taken before reading, so two
    // processes cannot both read a run as pending and both claim it.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);

    const double now = unixNow();
    // Candidates, most expensive first (longest-first scheduling keeps the
    // tail of a sweep short). Running runs of other hosts are candidates only
    // once their lease expired; those of this host also when their process is
    // gone, which only C++ can check (below).
    SQLite::Statement& select = *impl_->claimSelect_;
    select.tryReset();
    select.bind(":retry_failed", retryFailed ? 1 : 0);
    select.bind(":now", now);
    select.bind(":host", owner.host);

    std::vector<ClaimedRun> claimed;
    while (static_cast<int>(claimed.size()) < maxCount && select.executeStep()) {
      if (select.getColumn("status").getString() == "running") {
        const SQLite::Column leaseUntil = select.getColumn("lease_until");
        const bool leaseExpired = leaseUntil.isNull() || leaseUntil.getDouble() < now;
        // Same host, lease still valid: claimable only if its process died.
        if (!leaseExpired && processAlive(select.getColumn("pid").getInt64())) continue;
      }
      ClaimedRun run;
      run.runId = select.getColumn("run_id").getInt64();
      run.runKey = select.getColumn("run_key").getString();
      run.config = parseStoredJson(select.getColumn("config_json").getString(),
                                   impl_->path_ + ": runs.config_json of run " + std::to_string(run.runId));
      run.attempts = select.getColumn("attempts").getInt() + 1;
      run.estimatedCost = select.getColumn("cost").getDouble();
      claimed.push_back(std::move(run));
    }
    select.reset();  // updating rows under an open SELECT on the same table is best avoided

    SQLite::Statement& update = *impl_->claimUpdate_;
    const std::string startedAt = isoUtcNow();
    for (const auto& run : claimed) {
      update.tryReset();
      update.bind(":host", owner.host);
      update.bind(":pid", static_cast<std::int64_t>(owner.pid));
      update.bind(":lease_until", now + owner.leaseSeconds);
      update.bind(":started_at", startedAt);
      update.bind(":run_id", run.runId);
      update.exec();
    }
    transaction.commit();
    return claimed;
  });
}

void Store::renewLeases(const Owner& owner) {
  impl_->guarded("cannot renew leases", [&] {
    SQLite::Statement& update = *impl_->renewLeases_;
    update.tryReset();
    update.bind(":lease_until", unixNow() + owner.leaseSeconds);
    update.bind(":host", owner.host);
    update.bind(":pid", static_cast<std::int64_t>(owner.pid));
    update.exec();
  });
}

void Store::setProgress(std::int64_t runId, int epoch) {
  impl_->guarded("cannot record progress", [&] {
    SQLite::Statement& update = *impl_->updateProgress_;
    update.tryReset();
    update.bind(":epoch", epoch);
    update.bind(":run_id", runId);
    update.exec();
  });
}

}  // namespace actsweep::results
