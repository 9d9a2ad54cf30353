# Sourced by the run-*-bench.sh scripts: sets PEERS_DIR (absolute) to ../shared/bench/peers, whether shared/ sits
# beside the checkout (../shared) or beside the folder of worktrees (../../shared), unless PEERS_DIR is set; exits
# when it lacks the script named by $1. Needs $here (the checkout).
if [ -z "${PEERS_DIR:-}" ]; then
  PEERS_DIR=$here/../shared/bench/peers
  [ -d "$PEERS_DIR" ] || PEERS_DIR=$here/../../shared/bench/peers
fi
[ -x "$PEERS_DIR/$1" ] || { echo "no peer scripts in $PEERS_DIR (set PEERS_DIR)" >&2; exit 2; }
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
export PEERS_DIR
