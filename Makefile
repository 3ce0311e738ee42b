# The two commands: `make up` runs the whole system, `make test` runs the whole test suite.
.PHONY: up down test logs build status bench bench-flow bench-api bench-api-cpu bench-signing bench-pages load load-ab ceiling faults faults-long cluster-failover screenshots k8s images alerts

up:
	@deploy/up.sh

down:
	@deploy/down.sh

test:
	@deploy/test.sh

logs:
	@tail -n 50 -F .run/local/logs/*.log

build:
	@swift build --scratch-path $${BUILD_DIR:-$$HOME/.cache/avtalsflode/build}

status:
	@deploy/postgres.sh local status; deploy/rabbitmq.sh local status; \
	while read -r name port; do case "$$name" in ''|\#*) continue;; esac; \
	printf '%-14s %s\n' "$$name" "$$(curl -s http://127.0.0.1:$$((port + 1000))/ready || echo down)"; done < deploy/services.list

bench:
	@deploy/bench.sh

bench-flow:
	@deploy/bench-flow.sh

bench-api:
	@deploy/bench-api.sh

bench-api-cpu:
	@deploy/bench-api-cpu.sh

bench-signing:
	@deploy/bench-flow.sh signing 50 10

bench-pages:
	@deploy/bench-pages.sh

# The whole system under a realistic mix of contracts: `make load RATE=200 SECONDS=120` (docs/PERFORMANCE.md).
load:
	@deploy/load.sh $(or $(RATE),50) $(or $(SECONDS),120)

# Two sets of release binaries under the same load, run alternately, compared in one table (docs/PERFORMANCE.md):
# `make load-ab A=<dir> B=<dir> RATE=80 SECONDS=60 PAIRS=2`.
load-ab:
	@deploy/load-ab.sh "$(A)" "$(B)" $(or $(RATE),40) $(or $(SECONDS),60) $(or $(PAIRS),2)

# The database's own ceiling: a load's statements captured from PostgreSQL's log and replayed by pgbench (docs/PERFORMANCE.md).
ceiling:
	@deploy/ceiling.sh $(or $(RATE),50) $(or $(SECONDS),4)

# The load while every service is killed, RabbitMQ stopped and PostgreSQL restarted; then the same invariants.
faults:
	@deploy/faults.sh $(or $(RATE),30) $(or $(SECONDS),150)

# The long variant: PostgreSQL down for 5 minutes and GetAccept answering creates after the client's timeout.
faults-long:
	@FAULT_DB_OUTAGE_SECONDS=$(or $(OUTAGE),300) SANDBOX_GETACCEPT_CREATE_LATENCY_MS=12000 deploy/faults.sh $(or $(RATE),10) $(or $(SECONDS),480)

# The load on a three-node RabbitMQ cluster while the node leading the queues is stopped; the same invariants.
cluster-failover:
	@deploy/cluster-failover.sh $(or $(RATE),30) $(or $(SECONDS),120)

# The back office's main pages as PNGs in docs/screenshots/, taken by the browser tests.
screenshots:
	@AVTAL_SCREENSHOTS=$(CURDIR)/docs/screenshots deploy/test.sh --filter "BrowserTests|FlowBoardTests"

# The Kubernetes deployment without a cluster: both overlays rendered, every object validated, the policy checked.
k8s:
	@deploy/install-deps.sh && $${AVTAL_VENV:-$$HOME/.cache/avtalsflode/venv}/bin/python deploy/k8s/validate.py

# One OCI image per service (buildah, a Debian 12 base by mmdebstrap), each proved by running its root filesystem under
# chroot against the test stack until /ready answers (docs/deploy.md, "Images"). Needs root.
images:
	@deploy/images.sh

# The alert rules: checked and unit-tested by promtool against synthetic series (docs/operations.md, "Alerts").
alerts:
	@deploy/install-deps.sh && $${AVTAL_VENV:-$$HOME/.cache/avtalsflode/venv}/bin/python deploy/observability/check-alerts.py
