# Sourced by measure.sh and stage.sh: CPU clock ticks (user + system) of a process, its exited children and its live
# ones (PostgreSQL's backends come and go; the postmaster's own count includes those that have exited).
cpu() {
  local ticks pid
  ticks=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat")
  for pid in $(pgrep -P "$1"); do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$ticks"
}
