# one.sh ENGINE SCENARIO RUNTIME: runs one scenario (or `cleanup`) in a fresh bash, so that
# run.sh can bound it with `timeout`. Needs E2E_TMP, E2E_RUNTIMES, E2E_RT_<name> in the env.
here=$(dirname "${BASH_SOURCE[0]}")
. "$here/engines.sh"
. "$here/scenarios.sh"
E2E_ENGINE=$1
E2E_RT=$3
fn=sc_${2//-/_}
if [ "$2" = cleanup ]; then
  e2e_cleanup_scenario
elif declare -F "sc_${E2E_ENGINE}_${2//-/_}" >/dev/null; then
  "sc_${E2E_ENGINE}_${2//-/_}"
else
  "$fn"
fi
