set -euo pipefail
# the world of 208 (namespace mtu, web on both nodes, a curl client on the first), MTU untouched
SCENARIO_MTU=keep bash "$(dirname "$0")/../208-mtu-lowered-source-node/setup.sh"
