#include "results/run_status.hpp"

namespace actsweep::results {
namespace {

constexpr std::array<RunStatusEntry, 6> kStatuses = {{
    {RunStatus::Pending, "pending", &StatusCounts::pending},
    {RunStatus::Running, "running", &StatusCounts::running},
    {RunStatus::Done, "done", &StatusCounts::done},
    {RunStatus::Failed, "failed", &StatusCounts::failed},
    {RunStatus::Diverged, "diverged", &StatusCounts::diverged},
    {RunStatus::Interrupted, "interrupted", &StatusCounts::interrupted},
}};

// A status is its own index into the table.
constexpr bool inEnumOrder() {
  for (std::size_t i = 0; i < kStatuses.size(); ++i)
    if (static_cast<std::size_t>(kStatuses[i].status) != i) return false;
  return true;
}
static_assert(inEnumOrder(), "kStatuses must list the statuses in the order of RunStatus");

const RunStatusEntry& entryOf(RunStatus status) { return kStatuses[static_cast<std::size_t>(status)]; }

}  // namespace

const std::array<RunStatusEntry, 6>& runStatuses() { return kStatuses; }

const char* statusName(RunStatus status) { return entryOf(status).name; }

std::int64_t& StatusCounts::operator[](RunStatus status) { return this->*entryOf(status).count; }

std::int64_t StatusCounts::operator[](RunStatus status) const { return this->*entryOf(status).count; }

std::int64_t StatusCounts::total() const {
  std::int64_t sum = 0;
  for (const RunStatusEntry& entry : kStatuses) sum += this->*entry.count;
  return sum;
}

}  // namespace actsweep::results
